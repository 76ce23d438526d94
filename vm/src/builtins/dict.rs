//! Methods of `dict` (and the dict views).

use crate::interp::args::Args;
use crate::object::{self, DictIterKind, DictObj, IterObj, IterState};
use crate::runtime::class::{add_attr, add_classmethod, add_method};
use crate::runtime::iter::new_iter;
use crate::runtime::{exc, int, list, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};

/// Registers the methods.
pub fn init(_vm: &mut Vm) {
    let d = &types().dict;
    add_method(d, "get", get);
    add_method(d, "keys", keys);
    add_method(d, "values", values);
    add_method(d, "items", items);
    add_method(d, "setdefault", setdefault);
    add_method(d, "pop", pop);
    add_method(d, "popitem", popitem);
    add_method(d, "update", update);
    add_method(d, "copy", copy);
    add_method(d, "clear", clear);
    add_classmethod(d, "fromkeys", fromkeys);
    add_method(d, "__getitem__", getitem);
    add_method(d, "__setitem__", setitem);
    add_method(d, "__delitem__", delitem);
    add_method(d, "__contains__", contains);
    add_method(d, "__len__", len);
    add_method(d, "__iter__", iter);
    add_method(d, "__eq__", eq);
    add_method(d, "__repr__", repr);
    add_attr(d, "__hash__", Value::NONE);
    add_attr(&types().list, "__hash__", Value::NONE);
    add_attr(&types().set, "__hash__", Value::NONE);
    for v in [
        &types().dict_keys,
        &types().dict_values,
        &types().dict_items,
    ] {
        add_method(v, "__len__", view_len);
        add_method(v, "__iter__", view_iter);
        add_method(v, "__contains__", view_contains);
    }
    add_method(&types().dict_keys, "isdisjoint", view_isdisjoint);
}

fn this<'a>(a: &'a Args, name: &str) -> PyResult<&'a DictObj> {
    a.all
        .first()
        .and_then(|v| v.downcast::<DictObj>())
        .ok_or_else(|| {
            let got = a.all.first().map(type_name).unwrap_or_default();
            exc::type_error(format!(
                "descriptor '{name}' for 'dict' objects doesn't apply to a '{got}' object"
            ))
        })
}

fn get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("get", 2, 3)?;
    let d = this(a, "get")?;
    Ok(vm
        .dict_get(d, a.arg(1))?
        .unwrap_or_else(|| a.pos().get(2).cloned().unwrap_or(Value::NONE)))
}

fn view(a: &Args, cls: &Value, what: DictIterKind) -> PyResult<Value> {
    this(a, "keys")?;
    Ok(new_iter(
        cls,
        IterState::Dict {
            d: a.arg(0).clone(),
            idx: 0,
            what,
            len: 0,
        },
    ))
}

fn keys(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    view(a, &types().dict_keys, DictIterKind::Keys)
}

fn values(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    view(a, &types().dict_values, DictIterKind::Values)
}

fn items(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    view(a, &types().dict_items, DictIterKind::Items)
}

fn setdefault(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("setdefault", 2, 3)?;
    let d = this(a, "setdefault")?;
    if let Some(v) = vm.dict_get(d, a.arg(1))? {
        return Ok(v);
    }
    let v = a.pos().get(2).cloned().unwrap_or(Value::NONE);
    vm.dict_set(a.arg(0), a.arg(1).clone(), v.clone())?;
    Ok(v)
}

fn pop(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("pop", 2, 3)?;
    let d = this(a, "pop")?;
    let h = vm.hash(a.arg(1))?;
    match d.remove(a.arg(1), h, &mut |x, y| vm.eq(x, y))? {
        Some(v) => Ok(v),
        None => match a.pos().get(2) {
            Some(dflt) => Ok(dflt.clone()),
            None => Err(exc::key_error(a.arg(1).clone())),
        },
    }
}

fn popitem(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = this(a, "popitem")?;
    match d.with(|t| t.pop_last()) {
        Some((k, v)) => Ok(tuple::new(vec![k, v])),
        None => Err(exc::key_error(crate::runtime::str::new_str(
            "popitem(): dictionary is empty",
        ))
        .with_str_arg()),
    }
}

trait WithStrArg {
    fn with_str_arg(self) -> crate::PyErr;
}
impl WithStrArg for crate::PyErr {
    fn with_str_arg(self) -> crate::PyErr {
        self
    }
}

fn update(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("update", 1, 2)?;
    this(a, "update")?;
    let d = a.arg(0).clone();
    crate::builtins::constructors::dict_fill(
        vm,
        &d,
        a.pos().get(1),
        &Args {
            all: &a.all[1..],
            kwnames: a.kwnames,
        },
    )?;
    Ok(Value::NONE)
}

fn copy(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    this(a, "copy")?;
    vm.dict_copy(a.arg(0))
}

fn clear(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    this(a, "clear")?.clear_all();
    Ok(Value::NONE)
}

fn fromkeys(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("fromkeys", 2, 3)?;
    let cls = a.arg(0);
    let d = vm.call(cls, &[])?;
    let v = a.pos().get(2).cloned().unwrap_or(Value::NONE);
    for k in vm.collect(a.arg(1))? {
        vm.dict_set(&d, k, v.clone())?;
    }
    Ok(d)
}

fn plain(a: &Args) -> Value {
    // A plain dict sharing nothing with user dunders: operate on the storage directly.
    a.arg(0).clone()
}

fn getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__getitem__", 2, 2)?;
    let d = this(a, "__getitem__")?;
    match vm.dict_get(d, a.arg(1))? {
        Some(v) => Ok(v),
        None => {
            let me = plain(a);
            if let Some(m) = vm.lookup_special(&me, &crate::runtime::str::intern("__missing__"))
                && m.kind() != Some(object::Kind::Builtin)
            {
                return vm.call(&m, &[me, a.arg(1).clone()]);
            }
            Err(exc::key_error(a.arg(1).clone()))
        }
    }
}

fn setitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__setitem__", 3, 3)?;
    let d = this(a, "__setitem__")?;
    let h = vm.hash(a.arg(1))?;
    d.insert(a.arg(1).clone(), h, a.arg(2).clone(), &mut |x, y| {
        vm.eq(x, y)
    })?;
    Ok(Value::NONE)
}

fn delitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__delitem__", 2, 2)?;
    let d = this(a, "__delitem__")?;
    let h = vm.hash(a.arg(1))?;
    match d.remove(a.arg(1), h, &mut |x, y| vm.eq(x, y))? {
        Some(_) => Ok(Value::NONE),
        None => Err(exc::key_error(a.arg(1).clone())),
    }
}

fn contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__contains__", 2, 2)?;
    let d = this(a, "__contains__")?;
    Ok(Value::bool(vm.dict_get(d, a.arg(1))?.is_some()))
}

fn len(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(int::from_i64(this(a, "__len__")?.len() as i64))
}

fn iter(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let n = this(a, "__iter__")?.len();
    Ok(new_iter(
        &types().dict_keyiterator,
        IterState::Dict {
            d: a.arg(0).clone(),
            idx: 0,
            what: DictIterKind::Keys,
            len: n,
        },
    ))
}

fn eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__eq__", 2, 2)?;
    if a.arg(1).downcast::<DictObj>().is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let x = vm.dict_copy(a.arg(0))?;
    let y = vm.dict_copy(a.arg(1))?;
    vm.compare(&x, &y, jitlens_compiler::bytecode::cmpop::EQ)
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = vm.dict_copy(a.arg(0))?;
    Ok(crate::runtime::str::from_string(vm.repr(&x)?))
}

fn view_dict(a: &Args) -> (Value, DictIterKind) {
    let it = a.arg(0).downcast::<IterObj>().unwrap();
    // SAFETY: short read of the view's state; no Python code runs meanwhile.
    match unsafe { &*it.state.get() } {
        IterState::Dict { d, what, .. } => (d.clone(), *what),
        _ => (Value::NONE, DictIterKind::Keys),
    }
}

fn view_len(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = view_dict(a);
    Ok(int::from_i64(
        d.downcast::<DictObj>().map_or(0, |d| d.len()) as i64,
    ))
}

fn view_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    vm.get_iter(a.arg(0))
}

fn view_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, what) = view_dict(a);
    let dd = d.downcast::<DictObj>().unwrap();
    match what {
        DictIterKind::Keys => Ok(Value::bool(vm.dict_get(dd, a.arg(1))?.is_some())),
        DictIterKind::Values => {
            for v in dd.values() {
                if vm.eq(&v, a.arg(1))? {
                    return Ok(Value::TRUE);
                }
            }
            Ok(Value::FALSE)
        }
        DictIterKind::Items => {
            let Some(kv) = tuple::items(a.arg(1))
                .filter(|t| t.len() == 2)
                .map(|t| t.to_vec())
            else {
                return Ok(Value::FALSE);
            };
            match vm.dict_get(dd, &kv[0])? {
                Some(v) => Ok(Value::bool(vm.eq(&v, &kv[1])?)),
                None => Ok(Value::FALSE),
            }
        }
    }
}

fn view_isdisjoint(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (d, _) = view_dict(a);
    let dd = d.downcast::<DictObj>().unwrap();
    for x in vm.collect(a.arg(1))? {
        if vm.dict_get(dd, &x)?.is_some() {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

#[allow(dead_code)]
fn _l() -> Value {
    list::new(vec![])
}
