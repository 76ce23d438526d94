//! Methods of `list` and `tuple`.

use crate::interp::args::Args;
use crate::object::{ListObj, TupleObj};
use crate::runtime::class::add_method;
use crate::runtime::{exc, int, list, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::{binop, cmpop};

/// Registers the methods.
pub fn init(_vm: &mut Vm) {
    let l = &types().list;
    add_method(l, "append", append);
    add_method(l, "extend", extend);
    add_method(l, "insert", insert);
    add_method(l, "pop", pop);
    add_method(l, "remove", remove);
    add_method(l, "index", index);
    add_method(l, "count", count);
    add_method(l, "reverse", reverse);
    add_method(l, "sort", sort);
    add_method(l, "copy", copy);
    add_method(l, "clear", clear);
    add_method(l, "__len__", len);
    add_method(l, "__getitem__", getitem);
    add_method(l, "__setitem__", setitem);
    add_method(l, "__delitem__", delitem);
    add_method(l, "__contains__", contains);
    add_method(l, "__iter__", iter);
    add_method(l, "__add__", add);
    add_method(l, "__iadd__", iadd);
    add_method(l, "__mul__", mul);
    add_method(l, "__eq__", eq);
    add_method(l, "__ne__", ne);
    add_method(l, "__lt__", lt);
    add_method(l, "__repr__", repr);
    let t = &types().tuple;
    add_method(t, "index", index);
    add_method(t, "count", count);
    add_method(t, "__len__", len);
    add_method(t, "__getitem__", getitem);
    add_method(t, "__contains__", contains);
    add_method(t, "__iter__", iter);
    add_method(t, "__add__", add);
    add_method(t, "__mul__", mul);
    add_method(t, "__eq__", eq);
    add_method(t, "__lt__", lt);
    add_method(t, "__hash__", hash);
    add_method(t, "__repr__", repr);
}

fn this<'a>(a: &'a Args, name: &str) -> PyResult<&'a ListObj> {
    a.all
        .first()
        .and_then(|v| v.downcast::<ListObj>())
        .ok_or_else(|| {
            let got = a.all.first().map(type_name).unwrap_or_default();
            exc::type_error(format!(
                "descriptor '{name}' for 'list' objects doesn't apply to a '{got}' object"
            ))
        })
}

fn items_of(a: &Args) -> Vec<Value> {
    let v = &a.all[0];
    if let Some(t) = v.downcast::<TupleObj>() {
        return t.items.to_vec();
    }
    if let Some(l) = v.downcast::<ListObj>() {
        return l.snapshot();
    }
    if let Some(i) = v.downcast::<crate::object::InstanceObj>() {
        let p = i.payload.get();
        if let Some(t) = p.downcast::<TupleObj>() {
            return t.items.to_vec();
        }
    }
    Vec::new()
}

fn append(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("append", 2, 2).map_err(|_| {
        exc::type_error(format!(
            "list.append() takes exactly one argument ({} given)",
            a.npos() - 1
        ))
    })?;
    this(a, "append")?.push(a.arg(1).clone());
    Ok(Value::NONE)
}

fn extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("extend", 2, 2)?;
    let l = this(a, "extend")?;
    let items = vm.collect(a.arg(1))?;
    l.with(|v| v.extend(items));
    Ok(Value::NONE)
}

fn insert(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.npos() != 3 {
        return Err(exc::type_error(format!(
            "insert expected 2 arguments, got {}",
            a.npos() - 1
        )));
    }
    let l = this(a, "insert")?;
    let i = int::as_i64(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(a.arg(1))
        ))
    })?;
    let x = a.arg(2).clone();
    l.with(|v| {
        let n = v.len() as i64;
        let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
        v.insert(j as usize, x);
    });
    Ok(Value::NONE)
}

fn pop(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("pop", 1, 2)?;
    let l = this(a, "pop")?;
    let i = match a.pos().get(1) {
        Some(v) => int::as_i64(v).ok_or_else(|| {
            exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(v)
            ))
        })?,
        None => -1,
    };
    l.with(|v| {
        if v.is_empty() {
            return Err(exc::index_error("pop from empty list"));
        }
        let n = v.len() as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(exc::index_error("pop index out of range"));
        }
        Ok(v.remove(j as usize))
    })
}

fn find(vm: &mut Vm, items: &[Value], x: &Value) -> PyResult<Option<usize>> {
    for (i, y) in items.iter().enumerate() {
        if y.is(x) && !y.is_float() || vm.eq(y, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("remove", 2, 2)?;
    let l = this(a, "remove")?;
    let items = l.snapshot();
    match find(vm, &items, a.arg(1))? {
        Some(i) => {
            let old = l.with(|v| if i < v.len() { Some(v.remove(i)) } else { None });
            drop(old);
            Ok(Value::NONE)
        }
        None => Err(exc::value_error("list.remove(x): x not in list")),
    }
}

fn index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("index", 2, 4)?;
    let items = items_of(a);
    let n = items.len() as i64;
    let norm = |v: Option<&Value>, d: i64| -> i64 {
        match v.and_then(int::as_i64) {
            Some(i) if i < 0 => (i + n).max(0),
            Some(i) => i.min(n),
            None => d,
        }
    };
    let start = norm(a.pos().get(2), 0) as usize;
    let stop = norm(a.pos().get(3), n) as usize;
    if start < stop
        && let Some(i) = find(vm, &items[start..stop], a.arg(1))?
    {
        return Ok(int::from_i64((i + start) as i64));
    }
    if a.all[0].downcast::<TupleObj>().is_some() {
        return Err(exc::value_error("tuple.index(x): x not in tuple"));
    }
    let r = vm.repr(a.arg(1))?;
    Err(exc::value_error(format!("{r} is not in list")))
}

fn count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("count", 2, 2)?;
    let items = items_of(a);
    let mut n = 0;
    for y in &items {
        if y.is(a.arg(1)) && !y.is_float() || vm.eq(y, a.arg(1))? {
            n += 1;
        }
    }
    Ok(int::from_i64(n))
}

fn reverse(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    this(a, "reverse")?.with(|v| v.reverse());
    Ok(Value::NONE)
}

fn sort(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("sort", &["key", "reverse"])?;
    if a.npos() != 1 {
        return Err(exc::type_error("sort() takes no positional arguments"));
    }
    let l = this(a, "sort")?;
    // Like CPython, the list is empty while it is being sorted.
    let items = l.take();
    let key = a.kw("key").filter(|k| !k.is_none());
    let reverse = match a.kw("reverse") {
        Some(r) => vm.truthy(r)?,
        None => false,
    };
    let r = crate::builtins::functions::sort_values(vm, items.clone(), key, reverse);
    let modified = !l.is_empty();
    match r {
        Ok(sorted) => {
            l.replace(sorted);
            if modified {
                return Err(exc::value_error("list modified during sort"));
            }
            Ok(Value::NONE)
        }
        Err(e) => {
            l.replace(items);
            Err(e)
        }
    }
}

fn copy(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(list::new(this(a, "copy")?.snapshot()))
}

fn clear(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    drop(this(a, "clear")?.take());
    Ok(Value::NONE)
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = match a.all[0].downcast::<ListObj>() {
        Some(l) => l.len(),
        None => items_of(a).len(),
    };
    let _ = vm;
    Ok(int::from_i64(n as i64))
}

fn base_value(a: &Args) -> Value {
    // A plain list/tuple view of self (unwraps tuple-subclass payloads).
    let v = &a.all[0];
    if let Some(i) = v.downcast::<crate::object::InstanceObj>()
        && !i.payload.is_undef()
    {
        return i.payload.get();
    }
    v.clone()
}

fn native_view(a: &Args) -> Value {
    // For list subclasses: a plain list with the same items, so generic ops skip user dunders.
    let v = base_value(a);
    if let Some(l) = v.downcast::<ListObj>()
        && !crate::runtime::class_of(&v).is(&types().list)
    {
        return list::new(l.snapshot());
    }
    v
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__getitem__", 2, 2)?;
    let v = native_view(a);
    vm.getitem(&v, a.arg(1))
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__setitem__", 3, 3)?;
    let l = this(a, "__setitem__")?;
    let tmp = list::new(l.take());
    let r = vm.setitem(&tmp, a.arg(1), a.arg(2).clone());
    l.replace(tmp.downcast::<ListObj>().unwrap().take());
    r.map(|_| Value::NONE)
}

fn delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__delitem__", 2, 2)?;
    let l = this(a, "__delitem__")?;
    let tmp = list::new(l.take());
    let r = vm.delitem(&tmp, a.arg(1));
    l.replace(tmp.downcast::<ListObj>().unwrap().take());
    r.map(|_| Value::NONE)
}

fn contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__contains__", 2, 2)?;
    let v = native_view(a);
    Ok(Value::bool(vm.contains(&v, a.arg(1))?))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = base_value(a);
    if v.downcast::<ListObj>().is_some() {
        return Ok(crate::runtime::iter::new_iter(
            &types().list_iterator,
            crate::object::IterState::List { seq: v, idx: 0 },
        ));
    }
    vm.get_iter(&v)
}

fn add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__add__", 2, 2)?;
    let v = native_view(a);
    vm.binary_op(&v, a.arg(1), binop::ADD)
}

fn iadd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__iadd__", 2, 2)?;
    let items = vm.collect(a.arg(1))?;
    this(a, "__iadd__")?.with(|v| v.extend(items));
    Ok(a.arg(0).clone())
}

fn mul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__mul__", 2, 2)?;
    let v = native_view(a);
    vm.binary_op(&v, a.arg(1), binop::MULTIPLY)
}

fn cmp(vm: &mut Vm, a: &Args, op: u32) -> PyResult<Value> {
    a.check("comparison", 2, 2)?;
    let v = native_view(a);
    let w = a.arg(1);
    let w = if w.downcast::<ListObj>().is_some() && !crate::runtime::class_of(w).is(&types().list) {
        list::new(w.downcast::<ListObj>().unwrap().snapshot())
    } else {
        w.clone()
    };
    if v.kind() != w.kind() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    vm.compare(&v, &w, op)
}

fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp(vm, a, cmpop::EQ)
}

fn ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp(vm, a, cmpop::NE)
}

fn lt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp(vm, a, cmpop::LT)
}

fn hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = base_value(a);
    Ok(int::from_i64(vm.hash(&v)?))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = native_view(a);
    Ok(crate::runtime::str::from_string(vm.repr(&v)?))
}

#[allow(dead_code)]
fn _t() -> Value {
    tuple::new(vec![])
}

/// Methods of `range` and `slice`.
pub fn init_range(_vm: &mut Vm) {
    add_method(&types().range, "index", range_index);
    add_method(&types().range, "count", range_count);
    add_method(&types().slice, "indices", slice_indices);
}

fn range_find(a: &Args) -> Option<num_bigint::BigInt> {
    let r = a.arg(0).downcast::<crate::object::RangeObj>()?;
    let x = a.arg(1);
    if !int::is_int(x) {
        return None;
    }
    crate::runtime::ops::range_find(r, &int::to_bigint(x)?)
}

fn range_index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("index", 2, 2)?;
    match range_find(a) {
        Some(i) => Ok(int::from_bigint(i)),
        None => {
            let r = vm.repr(a.arg(1))?;
            Err(exc::value_error(format!("{r} is not in range")))
        }
    }
}

fn range_count(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("count", 2, 2)?;
    Ok(Value::small_int(range_find(a).is_some() as i64))
}

fn slice_indices(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("indices", 2, 2)?;
    let s = a
        .arg(0)
        .downcast::<crate::object::SliceObj>()
        .ok_or_else(|| exc::type_error("expected a slice"))?;
    let n = int::as_i64(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(a.arg(1))
        ))
    })?;
    if n < 0 {
        return Err(exc::value_error("length should not be negative"));
    }
    let (start, stop, step, _) = crate::runtime::ops::slice_indices(vm, s, n)?;
    Ok(tuple::new(vec![
        int::from_i64(start),
        int::from_i64(stop),
        int::from_i64(step),
    ]))
}
