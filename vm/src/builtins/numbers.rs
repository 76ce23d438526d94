//! Methods of the builtin `numbers` type family: `int`, `bool` and `float`.
//!
//! `self` may be an exact value or an instance of a user subclass (whose value is the
//! instance's payload). The arithmetic and comparison special methods unwrap both operands
//! and delegate to the VM's generic operators on the plain values, returning
//! `NotImplemented` for operands of other types, as CPython's slot wrappers do.

use crate::interp::args::Args;
use crate::object::{InstanceObj, IntObj, Kind};
use crate::runtime::class::{add_classmethod, add_method};
use crate::runtime::str::{as_str, from_string, intern};
use crate::runtime::{exc, int, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::{binop, cmpop};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

type Native = crate::object::NativeFn;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {
    let t = types();
    let i = &t.int;
    let int_methods: &[(&'static str, Native)] = &[
        ("bit_length", int_bit_length),
        ("bit_count", int_bit_count),
        ("to_bytes", int_to_bytes),
        ("conjugate", int_conjugate),
        ("as_integer_ratio", int_as_integer_ratio),
        ("__index__", int_index),
        ("__int__", int_int),
        ("__trunc__", int_trunc),
        ("__floor__", int_floor),
        ("__ceil__", int_ceil),
        ("__pos__", int_pos),
        ("__float__", int_float),
        ("__abs__", int_abs),
        ("__neg__", int_neg),
        ("__invert__", int_invert),
        ("__bool__", int_bool),
        ("__hash__", int_hash),
        ("__repr__", int_repr),
        ("__format__", int_format),
        ("__round__", int_round),
        ("__getnewargs__", int_getnewargs),
        ("__add__", int_add),
        ("__radd__", int_radd),
        ("__sub__", int_sub),
        ("__rsub__", int_rsub),
        ("__mul__", int_mul),
        ("__rmul__", int_rmul),
        ("__floordiv__", int_floordiv),
        ("__rfloordiv__", int_rfloordiv),
        ("__truediv__", int_truediv),
        ("__rtruediv__", int_rtruediv),
        ("__mod__", int_mod),
        ("__rmod__", int_rmod),
        ("__divmod__", int_divmod),
        ("__rdivmod__", int_rdivmod),
        ("__pow__", int_pow),
        ("__rpow__", int_rpow),
        ("__lshift__", int_lshift),
        ("__rlshift__", int_rlshift),
        ("__rshift__", int_rshift),
        ("__rrshift__", int_rrshift),
        ("__and__", int_and),
        ("__rand__", int_rand),
        ("__or__", int_or),
        ("__ror__", int_ror),
        ("__xor__", int_xor),
        ("__rxor__", int_rxor),
        ("__eq__", int_eq),
        ("__ne__", int_ne),
        ("__lt__", int_lt),
        ("__le__", int_le),
        ("__gt__", int_gt),
        ("__ge__", int_ge),
    ];
    for &(name, f) in int_methods {
        add_method(i, name, f);
    }
    let b = &t.bool_;
    let bool_methods: &[(&'static str, Native)] = &[
        ("__and__", bool_and),
        ("__rand__", bool_and),
        ("__or__", bool_or),
        ("__ror__", bool_or),
        ("__xor__", bool_xor),
        ("__rxor__", bool_xor),
    ];
    for &(name, f) in bool_methods {
        add_method(b, name, f);
    }
    let fl = &t.float;
    let float_methods: &[(&'static str, Native)] = &[
        ("is_integer", float_is_integer),
        ("as_integer_ratio", float_as_integer_ratio),
        ("hex", float_hex),
        ("conjugate", float_conjugate),
        ("__round__", float_round),
        ("__trunc__", float_trunc),
        ("__floor__", float_floor),
        ("__ceil__", float_ceil),
        ("__int__", float_int),
        ("__float__", float_float),
        ("__pos__", float_float),
        ("__abs__", float_abs),
        ("__neg__", float_neg),
        ("__bool__", float_bool),
        ("__hash__", float_hash),
        ("__repr__", float_repr),
        ("__format__", float_format),
        ("__getnewargs__", float_getnewargs),
        ("__add__", float_add),
        ("__radd__", float_radd),
        ("__sub__", float_sub),
        ("__rsub__", float_rsub),
        ("__mul__", float_mul),
        ("__rmul__", float_rmul),
        ("__floordiv__", float_floordiv),
        ("__rfloordiv__", float_rfloordiv),
        ("__truediv__", float_truediv),
        ("__rtruediv__", float_rtruediv),
        ("__mod__", float_mod),
        ("__rmod__", float_rmod),
        ("__divmod__", float_divmod),
        ("__rdivmod__", float_rdivmod),
        ("__pow__", float_pow),
        ("__rpow__", float_rpow),
        ("__eq__", float_eq),
        ("__ne__", float_ne),
        ("__lt__", float_lt),
        ("__le__", float_le),
        ("__gt__", float_gt),
        ("__ge__", float_ge),
    ];
    for &(name, f) in float_methods {
        add_method(fl, name, f);
    }
    add_classmethod(fl, "fromhex", float_fromhex);
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn payload(v: &Value) -> Option<Value> {
    let i = v.downcast::<InstanceObj>()?;
    if i.payload.is_undef() {
        None
    } else {
        Some(i.payload.get())
    }
}

/// The plain int value of `v` (small int, big int or bool; the payload of an int-subclass
/// instance).
fn plain_int(v: &Value) -> Option<Value> {
    if v.is_small_int() || v.is_bool() || v.downcast::<IntObj>().is_some() {
        return Some(v.clone());
    }
    payload(v).filter(|p| p.is_small_int() || p.downcast::<IntObj>().is_some())
}

/// The float value of `v` (a float or the payload of a float-subclass instance).
fn plain_float(v: &Value) -> Option<f64> {
    if let Some(f) = v.as_float() {
        return Some(f);
    }
    payload(v).and_then(|p| p.as_float())
}

/// An int value as a plain (non-bool) int.
fn to_plain(v: &Value) -> Value {
    if v.is_bool() {
        Value::small_int(v.is(&Value::TRUE) as i64)
    } else {
        v.clone()
    }
}

fn nself<'a>(a: &'a Args, name: &str, ty: &str) -> PyResult<&'a Value> {
    if a.npos() == 0 {
        return Err(exc::type_error(format!(
            "unbound method {ty}.{name}() needs an argument"
        )));
    }
    Ok(a.arg(0))
}

/// `self` of an int method.
fn int_this(a: &Args, name: &str) -> PyResult<Value> {
    let v = nself(a, name, "int")?;
    plain_int(v).ok_or_else(|| {
        exc::type_error(format!(
            "descriptor '{name}' for 'int' objects doesn't apply to a '{}' object",
            type_name(v)
        ))
    })
}

/// `self` of an int special method.
fn int_this_d(a: &Args, name: &str) -> PyResult<Value> {
    if a.npos() == 0 {
        return Err(exc::type_error(format!(
            "descriptor '{name}' of 'int' object needs an argument"
        )));
    }
    let v = a.arg(0);
    plain_int(v).ok_or_else(|| {
        exc::type_error(format!(
            "descriptor '{name}' requires a 'int' object but received a '{}'",
            type_name(v)
        ))
    })
}

/// `self` of a float method.
fn float_this(a: &Args, name: &str) -> PyResult<f64> {
    let v = nself(a, name, "float")?;
    plain_float(v).ok_or_else(|| {
        exc::type_error(format!(
            "descriptor '{name}' for 'float' objects doesn't apply to a '{}' object",
            type_name(v)
        ))
    })
}

/// `self` of a float special method.
fn float_this_d(a: &Args, name: &str) -> PyResult<f64> {
    if a.npos() == 0 {
        return Err(exc::type_error(format!(
            "descriptor '{name}' of 'float' object needs an argument"
        )));
    }
    let v = a.arg(0);
    plain_float(v).ok_or_else(|| {
        exc::type_error(format!(
            "descriptor '{name}' requires a 'float' object but received a '{}'",
            type_name(v)
        ))
    })
}

/// METH_NOARGS check.
fn noargs(a: &Args, ty: &str, name: &str) -> PyResult<()> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(format!(
            "{ty}.{name}() takes no keyword arguments"
        )));
    }
    let n = a.npos().saturating_sub(1);
    if n != 0 {
        return Err(exc::type_error(format!(
            "{ty}.{name}() takes no arguments ({n} given)"
        )));
    }
    Ok(())
}

/// Slot-wrapper argument count check: exactly `k` arguments after `self`.
fn wrapper_args<'a>(a: &'a Args, k: usize) -> PyResult<&'a [Value]> {
    let n = a.npos().saturating_sub(1);
    if !a.kwnames.is_empty() {
        return Err(exc::type_error("wrapper takes no keyword arguments"));
    }
    if n != k {
        return Err(exc::type_error(format!(
            "expected {k} argument{}, got {n}",
            if k == 1 { "" } else { "s" }
        )));
    }
    Ok(&a.pos()[1..])
}

/// An index argument (`'float' object cannot be interpreted as an integer`).
fn index_arg(vm: &mut Vm, v: &Value) -> PyResult<Value> {
    if let Some(p) = plain_int(v) {
        return Ok(to_plain(&p));
    }
    if v.is_obj()
        && let Some(m) = vm.lookup_special(v, &intern("__index__"))
        && m.kind() != Some(Kind::Builtin)
    {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        return plain_int(&r).ok_or_else(|| {
            exc::type_error(format!(
                "__index__ returned non-int (type {})",
                type_name(&r)
            ))
        });
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

fn big(v: &Value) -> BigInt {
    int::to_bigint(v).unwrap()
}

// ---------------------------------------------------------------------------------------------
// int: plain methods

fn int_bit_length(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "bit_length")?;
    noargs(a, "int", "bit_length")?;
    Ok(match int::as_i64(&v) {
        Some(i) => Value::small_int(64 - i.unsigned_abs().leading_zeros() as i64),
        None => int::from_i64(big(&v).magnitude().bits() as i64),
    })
}

fn int_bit_count(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "bit_count")?;
    noargs(a, "int", "bit_count")?;
    Ok(match int::as_i64(&v) {
        Some(i) => Value::small_int(i.unsigned_abs().count_ones() as i64),
        None => int::from_i64(
            big(&v)
                .magnitude()
                .iter_u64_digits()
                .map(|d| d.count_ones() as i64)
                .sum(),
        ),
    })
}

fn int_to_bytes(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let _ = int_this(a, "to_bytes")?;
    Err(exc::not_implemented_error(
        "int.to_bytes(): bytes objects are not supported by this runtime",
    ))
}

fn int_conjugate(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "conjugate")?;
    noargs(a, "int", "conjugate")?;
    Ok(to_plain(&v))
}

fn int_as_integer_ratio(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "as_integer_ratio")?;
    noargs(a, "int", "as_integer_ratio")?;
    Ok(tuple::new(vec![to_plain(&v), Value::small_int(1)]))
}

/// The special methods that return `int(self)`.
fn int_identity(a: &Args, name: &str) -> PyResult<Value> {
    let v = int_this_d(a, name)?;
    wrapper_args(a, 0)?;
    Ok(to_plain(&v))
}

fn int_index(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_identity(a, "__index__")
}

fn int_int(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_identity(a, "__int__")
}

fn int_pos(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_identity(a, "__pos__")
}

fn int_trunc(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "__trunc__")?;
    noargs(a, "int", "__trunc__")?;
    Ok(to_plain(&v))
}

fn int_floor(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "__floor__")?;
    noargs(a, "int", "__floor__")?;
    Ok(to_plain(&v))
}

fn int_ceil(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "__ceil__")?;
    noargs(a, "int", "__ceil__")?;
    Ok(to_plain(&v))
}

fn int_float(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__float__")?;
    wrapper_args(a, 0)?;
    Ok(Value::float(match int::as_i64(&v) {
        Some(i) => i as f64,
        None => int::big_to_f64(&big(&v))?,
    }))
}

fn int_abs(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__abs__")?;
    wrapper_args(a, 0)?;
    Ok(match int::as_i64(&v) {
        Some(i) if i != i64::MIN => int::from_i64(i.abs()),
        _ => int::from_bigint(big(&v).abs()),
    })
}

fn int_neg(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__neg__")?;
    wrapper_args(a, 0)?;
    Ok(int::neg(&v))
}

fn int_invert(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__invert__")?;
    wrapper_args(a, 0)?;
    Ok(int::invert(&v))
}

fn int_bool(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__bool__")?;
    wrapper_args(a, 0)?;
    Ok(Value::bool(match int::as_i64(&v) {
        Some(i) => i != 0,
        None => true,
    }))
}

fn int_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__hash__")?;
    wrapper_args(a, 0)?;
    Ok(int::from_i64(vm.hash(&v)?))
}

fn int_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this_d(a, "__repr__")?;
    wrapper_args(a, 0)?;
    if v.is_bool() {
        return Ok(from_string(vm.repr(&v)?));
    }
    Ok(from_string(int::to_string(&v)))
}

fn format_spec_arg(a: &Args, ty: &str) -> PyResult<Value> {
    if !a.kwnames.is_empty() || a.npos() != 2 {
        return Err(exc::type_error(format!(
            "{ty}.__format__() takes exactly one argument ({} given)",
            a.npos().saturating_sub(1)
        )));
    }
    let s = a.arg(1);
    if as_str(s).is_none() {
        let p = payload(s).filter(|p| as_str(p).is_some());
        return p.ok_or_else(|| {
            exc::type_error(format!(
                "__format__() argument must be str, not {}",
                type_name(s)
            ))
        });
    }
    Ok(s.clone())
}

fn int_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "__format__")?;
    let spec = format_spec_arg(a, "int")?;
    Ok(from_string(vm.format(&v, as_str(&spec).unwrap())?))
}

fn int_getnewargs(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "__getnewargs__")?;
    noargs(a, "int", "__getnewargs__")?;
    Ok(tuple::new(vec![to_plain(&v)]))
}

fn int_round(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = int_this(a, "__round__")?;
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(
            "int.__round__() takes no keyword arguments",
        ));
    }
    let n = a.npos() - 1;
    if n > 1 {
        return Err(exc::type_error(format!(
            "__round__ expected at most 1 argument, got {n}"
        )));
    }
    let nd = match a.pos().get(1) {
        None => return Ok(to_plain(&v)),
        Some(d) if d.is_none() => return Ok(to_plain(&v)),
        Some(d) => index_arg(vm, d)?,
    };
    let nd = big(&nd);
    if !nd.is_negative() {
        return Ok(to_plain(&v));
    }
    let x = big(&v);
    let Some(e) = (-nd).to_u32() else {
        return Ok(Value::small_int(0));
    };
    let p = num_traits::Pow::pow(BigInt::from(10), e);
    let (q, r) = x.div_mod_floor(&p);
    let twice = &r * 2;
    let q = if twice > p || (twice == p && q.is_odd()) {
        q + 1
    } else {
        q
    };
    Ok(int::from_bigint(q * p))
}

// ---------------------------------------------------------------------------------------------
// int: arithmetic and comparison

/// `self <op> other` (or `other <op> self` when `reflected`) for two ints.
fn int_arith(vm: &mut Vm, a: &Args, name: &str, op: u32, reflected: bool) -> PyResult<Value> {
    let x = int_this_d(a, name)?;
    let rest = wrapper_args(a, 1)?;
    let Some(y) = plain_int(&rest[0]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let (x, y) = (to_plain(&x), to_plain(&y));
    if reflected {
        vm.binary_op(&y, &x, op)
    } else {
        vm.binary_op(&x, &y, op)
    }
}

macro_rules! int_ops {
    ($($f:ident, $rf:ident, $name:literal, $rname:literal, $op:expr;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                int_arith(vm, a, $name, $op, false)
            }
            fn $rf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                int_arith(vm, a, $rname, $op, true)
            }
        )*
    };
}

int_ops! {
    int_add, int_radd, "__add__", "__radd__", binop::ADD;
    int_sub, int_rsub, "__sub__", "__rsub__", binop::SUBTRACT;
    int_mul, int_rmul, "__mul__", "__rmul__", binop::MULTIPLY;
    int_floordiv, int_rfloordiv, "__floordiv__", "__rfloordiv__", binop::FLOOR_DIVIDE;
    int_truediv, int_rtruediv, "__truediv__", "__rtruediv__", binop::TRUE_DIVIDE;
    int_mod, int_rmod, "__mod__", "__rmod__", binop::REMAINDER;
    int_lshift, int_rlshift, "__lshift__", "__rlshift__", binop::LSHIFT;
    int_rshift, int_rrshift, "__rshift__", "__rrshift__", binop::RSHIFT;
    int_and, int_rand, "__and__", "__rand__", binop::AND;
    int_or, int_ror, "__or__", "__ror__", binop::OR;
    int_xor, int_rxor, "__xor__", "__rxor__", binop::XOR;
}

fn int_divmod_core(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult<Value> {
    let x = int_this_d(a, name)?;
    let rest = wrapper_args(a, 1)?;
    let Some(y) = plain_int(&rest[0]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let (x, y) = if reflected {
        (to_plain(&y), to_plain(&x))
    } else {
        (to_plain(&x), to_plain(&y))
    };
    let q = vm.binary_op(&x, &y, binop::FLOOR_DIVIDE)?;
    let r = vm.binary_op(&x, &y, binop::REMAINDER)?;
    Ok(tuple::new(vec![q, r]))
}

fn int_divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_divmod_core(vm, a, "__divmod__", false)
}

fn int_rdivmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_divmod_core(vm, a, "__rdivmod__", true)
}

/// Modular inverse of `b` modulo `m` (m > 0), if it exists.
fn mod_inverse(b: &BigInt, m: &BigInt) -> Option<BigInt> {
    let e = b.mod_floor(m).extended_gcd(m);
    if !e.gcd.is_one() {
        return None;
    }
    Some(e.x.mod_floor(m))
}

/// `pow(base, exp, mod)` for ints.
fn int_modpow(base: &BigInt, exp: &BigInt, m: &BigInt) -> PyResult<Value> {
    if m.is_zero() {
        return Err(exc::value_error("pow() 3rd argument cannot be 0"));
    }
    let neg_mod = m.is_negative();
    let am = m.abs();
    let (b, e) = if exp.is_negative() {
        match mod_inverse(base, &am) {
            Some(inv) => (inv, -exp),
            None => {
                return Err(exc::value_error(
                    "base is not invertible for the given modulus",
                ));
            }
        }
    } else {
        (base.mod_floor(&am), exp.clone())
    };
    let mut r = if am.is_one() {
        BigInt::zero()
    } else {
        b.modpow(&e, &am)
    };
    if neg_mod && !r.is_zero() {
        r -= &am;
    }
    Ok(int::from_bigint(r))
}

fn int_pow_core(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult<Value> {
    let x = int_this_d(a, name)?;
    let n = a.npos().saturating_sub(1);
    if !a.kwnames.is_empty() || !(1..=2).contains(&n) {
        return Err(exc::type_error(format!(
            "expected 1 or 2 arguments, got {n}"
        )));
    }
    let Some(y) = plain_int(a.arg(1)) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let (x, y) = if reflected {
        (to_plain(&y), to_plain(&x))
    } else {
        (to_plain(&x), to_plain(&y))
    };
    match a.pos().get(2).filter(|m| !m.is_none()) {
        None => vm.binary_op(&x, &y, binop::POWER),
        Some(m) => {
            let Some(m) = plain_int(m) else {
                return Ok(Value::NOT_IMPLEMENTED);
            };
            int_modpow(&big(&x), &big(&y), &big(&m))
        }
    }
}

fn int_pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_pow_core(vm, a, "__pow__", false)
}

fn int_rpow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    int_pow_core(vm, a, "__rpow__", true)
}

fn int_cmp(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    let x = int_this_d(a, name)?;
    let rest = wrapper_args(a, 1)?;
    let Some(y) = plain_int(&rest[0]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    vm.compare(&to_plain(&x), &to_plain(&y), op)
}

macro_rules! cmp_fns {
    ($cmp:ident; $($f:ident, $name:literal, $op:expr;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                $cmp(vm, a, $name, $op)
            }
        )*
    };
}

cmp_fns! {
    int_cmp;
    int_eq, "__eq__", cmpop::EQ;
    int_ne, "__ne__", cmpop::NE;
    int_lt, "__lt__", cmpop::LT;
    int_le, "__le__", cmpop::LE;
    int_gt, "__gt__", cmpop::GT;
    int_ge, "__ge__", cmpop::GE;
}

// ---------------------------------------------------------------------------------------------
// bool

fn bool_logic(
    vm: &mut Vm,
    a: &Args,
    name: &str,
    op: u32,
    f: fn(bool, bool) -> bool,
) -> PyResult<Value> {
    let n = a.npos().saturating_sub(1);
    if a.npos() >= 2 && n == 1 && a.kwnames.is_empty() && a.arg(0).is_bool() && a.arg(1).is_bool() {
        return Ok(Value::bool(f(
            a.arg(0).is(&Value::TRUE),
            a.arg(1).is(&Value::TRUE),
        )));
    }
    int_arith(vm, a, name, op, false)
}

fn bool_and(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    bool_logic(vm, a, "__and__", binop::AND, |x, y| x & y)
}

fn bool_or(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    bool_logic(vm, a, "__or__", binop::OR, |x, y| x | y)
}

fn bool_xor(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    bool_logic(vm, a, "__xor__", binop::XOR, |x, y| x ^ y)
}

// ---------------------------------------------------------------------------------------------
// float: plain methods

fn float_is_integer(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "is_integer")?;
    noargs(a, "float", "is_integer")?;
    Ok(Value::bool(x.is_finite() && x == x.floor()))
}

/// `(mantissa, exponent)` with `x == mantissa * 2**exponent` and an odd (or zero) mantissa.
fn decompose(x: f64) -> (i64, i64) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = (bits & ((1u64 << 52) - 1)) as i64;
    let (mut m, mut e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1i64 << 52), exp - 1075)
    };
    if m == 0 {
        return (0, 0);
    }
    let tz = m.trailing_zeros() as i64;
    m >>= tz;
    e += tz;
    (if x < 0.0 { -m } else { m }, e)
}

fn float_as_integer_ratio(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "as_integer_ratio")?;
    noargs(a, "float", "as_integer_ratio")?;
    if x.is_nan() {
        return Err(exc::value_error("cannot convert NaN to integer ratio"));
    }
    if x.is_infinite() {
        return Err(exc::overflow_error(
            "cannot convert Infinity to integer ratio",
        ));
    }
    let (m, e) = decompose(x);
    let m = BigInt::from(m);
    let (n, d) = if e >= 0 {
        (m << e as usize, BigInt::one())
    } else {
        (m, BigInt::one() << (-e) as usize)
    };
    Ok(tuple::new(vec![int::from_bigint(n), int::from_bigint(d)]))
}

fn float_hex(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "hex")?;
    noargs(a, "float", "hex")?;
    if x.is_nan() {
        return Ok(from_string("nan".into()));
    }
    if x.is_infinite() {
        return Ok(from_string(if x > 0.0 { "inf" } else { "-inf" }.into()));
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return Ok(from_string(format!("{sign}0x0.0p+0")));
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (lead, e) = if exp == 0 {
        (0, -1022)
    } else {
        (1, exp - 1023)
    };
    Ok(from_string(format!(
        "{sign}0x{lead}.{frac:013x}p{}{e}",
        if e >= 0 { "+" } else { "" }
    )))
}

/// `m * 2**e`, exact when the result is representable.
fn ldexp(mut m: f64, mut e: i64) -> f64 {
    while e > 1000 {
        m *= 2f64.powi(1000);
        e -= 1000;
        if m.is_infinite() {
            return m;
        }
    }
    while e < -1000 {
        m *= 2f64.powi(-1000);
        e += 1000;
        if m == 0.0 {
            return m;
        }
    }
    m * 2f64.powi(e as i32)
}

/// Parses `float.fromhex`'s argument.
fn parse_hex_float(s: &str) -> PyResult<f64> {
    let invalid = || exc::value_error("invalid hexadecimal floating-point string");
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Ok(if neg { -v } else { v });
    }
    let b = lower.as_bytes();
    let mut i = 0;
    if b.len() >= 2 && b[0] == b'0' && b[1] == b'x' {
        i = 2;
    }
    let mut digits = String::new();
    let mut frac_digits: i64 = 0;
    let mut seen_dot = false;
    let mut ndigits = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_hexdigit() {
            digits.push(c as char);
            ndigits += 1;
            if seen_dot {
                frac_digits += 1;
            }
        } else if c == b'.' && !seen_dot {
            seen_dot = true;
        } else {
            break;
        }
        i += 1;
    }
    if ndigits == 0 {
        return Err(invalid());
    }
    let mut exp: i64 = 0;
    if i < b.len() && b[i] == b'p' {
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            exp = exp.saturating_mul(10).saturating_add((b[i] - b'0') as i64);
            i += 1;
        }
        if i == start {
            return Err(invalid());
        }
        if eneg {
            exp = -exp;
        }
    }
    if i != b.len() {
        return Err(invalid());
    }
    let m = BigInt::parse_bytes(digits.as_bytes(), 16).ok_or_else(invalid)?;
    let sign = |v: f64| if neg { -v } else { v };
    if m.is_zero() {
        return Ok(sign(0.0));
    }
    let exp = exp.saturating_sub(4 * frac_digits);
    let nbits = m.bits() as i64;
    let top = (nbits - 1).saturating_add(exp);
    let too_large = || exc::overflow_error("hexadecimal value too large to represent as a float");
    if top > 1023 {
        return Err(too_large());
    }
    let keep = 53.min(top + 1075);
    if keep < 0 {
        return Ok(sign(0.0));
    }
    let shift = nbits - keep;
    let (mant, e) = if shift > 0 {
        let q: BigInt = &m >> shift as usize;
        let r: BigInt = &m - (&q << shift as usize);
        let half = BigInt::one() << (shift - 1) as usize;
        let q = if r > half || (r == half && q.is_odd()) {
            q + 1
        } else {
            q
        };
        (q, exp + shift)
    } else {
        (m, exp)
    };
    if (mant.bits() as i64 - 1).saturating_add(e) > 1023 {
        return Err(too_large());
    }
    let mf = mant.to_f64().unwrap();
    Ok(sign(ldexp(mf, e)))
}

fn float_fromhex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(
            "float.fromhex() takes no keyword arguments",
        ));
    }
    let n = a.npos().saturating_sub(1);
    if n != 1 {
        return Err(exc::type_error(format!(
            "float.fromhex() takes exactly one argument ({n} given)"
        )));
    }
    let cls = a.arg(0).clone();
    let sv = a.arg(1);
    let text = match as_str(sv) {
        Some(s) => s.to_string(),
        None => match payload(sv)
            .as_ref()
            .and_then(|p| as_str(p).map(str::to_string))
        {
            Some(s) => s,
            None => return Err(exc::type_error("bad argument type for built-in operation")),
        },
    };
    let v = Value::float(parse_hex_float(&text)?);
    if cls.is(&types().float) {
        return Ok(v);
    }
    vm.call(&cls, &[v])
}

fn float_conjugate(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "conjugate")?;
    noargs(a, "float", "conjugate")?;
    Ok(Value::float(x))
}

fn float_round(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "__round__")?;
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(
            "float.__round__() takes no keyword arguments",
        ));
    }
    let n = a.npos() - 1;
    if n > 1 {
        return Err(exc::type_error(format!(
            "__round__ expected at most 1 argument, got {n}"
        )));
    }
    match a.pos().get(1).filter(|d| !d.is_none()) {
        None => int::from_float(x.round_ties_even()),
        Some(d) => {
            let nd = index_arg(vm, d)?;
            let nd = match int::as_i64(&nd) {
                Some(i) => i,
                None => {
                    if big(&nd).is_negative() {
                        i64::MIN
                    } else {
                        i64::MAX
                    }
                }
            };
            let r = crate::fmt::round_float(x, nd).map_err(crate::runtime::repr::fmt_error)?;
            Ok(Value::float(r))
        }
    }
}

fn float_trunc(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "__trunc__")?;
    noargs(a, "float", "__trunc__")?;
    int::from_float(x)
}

fn float_floor(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "__floor__")?;
    noargs(a, "float", "__floor__")?;
    int::from_float(x.floor())
}

fn float_ceil(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "__ceil__")?;
    noargs(a, "float", "__ceil__")?;
    int::from_float(x.ceil())
}

fn float_int(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__int__")?;
    wrapper_args(a, 0)?;
    int::from_float(x)
}

fn float_float(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__float__")?;
    wrapper_args(a, 0)?;
    Ok(Value::float(x))
}

fn float_abs(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__abs__")?;
    wrapper_args(a, 0)?;
    Ok(Value::float(x.abs()))
}

fn float_neg(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__neg__")?;
    wrapper_args(a, 0)?;
    Ok(Value::float(-x))
}

fn float_bool(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__bool__")?;
    wrapper_args(a, 0)?;
    Ok(Value::bool(x != 0.0))
}

fn float_hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__hash__")?;
    wrapper_args(a, 0)?;
    Ok(int::from_i64(vm.hash(&Value::float(x))?))
}

fn float_repr(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this_d(a, "__repr__")?;
    wrapper_args(a, 0)?;
    Ok(from_string(crate::fmt::float_repr(x)))
}

fn float_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "__format__")?;
    let spec = format_spec_arg(a, "float")?;
    Ok(from_string(
        vm.format(&Value::float(x), as_str(&spec).unwrap())?,
    ))
}

fn float_getnewargs(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = float_this(a, "__getnewargs__")?;
    noargs(a, "float", "__getnewargs__")?;
    Ok(tuple::new(vec![Value::float(x)]))
}

// ---------------------------------------------------------------------------------------------
// float: arithmetic and comparison

/// The other operand of a float special method as a plain number (float or int), if it is
/// one.
fn float_other(v: &Value) -> Option<Value> {
    if let Some(f) = plain_float(v) {
        return Some(Value::float(f));
    }
    plain_int(v).map(|i| to_plain(&i))
}

/// Converts an int operand to float (CPython converts before operating).
fn as_float_operand(v: &Value) -> PyResult<Value> {
    if v.is_float() {
        return Ok(v.clone());
    }
    Ok(Value::float(match int::as_i64(v) {
        Some(i) => i as f64,
        None => int::big_to_f64(&big(v))?,
    }))
}

fn float_arith(vm: &mut Vm, a: &Args, name: &str, op: u32, reflected: bool) -> PyResult<Value> {
    let x = Value::float(float_this_d(a, name)?);
    let rest = wrapper_args(a, 1)?;
    let Some(y) = float_other(&rest[0]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let y = as_float_operand(&y)?;
    if reflected {
        vm.binary_op(&y, &x, op)
    } else {
        vm.binary_op(&x, &y, op)
    }
}

macro_rules! float_ops {
    ($($f:ident, $rf:ident, $name:literal, $rname:literal, $op:expr;)*) => {
        $(
            fn $f(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                float_arith(vm, a, $name, $op, false)
            }
            fn $rf(vm: &mut Vm, a: &Args) -> PyResult<Value> {
                float_arith(vm, a, $rname, $op, true)
            }
        )*
    };
}

float_ops! {
    float_add, float_radd, "__add__", "__radd__", binop::ADD;
    float_sub, float_rsub, "__sub__", "__rsub__", binop::SUBTRACT;
    float_mul, float_rmul, "__mul__", "__rmul__", binop::MULTIPLY;
    float_floordiv, float_rfloordiv, "__floordiv__", "__rfloordiv__", binop::FLOOR_DIVIDE;
    float_truediv, float_rtruediv, "__truediv__", "__rtruediv__", binop::TRUE_DIVIDE;
    float_mod, float_rmod, "__mod__", "__rmod__", binop::REMAINDER;
}

fn float_divmod_core(_vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult<Value> {
    let x = float_this_d(a, name)?;
    let rest = wrapper_args(a, 1)?;
    let Some(y) = float_other(&rest[0]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let y = as_float_operand(&y)?.as_float().unwrap();
    let (p, q) = if reflected { (y, x) } else { (x, y) };
    if q == 0.0 {
        return Err(exc::zero_division_error("float divmod()"));
    }
    let (d, m) = crate::runtime::float::py_divmod(p, q);
    Ok(tuple::new(vec![Value::float(d), Value::float(m)]))
}

fn float_divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    float_divmod_core(vm, a, "__divmod__", false)
}

fn float_rdivmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    float_divmod_core(vm, a, "__rdivmod__", true)
}

fn float_pow_core(vm: &mut Vm, a: &Args, name: &str, reflected: bool) -> PyResult<Value> {
    let x = Value::float(float_this_d(a, name)?);
    let n = a.npos().saturating_sub(1);
    if !a.kwnames.is_empty() || !(1..=2).contains(&n) {
        return Err(exc::type_error(format!(
            "expected 1 or 2 arguments, got {n}"
        )));
    }
    if a.pos().get(2).is_some_and(|m| !m.is_none()) {
        return Err(exc::type_error(
            "pow() 3rd argument not allowed unless all arguments are integers",
        ));
    }
    let Some(y) = float_other(a.arg(1)) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let y = as_float_operand(&y)?;
    if reflected {
        vm.binary_op(&y, &x, binop::POWER)
    } else {
        vm.binary_op(&x, &y, binop::POWER)
    }
}

fn float_pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    float_pow_core(vm, a, "__pow__", false)
}

fn float_rpow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    float_pow_core(vm, a, "__rpow__", true)
}

fn float_cmp(vm: &mut Vm, a: &Args, name: &str, op: u32) -> PyResult<Value> {
    let x = Value::float(float_this_d(a, name)?);
    let rest = wrapper_args(a, 1)?;
    let Some(y) = float_other(&rest[0]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    vm.compare(&x, &y, op)
}

cmp_fns! {
    float_cmp;
    float_eq, "__eq__", cmpop::EQ;
    float_ne, "__ne__", cmpop::NE;
    float_lt, "__lt__", cmpop::LT;
    float_le, "__le__", cmpop::LE;
    float_gt, "__gt__", cmpop::GT;
    float_ge, "__ge__", cmpop::GE;
}
