//! `float` arithmetic with Python's semantics (floor division, modulo and power rules).

use crate::PyResult;
use crate::runtime::exc;
use crate::value::Value;
use jitlens_compiler::bytecode::binop::*;

/// Python's `x % y` for floats (y != 0).
pub fn py_mod(x: f64, y: f64) -> f64 {
    let mut m = x % y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    m
}

/// Python's `divmod(x, y)` for floats (y != 0).
pub fn py_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let mut fd = div.floor();
        if div - fd > 0.5 {
            fd += 1.0;
        }
        fd
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

/// `x ** y` for floats with CPython's errors.
pub fn py_pow(x: f64, y: f64) -> PyResult<f64> {
    if x == 0.0 && y < 0.0 {
        return Err(exc::zero_division_error(
            "0.0 cannot be raised to a negative power",
        ));
    }
    if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
        return Err(exc::value_error(
            "negative number cannot be raised to a fractional power",
        ));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(exc::overflow_error("(34, 'Numerical result out of range')"));
    }
    Ok(r)
}

/// A float binary operation; `None` if `op` is not defined on floats.
#[inline]
pub fn binop(op: u32, x: f64, y: f64) -> PyResult<Option<Value>> {
    let r = match op {
        ADD => x + y,
        SUBTRACT => x - y,
        MULTIPLY => x * y,
        TRUE_DIVIDE => {
            if y == 0.0 {
                return Err(exc::zero_division_error("float division by zero"));
            }
            x / y
        }
        FLOOR_DIVIDE => {
            if y == 0.0 {
                return Err(exc::zero_division_error("float floor division by zero"));
            }
            py_divmod(x, y).0
        }
        REMAINDER => {
            if y == 0.0 {
                return Err(exc::zero_division_error("float modulo"));
            }
            py_mod(x, y)
        }
        POWER => py_pow(x, y)?,
        _ => return Ok(None),
    };
    Ok(Some(Value::float(r)))
}
