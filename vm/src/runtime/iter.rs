//! Iteration: `iter()`, `next()`, and the native iterators (list, range, zip, map, the
//! itertools family, …).

use crate::object::{
    self, ClassObj, CombKind, DequeObj, DictIterKind, DictObj, GenObj, IterObj, IterState, Kind,
    ListObj, RangeObj, SetObj, StrObj, TupleObj,
};
use crate::runtime::str::{as_str, intern};
use crate::runtime::{class_of, exc, int, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::UnsafeCell;

/// Allocates a native iterator of class `cls`.
pub fn new_iter(cls: &Value, state: IterState) -> Value {
    object::alloc(
        cls,
        IterObj {
            state: UnsafeCell::new(state),
        },
    )
}

impl Vm {
    /// `iter(v)`.
    pub fn get_iter(&mut self, v: &Value) -> PyResult<Value> {
        let t = types();
        let user = v.header().is_some_and(|_| {
            !class_of(v)
                .downcast::<ClassObj>()
                .unwrap()
                .has(object::CLS_BUILTIN)
        });
        if user
            && let Some(m) = self.lookup_special(v, &intern("__iter__"))
            && m.kind() != Some(Kind::Builtin)
        {
            let it = self.call(&m, std::slice::from_ref(v))?;
            if self.lookup_special(&it, &intern("__next__")).is_none()
                && it.kind() != Some(Kind::Iter)
                && it.kind() != Some(Kind::Generator)
            {
                return Err(exc::type_error(format!(
                    "iter() returned non-iterator of type '{}'",
                    type_name(&it)
                )));
            }
            return Ok(it);
        }
        Ok(match v.kind() {
            Some(Kind::List) => new_iter(
                &t.list_iterator,
                IterState::List {
                    seq: v.clone(),
                    idx: 0,
                },
            ),
            Some(Kind::Tuple) => new_iter(
                &t.tuple_iterator,
                IterState::Tuple {
                    seq: v.clone(),
                    idx: 0,
                },
            ),
            Some(Kind::Range) => {
                let r = v.downcast::<RangeObj>().unwrap();
                if r.big.is_some() {
                    let (start, _, step) = r.bounds();
                    new_iter(
                        &t.range_iterator,
                        IterState::BigRange {
                            cur: start,
                            step,
                            left: r.big_len(),
                        },
                    )
                } else {
                    new_iter(
                        &t.range_iterator,
                        IterState::Range {
                            cur: r.start,
                            stop: r.stop,
                            step: r.step,
                        },
                    )
                }
            }
            Some(Kind::Str) => new_iter(
                &t.str_iterator,
                IterState::Str {
                    s: v.clone(),
                    pos: 0,
                },
            ),
            Some(Kind::Dict) => {
                let n = v.downcast::<DictObj>().unwrap().len();
                new_iter(
                    &t.dict_keyiterator,
                    IterState::Dict {
                        d: v.clone(),
                        idx: 0,
                        what: DictIterKind::Keys,
                        len: n,
                    },
                )
            }
            Some(Kind::Set) => {
                let n = v.downcast::<SetObj>().unwrap().len();
                new_iter(
                    &t.set_iterator,
                    IterState::Set {
                        s: v.clone(),
                        idx: 0,
                        len: n,
                    },
                )
            }
            Some(Kind::Deque) => {
                let items = v
                    .downcast::<DequeObj>()
                    .unwrap()
                    .with(|d| d.iter().cloned().collect());
                new_iter(&t.deque_iterator, IterState::Snapshot { items, idx: 0 })
            }
            Some(Kind::Iter) => {
                // dict views iterate their dict.
                if let Some((d, what)) = dict_view_state(v) {
                    let n = d.downcast::<DictObj>().unwrap().len();
                    let cls = match what {
                        DictIterKind::Keys => &t.dict_keyiterator,
                        DictIterKind::Values => &t.dict_valueiterator,
                        DictIterKind::Items => &t.dict_itemiterator,
                    };
                    new_iter(
                        cls,
                        IterState::Dict {
                            d,
                            idx: 0,
                            what,
                            len: n,
                        },
                    )
                } else {
                    v.clone()
                }
            }
            Some(Kind::Generator) => v.clone(),
            _ => {
                if let Some(i) = v.downcast::<crate::object::InstanceObj>()
                    && !i.payload.is_undef()
                {
                    let p = i.payload.get();
                    return self.get_iter(&p);
                }
                if user && self.lookup_special(v, &intern("__getitem__")).is_some() {
                    return Ok(new_iter(
                        &t.iterator,
                        IterState::SeqIter {
                            seq: v.clone(),
                            idx: 0,
                        },
                    ));
                }
                return Err(exc::type_error(format!(
                    "'{}' object is not iterable",
                    type_name(v)
                )));
            }
        })
    }

    /// `next(it)`: `None` when exhausted.
    pub fn next(&mut self, it: &Value) -> PyResult<Option<Value>> {
        match it.kind() {
            Some(Kind::Iter) => self.iter_step(it),
            Some(Kind::Generator) => {
                if it.downcast::<GenObj>().unwrap().finished.get() {
                    return Ok(None);
                }
                self.gen_next(it)
            }
            _ => {
                let Some(m) = self.lookup_special(it, &intern("__next__")) else {
                    return Err(exc::type_error(format!(
                        "'{}' object is not an iterator",
                        type_name(it)
                    )));
                };
                match self.call(&m, std::slice::from_ref(it)) {
                    Ok(v) => Ok(Some(v)),
                    Err(e) if exc::matches(&e.0, &types().stop_iteration) => {
                        self.stop_value = crate::interp::eval::stop_value(&e.0);
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// All items of an iterable.
    pub fn collect(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        if let Some(t) = v.downcast::<TupleObj>() {
            return Ok(t.items.to_vec());
        }
        if let Some(l) = v.downcast::<ListObj>()
            && class_of(v).is(&types().list)
        {
            return Ok(l.snapshot());
        }
        let it = self.get_iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.next(&it)? {
            out.push(x);
        }
        Ok(out)
    }

    fn iter_step(&mut self, itv: &Value) -> PyResult<Option<Value>> {
        let it = itv.downcast::<IterObj>().unwrap();
        // Each arm reads or updates the state in short, non-reentrant steps; arms that call
        // Python copy what they need out first.
        macro_rules! st {
            () => {
                // SAFETY: single-threaded; the reference is not held across Python calls.
                unsafe { &mut *it.state.get() }
            };
        }
        match st!() {
            IterState::List { seq, idx } => {
                let l = seq.downcast::<ListObj>().unwrap();
                match l.get(*idx) {
                    Some(v) => {
                        *idx += 1;
                        Ok(Some(v))
                    }
                    None => {
                        *st!() = IterState::Done;
                        Ok(None)
                    }
                }
            }
            IterState::Tuple { seq, idx } => {
                let items = tuple::items(seq).unwrap();
                match items.get(*idx) {
                    Some(v) => {
                        *idx += 1;
                        Ok(Some(v.clone()))
                    }
                    None => Ok(None),
                }
            }
            IterState::Range { cur, stop, step } => {
                if (*step > 0 && *cur < *stop) || (*step < 0 && *cur > *stop) {
                    let v = *cur;
                    // At the i64 edge, the next value is past `stop` anyway.
                    *cur = cur.checked_add(*step).unwrap_or(*stop);
                    Ok(Some(int::from_i64(v)))
                } else {
                    Ok(None)
                }
            }
            IterState::BigRange { cur, step, left } => {
                if num_traits::Zero::is_zero(left) {
                    return Ok(None);
                }
                let v = cur.clone();
                *cur += &*step;
                *left -= 1u32;
                Ok(Some(int::from_bigint(v)))
            }
            IterState::Str { s, pos } => {
                let so = s.downcast::<StrObj>().unwrap();
                match so.s[*pos..].chars().next() {
                    Some(c) => {
                        *pos += c.len_utf8();
                        Ok(Some(crate::runtime::str::from_char(c)))
                    }
                    None => Ok(None),
                }
            }
            IterState::Dict { d, idx, what, len } => {
                let dd = d.downcast::<DictObj>().unwrap();
                if dd.len() != *len {
                    *len = usize::MAX;
                    return Err(exc::runtime_error(
                        "dictionary changed size during iteration",
                    ));
                }
                let n = dd.with(|t| t.entry_count());
                while *idx < n {
                    let i = *idx;
                    *idx += 1;
                    if let Some((k, v, _)) = dd.entry_at(i) {
                        return Ok(Some(match what {
                            DictIterKind::Keys => k,
                            DictIterKind::Values => v,
                            DictIterKind::Items => tuple::new(vec![k, v]),
                        }));
                    }
                }
                Ok(None)
            }
            IterState::Set { s, idx, len } => {
                let so = s.downcast::<SetObj>().unwrap();
                if so.len() != *len {
                    *len = usize::MAX;
                    return Err(exc::runtime_error("Set changed size during iteration"));
                }
                let r = so.with(|t| {
                    while *idx < t.slots() {
                        let i = *idx;
                        *idx += 1;
                        if let Some(k) = t.key_at(i) {
                            return Some(k.clone());
                        }
                    }
                    None
                });
                Ok(r)
            }
            IterState::Snapshot { items, idx } => {
                let r = items.get(*idx).cloned();
                *idx += 1;
                Ok(r)
            }
            IterState::Reversed { seq, idx } => {
                if *idx < 0 {
                    return Ok(None);
                }
                let i = *idx;
                *idx -= 1;
                let seq = seq.clone();
                if let Some(l) = seq.downcast::<ListObj>() {
                    return Ok(l.get(i as usize));
                }
                if let Some(t) = tuple::items(&seq) {
                    return Ok(t.get(i as usize).cloned());
                }
                self.getitem(&seq, &Value::small_int(i as i64)).map(Some)
            }
            IterState::Enumerate { it, n } => {
                let (inner, count) = (it.clone(), n.clone());
                match self.next(&inner)? {
                    Some(v) => {
                        let next = self.binary_op(
                            &count,
                            &Value::small_int(1),
                            jitlens_compiler::bytecode::binop::ADD,
                        )?;
                        if let IterState::Enumerate { n, .. } = st!() {
                            *n = next;
                        }
                        Ok(Some(tuple::new(vec![count, v])))
                    }
                    None => Ok(None),
                }
            }
            IterState::Zip { its, strict } => {
                let (its, strict) = (its.clone(), *strict);
                if its.is_empty() {
                    return Ok(None);
                }
                let mut out = Vec::with_capacity(its.len());
                for (n, i) in its.iter().enumerate() {
                    match self.next(i)? {
                        Some(v) => out.push(v),
                        None => {
                            *st!() = IterState::Done;
                            if strict {
                                let plural = |k: usize| {
                                    if k == 1 {
                                        " 1".to_string()
                                    } else {
                                        format!("s 1-{k}")
                                    }
                                };
                                if n > 0 {
                                    return Err(exc::value_error(format!(
                                        "zip() argument {} is shorter than argument{}",
                                        n + 1,
                                        plural(n)
                                    )));
                                }
                                for (k, other) in its.iter().enumerate().skip(1) {
                                    if self.next(other)?.is_some() {
                                        return Err(exc::value_error(format!(
                                            "zip() argument {} is longer than argument{}",
                                            k + 1,
                                            plural(k)
                                        )));
                                    }
                                }
                            }
                            return Ok(None);
                        }
                    }
                }
                Ok(Some(tuple::new(out)))
            }
            IterState::Map { f, its } => {
                let (f, its) = (f.clone(), its.clone());
                let mut args = Vec::with_capacity(its.len());
                for i in &its {
                    match self.next(i)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                self.call(&f, &args).map(Some)
            }
            IterState::Filter { f, it } => {
                let (f, inner) = (f.clone(), it.clone());
                loop {
                    let Some(v) = self.next(&inner)? else {
                        return Ok(None);
                    };
                    let keep = if f.is_none() {
                        self.truthy(&v)?
                    } else {
                        let r = self.call(&f, std::slice::from_ref(&v))?;
                        self.truthy(&r)?
                    };
                    if keep {
                        return Ok(Some(v));
                    }
                }
            }
            IterState::SeqIter { seq, idx } => {
                let (seq, i) = (seq.clone(), *idx);
                match self.getitem(&seq, &Value::small_int(i)) {
                    Ok(v) => {
                        if let IterState::SeqIter { idx, .. } = st!() {
                            *idx += 1;
                        }
                        Ok(Some(v))
                    }
                    Err(e)
                        if exc::matches(&e.0, &types().index_error)
                            || exc::matches(&e.0, &types().stop_iteration) =>
                    {
                        *st!() = IterState::Done;
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            IterState::Callable { f, sentinel } => {
                let (f, s) = (f.clone(), sentinel.clone());
                let v = self.call(&f, &[])?;
                if self.eq(&v, &s)? {
                    *st!() = IterState::Done;
                    return Ok(None);
                }
                Ok(Some(v))
            }
            IterState::Count { cur, step } => {
                let (c, s) = (cur.clone(), step.clone());
                let next = self.binary_op(&c, &s, jitlens_compiler::bytecode::binop::ADD)?;
                if let IterState::Count { cur, .. } = st!() {
                    *cur = next;
                }
                Ok(Some(c))
            }
            IterState::Islice { it, done, .. } => {
                // CPython's islice_next: stop check, skip up to `next`, stop check, one item.
                if *done {
                    return Ok(None);
                }
                let inner = it.clone();
                macro_rules! fields {
                    () => {
                        match st!() {
                            IterState::Islice {
                                next,
                                stop,
                                step,
                                pos,
                                done,
                                ..
                            } => (next, stop, step, pos, done),
                            _ => return Ok(None),
                        }
                    };
                }
                {
                    let (_, stop, _, pos, done) = fields!();
                    if let Some(s) = *stop
                        && *pos >= s
                    {
                        *done = true;
                        return Ok(None);
                    }
                }
                loop {
                    let (next, _, _, pos, _) = fields!();
                    if *pos >= *next {
                        break;
                    }
                    let v = self.next(&inner)?;
                    let (_, _, _, pos, done) = fields!();
                    match v {
                        None => {
                            *done = true;
                            return Ok(None);
                        }
                        Some(_) => *pos += 1,
                    }
                }
                {
                    let (_, stop, _, pos, done) = fields!();
                    if let Some(s) = *stop
                        && *pos >= s
                    {
                        *done = true;
                        return Ok(None);
                    }
                }
                let v = self.next(&inner)?;
                let (next, stop, step, pos, done) = fields!();
                match v {
                    None => {
                        *done = true;
                        Ok(None)
                    }
                    Some(v) => {
                        *pos += 1;
                        let old = *next;
                        *next = next.saturating_add(*step);
                        if let Some(s) = *stop
                            && (*next < old || *next > s)
                        {
                            *next = s;
                        }
                        Ok(Some(v))
                    }
                }
            }
            IterState::Chain { its, cur } => loop {
                let (outer, inner) = match st!() {
                    IterState::Chain { its, cur } => (its.clone(), cur.clone()),
                    _ => return Ok(None),
                };
                if !inner.is_undef()
                    && let Some(v) = self.next(&inner)?
                {
                    return Ok(Some(v));
                }
                match self.next(&outer)? {
                    Some(next_iterable) => {
                        let ni = self.get_iter(&next_iterable)?;
                        if let IterState::Chain { cur, .. } = st!() {
                            *cur = ni;
                        }
                    }
                    None => {
                        let _ = (&its, &cur);
                        *st!() = IterState::Done;
                        return Ok(None);
                    }
                }
            },
            IterState::Repeat { v, left } => match left {
                Some(0) => Ok(None),
                Some(n) => {
                    *n -= 1;
                    Ok(Some(v.clone()))
                }
                None => Ok(Some(v.clone())),
            },
            IterState::Combinatoric {
                pool,
                kind,
                indices,
                cycles,
                r,
                first,
                done,
                pools,
            } => {
                if *done {
                    return Ok(None);
                }
                let r = *r;
                let n = pool.len();
                match kind {
                    CombKind::Permutations => {
                        if *first {
                            *first = false;
                            if r > n {
                                *done = true;
                                return Ok(None);
                            }
                        } else {
                            let mut found = false;
                            for i in (0..r).rev() {
                                cycles[i] -= 1;
                                if cycles[i] == 0 {
                                    let x = indices.remove(i);
                                    indices.push(x);
                                    cycles[i] = n - i;
                                } else {
                                    let j = cycles[i];
                                    indices.swap(i, n - j);
                                    found = true;
                                    break;
                                }
                            }
                            if !found {
                                *done = true;
                                return Ok(None);
                            }
                        }
                        Ok(Some(tuple::new(
                            indices[..r].iter().map(|&i| pool[i].clone()).collect(),
                        )))
                    }
                    CombKind::Combinations => {
                        if *first {
                            *first = false;
                            if r > n {
                                *done = true;
                                return Ok(None);
                            }
                        } else {
                            let mut i = r;
                            let mut found = false;
                            while i > 0 {
                                i -= 1;
                                if indices[i] != i + n - r {
                                    found = true;
                                    break;
                                }
                            }
                            if !found {
                                *done = true;
                                return Ok(None);
                            }
                            indices[i] += 1;
                            for j in i + 1..r {
                                indices[j] = indices[j - 1] + 1;
                            }
                        }
                        Ok(Some(tuple::new(
                            indices[..r].iter().map(|&i| pool[i].clone()).collect(),
                        )))
                    }
                    CombKind::Product => {
                        if *first {
                            *first = false;
                            if pools.iter().any(|p| p.is_empty()) {
                                *done = true;
                                return Ok(None);
                            }
                        } else {
                            let mut i = pools.len();
                            loop {
                                if i == 0 {
                                    *done = true;
                                    return Ok(None);
                                }
                                i -= 1;
                                indices[i] += 1;
                                if indices[i] < pools[i].len() {
                                    break;
                                }
                                indices[i] = 0;
                            }
                        }
                        Ok(Some(tuple::new(
                            indices
                                .iter()
                                .enumerate()
                                .map(|(k, &i)| pools[k][i].clone())
                                .collect(),
                        )))
                    }
                }
            }
            IterState::Done => Ok(None),
        }
    }

    /// A `reversed()` iterator for sequences.
    pub fn reversed(&mut self, v: &Value) -> PyResult<Value> {
        if let Some(m) = self.lookup_special(v, &intern("__reversed__"))
            && m.kind() != Some(Kind::Builtin)
        {
            return self.call(&m, std::slice::from_ref(v));
        }
        let n = match v.kind() {
            Some(Kind::List) => v.downcast::<ListObj>().unwrap().len() as isize,
            Some(Kind::Tuple) => tuple::items(v).unwrap().len() as isize,
            Some(Kind::Range) => {
                let r = v.downcast::<RangeObj>().unwrap();
                if r.big.is_some() {
                    let (start, _, step) = r.bounds();
                    let n = r.big_len();
                    let last = if num_traits::Zero::is_zero(&n) {
                        start
                    } else {
                        start + (&n - 1u32) * &step
                    };
                    return Ok(new_iter(
                        &types().range_iterator,
                        IterState::BigRange {
                            cur: last,
                            step: -step,
                            left: n,
                        },
                    ));
                }
                let n = r.len();
                let last = r.start + (n - 1) * r.step;
                return Ok(new_iter(
                    &types().range_iterator,
                    IterState::Range {
                        cur: if n == 0 { r.start } else { last },
                        stop: r.start - r.step,
                        step: -r.step,
                    },
                )
                .with_empty(n == 0));
            }
            Some(Kind::Str) => {
                let s: Vec<Value> = as_str(v)
                    .unwrap()
                    .chars()
                    .rev()
                    .map(crate::runtime::str::from_char)
                    .collect();
                return Ok(new_iter(
                    &types().reversed,
                    IterState::Snapshot { items: s, idx: 0 },
                ));
            }
            Some(Kind::Dict) => {
                let mut keys = v.downcast::<DictObj>().unwrap().keys();
                keys.reverse();
                return Ok(new_iter(
                    &types().reversed,
                    IterState::Snapshot {
                        items: keys,
                        idx: 0,
                    },
                ));
            }
            Some(Kind::Iter) if let Some((d, what)) = dict_view_state(v) => {
                let d = d.downcast::<DictObj>().unwrap();
                let mut items: Vec<Value> = match what {
                    DictIterKind::Keys => d.keys(),
                    DictIterKind::Values => d.values(),
                    DictIterKind::Items => d
                        .items()
                        .into_iter()
                        .map(|(k, v)| tuple::new(vec![k, v]))
                        .collect(),
                };
                items.reverse();
                return Ok(new_iter(
                    &types().reversed,
                    IterState::Snapshot { items, idx: 0 },
                ));
            }
            Some(Kind::Deque) => {
                let items: Vec<Value> = v
                    .downcast::<DequeObj>()
                    .unwrap()
                    .with(|d| d.iter().rev().cloned().collect());
                return Ok(new_iter(
                    &types().reversed,
                    IterState::Snapshot { items, idx: 0 },
                ));
            }
            _ => {
                let len = self.lookup_special(v, &intern("__len__"));
                match (len, self.lookup_special(v, &intern("__getitem__"))) {
                    (Some(l), Some(_)) => {
                        let n = self.call(&l, std::slice::from_ref(v))?;
                        int::as_i64(&n).unwrap_or(0) as isize
                    }
                    _ => {
                        return Err(exc::type_error(format!(
                            "'{}' object is not reversible",
                            type_name(v)
                        )));
                    }
                }
            }
        };
        Ok(new_iter(
            &types().reversed,
            IterState::Reversed {
                seq: v.clone(),
                idx: n - 1,
            },
        ))
    }
}

/// The dict and kind of a dict view (`dict_keys`, `dict_values`, `dict_items`), else `None`.
fn dict_view_state(v: &Value) -> Option<(Value, DictIterKind)> {
    let t = types();
    let c = class_of(v);
    if !(c.is(&t.dict_keys) || c.is(&t.dict_values) || c.is(&t.dict_items)) {
        return None;
    }
    let it = v.downcast::<IterObj>()?;
    // SAFETY: short read of the view's state.
    match unsafe { &*it.state.get() } {
        IterState::Dict { d, what, .. } => Some((d.clone(), *what)),
        _ => None,
    }
}

trait WithEmpty {
    fn with_empty(self, empty: bool) -> Value;
}

impl WithEmpty for Value {
    fn with_empty(self, empty: bool) -> Value {
        if empty {
            let it = self.downcast::<IterObj>().unwrap();
            // SAFETY: the iterator was just created and is not shared.
            unsafe { *it.state.get() = IterState::Done };
        }
        self
    }
}
