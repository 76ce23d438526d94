//! Formatting core: CPython 3.11-compatible text formatting of numbers and
//! strings, with no dependency on the VM.
//!
//! * [`float`]: `repr(float)`, `'%.Nf'`/`'%.Ne'`/`'%.Ng'` style conversions
//!   (the equivalent of CPython's `PyOS_double_to_string`) and
//!   `round(x, ndigits)`.
//! * [`spec`]: the format-spec mini-language used by `format()`,
//!   `str.format` and f-strings (`FormatSpec`, `parse_spec`, `format_int`,
//!   `format_float`, `format_str`).
//! * [`percent`]: printf-style `%` formatting (`parse_percent` plus the
//!   per-conversion formatters the VM calls once it has fetched a value).
//! * [`template`]: `str.format` template parsing (literal text, replacement
//!   fields, field names with `.attr` / `[key]` chains, auto-numbering).
//!
//! Errors are returned as `Err(String)` carrying CPython's exact message.
//! Almost all of them are `ValueError`s; [`is_overflow_error`] tells the few
//! `OverflowError` ones apart, and [`TOO_LARGE`] stands for `MemoryError`.

pub mod float;
pub mod percent;
pub mod spec;
pub mod template;

pub use float::{
    DtoaFlags, double_to_string, float_repr, format_exp, format_fixed, format_general, round_float,
};
pub use percent::{
    Count, PercentConv, PercentError, PercentFlags, PercentPiece, PercentSpec, parse_percent,
    parse_percent_lenient, percent_float, percent_int, percent_str,
};
pub use spec::{
    FormatSpec, format_float, format_float_with, format_int, format_int_with, format_str,
    format_str_with, int_to_base, parse_spec,
};
pub use template::{
    AutoNumber, FieldAccessor, FieldFirst, FieldName, TemplateField, TemplatePiece,
    check_conversion, parse_field_name, parse_template, parse_template_lenient,
};

/// Messages produced by this module that CPython raises as `OverflowError`
/// (every other error message is a `ValueError`).
pub const OVERFLOW_MESSAGES: &[&str] = &[
    "%c arg not in range(0x110000)",
    "Python int too large to convert to C long",
    "int too large to convert to float",
    "rounded value too large to represent",
    "precision too large",
];

/// True if `msg` (an error returned by this module) is an `OverflowError`
/// in CPython rather than a `ValueError`.
pub fn is_overflow_error(msg: &str) -> bool {
    OVERFLOW_MESSAGES.contains(&msg)
}

/// Largest width or precision the formatters accept. CPython would try to
/// build such results and usually fail with `MemoryError`; here the
/// formatters return `Err(`[`TOO_LARGE`]`)` instead of aborting on a failed
/// allocation.
pub const MAX_FORMAT_LEN: usize = 1 << 30;

/// Error message for results above [`MAX_FORMAT_LEN`]; the VM should raise
/// `MemoryError` for it.
pub const TOO_LARGE: &str = "formatted result too large";

/// Check a requested width/precision against [`MAX_FORMAT_LEN`].
pub(crate) fn check_len(n: Option<usize>) -> Result<(), String> {
    match n {
        Some(n) if n > MAX_FORMAT_LEN => Err(TOO_LARGE.to_string()),
        _ => Ok(()),
    }
}

/// Code points whose decimal value is 0 (Unicode 14.0, as in CPython 3.11);
/// each starts a run of ten consecutive decimal digits.
const DECIMAL_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The decimal value of `c` like CPython's `Py_UNICODE_TODECIMAL`: ASCII
/// digits and every other Unicode `Nd` character, else `None`.
pub fn decimal_value(c: char) -> Option<u32> {
    let cp = c as u32;
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let idx = DECIMAL_ZEROS.partition_point(|&z| z <= cp);
    if idx == 0 {
        return None;
    }
    let zero = DECIMAL_ZEROS[idx - 1];
    let d = cp - zero;
    (d < 10).then_some(d)
}

/// Parse a run of decimal digits (CPython's `get_integer` in the
/// formatter): returns the value (if any digits) and the number of chars
/// consumed, or CPython's overflow message when above `isize::MAX`.
pub(crate) fn parse_decimal_run(chars: &[char]) -> Result<(usize, usize), String> {
    let mut acc: u64 = 0;
    let mut n = 0;
    for &c in chars {
        let Some(d) = decimal_value(c) else { break };
        let d = u64::from(d);
        if acc > (i64::MAX as u64 - d) / 10 {
            return Err("Too many decimal digits in format string".to_string());
        }
        acc = acc * 10 + d;
        n += 1;
    }
    Ok((usize::try_from(acc).unwrap_or(usize::MAX), n))
}

/// Run a python3 script over `input` (stdin written from a thread, so
/// large inputs cannot deadlock) and return its stdout, or `None` when
/// python3 is unavailable (the comparison tests then skip).
#[cfg(test)]
pub(crate) fn run_python(script: &str, input: String) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    String::from_utf8(out.stdout).ok()
}

/// Number of random cases for the python comparison tests (`FMT_FUZZ_N`).
#[cfg(test)]
pub(crate) fn fuzz_count(default: usize) -> usize {
    std::env::var("FMT_FUZZ_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('\u{663}'), Some(3));
        assert_eq!(decimal_value('\u{1FBF9}'), Some(9));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('\u{2F}'), None);
        assert_eq!(decimal_value('\u{B2}'), None); // superscript two is not Nd
        assert_eq!(parse_decimal_run(&['1', '2', 'x']), Ok((12, 2)));
        let many: Vec<char> = "99999999999999999999".chars().collect();
        assert_eq!(
            parse_decimal_run(&many),
            Err("Too many decimal digits in format string".to_string())
        );
    }

    /// Random garbage through every parser/formatter must never panic.
    #[test]
    fn no_panics() {
        let alphabet: Vec<char> =
            "{}[]().!:%*-+ #0z123456789,_<>=^sdxXobcneEfFgG%rahlL\u{e9}\u{663}"
                .chars()
                .collect();
        let mut state: u64 = 42;
        let v = num_bigint::BigInt::from(-1234567);
        for _ in 0..fuzz_count(20000) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 9) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((state >> (i * 6)) % alphabet.len() as u64) as usize])
                .collect();
            if let Ok(spec) = parse_spec(&s, "t") {
                let _ = format_int(&v, &spec, "int");
                let _ = format_float(-1.5e-7, &spec, "float");
                let _ = format_str("h\u{e9}llo", &spec, "str");
            }
            let (pieces, _) = parse_percent_lenient(&s);
            for p in pieces {
                if let PercentPiece::Conv(c) = p {
                    let spec = c.resolve(Some(-3), Some(-1));
                    let _ = percent_int(&v, &spec);
                    let _ = percent_float(f64::NAN, &spec);
                    let _ = percent_str("", &spec);
                    let _ = percent_str("ab", &spec);
                }
            }
            let (pieces, _) = parse_template_lenient(&s);
            for p in pieces {
                if let TemplatePiece::Field(f) = p {
                    let _ = parse_field_name(&f.field_name);
                    let _ = parse_template_lenient(&f.spec);
                }
            }
        }
    }
}
