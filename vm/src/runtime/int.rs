//! `int`: small ints inline, big ints on the heap (`num-bigint`), and their arithmetic.
//!
//! Every operation takes the i64 fast path when both operands are small and the result does
//! not overflow, and otherwise computes in `BigInt`; results are normalised back to small
//! ints whenever they fit.

use crate::PyResult;
use crate::object::{self, InstanceObj, IntObj};
use crate::runtime::exc;
use crate::types::types;
use crate::value::Value;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

/// An int from an i64.
#[inline]
pub fn from_i64(i: i64) -> Value {
    if Value::fits_small(i) {
        Value::small_int(i)
    } else {
        object::alloc(&types().int, IntObj { v: BigInt::from(i) })
    }
}

/// An int from a BigInt (normalised to a small int if it fits).
pub fn from_bigint(b: BigInt) -> Value {
    if let Some(i) = b.to_i64()
        && Value::fits_small(i)
    {
        return Value::small_int(i);
    }
    object::alloc(&types().int, IntObj { v: b })
}

/// True for int values (including bools and int-subclass instances).
pub fn is_int(v: &Value) -> bool {
    v.is_small_int()
        || v.is_bool()
        || v.downcast::<IntObj>().is_some()
        || payload(v).is_some_and(|p| is_int(&p))
}

fn payload(v: &Value) -> Option<Value> {
    let inst = v.downcast::<InstanceObj>()?;
    if inst.payload.is_undef() {
        None
    } else {
        Some(inst.payload.get())
    }
}

/// The value as an i64, if it is an int that fits.
#[inline]
pub fn as_i64(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_small_int() {
        return Some(i);
    }
    if v.is_bool() {
        return Some(v.is(&Value::TRUE) as i64);
    }
    if let Some(b) = v.downcast::<IntObj>() {
        return b.v.to_i64();
    }
    payload(v).and_then(|p| as_i64(&p))
}

/// The value as a BigInt, if it is an int.
pub fn to_bigint(v: &Value) -> Option<BigInt> {
    if let Some(i) = v.as_small_int() {
        return Some(BigInt::from(i));
    }
    if v.is_bool() {
        return Some(BigInt::from(v.is(&Value::TRUE) as i64));
    }
    if let Some(b) = v.downcast::<IntObj>() {
        return Some(b.v.clone());
    }
    payload(v).and_then(|p| to_bigint(&p))
}

/// The value as a BigInt, if it is an int: borrowed from a big int, built for the rest.
fn big_ref(v: &Value) -> Option<std::borrow::Cow<'_, BigInt>> {
    match v.downcast::<IntObj>() {
        Some(b) => Some(std::borrow::Cow::Borrowed(&b.v)),
        None => to_bigint(v).map(std::borrow::Cow::Owned),
    }
}

/// CPython's int hash: the value modulo 2**61 - 1, keeping the sign; -1 becomes -2.
pub fn hash_i64(i: i64) -> i64 {
    const P: i128 = (1 << 61) - 1;
    let m = (i as i128).abs() % P;
    let h = if i < 0 { -(m as i64) } else { m as i64 };
    if h == -1 { -2 } else { h }
}

/// Hash of a big int.
pub fn hash_big(b: &BigInt) -> i64 {
    let p = BigInt::from((1u64 << 61) - 1);
    let m = (b.abs() % &p).to_i64().unwrap();
    let h = if b.is_negative() { -m } else { m };
    if h == -1 { -2 } else { h }
}

/// Converts to f64 with CPython's OverflowError.
pub fn big_to_f64(b: &BigInt) -> PyResult<f64> {
    let f = b.to_f64().unwrap_or(f64::INFINITY);
    if f.is_infinite() {
        return Err(exc::overflow_error("int too large to convert to float"));
    }
    Ok(f)
}

/// `a / b` for ints, correctly rounded.
pub fn true_div(a: &BigInt, b: &BigInt) -> PyResult<f64> {
    if b.is_zero() {
        return Err(exc::zero_division_error("division by zero"));
    }
    const EXACT: i64 = 1 << 53;
    if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64())
        && x.abs() <= EXACT
        && y.abs() <= EXACT
    {
        return Ok(x as f64 / y as f64);
    }
    // Scale so the quotient has 64+ significant bits, then let the float conversion round.
    let neg = a.is_negative() != b.is_negative();
    let (a, b) = (a.abs(), b.abs());
    let shift = 70i64 - (a.bits() as i64 - b.bits() as i64);
    let (n, d) = if shift >= 0 {
        (a << shift as usize, b)
    } else {
        (a, b << (-shift) as usize)
    };
    let (q, r) = n.div_rem(&d);
    // Sticky bit for correct rounding.
    let q = if r.is_zero() {
        q
    } else {
        (q << 1usize) | BigInt::one()
    };
    let extra = if r.is_zero() { 0 } else { 1 };
    let qf = q.to_f64().unwrap_or(f64::INFINITY);
    let exp = -(shift + extra);
    let v = if exp.abs() < 1000 {
        qf * 2f64.powi(exp as i32)
    } else {
        (qf.ln() + exp as f64 * std::f64::consts::LN_2).exp()
    };
    if v.is_infinite() {
        return Err(exc::overflow_error(
            "integer division result too large for a float",
        ));
    }
    Ok(if neg { -v } else { v })
}

/// Floor division of i64s (b != 0, no overflow case handled by the caller).
#[inline]
pub fn floordiv_i64(a: i64, b: i64) -> i64 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// Python modulo of i64s (b != 0).
#[inline]
pub fn mod_i64(a: i64, b: i64) -> i64 {
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    }
}

/// Binary operation on two ints (`op` from `bytecode::binop`, without INPLACE); `None` when
/// the operation is not an int operation (true division and power are included).
pub fn binop(op: u32, a: &Value, b: &Value) -> PyResult<Option<Value>> {
    use jitlens_compiler::bytecode::binop::*;
    if let (Some(x), Some(y)) = (as_i64(a), as_i64(b)) {
        let r = match op {
            ADD => x.checked_add(y),
            SUBTRACT => x.checked_sub(y),
            MULTIPLY => x.checked_mul(y),
            FLOOR_DIVIDE => {
                if y == 0 {
                    return Err(exc::zero_division_error(
                        "integer division or modulo by zero",
                    ));
                }
                x.checked_div(y).map(|_| floordiv_i64(x, y))
            }
            REMAINDER => {
                if y == 0 {
                    return Err(exc::zero_division_error("integer modulo by zero"));
                }
                x.checked_rem(y).map(|_| mod_i64(x, y))
            }
            AND => Some(x & y),
            OR => Some(x | y),
            XOR => Some(x ^ y),
            LSHIFT => {
                if y < 0 {
                    return Err(exc::value_error("negative shift count"));
                }
                if y < 63 && (x == 0 || (x.unsigned_abs().leading_zeros() as i64) > y + 1) {
                    Some(x << y)
                } else {
                    None
                }
            }
            RSHIFT => {
                if y < 0 {
                    return Err(exc::value_error("negative shift count"));
                }
                Some(if y >= 64 {
                    if x < 0 { -1 } else { 0 }
                } else {
                    x >> y
                })
            }
            TRUE_DIVIDE => {
                if y == 0 {
                    return Err(exc::zero_division_error("division by zero"));
                }
                return Ok(Some(Value::float(true_div(
                    &BigInt::from(x),
                    &BigInt::from(y),
                )?)));
            }
            POWER => {
                if y < 0 {
                    if x == 0 {
                        return Err(exc::zero_division_error(
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    return Ok(Some(Value::float((x as f64).powf(y as f64))));
                }
                if y <= u32::MAX as i64 {
                    x.checked_pow(y as u32)
                } else {
                    None
                }
            }
            _ => return Ok(None),
        };
        if let Some(r) = r {
            return Ok(Some(from_i64(r)));
        }
    }
    let (Some(x), Some(y)) = (big_ref(a), big_ref(b)) else {
        return Ok(None);
    };
    let (x, y) = (&*x, &*y);
    let r = match op {
        ADD => x + y,
        SUBTRACT => x - y,
        MULTIPLY => x * y,
        FLOOR_DIVIDE => {
            if y.is_zero() {
                return Err(exc::zero_division_error(
                    "integer division or modulo by zero",
                ));
            }
            super::int_div::div_floor(x, y)
        }
        REMAINDER => {
            if y.is_zero() {
                return Err(exc::zero_division_error("integer modulo by zero"));
            }
            super::int_div::mod_floor(x, y)
        }
        AND => x & y,
        OR => x | y,
        XOR => x ^ y,
        LSHIFT => {
            if y.is_negative() {
                return Err(exc::value_error("negative shift count"));
            }
            let n = y
                .to_usize()
                .ok_or_else(|| exc::overflow_error("too many digits in integer"))?;
            x << n
        }
        RSHIFT => {
            if y.is_negative() {
                return Err(exc::value_error("negative shift count"));
            }
            match y.to_usize() {
                Some(n) => x >> n,
                None => {
                    if x.is_negative() {
                        BigInt::from(-1)
                    } else {
                        BigInt::zero()
                    }
                }
            }
        }
        TRUE_DIVIDE => return Ok(Some(Value::float(true_div(x, y)?))),
        POWER => {
            if y.is_negative() {
                let xf = big_to_f64(x)?;
                if xf == 0.0 {
                    return Err(exc::zero_division_error(
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                return Ok(Some(Value::float(xf.powf(big_to_f64(y)?))));
            }
            let e = y
                .to_u32()
                .ok_or_else(|| exc::overflow_error("exponent too large"))?;
            Pow::pow(x, e)
        }
        _ => return Ok(None),
    };
    Ok(Some(from_bigint(r)))
}

/// `-x` for an int.
pub fn neg(v: &Value) -> Value {
    match as_i64(v) {
        Some(i) if i != i64::MIN => from_i64(-i),
        _ => from_bigint(-to_bigint(v).unwrap()),
    }
}

/// `~x` for an int.
pub fn invert(v: &Value) -> Value {
    match as_i64(v) {
        Some(i) => from_i64(!i),
        None => from_bigint(!to_bigint(v).unwrap()),
    }
}

/// Three-way comparison of two ints.
pub fn cmp(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (as_i64(a), as_i64(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => to_bigint(a).unwrap().cmp(&to_bigint(b).unwrap()),
    }
}

/// Compares an int with a float exactly (CPython's semantics: no rounding of the int).
pub fn cmp_float(i: &Value, f: f64) -> Option<std::cmp::Ordering> {
    if f.is_nan() {
        return None;
    }
    if let Some(x) = as_i64(i)
        && x.unsigned_abs() < (1 << 53)
    {
        return (x as f64).partial_cmp(&f);
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        });
    }
    let b = to_bigint(i).unwrap();
    let fl = f.floor();
    let fb = BigInt::from_signed_bytes_le(&[]) + num_bigint::BigInt::from(0);
    let _ = fb;
    let fi = float_to_bigint(fl);
    match b.cmp(&fi) {
        std::cmp::Ordering::Equal => {
            if f > fl {
                Some(std::cmp::Ordering::Less)
            } else {
                Some(std::cmp::Ordering::Equal)
            }
        }
        o => Some(o),
    }
}

/// The integral part of a finite float as a BigInt.
pub fn float_to_bigint(f: f64) -> BigInt {
    let t = f.trunc();
    if t.abs() < 9.0e18 {
        return BigInt::from(t as i64);
    }
    let bits = t.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let m = BigInt::from(mant);
    let r = if exp >= 0 {
        m << exp as usize
    } else {
        m >> (-exp) as usize
    };
    if t < 0.0 { -r } else { r }
}

/// `int(x)` for a float: truncates, with CPython's errors for inf and nan.
pub fn from_float(f: f64) -> PyResult<Value> {
    if f.is_nan() {
        return Err(exc::value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(exc::overflow_error(
            "cannot convert float infinity to integer",
        ));
    }
    let t = f.trunc();
    if t.abs() < 1.0e15 {
        return Ok(from_i64(t as i64));
    }
    Ok(from_bigint(float_to_bigint(t)))
}

/// Decimal string of an int.
pub fn to_string(v: &Value) -> String {
    match as_i64(v) {
        Some(i) => i.to_string(),
        None => to_bigint(v).map(|b| b.to_string()).unwrap_or_default(),
    }
}

/// Parses `int(s, base)` with CPython's rules (underscores, whitespace, sign, prefixes).
pub fn parse(s: &str, base: u32) -> Option<BigInt> {
    // Unicode decimal digits count as their ASCII values (int('٣') == 3).
    let normalized: String;
    let s = if s.is_ascii() {
        s
    } else {
        normalized = s
            .chars()
            .map(|c| match crate::fmt::decimal_value(c) {
                Some(d) if !c.is_ascii() => char::from_digit(d, 10).unwrap_or(c),
                _ => c,
            })
            .collect();
        &normalized
    };
    let t = s.trim();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let (base, digits) = match base {
        0 => {
            if let Some(r) = lower.strip_prefix("0x") {
                (16, r.to_string())
            } else if let Some(r) = lower.strip_prefix("0o") {
                (8, r.to_string())
            } else if let Some(r) = lower.strip_prefix("0b") {
                (2, r.to_string())
            } else {
                if lower.len() > 1
                    && lower.starts_with('0')
                    && lower.bytes().any(|c| c != b'0' && c != b'_')
                {
                    return None;
                }
                (10, lower.clone())
            }
        }
        16 => (16, lower.strip_prefix("0x").unwrap_or(&lower).to_string()),
        8 => (8, lower.strip_prefix("0o").unwrap_or(&lower).to_string()),
        2 => (2, lower.strip_prefix("0b").unwrap_or(&lower).to_string()),
        b => (b, lower.clone()),
    };
    let digits = digits
        .strip_prefix('_')
        .filter(|_| s.trim().len() > 2 && base != 10)
        .unwrap_or(&digits)
        .to_string();
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let v = BigInt::parse_bytes(clean.as_bytes(), base)?;
    Some(if neg { -v } else { v })
}
