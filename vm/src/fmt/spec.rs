//! The format-spec mini-language (`format()`, `str.format`, f-strings),
//! following CPython 3.11's `Python/formatter_unicode.c`:
//!
//! `[[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]`
//!
//! The number formatters assume the C locale for `n` (no grouping, `.` as
//! the decimal point), which is what CPython uses unless a program calls
//! `locale.setlocale`.

use super::float::{DtoaFlags, double_to_string};
use num_bigint::{BigInt, Sign};
use num_traits::ToPrimitive;

/// A parsed format spec. Parsing is type-independent; the defaults that
/// depend on the formatted type (alignment, the `0` flag's meaning) are
/// resolved by the formatters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatSpec {
    /// Fill character (`' '` unless given explicitly before an alignment).
    pub fill: char,
    /// True if `fill` was given explicitly.
    pub fill_specified: bool,
    /// `<`, `>`, `^` or `=`, if given.
    pub align: Option<char>,
    /// `+`, `-` or `' '`, if given.
    pub sign: Option<char>,
    /// The `z` flag (coerce negative zero to positive; floats only).
    pub no_neg_0: bool,
    /// The `#` flag.
    pub alternate: bool,
    /// The `0` flag (zero padding; only recognised without an explicit fill).
    pub zero: bool,
    /// Minimum width in characters.
    pub width: Option<usize>,
    /// `,` or `_`, if given.
    pub grouping: Option<char>,
    /// Precision, if given.
    pub precision: Option<usize>,
    /// Presentation type, if given.
    pub ty: Option<char>,
}

impl Default for FormatSpec {
    fn default() -> Self {
        FormatSpec {
            fill: ' ',
            fill_specified: false,
            align: None,
            sign: None,
            no_neg_0: false,
            alternate: false,
            zero: false,
            width: None,
            grouping: None,
            precision: None,
            ty: None,
        }
    }
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '=' | '^')
}

/// Render a presentation type for error messages like CPython does
/// (`'x'` for printable ASCII, `'\xNN'` otherwise).
fn type_char_repr(c: char) -> String {
    let cp = c as u32;
    if cp > 32 && cp < 128 {
        format!("'{c}'")
    } else {
        format!("'\\x{cp:x}'")
    }
}

/// Parse a format spec. `type_name` is the `type(obj).__name__` used in
/// the "Invalid format specifier" message.
pub fn parse_spec(spec: &str, type_name: &str) -> Result<FormatSpec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let end = chars.len();
    let mut pos = 0;
    let mut out = FormatSpec::default();

    if end >= 2 && is_align(chars[1]) {
        out.fill = chars[0];
        out.fill_specified = true;
        out.align = Some(chars[1]);
        pos = 2;
    } else if end >= 1 && is_align(chars[0]) {
        out.align = Some(chars[0]);
        pos = 1;
    }
    if pos < end && matches!(chars[pos], '+' | '-' | ' ') {
        out.sign = Some(chars[pos]);
        pos += 1;
    }
    if pos < end && chars[pos] == 'z' {
        out.no_neg_0 = true;
        pos += 1;
    }
    if pos < end && chars[pos] == '#' {
        out.alternate = true;
        pos += 1;
    }
    if !out.fill_specified && pos < end && chars[pos] == '0' {
        out.zero = true;
        pos += 1;
    }
    let (width, n) = super::parse_decimal_run(&chars[pos..])?;
    if n > 0 {
        out.width = Some(width);
        pos += n;
    }
    let both = || Err("Cannot specify both ',' and '_'.".to_string());
    if pos < end && chars[pos] == ',' {
        out.grouping = Some(',');
        pos += 1;
    }
    if pos < end && chars[pos] == '_' {
        if out.grouping.is_some() {
            return both();
        }
        out.grouping = Some('_');
        pos += 1;
    }
    if pos < end && chars[pos] == ',' && out.grouping == Some('_') {
        return both();
    }
    if pos < end && chars[pos] == '.' {
        pos += 1;
        let (prec, n) = super::parse_decimal_run(&chars[pos..])?;
        if n == 0 {
            return Err("Format specifier missing precision".to_string());
        }
        out.precision = Some(prec);
        pos += n;
    }
    if end - pos > 1 {
        return Err(format!(
            "Invalid format specifier '{spec}' for object of type '{type_name}'"
        ));
    }
    if pos < end {
        out.ty = Some(chars[pos]);
    }
    if let Some(g) = out.grouping {
        match out.ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => {}
            Some('b' | 'o' | 'x' | 'X') if g == '_' => {}
            Some(t) => {
                return Err(format!("Cannot specify '{g}' with {}.", type_char_repr(t)));
            }
        }
    }
    Ok(out)
}

fn unknown_code(ty: char, type_name: &str) -> String {
    format!(
        "Unknown format code {} for object of type '{type_name}'",
        type_char_repr(ty)
    )
}

/// Alignment/fill after applying the type's defaults.
struct Layout {
    fill: char,
    align: char,
    width: usize,
}

fn layout(spec: &FormatSpec, default_align: char) -> Layout {
    let fill = if spec.zero { '0' } else { spec.fill };
    let align = spec.align.unwrap_or(if spec.zero && default_align == '>' {
        '='
    } else {
        default_align
    });
    Layout {
        fill,
        align,
        width: spec.width.unwrap_or(0),
    }
}

/// CPython's `_PyUnicode_InsertThousandsGrouping` for ASCII digits:
/// groups `digits` (padding with zeros up to `min_width` characters when
/// zero-filling) using `sep` every `group` digits, if any.
fn group_digits(digits: &[u8], min_width: i64, sep: Option<(char, i64)>) -> String {
    let mut rev: Vec<char> = Vec::with_capacity(digits.len() * 2);
    let mut remaining = digits.len() as i64;
    let mut min_width = min_width;
    let mut src = digits.iter().rev();
    let emit = |rev: &mut Vec<char>, zeros: i64, chars: i64, src: &mut dyn Iterator<Item = &u8>| {
        for _ in 0..chars {
            if let Some(&b) = src.next() {
                rev.push(b as char);
            }
        }
        for _ in 0..zeros {
            rev.push('0');
        }
    };
    let mut use_sep = false;
    let mut broken = false;
    if let Some((sep_char, group)) = sep {
        loop {
            let l = group.min(remaining.max(min_width).max(1));
            let zeros = (l - remaining).max(0);
            let chars = remaining.min(l).max(0);
            if use_sep {
                rev.push(sep_char);
            }
            emit(&mut rev, zeros, chars, &mut src);
            use_sep = true;
            remaining -= chars;
            min_width -= l;
            if remaining <= 0 && min_width <= 0 {
                broken = true;
                break;
            }
            min_width -= 1;
        }
    }
    if !broken {
        let l = remaining.max(min_width).max(1);
        let zeros = (l - remaining).max(0);
        let chars = remaining.min(l).max(0);
        if use_sep && let Some((sep_char, _)) = sep {
            rev.push(sep_char);
        }
        emit(&mut rev, zeros, chars, &mut src);
    }
    rev.iter().rev().collect()
}

/// The pieces of a formatted number, laid out by [`fill_number`].
struct NumberParts<'a> {
    negative: bool,
    prefix: &'a str,
    digits: &'a [u8],
    has_decimal: bool,
    remainder: &'a str,
    /// Separator and group size, if grouping.
    grouping: Option<(char, i64)>,
    upper: bool,
}

/// CPython's `calc_number_widths` + `fill_number`.
fn fill_number(parts: &NumberParts<'_>, spec: &FormatSpec, lay: &Layout) -> String {
    let sign = match spec.sign {
        Some('+') => Some(if parts.negative { '-' } else { '+' }),
        Some(' ') => Some(if parts.negative { '-' } else { ' ' }),
        _ => parts.negative.then_some('-'),
    };
    let n_sign = i64::from(sign.is_some());
    let n_prefix = parts.prefix.chars().count() as i64;
    let n_decimal = i64::from(parts.has_decimal);
    let n_remainder = parts.remainder.chars().count() as i64;
    let non_digit = n_sign + n_prefix + n_decimal + n_remainder;
    let width = spec.width.map_or(-1, |w| w.min(i64::MAX as usize) as i64);
    let min_width = if lay.fill == '0' && lay.align == '=' {
        width - non_digit
    } else {
        0
    };
    let grouped = if parts.digits.is_empty() {
        String::new()
    } else {
        group_digits(parts.digits, min_width, parts.grouping)
    };
    let n_grouped = grouped.chars().count() as i64;
    let padding = width - (non_digit + n_grouped);
    let (mut lpad, mut spad, mut rpad) = (0, 0, 0);
    if padding > 0 {
        match lay.align {
            '<' => rpad = padding,
            '^' => {
                lpad = padding / 2;
                rpad = padding - lpad;
            }
            '=' => spad = padding,
            _ => lpad = padding,
        }
    }
    let total = (non_digit + n_grouped + padding.max(0)) as usize;
    let mut out = String::with_capacity(total);
    let pad = |out: &mut String, n: i64| {
        for _ in 0..n {
            out.push(lay.fill);
        }
    };
    pad(&mut out, lpad);
    if let Some(s) = sign {
        out.push(s);
    }
    if parts.upper {
        out.push_str(&parts.prefix.to_ascii_uppercase());
    } else {
        out.push_str(parts.prefix);
    }
    pad(&mut out, spad);
    if parts.upper {
        out.push_str(&grouped.to_ascii_uppercase());
    } else {
        out.push_str(&grouped);
    }
    if parts.has_decimal {
        out.push('.');
    }
    out.push_str(parts.remainder);
    pad(&mut out, rpad);
    out
}

/// Pad `s` (already truncated) to the layout's width.
fn pad_string(s: &str, nchars: usize, lay: &Layout) -> String {
    let total = lay.width.max(nchars);
    let lpad = match lay.align {
        '>' => total - nchars,
        '^' => (total - nchars) / 2,
        _ => 0,
    };
    let rpad = total - nchars - lpad;
    let mut out = String::with_capacity(s.len() + lpad + rpad);
    out.extend(std::iter::repeat_n(lay.fill, lpad));
    out.push_str(s);
    out.extend(std::iter::repeat_n(lay.fill, rpad));
    out
}

/// `format(s, spec)` for a str (types `s` and none). `type_name` is used
/// in "Unknown format code" messages. (CPython returns `str(obj)` for an
/// empty spec before parsing; the result here is the same.)
pub fn format_str(s: &str, spec: &FormatSpec, type_name: &str) -> Result<String, String> {
    match spec.ty {
        None | Some('s') => {}
        Some(t) => return Err(unknown_code(t, type_name)),
    }
    // The str default type is 's', which `parse_spec` could not know.
    if let Some(g) = spec.grouping {
        return Err(format!("Cannot specify '{g}' with 's'."));
    }
    match spec.sign {
        Some(' ') => return Err("Space not allowed in string format specifier".to_string()),
        Some(_) => return Err("Sign not allowed in string format specifier".to_string()),
        None => {}
    }
    if spec.no_neg_0 {
        return Err(
            "Negative zero coercion (z) not allowed in string format specifier".to_string(),
        );
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed in string format specifier".to_string());
    }
    if spec.align == Some('=') {
        return Err("'=' alignment not allowed in string format specifier".to_string());
    }
    super::check_len(spec.width)?;
    let lay = layout(spec, '<');
    let mut nchars = s.chars().count();
    let mut text = s;
    if let Some(p) = spec.precision
        && nchars >= p
    {
        let cut = s.char_indices().nth(p).map_or(s.len(), |(i, _)| i);
        text = &s[..cut];
        nchars = p;
    }
    Ok(pad_string(text, nchars, &lay))
}

/// `bin()`/`oct()`/`hex()` bodies and general base conversion: the digits
/// of `v` in `base` (2..=36), with a leading `-` for negatives and no
/// prefix; `upper` selects `A-Z` digits.
pub fn int_to_base(v: &BigInt, base: u32, upper: bool) -> String {
    let base = base.clamp(2, 36);
    let s = v.to_str_radix(base);
    if upper { s.to_ascii_uppercase() } else { s }
}

/// Convert an int to a float like `PyLong_AsDouble` (correctly rounded).
pub(crate) fn int_to_f64(v: &BigInt) -> Result<f64, String> {
    match v.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err("int too large to convert to float".to_string()),
    }
}

/// `format(v, spec)` for an int: types `b c d o x X n` and none (= `d`),
/// plus `e E f F g G %` which format `float(v)`. `type_name` is used in
/// "Unknown format code" messages.
pub fn format_int(v: &BigInt, spec: &FormatSpec, type_name: &str) -> Result<String, String> {
    let ty = spec.ty.unwrap_or('d');
    let base = match ty {
        'b' => 2,
        'o' => 8,
        'x' | 'X' => 16,
        'd' | 'n' | 'c' => 10,
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let x = int_to_f64(v)?;
            return format_float(x, spec, type_name);
        }
        t => return Err(unknown_code(t, type_name)),
    };
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".to_string());
    }
    if spec.no_neg_0 {
        return Err(
            "Negative zero coercion (z) not allowed in integer format specifier".to_string(),
        );
    }
    super::check_len(spec.width)?;
    let lay = layout(spec, '>');
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err("Sign not allowed with integer format specifier 'c'".to_string());
        }
        if spec.alternate {
            return Err(
                "Alternate form (#) not allowed with integer format specifier 'c'".to_string(),
            );
        }
        let Some(x) = v.to_i64() else {
            return Err("Python int too large to convert to C long".to_string());
        };
        let ch = u32::try_from(x)
            .ok()
            .filter(|&x| x <= 0x10ffff)
            .ok_or_else(|| "%c arg not in range(0x110000)".to_string())?;
        // Lone surrogates cannot be represented in a Rust string; U+FFFD
        // stands in for them (the VM may special-case this).
        let c = char::from_u32(ch).unwrap_or('\u{FFFD}');
        let rem = c.to_string();
        let parts = NumberParts {
            negative: false,
            prefix: "",
            digits: &[],
            has_decimal: false,
            remainder: &rem,
            grouping: None,
            upper: false,
        };
        return Ok(fill_number(&parts, spec, &lay));
    }
    let digits = v.magnitude().to_str_radix(base);
    let prefix = if spec.alternate {
        match ty {
            'b' => "0b",
            'o' => "0o",
            'x' | 'X' => "0x",
            _ => "",
        }
    } else {
        ""
    };
    let grouping = match (ty, spec.grouping) {
        ('n', _) | (_, None) => None,
        ('b' | 'o' | 'x' | 'X', Some(g)) => Some((g, 4)),
        (_, Some(g)) => Some((g, 3)),
    };
    let parts = NumberParts {
        negative: v.sign() == Sign::Minus,
        prefix,
        digits: digits.as_bytes(),
        has_decimal: false,
        remainder: "",
        grouping,
        upper: ty == 'X',
    };
    Ok(fill_number(&parts, spec, &lay))
}

/// `format(x, spec)` for a float: types `e E f F g G n %` and none
/// (repr-like without a precision, else `g` keeping at least one digit
/// after the point). `type_name` is used in "Unknown format code" messages.
pub fn format_float(x: f64, spec: &FormatSpec, type_name: &str) -> Result<String, String> {
    let ty = spec.ty;
    match ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => {}
        Some(t) => return Err(unknown_code(t, type_name)),
    }
    if spec.precision.is_some_and(|p| p > i32::MAX as usize) {
        return Err("precision too big".to_string());
    }
    super::check_len(spec.width)?;
    super::check_len(spec.precision)?;
    let mut flags = DtoaFlags {
        alt: spec.alternate,
        no_neg_0: spec.no_neg_0,
        ..DtoaFlags::default()
    };
    let mut default_precision = 6;
    let mut code = match ty {
        None => {
            flags.add_dot_0 = true;
            default_precision = 0;
            'r'
        }
        Some('n') => 'g',
        Some(t) => t,
    };
    let mut val = x;
    let mut add_pct = false;
    if code == '%' {
        code = 'f';
        val *= 100.0;
        add_pct = true;
    }
    let precision = match spec.precision {
        Some(p) => {
            if code == 'r' {
                code = 'g';
            }
            p
        }
        None => default_precision,
    };
    let mut buf = double_to_string(val, code, precision, flags);
    if add_pct {
        buf.push('%');
    }
    let lay = layout(spec, '>');
    let (negative, body) = match buf.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, buf.as_str()),
    };
    let ndig = body.bytes().take_while(u8::is_ascii_digit).count();
    let digits = &body.as_bytes()[..ndig];
    let mut rest = &body[ndig..];
    let has_decimal = rest.starts_with('.');
    if has_decimal {
        rest = &rest[1..];
    }
    let grouping = match (ty, spec.grouping) {
        (Some('n'), _) | (_, None) => None,
        (_, Some(g)) => Some((g, 3)),
    };
    let parts = NumberParts {
        negative,
        prefix: "",
        digits,
        has_decimal,
        remainder: rest,
        grouping,
        upper: false,
    };
    Ok(fill_number(&parts, spec, &lay))
}

/// Parse a spec and format a float in one step (convenience).
pub fn format_float_with(x: f64, spec: &str) -> Result<String, String> {
    format_float(x, &parse_spec(spec, "float")?, "float")
}

/// Parse a spec and format an int in one step (convenience).
pub fn format_int_with(v: &BigInt, spec: &str) -> Result<String, String> {
    format_int(v, &parse_spec(spec, "int")?, "int")
}

/// Parse a spec and format a str in one step (convenience).
pub fn format_str_with(s: &str, spec: &str) -> Result<String, String> {
    format_str(s, &parse_spec(spec, "str")?, "str")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: char, val: &str, spec: &str) -> Result<String, String> {
        match kind {
            'i' => format_int_with(&val.parse::<BigInt>().unwrap(), spec),
            'f' => format_float_with(val.parse::<f64>().unwrap(), spec),
            _ => format_str_with(val, spec),
        }
    }

    #[test]
    fn table() {
        // (kind, value, spec, expected or "ERR:message") from python3.
        let cases: &[(char, &str, &str, &str)] = &[
            ('i', "1234567", ",", "1,234,567"),
            ('i', "1234567", "_", "1_234_567"),
            ('i', "-1234567", "+015,d", "-00,001,234,567"),
            ('i', "1234", "08,", "0,001,234"),
            ('i', "1234", "010,", "00,001,234"),
            ('i', "-1234", "010,", "-0,001,234"),
            ('i', "255", "#X", "0XFF"),
            ('i', "255", "#010_x", "0x000_00ff"),
            ('i', "255", "#b", "0b11111111"),
            ('i', "-255", "#o", "-0o377"),
            ('i', "65", "05c", "0000A"),
            ('i', "65", "^5c", "  A  "),
            ('i', "42", "*^+8", "**+42***"),
            ('i', "42", "=+8", "+     42"),
            ('i', "42", " ", " 42"),
            ('i', "42", "x<6", "42xxxx"),
            ('i', "42", "", "42"),
            ('i', "42", "e", "4.200000e+01"),
            ('i', "42", ".2%", "4200.00%"),
            ('i', "12345678901234567890", ",.3g", "1.23e+19"),
            ('i', "12345678901234567890", "n", "12345678901234567890"),
            ('i', "3", "\u{663}", "  3"),
            (
                'i',
                "1",
                "abc",
                "ERR:Invalid format specifier 'abc' for object of type 'int'",
            ),
            (
                'i',
                "1",
                "z",
                "ERR:Negative zero coercion (z) not allowed in integer format specifier",
            ),
            (
                'i',
                "1",
                ".2",
                "ERR:Precision not allowed in integer format specifier",
            ),
            ('i', "1", ",c", "ERR:Cannot specify ',' with 'c'."),
            ('i', "1", ",_", "ERR:Cannot specify both ',' and '_'."),
            ('i', "1", "_,", "ERR:Cannot specify both ',' and '_'."),
            ('i', "1", "_n", "ERR:Cannot specify '_' with 'n'."),
            ('i', "1", ",x", "ERR:Cannot specify ',' with 'x'."),
            ('i', "1", ".", "ERR:Format specifier missing precision"),
            (
                'i',
                "65",
                "+c",
                "ERR:Sign not allowed with integer format specifier 'c'",
            ),
            (
                'i',
                "65",
                "#c",
                "ERR:Alternate form (#) not allowed with integer format specifier 'c'",
            ),
            ('i', "-1", "c", "ERR:%c arg not in range(0x110000)"),
            (
                'i',
                "1180591620717411303424",
                "c",
                "ERR:Python int too large to convert to C long",
            ),
            (
                'i',
                "1",
                "s",
                "ERR:Unknown format code 's' for object of type 'int'",
            ),
            (
                'i',
                "1",
                "\u{e9}",
                "ERR:Unknown format code '\\xe9' for object of type 'int'",
            ),
            ('i', "1", ",\u{e9}", "ERR:Cannot specify ',' with '\\xe9'."),
            (
                'i',
                "1",
                "99999999999999999999",
                "ERR:Too many decimal digits in format string",
            ),
            ('f', "1.0", "", "1.0"),
            ('f', "1.0", ".3", "1.0"),
            ('f', "123.0", ".3", "1.23e+02"),
            ('f', "1e16", "", "1e+16"),
            ('f', "1e-5", ".3", "1e-05"),
            ('f', "0.0001", ".3", "0.0001"),
            ('f', "1e22", "n", "1e+22"),
            ('f', "12.5", "%", "1250.000000%"),
            ('f', "1.5", "10.3%", "  150.000%"),
            ('f', "-0.0", "z", "0.0"),
            ('f', "-0.0001", "z.2f", "0.00"),
            ('f', "-0.0", "ze", "0.000000e+00"),
            ('f', "inf", "010f", "0000000inf"),
            ('f', "inf", "010,f", "0000000inf"),
            ('f', "-inf", "=+10", "-      inf"),
            ('f', "nan", "+E", "+NAN"),
            ('f', "0.0", "#g", "0.00000"),
            ('f', "1.0", "#.0f", "1."),
            ('f', "1.0", "#.0e", "1.e+00"),
            ('f', "12345.0", "#.3g", "1.23e+04"),
            ('f', "1234567.891", ",.2f", "1,234,567.89"),
            ('f', "1234567.891", "_", "1_234_567.891"),
            ('f', "-1234.5", "012,.1f", "-0,001,234.5"),
            ('f', "1234.5", "^+15,.2e", "   +1.23e+03   "),
            ('f', "3.14159", "*<10.3", "3.14******"),
            (
                'f',
                "1.5",
                "c",
                "ERR:Unknown format code 'c' for object of type 'float'",
            ),
            (
                'f',
                "1.5",
                "d",
                "ERR:Unknown format code 'd' for object of type 'float'",
            ),
            ('f', "1.0", ".2147483648f", "ERR:precision too big"),
            ('f', "1.0", ".\u{663}f", "1.000"),
            ('s', "ab", "05", "ab000"),
            ('s', "ab", "^05", "0ab00"),
            ('s', "abc", ">6.2", "    ab"),
            ('s', "h\u{e9}llo", "*^9", "**h\u{e9}llo**"),
            ('s', "\u{65e5}\u{672c}", "4", "\u{65e5}\u{672c}  "),
            ('s', "\u{65e5}\u{672c}\u{8a9e}", ".1s", "\u{65e5}"),
            (
                's',
                "a",
                " ",
                "ERR:Space not allowed in string format specifier",
            ),
            (
                's',
                "a",
                "+",
                "ERR:Sign not allowed in string format specifier",
            ),
            (
                's',
                "a",
                "z",
                "ERR:Negative zero coercion (z) not allowed in string format specifier",
            ),
            (
                's',
                "a",
                "#",
                "ERR:Alternate form (#) not allowed in string format specifier",
            ),
            (
                's',
                "a",
                "=5",
                "ERR:'=' alignment not allowed in string format specifier",
            ),
            ('s', "a", ",", "ERR:Cannot specify ',' with 's'."),
            (
                's',
                "a",
                "d",
                "ERR:Unknown format code 'd' for object of type 'str'",
            ),
        ];
        for &(kind, val, spec, want) in cases {
            let got = match run(kind, val, spec) {
                Ok(s) => s,
                Err(e) => format!("ERR:{e}"),
            };
            assert_eq!(got, want, "format({kind}:{val:?}, {spec:?})");
        }
        assert_eq!(int_to_base(&BigInt::from(-255), 16, false), "-ff");
        assert_eq!(int_to_base(&BigInt::from(255), 16, true), "FF");
        assert_eq!(int_to_base(&BigInt::from(5), 2, false), "101");
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    /// Random specs against python3 (skipped if python3 is missing).
    #[test]
    fn fuzz_against_python() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        let mut cases = Vec::new();
        let ints = [
            "0",
            "1",
            "-1",
            "7",
            "42",
            "-42",
            "255",
            "1000",
            "-99999",
            "1234567",
            "65",
            "123456789012345678901234567890",
            "-18446744073709551616",
            "9999",
        ];
        let floats = [
            "0.0",
            "-0.0",
            "1.0",
            "-1.5",
            "0.1",
            "2.675",
            "1e-7",
            "123456.789",
            "-0.0004",
            "1e22",
            "1.7976931348623157e308",
            "5e-324",
            "inf",
            "-inf",
            "nan",
            "0.5",
            "9.995",
            "1234567.0",
            "-98765.4321",
            "3.141592653589793",
        ];
        let strs = [
            "",
            "a",
            "abc",
            "h\u{e9}llo",
            "\u{65e5}\u{672c}\u{8a9e}",
            "spam eggs",
        ];
        for _ in 0..super::super::fuzz_count(4000) {
            let kind = ['i', 'f', 's'][(rng.next() % 3) as usize];
            let mut spec = String::new();
            spec += rng.pick(&["", "", "", "<", ">", "^", "=", "*^", "0>", "x<", "\u{e9}="]);
            spec += rng.pick(&["", "", "+", "-", " "]);
            spec += rng.pick(&["", "", "", "", "z"]);
            spec += rng.pick(&["", "", "", "#"]);
            spec += rng.pick(&["", "", "0"]);
            spec += rng.pick(&["", "", "1", "8", "12", "25"]);
            spec += rng.pick(&["", "", "", ",", "_"]);
            spec += rng.pick(&["", "", "", ".0", ".1", ".3", ".12", ".20"]);
            let types: &[&str] = match kind {
                'i' => &[
                    "", "", "d", "b", "o", "x", "X", "c", "n", "e", "f", "g", "%", "G", "s",
                ],
                'f' => &["", "", "e", "E", "f", "F", "g", "G", "n", "%", "d"],
                _ => &["", "", "s", "d"],
            };
            spec += rng.pick(types);
            let val = match kind {
                'i' => rng.pick(&ints).to_string(),
                'f' => rng.pick(&floats).to_string(),
                _ => rng.pick(&strs).to_string(),
            };
            cases.push((kind, val, spec));
        }
        let script = "import sys\nsys.stdin.reconfigure(encoding='utf-8')\nsys.stdout.reconfigure(encoding='utf-8')\nfor line in sys.stdin:\n    k, v, s = line.rstrip('\\n').split('\\t')\n    v = int(v) if k == 'i' else float(v) if k == 'f' else v\n    try:\n        r = format(v, s)\n    except Exception as e:\n        r = 'ERR:' + str(e)\n    print(r)\n";
        let mut input = String::new();
        for (k, v, s) in &cases {
            input += &format!("{k}\t{v}\t{s}\n");
        }
        let Some(text) = super::super::run_python(script, input) else {
            eprintln!("python3 not available; skipping");
            return;
        };
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), cases.len());
        let mut failures = Vec::new();
        for ((k, v, s), want) in cases.iter().zip(lines) {
            let got = match run(*k, v, s) {
                Ok(r) => r,
                Err(e) => format!("ERR:{e}"),
            };
            if got != want {
                failures.push(format!(
                    "format({k}:{v}, {s:?}): got {got:?}, want {want:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures[..failures.len().min(30)].join("\n")
        );
    }
}
