//! Float to text conversions matching CPython 3.11 (`Python/pystrtod.c`
//! `format_float_short` on top of David Gay's `dtoa`), plus `round(x, n)`.
//!
//! Digit generation uses Rust's formatter, which produces either the
//! shortest round-tripping digits (`{:e}`) or correctly rounded digits of
//! the exact binary value with ties to even (`{:.*e}`, `{:.*}`), exactly
//! like `dtoa` modes 0, 2 and 3. The digits are then laid out with
//! CPython's rules.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

/// Flags for [`double_to_string`] (CPython's `Py_DTSF_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DtoaFlags {
    /// Always emit a sign (`Py_DTSF_SIGN`).
    pub sign: bool,
    /// Add `.0` to integral values in fixed notation (`Py_DTSF_ADD_DOT_0`).
    pub add_dot_0: bool,
    /// Alternate form: keep trailing zeros and the decimal point (`Py_DTSF_ALT`).
    pub alt: bool,
    /// Turn a negative zero result into a positive one (`Py_DTSF_NO_NEG_0`).
    pub no_neg_0: bool,
}

/// Decimal digits (ASCII, no trailing zeros, `"0"` for zero) and the
/// position of the decimal point: value = 0.DIGITS × 10^decpt.
struct Digits {
    digits: Vec<u8>,
    decpt: i64,
}

/// Parse Rust's `{:e}` output of a non-negative finite value.
fn digits_from_exp_repr(s: &str) -> Digits {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.iter().all(|&d| d == b'0') {
        return Digits {
            digits: vec![b'0'],
            decpt: 1,
        };
    }
    Digits {
        digits,
        decpt: exp + 1,
    }
}

/// Parse Rust's `{:.*}` output of a non-negative finite value.
fn digits_from_fixed(s: &str) -> Digits {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut decpt = int.len() as i64;
    let mut all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let lead = all.iter().take_while(|&&d| d == b'0').count();
    if lead == all.len() {
        return Digits {
            digits: vec![b'0'],
            decpt: 1,
        };
    }
    all.drain(..lead);
    decpt -= lead as i64;
    while all.last() == Some(&b'0') {
        all.pop();
    }
    Digits { digits: all, decpt }
}

/// `dtoa` mode 0: shortest round-tripping digits, and among those the
/// closest to the exact value with ties broken to an even last digit.
/// Rust picks the closest too but rounds exact ties up, so when a tie is
/// possible (16+ digits) prefer the correctly rounded (ties-to-even)
/// string of the same length if it also round-trips.
fn shortest(ax: f64) -> Digits {
    let d = digits_from_exp_repr(&format!("{ax:e}"));
    let n = d.digits.len();
    if n >= 16 {
        let alt = format!("{:.*e}", n - 1, ax);
        if alt.parse::<f64>() == Ok(ax) {
            return digits_from_exp_repr(&alt);
        }
    }
    d
}

/// `dtoa` mode 2: `n` (>= 1) significant digits, correctly rounded.
fn significant(ax: f64, n: usize) -> Digits {
    digits_from_exp_repr(&format!("{:.*e}", n.saturating_sub(1), ax))
}

/// `dtoa` mode 3: `n` digits after the decimal point, correctly rounded.
fn fixed(ax: f64, n: usize) -> Digits {
    digits_from_fixed(&format!("{ax:.n$}"))
}

/// CPython's `PyOS_double_to_string`: format `x` with `code` one of
/// `e E f F g G r` (`r` = repr; anything else is treated as `r`) and
/// `precision` (ignored for `r`; for `g`/`G` 0 means 1; clamped to
/// [`super::MAX_FORMAT_LEN`]).
pub fn double_to_string(x: f64, code: char, precision: usize, flags: DtoaFlags) -> String {
    let precision = precision.min(super::MAX_FORMAT_LEN);
    let upper = code.is_ascii_uppercase();
    let code = code.to_ascii_lowercase();
    let negative = x.is_sign_negative();
    if !x.is_finite() {
        let mut out = String::new();
        let is_nan = x.is_nan();
        if negative && !is_nan {
            out.push('-');
        } else if flags.sign {
            out.push('+');
        }
        out.push_str(match (is_nan, upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        });
        return out;
    }
    let ax = x.abs();
    let mut precision = precision as i64;
    let d = match code {
        'e' => {
            precision += 1;
            significant(ax, precision as usize)
        }
        'f' => fixed(ax, precision as usize),
        'g' => {
            if precision == 0 {
                precision = 1;
            }
            significant(ax, precision as usize)
        }
        _ => shortest(ax),
    };
    let digits = d.digits;
    let mut decpt = d.decpt;
    let is_zero = digits == b"0";
    let sign = negative && !(flags.no_neg_0 && is_zero);
    let digits_len = digits.len() as i64;

    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alt {
                vdigits_end = precision;
            }
        }
        _ => {
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    if !use_exp && flags.add_dot_0 {
        vdigits_end = vdigits_end.max(decpt + 1);
    } else {
        vdigits_end = vdigits_end.max(decpt);
    }

    let mut out = String::with_capacity((vdigits_end - vdigits_start) as usize + 8);
    if sign {
        out.push('-');
    } else if flags.sign {
        out.push('+');
    }
    let zeros = |out: &mut String, n: i64| {
        for _ in 0..n.max(0) {
            out.push('0');
        }
    };
    let push_digits = |out: &mut String, ds: &[u8]| {
        out.extend(ds.iter().map(|&b| b as char));
    };
    if decpt <= 0 {
        zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        zeros(&mut out, -decpt);
    } else {
        zeros(&mut out, -vdigits_start);
    }
    if 0 < decpt && decpt <= digits_len {
        let split = decpt as usize;
        push_digits(&mut out, &digits[..split]);
        out.push('.');
        push_digits(&mut out, &digits[split..]);
    } else {
        push_digits(&mut out, &digits);
    }
    if digits_len < decpt {
        zeros(&mut out, decpt - digits_len);
        out.push('.');
        zeros(&mut out, vdigits_end - decpt);
    } else {
        zeros(&mut out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    }
    out
}

/// `repr(x)` / `str(x)` for a float: shortest round-trip digits,
/// scientific notation when the exponent is < -4 or >= 16, `.0` added to
/// integral values, `inf`, `-inf`, `nan`.
pub fn float_repr(x: f64) -> String {
    double_to_string(
        x,
        'r',
        0,
        DtoaFlags {
            add_dot_0: true,
            ..DtoaFlags::default()
        },
    )
}

/// `'%.{prec}f' % x`: fixed notation, correctly rounded (ties to even on
/// the exact binary value, so `2.675` -> `2.67`).
pub fn format_fixed(x: f64, prec: usize) -> String {
    double_to_string(x, 'f', prec, DtoaFlags::default())
}

/// `'%.{prec}e' % x` (or `%E` when `upper`): `1.500000e+03`, at least two
/// exponent digits.
pub fn format_exp(x: f64, prec: usize, upper: bool) -> String {
    double_to_string(x, if upper { 'E' } else { 'e' }, prec, DtoaFlags::default())
}

/// `'%.{prec}g' % x` (`%G` when `upper`, `%#g` when `alternate`).
pub fn format_general(x: f64, prec: usize, upper: bool, alternate: bool) -> String {
    double_to_string(
        x,
        if upper { 'G' } else { 'g' },
        prec,
        DtoaFlags {
            alt: alternate,
            ..DtoaFlags::default()
        },
    )
}

/// Decompose a finite float into `m * 2^e` with `m` an integer (sign ignored).
fn decompose(ax: f64) -> (u64, i32) {
    let bits = ax.to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    }
}

/// CPython's `round(x, ndigits)` for a float and an integer `ndigits`
/// (already clipped to `i64` like `PyNumber_AsSsize_t`): the exact value
/// is rounded half-even to `ndigits` decimal places and converted back
/// correctly rounded. NaNs and infinities are returned unchanged. Errors
/// with `"rounded value too large to represent"` (an `OverflowError`).
pub fn round_float(x: f64, ndigits: i64) -> Result<f64, String> {
    const NDIGITS_MAX: i64 = 323;
    const NDIGITS_MIN: i64 = -308;
    if !x.is_finite() || ndigits > NDIGITS_MAX {
        return Ok(x);
    }
    if ndigits < NDIGITS_MIN {
        return Ok(0.0 * x);
    }
    let (m, e) = decompose(x.abs());
    // value = m * 2^e; we want q = round_half_even(value * 10^ndigits).
    let mut num = BigInt::from(m);
    let mut den = BigInt::one();
    if e >= 0 {
        num <<= e as usize;
    } else {
        den <<= (-e) as usize;
    }
    let p10 = num_traits::pow(BigInt::from(10u32), ndigits.unsigned_abs() as usize);
    if ndigits >= 0 {
        num *= &p10;
    } else {
        den *= &p10;
    }
    let (mut q, r) = num.div_rem(&den);
    let twice: BigInt = r << 1usize;
    if twice > den || (twice == den && q.is_odd()) {
        q += 1;
    }
    let rounded = if q.is_zero() {
        0.0
    } else {
        let text = format!("{q}e{}", -ndigits);
        text.parse::<f64>().unwrap_or(f64::INFINITY)
    };
    if rounded.is_infinite() {
        return Err("rounded value too large to represent".to_string());
    }
    debug_assert!(!q.is_negative());
    Ok(if x.is_sign_negative() {
        -rounded
    } else {
        rounded
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_table() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.0 / 3.0, "0.6666666666666666"),
            (1e-7, "1e-07"),
            (1e-5, "1e-05"),
            (1.5e-5, "1.5e-05"),
            (1e-4, "0.0001"),
            (0.00012345, "0.00012345"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (9007199254740993.0, "9007199254740992.0"),
            (2e16 + 8.0, "2.000000000000001e+16"),
            (1e22, "1e+22"),
            (1e100, "1e+100"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (2.2250738585072014e-308, "2.2250738585072014e-308"),
            (-123.456, "-123.456"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "nan"),
            (9999999999999998.0, "9999999999999998.0"),
            (123456789.0, "123456789.0"),
        ];
        for &(x, want) in cases {
            assert_eq!(float_repr(x), want, "repr({x:?})");
        }
    }

    #[test]
    fn percent_style_table() {
        // (x, prec, %f, %e, %g, %#g) from python3
        let cases: &[(f64, usize, &str, &str, &str, &str)] = &[
            (2.675, 2, "2.67", "2.67e+00", "2.7", "2.7"),
            (0.5, 0, "0", "5e-01", "0.5", "0.5"),
            (1.5, 0, "2", "2e+00", "2", "2."),
            (2.5, 0, "2", "2e+00", "2", "2."),
            (1500.0, 6, "1500.000000", "1.500000e+03", "1500", "1500.00"),
            (1e-5, 6, "0.000010", "1.000000e-05", "1e-05", "1.00000e-05"),
            (
                100000.0,
                6,
                "100000.000000",
                "1.000000e+05",
                "100000",
                "100000.",
            ),
            (
                1e6,
                6,
                "1000000.000000",
                "1.000000e+06",
                "1e+06",
                "1.00000e+06",
            ),
            (0.0, 3, "0.000", "0.000e+00", "0", "0.00"),
            (-0.0, 3, "-0.000", "-0.000e+00", "-0", "-0.00"),
            (-0.0004, 3, "-0.000", "-4.000e-04", "-0.0004", "-0.000400"),
            (1234.0, 0, "1234", "1e+03", "1e+03", "1.e+03"),
            (123456.789, 2, "123456.79", "1.23e+05", "1.2e+05", "1.2e+05"),
            (
                1e300,
                1,
                "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.0",
                "1.0e+300",
                "1e+300",
                "1.e+300",
            ),
            (5e-324, 3, "0.000", "4.941e-324", "4.94e-324", "4.94e-324"),
            (
                0.1,
                20,
                "0.10000000000000000555",
                "1.00000000000000005551e-01",
                "0.10000000000000000555",
                "0.10000000000000000555",
            ),
            (9.9999, 2, "10.00", "1.00e+01", "10", "10."),
            (0.00001234, 3, "0.000", "1.234e-05", "1.23e-05", "1.23e-05"),
        ];
        for &(x, p, f, e, g, ag) in cases {
            assert_eq!(format_fixed(x, p), f, "%.{p}f of {x:?}");
            assert_eq!(format_exp(x, p, false), e, "%.{p}e of {x:?}");
            assert_eq!(format_general(x, p, false, false), g, "%.{p}g of {x:?}");
            assert_eq!(format_general(x, p, false, true), ag, "%#.{p}g of {x:?}");
        }
        assert_eq!(format_exp(1234.5, 2, true), "1.23E+03");
        assert_eq!(format_general(1e-10, 3, true, false), "1E-10");
        assert_eq!(format_general(f64::INFINITY, 3, true, false), "INF");
        assert_eq!(format_fixed(f64::NAN, 3), "nan");
        assert_eq!(format_fixed(f64::NEG_INFINITY, 3), "-inf");
    }

    #[test]
    fn round_table() {
        let cases: &[(f64, i64, f64)] = &[
            (2.675, 2, 2.67),
            (-0.4, 0, -0.0),
            (150.0, -2, 200.0),
            (250.0, -2, 200.0),
            (5e-324, 323, 0.0),
            (0.5, 0, 0.0),
            (1.5, 0, 2.0),
            (2.5, 0, 2.0),
            (1234.5678, -1, 1230.0),
            (1234.5678, 2, 1234.57),
            (0.125, 2, 0.12),
            (0.375, 2, 0.38),
            (1e300, -299, 1e300),
            (1.23456789e-300, 305, 1.23457e-300),
            (123.0, 400, 123.0),
            (123.0, -400, 0.0),
            (-123.0, -400, -0.0),
            (-1.5, 0, -2.0),
            (0.1, 1, 0.1),
            (1e22, -22, 1e22),
            (4.5e15, -16, 0.0),
            (5.5e15, -16, 1e16),
        ];
        for &(x, n, want) in cases {
            let got = round_float(x, n).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "round({x:?}, {n}) = {got:?}");
        }
        assert_eq!(
            round_float(1.7976931348623157e308, -308),
            Err("rounded value too large to represent".to_string())
        );
        assert!(round_float(f64::NAN, 2).unwrap().is_nan());
        assert_eq!(round_float(f64::INFINITY, -2), Ok(f64::INFINITY));
    }

    #[test]
    fn dtoa_flags() {
        let z = DtoaFlags {
            no_neg_0: true,
            ..DtoaFlags::default()
        };
        assert_eq!(double_to_string(-0.0001, 'f', 2, z), "0.00");
        assert_eq!(double_to_string(-0.0, 'e', 2, z), "0.00e+00");
        assert_eq!(double_to_string(-0.001, 'e', 2, z), "-1.00e-03");
        let s = DtoaFlags {
            sign: true,
            ..DtoaFlags::default()
        };
        assert_eq!(double_to_string(1.0, 'f', 1, s), "+1.0");
        assert_eq!(double_to_string(f64::NAN, 'f', 1, s), "+nan");
        let d0 = DtoaFlags {
            add_dot_0: true,
            ..DtoaFlags::default()
        };
        assert_eq!(double_to_string(1.0, 'g', 3, d0), "1.0");
        assert_eq!(double_to_string(123.0, 'g', 3, d0), "1.23e+02");
        assert_eq!(double_to_string(12.0, 'g', 3, d0), "12.0");
    }

    /// Compare against python3 over random floats (skipped if python3 is missing).
    #[test]
    fn fuzz_against_python() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut xs = Vec::new();
        let n = super::super::fuzz_count(3000);
        for i in 0..n {
            let r = next();
            let x = match i % 3 {
                0 => f64::from_bits(r),
                1 => (r >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((r % 40) as i32 - 20),
                _ => ((r % 2_000_001) as f64 - 1e6) / 8.0,
            };
            if x.is_finite() {
                xs.push(x);
            }
        }
        let script = "import sys\nfor line in sys.stdin:\n    x = float.fromhex(line.strip())\n    print(repr(x), '%.3f' % x, '%.5e' % x, '%.4g' % x, '%#.10g' % x, format(x, '.6'), repr(round(x, 3)), '%.0f' % x if abs(x) < 1e30 else '-', sep='|')\n";
        let mut input = String::new();
        for &x in &xs {
            input.push_str(&hex_float(x));
            input.push('\n');
        }
        let Some(text) = super::super::run_python(script, input) else {
            eprintln!("python3 not available; skipping");
            return;
        };
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), xs.len());
        for (&x, line) in xs.iter().zip(lines) {
            let zero_dec = if x.abs() < 1e30 {
                format_fixed(x, 0)
            } else {
                "-".to_string()
            };
            let d0 = DtoaFlags {
                add_dot_0: true,
                ..DtoaFlags::default()
            };
            let mine = [
                float_repr(x),
                format_fixed(x, 3),
                format_exp(x, 5, false),
                format_general(x, 4, false, false),
                format_general(x, 10, false, true),
                double_to_string(x, 'g', 6, d0),
                float_repr(round_float(x, 3).unwrap()),
                zero_dec,
            ]
            .join("|");
            assert_eq!(mine, line, "x = {x:?}");
        }
    }

    fn hex_float(x: f64) -> String {
        let (m, e) = decompose(x.abs());
        format!("{}0x{m:x}p{e}", if x.is_sign_negative() { "-" } else { "" })
    }
}
