//! Constructors of the builtin types (`int(x)`, `list(it)`, `range(…)`, `enumerate(…)`, …)
//! and their `__init__`s for subclasses.

use crate::interp::args::Args;
use crate::object::{
    self, ClassMethodObj, ClassObj, DequeObj, DictObj, ExcObj, InstanceObj, IterState, Kind,
    ListObj, NewFn, PropertyObj, RangeObj, SetObj, SliceObj, Slot, StaticMethodObj,
};
use crate::runtime::class::add_method;
use crate::runtime::iter::new_iter;
use crate::runtime::str::{as_str, from_string, intern};
use crate::runtime::{exc, int, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::UnsafeCell;

fn set_new(cls: &Value, f: NewFn) {
    cls.downcast::<ClassObj>().unwrap().new.set(Some(f));
}

/// Installs the constructors.
pub fn init(_vm: &mut Vm) {
    let t = types();
    set_new(&t.type_, new_type);
    set_new(&t.int, new_int);
    set_new(&t.bool_, new_bool);
    set_new(&t.float, new_float);
    set_new(&t.str, new_str_);
    set_new(&t.tuple, new_tuple);
    set_new(&t.list, new_list);
    set_new(&t.dict, new_dict);
    set_new(&t.defaultdict, new_defaultdict);
    set_new(&t.set, new_set);
    set_new(&t.frozenset, new_frozenset);
    set_new(&t.range, new_range);
    set_new(&t.slice, new_slice);
    set_new(&t.property, new_property);
    set_new(&t.classmethod, new_classmethod);
    set_new(&t.staticmethod, new_staticmethod);
    set_new(&t.super_, new_super);
    set_new(&t.enumerate, new_enumerate);
    set_new(&t.zip, new_zip);
    set_new(&t.map, new_map);
    set_new(&t.filter, new_filter);
    set_new(&t.reversed, new_reversed);
    set_new(&t.deque, new_deque);
    set_new(&t.base_exception, new_exception);
    set_new(&t.os_error, new_exception);
    add_method(&t.list, "__init__", list_init);
    add_method(&t.dict, "__init__", dict_init);
    add_method(&t.base_exception, "__init__", exception_init);
    add_method(&t.defaultdict, "__init__", defaultdict_init);
}

/// Wraps a builtin value for an instance of a user subclass of an immutable builtin.
fn wrap(cls: &Value, base: &Value, v: Value) -> Value {
    if cls.is(base) {
        return v;
    }
    let c = cls.downcast::<ClassObj>().unwrap();
    let slots = object::Slots::new(c.nslots.get());
    object::alloc(
        cls,
        InstanceObj {
            dict: Slot::default(),
            values: object::Values::default(),
            slots,
            payload: Slot::new(v),
        },
    )
}

/// `int(x)` / `int(s, base)`.
pub fn int_of(vm: &mut Vm, v: &Value, base: Option<&Value>) -> PyResult<Value> {
    if let Some(b) = base {
        let b = int::as_i64(b).unwrap_or(10);
        let Some(s) = as_str(v) else {
            return Err(exc::type_error(
                "int() can't convert non-string with explicit base",
            ));
        };
        if !(b == 0 || (2..=36).contains(&b)) {
            return Err(exc::value_error("int() base must be >= 2 and <= 36, or 0"));
        }
        return match int::parse(s, b as u32) {
            Some(n) => Ok(int::from_bigint(n)),
            None => Err(exc::value_error(format!(
                "invalid literal for int() with base {b}: {}",
                crate::runtime::repr::str_repr(s)
            ))),
        };
    }
    if v.is_small_int() {
        return Ok(v.clone());
    }
    if let Some(f) = v.as_float() {
        return int::from_float(f);
    }
    if int::is_int(v) {
        return Ok(int::from_bigint(int::to_bigint(v).unwrap()));
    }
    if let Some(s) = as_str(v) {
        return match int::parse(s, 10) {
            Some(n) => Ok(int::from_bigint(n)),
            None => Err(exc::value_error(format!(
                "invalid literal for int() with base 10: {}",
                crate::runtime::repr::str_repr(s)
            ))),
        };
    }
    for name in ["__int__", "__index__", "__trunc__"] {
        if let Some(m) = vm.lookup_special(v, &intern(name))
            && m.kind() != Some(Kind::Builtin)
        {
            return vm.call(&m, std::slice::from_ref(v));
        }
    }
    Err(exc::type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        type_name(v)
    )))
}

/// `type.__new__(meta, name, bases, namespace)`: a class whose metaclass is `meta` (a
/// subclass of `type` calling up, or called as a metaclass with no `__new__` of its own).
fn new_type(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if a.npos() != 3 {
        return Err(exc::type_error("type.__new__() takes exactly 3 arguments"));
    }
    let c = vm.type_new(cls, a)?;
    if !cls.is(&types().type_) {
        object::set_class(&c, cls);
    }
    Ok(c)
}

fn new_int(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("int", &["base"])?;
    if a.all.len() > 2 {
        return Err(exc::type_error(format!(
            "int() takes at most 2 arguments ({} given)",
            a.all.len()
        )));
    }
    let v = if a.npos() == 0 {
        Value::small_int(0)
    } else {
        int_of(vm, a.arg(0), a.get(1, "base"))?
    };
    Ok(wrap(cls, &types().int, v))
}

fn new_bool(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.check("bool", 0, 1)?;
    if a.npos() == 0 {
        return Ok(Value::FALSE);
    }
    Ok(Value::bool(vm.truthy(a.arg(0))?))
}

/// `float(x)`.
pub fn float_of(vm: &mut Vm, v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if int::is_int(v) && v.kind() != Some(Kind::Instance) {
        return crate::runtime::ops::to_f64(v);
    }
    if let Some(s) = as_str(v) {
        let trimmed = s.trim();
        let b = trimmed.as_bytes();
        // An underscore is only allowed between two digits.
        let bad_underscore = (0..b.len()).any(|i| {
            b[i] == b'_'
                && !(i > 0
                    && i + 1 < b.len()
                    && b[i - 1].is_ascii_digit()
                    && b[i + 1].is_ascii_digit())
        });
        let t = trimmed.replace('_', "");
        let lower = t.to_ascii_lowercase();
        let parsed = if bad_underscore {
            None
        } else {
            match lower.as_str() {
                "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                _ if lower.contains("inf") || lower.contains("nan") => None,
                _ => t.parse::<f64>().ok(),
            }
        };
        return parsed.ok_or_else(|| {
            exc::value_error(format!(
                "could not convert string to float: {}",
                crate::runtime::repr::str_repr(s)
            ))
        });
    }
    if let Some(m) = vm.lookup_special(v, &intern("__float__"))
        && m.kind() != Some(Kind::Builtin)
    {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        return r
            .as_float()
            .ok_or_else(|| exc::type_error("__float__ returned non-float"));
    }
    if let Some(i) = v.downcast::<InstanceObj>()
        && !i.payload.is_undef()
    {
        let p = i.payload.get();
        return float_of(vm, &p);
    }
    Err(exc::type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        type_name(v)
    )))
}

fn new_float(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.check("float", 0, 1)?;
    let f = if a.npos() == 0 {
        0.0
    } else {
        float_of(vm, a.arg(0))?
    };
    Ok(wrap(cls, &types().float, Value::float(f)))
}

fn new_str_(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if a.all.len() > 3 {
        return Err(exc::type_error(format!(
            "str() takes at most 3 arguments ({} given)",
            a.all.len()
        )));
    }
    let v = if a.npos() == 0 {
        crate::runtime::str::new_str("")
    } else {
        vm.str_value(a.arg(0))?
    };
    Ok(wrap(cls, &types().str, v))
}

fn new_tuple(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.check("tuple", 0, 1)?;
    let v = if a.npos() == 0 {
        tuple::new(vec![])
    } else if a.arg(0).kind() == Some(Kind::Tuple) && cls.is(&types().tuple) {
        a.arg(0).clone()
    } else {
        tuple::new(vm.collect(a.arg(0))?)
    };
    Ok(wrap(cls, &types().tuple, v))
}

fn new_list(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    if cls.is(&types().list) {
        a.no_kw("list")?;
        a.check("list", 0, 1)?;
        let items = if a.npos() == 0 {
            vec![]
        } else {
            vm.collect(a.arg(0))?
        };
        return Ok(crate::runtime::list::new(items));
    }
    Ok(object::alloc(cls, ListObj::new(Vec::new())))
}

fn list_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("list", 1, 2)?;
    let items = if a.npos() == 2 {
        vm.collect(a.arg(1))?
    } else {
        vec![]
    };
    a.arg(0).downcast::<ListObj>().unwrap().replace(items);
    Ok(Value::NONE)
}

/// `dict.update` semantics: from a mapping or an iterable of pairs, then keywords.
pub fn dict_fill(vm: &mut Vm, d: &Value, src: Option<&Value>, a: &Args) -> PyResult<()> {
    if let Some(src) = src {
        vm.dict_update(d, src, false)?;
    }
    for (k, v) in a.kwargs() {
        vm.dict_set(d, crate::runtime::str::new_str(k), v.clone())?;
    }
    Ok(())
}

fn new_dict(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let d = object::alloc(cls, DictObj::default());
    if cls.is(&types().dict) {
        a.check("dict", 0, 1)?;
        dict_fill(vm, &d, a.pos().first(), a)?;
    }
    Ok(d)
}

fn dict_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("dict", 1, 2)?;
    let d = a.arg(0).clone();
    dict_fill(
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

fn new_defaultdict(_vm: &mut Vm, cls: &Value, _a: &Args) -> PyResult<Value> {
    Ok(object::alloc(cls, DictObj::default()))
}

fn defaultdict_init(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = a.arg(0).clone();
    let dd = d.downcast::<DictObj>().unwrap();
    let rest = &a.pos()[1..];
    if let Some(f) = rest.first() {
        if !f.is_none()
            && !matches!(
                f.kind(),
                Some(Kind::Function) | Some(Kind::Builtin) | Some(Kind::Class) | Some(Kind::Method)
            )
        {
            return Err(exc::type_error("first argument must be callable or None"));
        }
        dd.default_factory.set(f.clone());
    } else {
        dd.default_factory.set(Value::NONE);
    }
    dict_fill(vm, &d, rest.get(1), a)?;
    Ok(Value::NONE)
}

fn make_set(vm: &mut Vm, cls: &Value, a: &Args, frozen: bool) -> PyResult<Value> {
    let name = if frozen { "frozenset" } else { "set" };
    a.no_kw(name)?;
    a.check(name, 0, 1)?;
    let s = object::alloc(cls, SetObj::new(frozen));
    if a.npos() == 1 {
        vm.set_update(&s, a.arg(0))?;
    }
    Ok(s)
}

fn new_set(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    make_set(vm, cls, a, false)
}

fn new_frozenset(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    make_set(vm, cls, a, true)
}

fn range_arg(vm: &mut Vm, v: &Value) -> PyResult<num_bigint::BigInt> {
    if int::is_int(v)
        && let Some(i) = int::to_bigint(v)
    {
        return Ok(i);
    }
    if let Some(m) = vm.lookup_special(v, &intern("__index__"))
        && m.kind() != Some(Kind::Builtin)
    {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        if let Some(i) = int::to_bigint(&r) {
            return Ok(i);
        }
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

fn new_range(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.no_kw("range")?;
    // Small ints (48 bits, so the length fits an i64): no big-int arithmetic.
    let small = |i: usize| a.arg(i).as_small_int();
    let bounds = match a.npos() {
        1 => small(0).map(|n| (0, n, 1)),
        2 => small(0).zip(small(1)).map(|(x, y)| (x, y, 1)),
        3 => small(0)
            .zip(small(1))
            .zip(small(2))
            .map(|((x, y), z)| (x, y, z)),
        _ => None,
    };
    if let Some((start, stop, step)) = bounds
        && step != 0
    {
        return Ok(object::alloc(
            &types().range,
            RangeObj::new(start, stop, step),
        ));
    }
    let (start, stop, step) = match a.npos() {
        1 => (0.into(), range_arg(vm, a.arg(0))?, 1.into()),
        2 => (range_arg(vm, a.arg(0))?, range_arg(vm, a.arg(1))?, 1.into()),
        3 => (
            range_arg(vm, a.arg(0))?,
            range_arg(vm, a.arg(1))?,
            range_arg(vm, a.arg(2))?,
        ),
        0 => return Err(exc::type_error("range expected at least 1 argument, got 0")),
        n => {
            return Err(exc::type_error(format!(
                "range expected at most 3 arguments, got {n}"
            )));
        }
    };
    if num_traits::Zero::is_zero(&step) {
        return Err(exc::value_error("range() arg 3 must not be zero"));
    }
    Ok(object::alloc(
        &types().range,
        RangeObj::from_bigints(start, stop, step),
    ))
}

fn new_slice(_vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.check("slice", 1, 3)?;
    let p = a.pos();
    let (start, stop, step) = match p.len() {
        1 => (Value::NONE, p[0].clone(), Value::NONE),
        2 => (p[0].clone(), p[1].clone(), Value::NONE),
        _ => (p[0].clone(), p[1].clone(), p[2].clone()),
    };
    Ok(object::alloc(
        &types().slice,
        SliceObj { start, stop, step },
    ))
}

fn new_property(_vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("property", &["fget", "fset", "fdel", "doc"])?;
    let g = |i: usize, n: &str| a.get(i, n).cloned().unwrap_or(Value::NONE);
    Ok(object::alloc(
        cls,
        PropertyObj {
            fget: g(0, "fget"),
            fset: g(1, "fset"),
            fdel: g(2, "fdel"),
            doc: g(3, "doc"),
        },
    ))
}

fn new_classmethod(_vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.check("classmethod", 1, 1)?;
    Ok(object::alloc(
        cls,
        ClassMethodObj {
            f: a.arg(0).clone(),
        },
    ))
}

fn new_staticmethod(_vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.check("staticmethod", 1, 1)?;
    Ok(object::alloc(
        cls,
        StaticMethodObj {
            f: a.arg(0).clone(),
        },
    ))
}

fn new_super(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    vm.make_super(a)
}

fn new_enumerate(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("enumerate", &["start"])?;
    a.check("enumerate", 1, 2)?;
    let it = vm.get_iter(a.arg(0))?;
    let start = a.get(1, "start").cloned().unwrap_or(Value::small_int(0));
    Ok(new_iter(
        &types().enumerate,
        IterState::Enumerate { it, n: start },
    ))
}

fn new_zip(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("zip", &["strict"])?;
    let mut its = Vec::new();
    for (i, x) in a.pos().iter().enumerate() {
        its.push(vm.get_iter(x).map_err(|e| {
            if exc::matches(&e.0, &types().type_error) {
                exc::type_error(format!("zip argument #{} must support iteration", i + 1))
            } else {
                e
            }
        })?);
    }
    let strict = match a.kw("strict") {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    Ok(new_iter(&types().zip, IterState::Zip { its, strict }))
}

fn new_map(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.no_kw("map")?;
    if a.npos() < 2 {
        return Err(exc::type_error("map() must have at least two arguments."));
    }
    let mut its = Vec::new();
    for x in &a.pos()[1..] {
        its.push(vm.get_iter(x)?);
    }
    Ok(new_iter(
        &types().map,
        IterState::Map {
            f: a.arg(0).clone(),
            its,
        },
    ))
}

fn new_filter(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.no_kw("filter")?;
    a.check("filter", 2, 2)?;
    let it = vm.get_iter(a.arg(1))?;
    Ok(new_iter(
        &types().filter,
        IterState::Filter {
            f: a.arg(0).clone(),
            it,
        },
    ))
}

fn new_reversed(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.no_kw("reversed")?;
    a.check("reversed", 1, 1)?;
    vm.reversed(a.arg(0))
}

fn new_deque(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("deque", &["iterable", "maxlen"])?;
    let items = match a.get(0, "iterable") {
        Some(v) => vm.collect(v)?,
        None => vec![],
    };
    let maxlen = match a.get(1, "maxlen") {
        Some(m) if !m.is_none() => {
            let n = int::as_i64(m).ok_or_else(|| exc::type_error("an integer is required"))?;
            if n < 0 {
                return Err(exc::value_error("maxlen must be non-negative"));
            }
            Some(n as usize)
        }
        _ => None,
    };
    let mut q: std::collections::VecDeque<Value> = items.into();
    if let Some(m) = maxlen {
        while q.len() > m {
            q.pop_front();
        }
    }
    Ok(object::alloc(
        cls,
        DequeObj {
            items: UnsafeCell::new(q),
            maxlen,
        },
    ))
}

fn new_exception(_vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let t = types();
    // OSError(errno, strerror) picks the subclass for the errno, as CPython does.
    if cls.is(&t.os_error) && a.npos() >= 2 {
        // Linux errno values, as in CPython's errnomap.
        let sub = match int::as_i64(a.arg(0)) {
            Some(1 | 13) => Some(&t.permission_error),
            Some(2) => Some(&t.file_not_found_error),
            Some(3) => Some(&t.process_lookup_error),
            Some(4) => Some(&t.interrupted_error),
            Some(10) => Some(&t.child_process_error),
            Some(11 | 114 | 115) => Some(&t.blocking_io_error),
            Some(17) => Some(&t.file_exists_error),
            Some(20) => Some(&t.not_a_directory_error),
            Some(21) => Some(&t.is_a_directory_error),
            Some(32 | 108) => Some(&t.broken_pipe_error),
            Some(103) => Some(&t.connection_aborted_error),
            Some(104) => Some(&t.connection_reset_error),
            Some(110) => Some(&t.timeout_error),
            Some(111) => Some(&t.connection_refused_error),
            _ => None,
        };
        if let Some(sub) = sub {
            return Ok(crate::runtime::exc::new_exc(sub, a.pos().to_vec()));
        }
    }
    Ok(crate::runtime::exc::new_exc(cls, a.pos().to_vec()))
}

fn exception_init(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = a.arg(0).downcast::<ExcObj>().ok_or_else(|| {
        exc::type_error("descriptor '__init__' requires a 'BaseException' object")
    })?;
    e.args.set(tuple::new(a.pos()[1..].to_vec()));
    Ok(Value::NONE)
}

#[allow(dead_code)]
fn _unused() -> Value {
    from_string(String::new())
}
