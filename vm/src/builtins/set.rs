//! Methods of `set` and `frozenset`.

use crate::interp::args::Args;
use crate::object::SetObj;
use crate::runtime::class::add_method;
use crate::runtime::{exc, int, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::{binop, cmpop};

/// Registers the methods.
pub fn init(_vm: &mut Vm) {
    for c in [&types().set, &types().frozenset] {
        add_method(c, "union", union);
        add_method(c, "intersection", intersection);
        add_method(c, "difference", difference);
        add_method(c, "symmetric_difference", symmetric_difference);
        add_method(c, "issubset", issubset);
        add_method(c, "issuperset", issuperset);
        add_method(c, "isdisjoint", isdisjoint);
        add_method(c, "copy", copy);
        add_method(c, "__len__", len);
        add_method(c, "__contains__", contains);
    }
    let s = &types().set;
    add_method(s, "add", add);
    add_method(s, "remove", remove);
    add_method(s, "discard", discard);
    add_method(s, "pop", pop);
    add_method(s, "clear", clear);
    add_method(s, "update", update);
    add_method(s, "intersection_update", intersection_update);
    add_method(s, "difference_update", difference_update);
    add_method(
        s,
        "symmetric_difference_update",
        symmetric_difference_update,
    );
}

fn this<'a>(a: &'a Args, name: &str) -> PyResult<&'a SetObj> {
    a.all
        .first()
        .and_then(|v| v.downcast::<SetObj>())
        .ok_or_else(|| {
            let got = a.all.first().map(type_name).unwrap_or_default();
            exc::type_error(format!(
                "descriptor '{name}' for 'set' objects doesn't apply to a '{got}' object"
            ))
        })
}

/// Any iterable as a set value.
fn as_set(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if v.downcast::<SetObj>().is_some() {
        return Ok(v.clone());
    }
    let s = crate::object::alloc(&types().set, SetObj::new(false));
    vm.set_update(&s, v)?;
    Ok(s)
}

fn fold(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    this(a, name)?;
    let mut acc = {
        let out = vm.empty_set_like(a.arg(0));
        vm.set_update(&out, a.arg(0))?;
        out
    };
    for o in &a.pos()[1..] {
        let o = as_set(vm, o)?;
        acc = vm.set_binop(&acc, &o, op, false)?;
    }
    Ok(acc)
}

fn union(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    fold(vm, a, "union", binop::OR)
}

fn intersection(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    fold(vm, a, "intersection", binop::AND)
}

fn difference(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    fold(vm, a, "difference", binop::SUBTRACT)
}

fn symmetric_difference(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("symmetric_difference", 2, 2)?;
    fold(vm, a, "symmetric_difference", binop::XOR)
}

fn update_with(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    this(a, name)?;
    for o in &a.pos()[1..] {
        if op == binop::OR {
            vm.set_update(a.arg(0), o)?;
        } else {
            let o = as_set(vm, o)?;
            vm.set_binop(a.arg(0), &o, op, true)?;
        }
    }
    Ok(Value::NONE)
}

fn update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    update_with(vm, a, "update", binop::OR)
}

fn intersection_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    update_with(vm, a, "intersection_update", binop::AND)
}

fn difference_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    update_with(vm, a, "difference_update", binop::SUBTRACT)
}

fn symmetric_difference_update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    update_with(vm, a, "symmetric_difference_update", binop::XOR)
}

fn issubset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("issubset", 2, 2)?;
    let o = as_set(vm, a.arg(1))?;
    Ok(Value::bool(vm.set_compare(a.arg(0), &o, cmpop::LE)?))
}

fn issuperset(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("issuperset", 2, 2)?;
    let o = as_set(vm, a.arg(1))?;
    Ok(Value::bool(vm.set_compare(a.arg(0), &o, cmpop::GE)?))
}

fn isdisjoint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("isdisjoint", 2, 2)?;
    for x in vm.collect(a.arg(1))? {
        if vm.set_contains(a.arg(0), &x)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

fn copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    this(a, "copy")?;
    let out = vm.empty_set_like(a.arg(0));
    vm.set_update(&out, a.arg(0))?;
    Ok(out)
}

fn len(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(int::from_i64(this(a, "__len__")?.len() as i64))
}

fn contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__contains__", 2, 2)?;
    Ok(Value::bool(vm.set_contains(a.arg(0), a.arg(1))?))
}

fn add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("add", 2, 2)?;
    this(a, "add")?;
    vm.set_add(a.arg(0), a.arg(1).clone())?;
    Ok(Value::NONE)
}

fn remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("remove", 2, 2)?;
    let s = this(a, "remove")?;
    let h = vm.hash(a.arg(1))?;
    if !s.discard(a.arg(1), h, &mut |x, y| vm.eq(x, y))? {
        return Err(exc::key_error(a.arg(1).clone()));
    }
    Ok(Value::NONE)
}

fn discard(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("discard", 2, 2)?;
    let s = this(a, "discard")?;
    let h = vm.hash(a.arg(1))?;
    s.discard(a.arg(1), h, &mut |x, y| vm.eq(x, y))?;
    Ok(Value::NONE)
}

fn pop(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(a, "pop")?;
    s.with(|t| t.pop())
        .ok_or_else(|| exc::key_error(crate::runtime::str::new_str("pop from an empty set")))
}

fn clear(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let s = this(a, "clear")?;
    drop(s.with(|t| t.take_all()));
    Ok(Value::NONE)
}
