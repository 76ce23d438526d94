//! `hash()`: CPython's hashes for numbers and tuples (so set order matches), cached str
//! hashes, `__hash__` dispatch, and identity hashes.

use crate::object::{ClassObj, IntObj, Kind, SetObj, StrObj};
use crate::runtime::str::{intern, str_hash};
use crate::runtime::{class_of, exc, int, tuple, type_name};
use crate::value::Value;
use crate::{PyResult, Vm};

impl Vm {
    /// `hash(v)`.
    pub fn hash(&mut self, v: &Value) -> PyResult<i64> {
        if let Some(i) = v.as_small_int() {
            return Ok(int::hash_i64(i));
        }
        if let Some(s) = v.downcast::<StrObj>() {
            return Ok(str_hash(s));
        }
        if let Some(f) = v.as_float() {
            return Ok(crate::stdlib::mt::py_float_hash(f).unwrap_or(0));
        }
        if v.is_bool() {
            return Ok(v.is(&Value::TRUE) as i64);
        }
        if !v.is_obj() {
            // None, Ellipsis, NotImplemented: fixed values.
            return Ok((v.bits() >> 4) as i64 & 0x0FFF_FFFF);
        }
        match v.kind().unwrap() {
            Kind::Int => return Ok(int::hash_big(&v.downcast::<IntObj>().unwrap().v)),
            Kind::Tuple => {
                let items = tuple::items(v).unwrap();
                let mut hs = Vec::with_capacity(items.len());
                for x in items {
                    hs.push(self.hash(x)?);
                }
                return Ok(tuple::hash_items(hs.into_iter()));
            }
            Kind::Range => {
                // CPython: hash((len, start, step)), with None for what the length makes moot.
                let r = v.downcast::<crate::object::RangeObj>().unwrap();
                if r.big.is_none() {
                    let n = r.len();
                    let items = match n {
                        0 => vec![Value::small_int(0), Value::NONE, Value::NONE],
                        1 => vec![Value::small_int(1), int::from_i64(r.start), Value::NONE],
                        _ => vec![
                            int::from_i64(n),
                            int::from_i64(r.start),
                            int::from_i64(r.step),
                        ],
                    };
                    return self.hash(&tuple::new(items));
                }
            }
            Kind::List | Kind::Dict | Kind::Deque => {
                let cls = class_of(v);
                if cls
                    .downcast::<ClassObj>()
                    .unwrap()
                    .has(crate::object::CLS_BUILTIN)
                {
                    return Err(unhashable(v));
                }
            }
            Kind::Set => {
                let s = v.downcast::<SetObj>().unwrap();
                if !s.frozen {
                    return Err(unhashable(v));
                }
                let h = s.hash.get();
                if h != -1 {
                    return Ok(h);
                }
                let h = s.with(|t| t.frozenset_hash());
                s.hash.set(h);
                return Ok(h);
            }
            _ => {}
        }
        let cls = class_of(v);
        if !cls
            .downcast::<ClassObj>()
            .unwrap()
            .has(crate::object::CLS_BUILTIN)
        {
            match self.class_lookup(&cls, &intern("__hash__")) {
                Some(m) if m.is_none() => return Err(unhashable(v)),
                Some(m) if m.kind() != Some(Kind::Builtin) => {
                    let r = self.call(&m, std::slice::from_ref(v))?;
                    let Some(h) = int::to_bigint(&r) else {
                        return Err(exc::type_error("__hash__ method should return an integer"));
                    };
                    let h = match num_traits::ToPrimitive::to_i64(&h) {
                        Some(i) => int::hash_i64(i),
                        None => int::hash_big(&h),
                    };
                    return Ok(if h == -1 { -2 } else { h });
                }
                _ => {}
            }
            if let Some(i) = v.downcast::<crate::object::InstanceObj>()
                && !i.payload.is_undef()
            {
                let p = i.payload.get();
                return self.hash(&p);
            }
        }
        Ok(identity_hash(v))
    }
}

/// The default `object.__hash__`: derived from the address.
pub fn identity_hash(v: &Value) -> i64 {
    let p = v.bits() & ((1 << 48) - 1);
    p.rotate_right(4) as i64 & i64::MAX
}

fn unhashable(v: &Value) -> crate::PyErr {
    exc::type_error(format!("unhashable type: '{}'", type_name(v)))
}
