//! The `math` module (CPython 3.11's `Modules/mathmodule.c` semantics: results, special
//! values and the exact exception types and messages).

use crate::builtins::{def, set};
use crate::interp::args::Args;
use crate::object::ClassObj;
use crate::runtime::str::intern;
use crate::runtime::{exc, int, tuple, type_name};
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use jitlens_compiler::bytecode::binop;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

// libm's pure functions of floats: no pointers, no state, so they are declared safe.
unsafe extern "C" {
    safe fn erf(x: f64) -> f64;
    safe fn erfc(x: f64) -> f64;
    safe fn remainder(x: f64, y: f64) -> f64;
    safe fn nextafter(x: f64, y: f64) -> f64;
}

/// Builds the module namespace.
pub fn build(_vm: &mut Vm, d: &Value) -> PyResult<()> {
    set(d, "pi", Value::float(std::f64::consts::PI));
    set(d, "e", Value::float(std::f64::consts::E));
    set(d, "tau", Value::float(std::f64::consts::TAU));
    set(d, "inf", Value::float(f64::INFINITY));
    set(d, "nan", Value::float(f64::NAN));
    def(d, "sqrt", |_, a| unary(a, "sqrt", f64::sqrt, false));
    def(d, "exp", |_, a| unary(a, "exp", f64::exp, true));
    def(d, "exp2", |_, a| unary(a, "exp2", f64::exp2, true));
    def(d, "expm1", |_, a| unary(a, "expm1", f64::exp_m1, true));
    def(d, "sin", |_, a| unary(a, "sin", f64::sin, false));
    def(d, "cos", |_, a| unary(a, "cos", f64::cos, false));
    def(d, "tan", |_, a| unary(a, "tan", f64::tan, false));
    def(d, "asin", |_, a| unary(a, "asin", f64::asin, false));
    def(d, "acos", |_, a| unary(a, "acos", f64::acos, false));
    def(d, "atan", |_, a| unary(a, "atan", f64::atan, false));
    def(d, "sinh", |_, a| unary(a, "sinh", f64::sinh, true));
    def(d, "cosh", |_, a| unary(a, "cosh", f64::cosh, true));
    def(d, "tanh", |_, a| unary(a, "tanh", f64::tanh, false));
    def(d, "asinh", |_, a| unary(a, "asinh", f64::asinh, false));
    def(d, "acosh", |_, a| unary(a, "acosh", f64::acosh, false));
    def(d, "atanh", |_, a| unary(a, "atanh", f64::atanh, false));
    def(d, "cbrt", |_, a| unary(a, "cbrt", f64::cbrt, false));
    def(d, "fabs", |_, a| unary(a, "fabs", f64::abs, false));
    def(d, "erf", |_, a| unary(a, "erf", |x| erf(x), false));
    def(d, "erfc", |_, a| unary(a, "erfc", |x| erfc(x), false));
    def(d, "gamma", m_gamma);
    def(d, "lgamma", m_lgamma);
    def(d, "log", m_log);
    def(d, "log2", |_, a| {
        a.check("log2", 1, 1)?;
        Ok(Value::float(loghelper(a.arg(0), f64::log2)?))
    });
    def(d, "log10", |_, a| {
        a.check("log10", 1, 1)?;
        Ok(Value::float(loghelper(a.arg(0), f64::log10)?))
    });
    def(d, "log1p", |_, a| unary(a, "log1p", f64::ln_1p, false));
    def(d, "atan2", |_, a| {
        let (y, x) = two(a, "atan2")?;
        Ok(Value::float(y.atan2(x)))
    });
    def(d, "copysign", |_, a| {
        let (x, y) = two(a, "copysign")?;
        Ok(Value::float(x.copysign(y)))
    });
    def(d, "fmod", m_fmod);
    def(d, "remainder", m_remainder);
    def(d, "pow", m_pow);
    def(d, "hypot", m_hypot);
    def(d, "dist", m_dist);
    def(d, "floor", |vm, a| {
        rounding(vm, a, "floor", "__floor__", f64::floor)
    });
    def(d, "ceil", |vm, a| {
        rounding(vm, a, "ceil", "__ceil__", f64::ceil)
    });
    def(d, "trunc", m_trunc);
    def(d, "isnan", |_, a| {
        a.check("isnan", 1, 1)?;
        Ok(Value::bool(num(a.arg(0))?.is_nan()))
    });
    def(d, "isinf", |_, a| {
        a.check("isinf", 1, 1)?;
        Ok(Value::bool(num(a.arg(0))?.is_infinite()))
    });
    def(d, "isfinite", |_, a| {
        a.check("isfinite", 1, 1)?;
        Ok(Value::bool(num(a.arg(0))?.is_finite()))
    });
    def(d, "isclose", m_isclose);
    def(d, "degrees", |_, a| {
        a.check("degrees", 1, 1)?;
        Ok(Value::float(
            num(a.arg(0))? * (180.0 / std::f64::consts::PI),
        ))
    });
    def(d, "radians", |_, a| {
        a.check("radians", 1, 1)?;
        Ok(Value::float(
            num(a.arg(0))? * (std::f64::consts::PI / 180.0),
        ))
    });
    def(d, "factorial", m_factorial);
    def(d, "gcd", m_gcd);
    def(d, "lcm", m_lcm);
    def(d, "comb", m_comb);
    def(d, "perm", m_perm);
    def(d, "isqrt", m_isqrt);
    def(d, "prod", m_prod);
    def(d, "fsum", m_fsum);
    def(d, "modf", |_, a| {
        a.check("modf", 1, 1)?;
        let x = num(a.arg(0))?;
        let (f, i) = if x.is_infinite() {
            (0.0f64.copysign(x), x)
        } else {
            let i = x.trunc();
            ((x - i).copysign(x), i)
        };
        Ok(tuple::new(vec![Value::float(f), Value::float(i)]))
    });
    def(d, "frexp", |_, a| {
        a.check("frexp", 1, 1)?;
        let (m, e) = frexp(num(a.arg(0))?);
        Ok(tuple::new(vec![
            Value::float(m),
            Value::small_int(e as i64),
        ]))
    });
    def(d, "ldexp", m_ldexp);
    def(d, "nextafter", |_, a| {
        let (x, y) = two(a, "nextafter")?;
        Ok(Value::float(nextafter(x, y)))
    });
    def(d, "ulp", |_, a| {
        a.check("ulp", 1, 1)?;
        let x = num(a.arg(0))?;
        if x.is_nan() {
            return Ok(Value::float(x));
        }
        let x = x.abs();
        if x.is_infinite() {
            return Ok(Value::float(x));
        }
        let x2 = nextafter(x, f64::INFINITY);
        if x2.is_infinite() {
            let x2 = nextafter(x, -f64::INFINITY);
            return Ok(Value::float(x - x2));
        }
        Ok(Value::float(x2 - x))
    });
    Ok(())
}

fn domain() -> PyErr {
    exc::value_error("math domain error")
}

fn range() -> PyErr {
    exc::overflow_error("math range error")
}

/// A real number argument as f64 (CPython's `PyFloat_AsDouble` errors).
pub(crate) fn num(v: &Value) -> PyResult<f64> {
    crate::runtime::ops::to_f64(v)
}

/// `math_1`: a libm function of one argument with CPython's error mapping.
fn math_1(x: f64, f: fn(f64) -> f64, can_overflow: bool) -> PyResult<f64> {
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range() } else { domain() });
    }
    Ok(r)
}

fn unary(a: &Args, name: &str, f: fn(f64) -> f64, can_overflow: bool) -> PyResult<Value> {
    a.check(name, 1, 1)?;
    a.no_kw(name)?;
    Ok(Value::float(math_1(num(a.arg(0))?, f, can_overflow)?))
}

fn two(a: &Args, name: &str) -> PyResult<(f64, f64)> {
    a.no_kw(name)?;
    if a.npos() != 2 {
        return Err(exc::type_error(format!(
            "{name} expected 2 arguments, got {}",
            a.npos()
        )));
    }
    Ok((num(a.arg(0))?, num(a.arg(1))?))
}

const LANCZOS_G: f64 = 6.024_680_040_776_73;
const LANCZOS_G_MINUS_HALF: f64 = 5.524_680_040_776_73;
const LANCZOS_NUM: [f64; 13] = [
    23_531_376_880.410_76,
    42_919_803_642.649_1,
    35_711_959_237.355_67,
    17_921_034_426.037_21,
    6_039_542_586.352_028,
    1_439_720_407.311_721_6,
    248_874_557.862_054_17,
    31_426_415.585_400_194,
    2_876_370.628_935_372_5,
    186_056.265_395_223_48,
    8_071.672_002_365_816,
    210.824_277_751_579_36,
    2.506_628_274_631_000_2,
];
const LANCZOS_DEN: [f64; 13] = [
    0.0,
    39916800.0,
    120543840.0,
    150917976.0,
    105258076.0,
    45995730.0,
    13339535.0,
    2637558.0,
    357423.0,
    32670.0,
    1925.0,
    66.0,
    1.0,
];
const GAMMA_INTEGRAL: [f64; 23] = [
    1.0,
    1.0,
    2.0,
    6.0,
    24.0,
    120.0,
    720.0,
    5040.0,
    40320.0,
    362880.0,
    3628800.0,
    39916800.0,
    479001600.0,
    6227020800.0,
    87178291200.0,
    1307674368000.0,
    20922789888000.0,
    355687428096000.0,
    6402373705728000.0,
    121645100408832000.0,
    2432902008176640000.0,
    51090942171709440000.0,
    1124000727777607680000.0,
];
const LOGPI: f64 = 1.144729885849400174143427351353058711647;

fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

fn m_sinpi(x: f64) -> f64 {
    use std::f64::consts::PI;
    let y = x.abs() % 2.0;
    let n = (2.0 * y).round() as i32;
    let r = match n {
        0 => (PI * y).sin(),
        1 => (PI * (y - 0.5)).cos(),
        2 => (PI * (1.0 - y)).sin(),
        3 => -(PI * (y - 1.5)).cos(),
        _ => (PI * (y - 2.0)).sin(),
    };
    1.0f64.copysign(x) * r
}

/// CPython's `m_tgamma` (Lanczos); errors as CPython's `math_1(..., can_overflow=1)`.
fn tgamma_py(x: f64) -> PyResult<f64> {
    use std::f64::consts::PI;
    if !x.is_finite() {
        if x.is_nan() || x > 0.0 {
            return Ok(x);
        }
        return Err(domain());
    }
    if x == 0.0 {
        return Err(domain());
    }
    if x == x.floor() {
        if x < 0.0 {
            return Err(domain());
        }
        if x <= 23.0 {
            return Ok(GAMMA_INTEGRAL[x as usize - 1]);
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        let r = 1.0 / x;
        if r.is_infinite() {
            return Err(range());
        }
        return Ok(r);
    }
    if absx > 200.0 {
        if x < 0.0 {
            return Ok(0.0 / m_sinpi(x));
        }
        return Err(range());
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    let mut z = if absx > LANCZOS_G_MINUS_HALF {
        let q = y - absx;
        q - LANCZOS_G_MINUS_HALF
    } else {
        let q = y - LANCZOS_G_MINUS_HALF;
        q - absx
    };
    z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -PI / m_sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / y.exp();
        r += z * r;
        if absx < 140.0 {
            r *= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    if r.is_infinite() {
        return Err(range());
    }
    Ok(r)
}

/// CPython's `m_lgamma`.
fn lgamma_py(x: f64) -> PyResult<f64> {
    if !x.is_finite() {
        return Ok(if x.is_nan() { x } else { f64::INFINITY });
    }
    if x == x.floor() && x <= 2.0 {
        if x <= 0.0 {
            return Err(domain());
        }
        return Ok(0.0);
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return Ok(-absx.ln());
    }
    let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
    r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        r = LOGPI - m_sinpi(absx).abs().ln() - absx.ln() - r;
    }
    if r.is_infinite() {
        return Err(range());
    }
    Ok(r)
}

fn m_gamma(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("gamma", 1, 1)?;
    Ok(Value::float(tgamma_py(num(a.arg(0))?)?))
}

fn m_lgamma(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("lgamma", 1, 1)?;
    Ok(Value::float(lgamma_py(num(a.arg(0))?)?))
}

/// `frexp`: mantissa in [0.5, 1) and exponent; (x, 0) for 0, inf and nan.
pub(crate) fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i32;
    let (mut m, mut adj) = (x, 0);
    if e == 0 {
        // Subnormal: scale into the normal range first.
        m = x * f64::from_bits(0x4350000000000000); // 2**54
        adj = -54;
        e = ((m.to_bits() >> 52) & 0x7ff) as i32;
    }
    let mb = m.to_bits();
    let mant = f64::from_bits((mb & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (mant, e - 1022 + adj)
}

fn ldexp(x: f64, e: i64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let e = e.clamp(-2200, 2200) as i32;
    // Split the scaling so intermediate powers of two stay representable.
    let mut r = x;
    let mut left = e;
    while left > 1000 {
        r *= 2f64.powi(1000);
        left -= 1000;
    }
    while left < -1000 {
        r *= 2f64.powi(-1000);
        left += 1000;
        if r == 0.0 {
            return r;
        }
    }
    // The last step rounds once (powi of an exact power of two is exact).
    if left < -1022 {
        r *= 2f64.powi(-1022);
        r *= 2f64.powi(left + 1022);
    } else {
        r *= 2f64.powi(left);
    }
    r
}

fn m_ldexp(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("ldexp", 2, 2)?;
    let x = num(a.arg(0))?;
    let e = if int::is_int(a.arg(1)) {
        match int::to_bigint(a.arg(1)).unwrap().to_i64() {
            Some(i) => i,
            None => {
                if int::to_bigint(a.arg(1)).unwrap().is_negative() {
                    i64::MIN
                } else {
                    i64::MAX
                }
            }
        }
    } else {
        return Err(exc::type_error(
            "Expected an int as second argument to ldexp.",
        ));
    };
    let r = ldexp(x, e);
    if r.is_infinite() && x.is_finite() {
        return Err(range());
    }
    Ok(Value::float(r))
}

/// `loghelper`: log of a number, ints of any size included.
fn loghelper(v: &Value, f: fn(f64) -> f64) -> PyResult<f64> {
    if int::is_int(v) && v.as_float().is_none() {
        let b = int::to_bigint(v).unwrap();
        if !b.is_positive() {
            return Err(domain());
        }
        if let Some(x) = b.to_f64()
            && x.is_finite()
        {
            return m_log_f(x, f);
        }
        // x = m * 2**e with m in [0.5, 1).
        let bits = b.bits() as i64;
        let shift = bits - 60;
        let top = (&b >> shift as usize).to_f64().unwrap();
        let m = top / 2f64.powi(60);
        return Ok(f(m) + f(2.0) * bits as f64);
    }
    m_log_f(num(v)?, f)
}

fn m_log_f(x: f64, f: fn(f64) -> f64) -> PyResult<f64> {
    if x.is_nan() {
        return Ok(x);
    }
    if x.is_infinite() {
        return if x > 0.0 { Ok(x) } else { Err(domain()) };
    }
    if x > 0.0 { Ok(f(x)) } else { Err(domain()) }
}

fn m_log(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("log", 1, 2)?;
    let num_ = loghelper(a.arg(0), f64::ln)?;
    if a.npos() == 2 {
        let den = loghelper(a.arg(1), f64::ln)?;
        if den == 0.0 {
            return Err(exc::zero_division_error("float division by zero"));
        }
        return Ok(Value::float(num_ / den));
    }
    Ok(Value::float(num_))
}

fn m_fmod(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(a, "fmod")?;
    if y.is_infinite() && x.is_finite() {
        return Ok(Value::float(x));
    }
    let r = x % y;
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain());
    }
    Ok(Value::float(r))
}

fn m_remainder(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(a, "remainder")?;
    if x.is_nan() || y.is_nan() {
        return Ok(Value::float(f64::NAN));
    }
    if x.is_infinite() || y == 0.0 {
        return Err(domain());
    }
    if y.is_infinite() {
        return Ok(Value::float(x));
    }
    Ok(Value::float(remainder(x, y)))
}

fn m_pow(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (x, y) = two(a, "pow")?;
    let r;
    if !x.is_finite() || !y.is_finite() {
        r = if x.is_nan() {
            if y == 0.0 { 1.0 } else { x }
        } else if y.is_nan() {
            if x == 1.0 { 1.0 } else { y }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && (y.abs() % 2.0) == 1.0;
            if y > 0.0 {
                if odd_y { x } else { x.abs() }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0.0f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if y > 0.0 && x.abs() > 1.0 {
            y
        } else if y < 0.0 && x.abs() < 1.0 {
            -y
        } else {
            0.0
        };
    } else {
        r = x.powf(y);
        if r.is_nan() {
            return Err(domain());
        }
        if r.is_infinite() {
            return Err(if x == 0.0 { domain() } else { range() });
        }
    }
    Ok(Value::float(r))
}

/// The Euclidean norm of `v` (CPython's `vector_norm` special cases, careful scaling).
fn vector_norm(v: &[f64], found_nan: bool) -> f64 {
    let max = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || v.len() <= 1 {
        return max;
    }
    if v.len() == 2 {
        return v[0].hypot(v[1]);
    }
    let (_, e) = frexp(max);
    let scale = ldexp(1.0, -(e as i64));
    let sq: Vec<f64> = v.iter().map(|x| (x * scale) * (x * scale)).collect();
    let s = fsum_f(&sq).unwrap_or(f64::INFINITY);
    ldexp(s.sqrt(), e as i64)
}

fn m_hypot(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("hypot")?;
    let mut v = Vec::with_capacity(a.npos());
    let mut nan = false;
    for x in a.pos() {
        let f = num(x)?;
        nan |= f.is_nan();
        v.push(f);
    }
    Ok(Value::float(vector_norm(&v, nan)))
}

fn m_dist(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("dist", 2, 2)?;
    let p = vm.collect(a.arg(0))?;
    let q = vm.collect(a.arg(1))?;
    dist_of(&p, &q)
}

fn dist_of(p: &[Value], q: &[Value]) -> PyResult<Value> {
    if p.len() != q.len() {
        return Err(exc::value_error(
            "both points must have the same number of dimensions",
        ));
    }
    let mut v = Vec::with_capacity(p.len());
    let mut nan = false;
    for (x, y) in p.iter().zip(q) {
        let d = (num(x)? - num(y)?).abs();
        nan |= d.is_nan();
        v.push(d);
    }
    Ok(Value::float(vector_norm(&v, nan)))
}

/// A user-defined special method of `v`'s class (not a builtin one).
fn user_method(vm: &Vm, v: &Value, name: &str) -> Option<Value> {
    if !v.is_obj() {
        return None;
    }
    let cls = crate::runtime::class_of(v);
    if cls.downcast::<ClassObj>()?.has(crate::object::CLS_BUILTIN) {
        return None;
    }
    vm.lookup_special(v, &intern(name))
}

/// `floor`/`ceil`: ints for ints and floats, `__floor__`/`__ceil__` for other objects.
fn rounding(vm: &mut Vm, a: &Args, name: &str, dunder: &str, f: fn(f64) -> f64) -> PyResult<Value> {
    a.check(name, 1, 1)?;
    let x = a.arg(0);
    if let Some(v) = x.as_float() {
        return int::from_float(f(v));
    }
    if let Some(m) = user_method(vm, x, dunder) {
        return vm.call(&m, std::slice::from_ref(x));
    }
    if int::is_int(x) {
        return Ok(int::from_bigint(int::to_bigint(x).unwrap()));
    }
    int::from_float(f(num(x)?))
}

fn m_trunc(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("trunc", 1, 1)?;
    let x = a.arg(0);
    if let Some(v) = x.as_float() {
        return int::from_float(v);
    }
    if let Some(m) = user_method(vm, x, "__trunc__") {
        return vm.call(&m, std::slice::from_ref(x));
    }
    if int::is_int(x) {
        return Ok(int::from_bigint(int::to_bigint(x).unwrap()));
    }
    if let Ok(f) = num(x) {
        return int::from_float(f);
    }
    Err(exc::type_error(format!(
        "type {} doesn't define __trunc__ method",
        type_name(x)
    )))
}

fn m_isclose(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("isclose", &["a", "b", "rel_tol", "abs_tol"])?;
    let (Some(x), Some(y)) = (a.get(0, "a"), a.get(1, "b")) else {
        return Err(exc::type_error(
            "isclose() missing required argument 'b' (pos 2)",
        ));
    };
    if a.npos() > 2 {
        return Err(exc::type_error(format!(
            "isclose() takes exactly 2 positional arguments ({} given)",
            a.npos()
        )));
    }
    let (x, y) = (num(x)?, num(y)?);
    let rel = match a.kw("rel_tol") {
        Some(v) => num(v)?,
        None => 1e-9,
    };
    let abs = match a.kw("abs_tol") {
        Some(v) => num(v)?,
        None => 0.0,
    };
    if rel < 0.0 || abs < 0.0 {
        return Err(exc::value_error("tolerances must be non-negative"));
    }
    if x == y {
        return Ok(Value::TRUE);
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(Value::FALSE);
    }
    let diff = (y - x).abs();
    Ok(Value::bool(
        (diff <= (rel * y).abs()) || (diff <= (rel * x).abs()) || diff <= abs,
    ))
}

/// An integer argument (`__index__`), with CPython's TypeError otherwise.
pub(crate) fn index_big(vm: &mut Vm, v: &Value) -> PyResult<BigInt> {
    if v.as_float().is_none()
        && let Some(b) = int::to_bigint(v)
    {
        return Ok(b);
    }
    if let Some(m) = user_method(vm, v, "__index__") {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        if let Some(b) = int::to_bigint(&r)
            && r.as_float().is_none()
        {
            return Ok(b);
        }
        return Err(exc::type_error(format!(
            "__index__ returned non-int (type {})",
            type_name(&r)
        )));
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

fn factorial_big(n: u64) -> BigInt {
    // Multiply in u64 chunks, then combine the chunks pairwise.
    let mut chunks: Vec<BigInt> = Vec::new();
    let mut acc: u64 = 1;
    for i in 2..=n {
        match acc.checked_mul(i) {
            Some(p) => acc = p,
            None => {
                chunks.push(BigInt::from(acc));
                acc = i;
            }
        }
    }
    chunks.push(BigInt::from(acc));
    while chunks.len() > 1 {
        let mut next = Vec::with_capacity(chunks.len() / 2 + 1);
        let mut it = chunks.into_iter();
        while let Some(a) = it.next() {
            match it.next() {
                Some(b) => next.push(a * b),
                None => next.push(a),
            }
        }
        chunks = next;
    }
    chunks.pop().unwrap()
}

fn m_factorial(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("factorial", 1, 1)?;
    let n = index_big(vm, a.arg(0))?;
    if n.is_negative() {
        return Err(exc::value_error(
            "factorial() not defined for negative values",
        ));
    }
    let Some(n) = n.to_u64().filter(|&n| n <= i64::MAX as u64) else {
        return Err(exc::overflow_error(
            "factorial() argument should not exceed 9223372036854775807",
        ));
    };
    Ok(int::from_bigint(factorial_big(n)))
}

fn m_gcd(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("gcd")?;
    let mut g = BigInt::zero();
    for v in a.pos() {
        let x = index_big(vm, v)?;
        g = g.gcd(&x);
    }
    Ok(int::from_bigint(g))
}

fn m_lcm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("lcm")?;
    let mut l = BigInt::one();
    for v in a.pos() {
        let x = index_big(vm, v)?;
        if x.is_zero() || l.is_zero() {
            l = BigInt::zero();
            continue;
        }
        l = l.lcm(&x);
    }
    Ok(int::from_bigint(l.abs()))
}

/// n * (n-1) * ... * (n-k+1).
fn perm_big(n: &BigInt, k: u64) -> BigInt {
    if let Some(nn) = n.to_u64() {
        let mut chunks = BigInt::one();
        let mut acc: u64 = 1;
        for i in 0..k {
            let f = nn - i;
            match acc.checked_mul(f) {
                Some(p) => acc = p,
                None => {
                    chunks *= acc;
                    acc = f;
                }
            }
        }
        return chunks * acc;
    }
    let mut r = BigInt::one();
    let mut f = n.clone();
    for _ in 0..k {
        r *= &f;
        f -= 1;
    }
    r
}

fn nk_args(vm: &mut Vm, a: &Args, name: &str, k_opt: bool) -> PyResult<(BigInt, Option<BigInt>)> {
    a.no_kw(name)?;
    let (min, max) = if k_opt { (1, 2) } else { (2, 2) };
    if a.npos() < min || a.npos() > max {
        return Err(exc::type_error(if min == max {
            format!("{name} expected {min} arguments, got {}", a.npos())
        } else if a.npos() < min {
            format!("{name} expected at least {min} argument, got {}", a.npos())
        } else {
            format!("{name} expected at most {max} arguments, got {}", a.npos())
        }));
    }
    let n = index_big(vm, a.arg(0))?;
    let k = if a.npos() == 2 && !a.arg(1).is_none() {
        Some(index_big(vm, a.arg(1))?)
    } else {
        None
    };
    if n.is_negative() {
        return Err(exc::value_error("n must be a non-negative integer"));
    }
    if let Some(k) = &k
        && k.is_negative()
    {
        return Err(exc::value_error("k must be a non-negative integer"));
    }
    Ok((n, k))
}

fn m_comb(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (n, k) = nk_args(vm, a, "comb", false)?;
    let k = k.unwrap();
    if k > n {
        return Ok(Value::small_int(0));
    }
    let k = std::cmp::min(k.clone(), &n - &k);
    let Some(k) = k.to_u64() else {
        return Err(exc::overflow_error(format!(
            "min(n - k, k) must not exceed {}",
            i64::MAX
        )));
    };
    // Multiplicative formula, exact at each step.
    let mut r = BigInt::one();
    for i in 0..k {
        r = r * (&n - i) / (i + 1);
    }
    Ok(int::from_bigint(r))
}

fn m_perm(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (n, k) = nk_args(vm, a, "perm", true)?;
    let k = k.unwrap_or_else(|| n.clone());
    if k > n {
        return Ok(Value::small_int(0));
    }
    let Some(k) = k.to_u64() else {
        return Err(exc::overflow_error(format!(
            "k must not exceed {}",
            i64::MAX
        )));
    };
    Ok(int::from_bigint(perm_big(&n, k)))
}

fn m_isqrt(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("isqrt", 1, 1)?;
    let n = index_big(vm, a.arg(0))?;
    if n.is_negative() {
        return Err(exc::value_error("isqrt() argument must be nonnegative"));
    }
    Ok(int::from_bigint(n.sqrt()))
}

fn m_prod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("prod", &["start"])?;
    a.check("prod", 1, 1)?;
    let mut acc = a.kw("start").cloned().unwrap_or(Value::small_int(1));
    let it = vm.get_iter(a.arg(0))?;
    while let Some(x) = vm.next(&it)? {
        if let (Some(p), Some(q)) = (acc.as_small_int(), x.as_small_int())
            && let Some(r) = p.checked_mul(q)
            && Value::fits_small(r)
        {
            acc = Value::small_int(r);
            continue;
        }
        acc = vm.binary_op(&acc, &x, binop::MULTIPLY)?;
    }
    Ok(acc)
}

/// `math.fsum` over floats (Shewchuk / CPython's `msum`), with CPython's errors.
fn fsum_f(xs: &[f64]) -> PyResult<f64> {
    let mut p: Vec<f64> = Vec::new();
    let mut special_sum = 0.0f64;
    let mut inf_sum = 0.0f64;
    for &x0 in xs {
        let mut x = x0;
        let xsave = x;
        let mut i = 0;
        for j in 0..p.len() {
            let mut y = p[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                p[i] = lo;
                i += 1;
            }
            x = hi;
        }
        p.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                // a nonfinite x could arise either as a result of intermediate overflow, or
                // as a result of a nan or inf in the summands
                if xsave.is_finite() {
                    return Err(exc::overflow_error("intermediate overflow in fsum"));
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                p.clear();
            } else {
                p.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return Err(exc::value_error("-inf + inf in fsum"));
        }
        return Ok(special_sum);
    }
    let mut hi = 0.0f64;
    let mut n = p.len();
    if n > 0 {
        n -= 1;
        hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Make half-even rounding work across multiple partials.
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

fn m_fsum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("fsum", 1, 1)?;
    let it = vm.get_iter(a.arg(0))?;
    let mut xs = Vec::new();
    while let Some(x) = vm.next(&it)? {
        xs.push(num(&x)?);
    }
    Ok(Value::float(fsum_f(&xs)?))
}
