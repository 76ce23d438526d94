//! Operations on sets and dicts that may call Python (hashing, equality).

use crate::object::{self, DictObj, Kind, SetObj};
use crate::runtime::{exc, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::{binop, cmpop};

impl Vm {
    /// `s.add(v)`.
    pub fn set_add(&mut self, s: &Value, v: Value) -> PyResult<()> {
        let so = s.downcast::<SetObj>().unwrap();
        let h = self.hash(&v)?;
        so.add(v, h, &mut |a, b| self.eq(a, b))?;
        Ok(())
    }

    /// `s |= iterable` (also `set(iterable)`), with CPython's presizing for set and dict
    /// sources so the resulting order matches.
    pub fn set_update(&mut self, s: &Value, it: &Value) -> PyResult<()> {
        let so = s.downcast::<SetObj>().unwrap();
        if let Some(other) = it.downcast::<SetObj>() {
            if so.is_empty() {
                let snapshot = other.with(|t| t.clone());
                so.with(|t| {
                    t.merge_into_empty(&snapshot);
                });
                return Ok(());
            }
            let n = other.len();
            so.with(|t| t.presize_for_merge(n));
            for (h, k) in other.entries() {
                so.add(k, h, &mut |a, b| self.eq(a, b))?;
            }
            return Ok(());
        }
        if let Some(d) = it.downcast::<DictObj>() {
            let n = d.len();
            so.with(|t| t.presize_for_merge(n));
            let entries: Vec<(Value, i64)> =
                d.with(|t| t.iter().map(|e| (e.key.clone(), e.hash)).collect());
            for (k, h) in entries {
                so.add(k, h, &mut |a, b| self.eq(a, b))?;
            }
            return Ok(());
        }
        let iter = self.get_iter(it)?;
        while let Some(v) = self.next(&iter)? {
            let h = self.hash(&v)?;
            so.add(v, h, &mut |a, b| self.eq(a, b))?;
        }
        Ok(())
    }

    /// Membership in a set.
    pub fn set_contains(&mut self, s: &Value, v: &Value) -> PyResult<bool> {
        let so = s.downcast::<SetObj>().unwrap();
        let h = self.hash(v)?;
        so.contains(v, h, &mut |a, b| self.eq(a, b))
    }

    /// A new empty set of the same flavour (set/frozenset) as `like`.
    pub fn empty_set_like(&self, like: &Value) -> Value {
        let frozen = like.downcast::<SetObj>().is_some_and(|s| s.frozen);
        let cls = if frozen {
            &types().frozenset
        } else {
            &types().set
        };
        object::alloc(cls, SetObj::new(frozen))
    }

    /// `a | b`, `a & b`, `a - b`, `a ^ b` for sets (in place when `inplace`).
    pub(crate) fn set_binop(
        &mut self,
        a: &Value,
        b: &Value,
        op: u32,
        inplace: bool,
    ) -> PyResult<Value> {
        let bo = b.downcast::<SetObj>().unwrap();
        let out = if inplace {
            a.clone()
        } else {
            self.empty_set_like(a)
        };
        match op {
            binop::OR => {
                if !inplace {
                    self.set_update(&out, a)?;
                }
                self.set_update(&out, b)?;
            }
            binop::AND => {
                let items = a.downcast::<SetObj>().unwrap().entries();
                let keep: Vec<Value> = {
                    let mut k = Vec::new();
                    for (h, x) in items {
                        if bo.contains(&x, h, &mut |p, q| self.eq(p, q))? {
                            k.push(x);
                        }
                    }
                    k
                };
                if inplace {
                    drop(out.downcast::<SetObj>().unwrap().with(|t| t.take_all()));
                }
                for x in keep {
                    self.set_add(&out, x)?;
                }
            }
            binop::SUBTRACT => {
                let items = a.downcast::<SetObj>().unwrap().entries();
                let mut keep = Vec::new();
                for (h, x) in items {
                    if !bo.contains(&x, h, &mut |p, q| self.eq(p, q))? {
                        keep.push(x);
                    }
                }
                if inplace {
                    drop(out.downcast::<SetObj>().unwrap().with(|t| t.take_all()));
                }
                for x in keep {
                    self.set_add(&out, x)?;
                }
            }
            _ => {
                let ao = a.downcast::<SetObj>().unwrap();
                let mut keep = Vec::new();
                for (h, x) in ao.entries() {
                    if !bo.contains(&x, h, &mut |p, q| self.eq(p, q))? {
                        keep.push(x);
                    }
                }
                for (h, x) in bo.entries() {
                    if !ao.contains(&x, h, &mut |p, q| self.eq(p, q))? {
                        keep.push(x);
                    }
                }
                if inplace {
                    drop(out.downcast::<SetObj>().unwrap().with(|t| t.take_all()));
                }
                for x in keep {
                    self.set_add(&out, x)?;
                }
            }
        }
        Ok(out)
    }

    /// True if every item of `a` is in `b`.
    pub fn set_is_subset(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        let ao = a.downcast::<SetObj>().unwrap();
        let bo = b.downcast::<SetObj>().unwrap();
        if ao.len() > bo.len() {
            return Ok(false);
        }
        for (h, x) in ao.entries() {
            if !bo.contains(&x, h, &mut |p, q| self.eq(p, q))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Set comparisons (subset order).
    pub(crate) fn set_compare(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<bool> {
        let la = a.downcast::<SetObj>().unwrap().len();
        let lb = b.downcast::<SetObj>().unwrap().len();
        Ok(match op {
            cmpop::EQ => la == lb && self.set_is_subset(a, b)?,
            cmpop::NE => !(la == lb && self.set_is_subset(a, b)?),
            cmpop::LE => self.set_is_subset(a, b)?,
            cmpop::LT => la < lb && self.set_is_subset(a, b)?,
            cmpop::GE => self.set_is_subset(b, a)?,
            _ => la > lb && self.set_is_subset(b, a)?,
        })
    }

    /// `DICT_MERGE` for the call `func(**m)`: merges `m` into the keyword dict `d` with
    /// CPython's errors naming the callee (not a mapping, duplicate keyword).
    pub fn dict_merge_for_call(&mut self, func: &Value, d: &Value, m: &Value) -> PyResult<()> {
        let is_mapping = m.kind() == Some(Kind::Dict)
            || (m.is_obj()
                && self
                    .getattr_opt(m, &crate::runtime::str::intern("keys"))?
                    .is_some());
        if !is_mapping {
            let f = self.function_str(func)?;
            return Err(exc::type_error(format!(
                "{f} argument after ** must be a mapping, not {}",
                type_name(m)
            )));
        }
        let keys = match m.downcast::<DictObj>() {
            Some(src) => src.keys(),
            None => {
                let keys = self.getattr(m, &crate::runtime::str::intern("keys"))?;
                let ks = self.call(&keys, &[])?;
                self.collect(&ks)?
            }
        };
        let dd = d.downcast::<DictObj>().unwrap();
        for k in keys {
            let h = self.hash(&k)?;
            if dd.get(&k, h, &mut |a, b| self.eq(a, b))?.is_some() {
                let f = self.function_str(func)?;
                let ks = self.str_of(&k)?;
                return Err(exc::type_error(format!(
                    "{f} got multiple values for keyword argument '{ks}'"
                )));
            }
            let v = self.getitem(m, &k)?;
            self.dict_set(d, k, v)?;
        }
        Ok(())
    }

    /// CPython's `_PyObject_FunctionStr`: `module.qualname()` (no module for builtins), else `str(f)`.
    pub fn function_str(&mut self, f: &Value) -> PyResult<String> {
        let Some(q) = self.getattr_opt(f, &crate::runtime::str::intern("__qualname__"))? else {
            return self.str_of(f);
        };
        let q = self.str_of(&q)?;
        match self.getattr_opt(f, &crate::runtime::str::intern("__module__"))? {
            Some(m) if !m.is_none() && crate::runtime::str::as_str(&m) != Some("builtins") => {
                let m = self.str_of(&m)?;
                Ok(format!("{m}.{q}()"))
            }
            _ => Ok(format!("{q}()")),
        }
    }

    /// `d.update(m)` (`merge`: duplicate keys are an error, for `f(**a, **b)`).
    pub fn dict_update(&mut self, d: &Value, m: &Value, merge: bool) -> PyResult<()> {
        if let Some(src) = m.downcast::<DictObj>() {
            let dd = d.downcast::<DictObj>().unwrap();
            for (k, v) in src.items() {
                if merge {
                    let h = self.hash(&k)?;
                    if dd.get(&k, h, &mut |a, b| self.eq(a, b))?.is_some() {
                        let ks = self.str_of(&k)?;
                        return Err(exc::type_error(format!(
                            "got multiple values for keyword argument '{ks}'"
                        )));
                    }
                }
                self.dict_set(d, k, v)?;
            }
            return Ok(());
        }
        // A mapping with keys(), or an iterable of pairs.
        if m.is_obj()
            && m.kind() != Some(Kind::List)
            && m.kind() != Some(Kind::Tuple)
            && let Some(keys) = self.getattr_opt(m, &crate::runtime::str::intern("keys"))?
        {
            let ks = self.call(&keys, &[])?;
            for k in self.collect(&ks)? {
                let v = self.getitem(m, &k)?;
                self.dict_set(d, k, v)?;
            }
            return Ok(());
        }
        let it = self
            .get_iter(m)
            .map_err(|_| exc::type_error(format!("'{}' object is not iterable", type_name(m))))?;
        let mut i = 0;
        while let Some(pair) = self.next(&it)? {
            let items = self.collect(&pair).map_err(|_| {
                exc::type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                ))
            })?;
            if items.len() != 2 {
                return Err(exc::value_error(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    items.len()
                )));
            }
            let mut it2 = items.into_iter();
            let (k, v) = (it2.next().unwrap(), it2.next().unwrap());
            self.dict_set(d, k, v)?;
            i += 1;
        }
        Ok(())
    }
}
