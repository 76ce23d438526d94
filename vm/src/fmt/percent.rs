//! printf-style `%` formatting (`str % args`), following CPython 3.11's
//! `PyUnicode_Format` (`Objects/unicodeobject.c`).
//!
//! The VM parses the template with [`parse_percent_lenient`] (or
//! [`parse_percent`]), walks the pieces fetching arguments, resolves `*`
//! counts with [`PercentConv::resolve`] and calls [`percent_int`],
//! [`percent_float`] or [`percent_str`] for each conversion. `%c`, `%s`,
//! `%r` and `%a` produce their text in the VM and go through
//! [`percent_str`].

use super::float::{DtoaFlags, double_to_string};
use num_bigint::{BigInt, Sign};

/// Conversion flags (`-`, `+`, space, `0`, `#`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PercentFlags {
    /// `-`: left-justify.
    pub minus: bool,
    /// `+`: always emit a sign.
    pub plus: bool,
    /// space: emit a space for non-negative numbers.
    pub space: bool,
    /// `0`: zero padding (numbers only).
    pub zero: bool,
    /// `#`: alternate form.
    pub alt: bool,
}

/// A width or precision as written in the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// `*`: taken from the next positional argument.
    Star,
    /// A literal number.
    N(usize),
}

/// One parsed `%` conversion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PercentConv {
    /// `%(key)s`: the mapping key.
    pub key: Option<String>,
    /// Flags.
    pub flags: PercentFlags,
    /// Width, if any.
    pub width: Option<Count>,
    /// Precision, if any (`%.s` gives `Some(N(0))`).
    pub precision: Option<Count>,
    /// The conversion character (`h`/`l`/`L` length modifiers skipped).
    pub conv: char,
    /// Index (in characters) of the conversion character in the template.
    pub index: usize,
}

/// A piece of a parsed `%` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PercentPiece {
    /// Literal text (`%%` already turned into `%`).
    Literal(String),
    /// A conversion.
    Conv(PercentConv),
}

/// A parse error, with what CPython does before raising it so the VM can
/// reproduce error precedence exactly: (1) if `mapping` and no mapping was
/// given, raise `TypeError("format requires a mapping")`; (2) if `key` is
/// set, look it up (possible `KeyError`); (3) fetch `star_args` positional
/// arguments for `*` counts (possible `TypeError`s); (4) if `value_arg`,
/// fetch the value argument (possible "not enough arguments"); then raise
/// `ValueError(message)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PercentError {
    /// CPython's `ValueError` message.
    pub message: String,
    /// A `%(` was seen for this conversion.
    pub mapping: bool,
    /// The mapping key, if it was fully parsed.
    pub key: Option<String>,
    /// Number of `*` arguments fetched before the error.
    pub star_args: usize,
    /// The value argument is fetched before the error.
    pub value_arg: bool,
}

/// Conversion characters `PyUnicode_Format` accepts.
pub fn is_supported_conv(c: char) -> bool {
    matches!(
        c,
        's' | 'r'
            | 'a'
            | 'c'
            | 'd'
            | 'i'
            | 'u'
            | 'o'
            | 'x'
            | 'X'
            | 'e'
            | 'E'
            | 'f'
            | 'F'
            | 'g'
            | 'G'
    )
}

/// CPython's "unsupported format character" message.
pub fn unsupported_message(conv: char, index: usize) -> String {
    let cp = conv as u32;
    let shown = if (31..=126).contains(&cp) { conv } else { '?' };
    format!("unsupported format character '{shown}' (0x{cp:x}) at index {index}")
}

fn parse_conv(chars: &[char], pos: &mut usize) -> Result<PercentConv, PercentError> {
    let mut err = PercentError {
        message: String::new(),
        mapping: false,
        key: None,
        star_args: 0,
        value_arg: false,
    };
    let fail = |mut err: PercentError, msg: &str| {
        err.message = msg.to_string();
        Err(err)
    };
    let len = chars.len();
    let mut cur = '\0';
    let mut ok = true;
    let next = |pos: &mut usize, cur: &mut char, ok: &mut bool| -> bool {
        if *pos < len {
            *cur = chars[*pos];
            *pos += 1;
            true
        } else {
            *ok = false;
            false
        }
    };
    let mut key = None;
    if *pos < len && chars[*pos] == '(' {
        err.mapping = true;
        *pos += 1;
        let start = *pos;
        let mut depth = 1;
        while depth > 0 && *pos < len {
            cur = chars[*pos];
            if cur == ')' {
                depth -= 1;
            } else if cur == '(' {
                depth += 1;
            }
            *pos += 1;
        }
        if depth > 0 {
            return fail(err, "incomplete format key");
        }
        let k: String = chars[start..*pos - 1].iter().collect();
        err.key = Some(k.clone());
        key = Some(k);
    }
    let mut flags = PercentFlags::default();
    while next(pos, &mut cur, &mut ok) {
        match cur {
            '-' => flags.minus = true,
            '+' => flags.plus = true,
            ' ' => flags.space = true,
            '#' => flags.alt = true,
            '0' => flags.zero = true,
            _ => break,
        }
    }
    let mut width = None;
    if cur == '*' {
        width = Some(Count::Star);
        err.star_args += 1;
        next(pos, &mut cur, &mut ok);
    } else if let Some(d) = cur.to_digit(10) {
        let mut w = d as usize;
        while next(pos, &mut cur, &mut ok) {
            let Some(d) = cur.to_digit(10) else { break };
            if w > (isize::MAX as usize - d as usize) / 10 {
                return fail(err, "width too big");
            }
            w = w * 10 + d as usize;
        }
        width = Some(Count::N(w));
    }
    let mut precision = None;
    if cur == '.' {
        precision = Some(Count::N(0));
        next(pos, &mut cur, &mut ok);
        if cur == '*' {
            precision = Some(Count::Star);
            err.star_args += 1;
            next(pos, &mut cur, &mut ok);
        } else if let Some(d) = cur.to_digit(10) {
            let mut p = d as usize;
            while next(pos, &mut cur, &mut ok) {
                let Some(d) = cur.to_digit(10) else { break };
                if p > (i32::MAX as usize - d as usize) / 10 {
                    return fail(err, "precision too big");
                }
                p = p * 10 + d as usize;
            }
            precision = Some(Count::N(p));
        }
    }
    if ok && matches!(cur, 'h' | 'l' | 'L') {
        next(pos, &mut cur, &mut ok);
    }
    if !ok {
        return fail(err, "incomplete format");
    }
    Ok(PercentConv {
        key,
        flags,
        width,
        precision,
        conv: cur,
        index: *pos - 1,
    })
}

/// Parse a `%` template, returning the pieces parsed before the first
/// error and that error. Conversions with an unsupported conversion
/// character end the list with an error whose `value_arg` is set (CPython
/// fetches the argument before complaining).
pub fn parse_percent_lenient(fmt: &str) -> (Vec<PercentPiece>, Option<PercentError>) {
    let chars: Vec<char> = fmt.chars().collect();
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut pos = 0;
    while pos < chars.len() {
        let c = chars[pos];
        pos += 1;
        if c != '%' {
            lit.push(c);
            continue;
        }
        if pos < chars.len() && chars[pos] == '%' {
            lit.push('%');
            pos += 1;
            continue;
        }
        if !lit.is_empty() {
            pieces.push(PercentPiece::Literal(std::mem::take(&mut lit)));
        }
        match parse_conv(&chars, &mut pos) {
            Ok(conv) if is_supported_conv(conv.conv) => pieces.push(PercentPiece::Conv(conv)),
            Ok(conv) => {
                let star_args = usize::from(conv.width == Some(Count::Star))
                    + usize::from(conv.precision == Some(Count::Star));
                let err = PercentError {
                    message: unsupported_message(conv.conv, conv.index),
                    mapping: conv.key.is_some(),
                    key: conv.key,
                    star_args,
                    value_arg: true,
                };
                return (pieces, Some(err));
            }
            Err(e) => return (pieces, Some(e)),
        }
    }
    if !lit.is_empty() {
        pieces.push(PercentPiece::Literal(lit));
    }
    (pieces, None)
}

/// Parse a whole `%` template eagerly; any error (including unsupported
/// conversion characters) is returned with CPython's message.
pub fn parse_percent(fmt: &str) -> Result<Vec<PercentPiece>, String> {
    match parse_percent_lenient(fmt) {
        (pieces, None) => Ok(pieces),
        (_, Some(e)) => Err(e.message),
    }
}

/// A conversion with its `*` counts resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PercentSpec {
    /// Flags (a negative `*` width sets `minus`).
    pub flags: PercentFlags,
    /// Minimum width.
    pub width: Option<usize>,
    /// Precision.
    pub precision: Option<usize>,
    /// The conversion character.
    pub conv: char,
}

impl PercentSpec {
    /// A spec with no flags, width or precision.
    pub fn new(conv: char) -> Self {
        PercentSpec {
            flags: PercentFlags::default(),
            width: None,
            precision: None,
            conv,
        }
    }
}

impl PercentConv {
    /// Resolve `*` counts with the fetched argument values (the VM has
    /// already converted them: width as `Py_ssize_t`, precision as C `int`).
    /// A negative width left-justifies; a negative precision becomes 0.
    /// Missing star values count as absent.
    pub fn resolve(&self, star_width: Option<i64>, star_prec: Option<i64>) -> PercentSpec {
        let mut flags = self.flags;
        let width = match self.width {
            Some(Count::N(n)) => Some(n),
            Some(Count::Star) => star_width.map(|w| {
                if w < 0 {
                    flags.minus = true;
                }
                usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX)
            }),
            None => None,
        };
        let precision = match self.precision {
            Some(Count::N(n)) => Some(n),
            Some(Count::Star) => star_prec.map(|p| usize::try_from(p.max(0)).unwrap_or(usize::MAX)),
            None => None,
        };
        PercentSpec {
            flags,
            width,
            precision,
            conv: self.conv,
        }
    }
}

/// CPython's `unicode_format_arg_output`: sign, `0x`/`0o` prefix, padding.
fn output(s: &str, spec: &PercentSpec, numeric: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let f = spec.flags;
    let fill = if numeric && f.zero { '0' } else { ' ' };
    let mut len = chars.len();
    if matches!(spec.conv, 's' | 'r' | 'a')
        && let Some(p) = spec.precision
    {
        len = len.min(p);
    }
    let mut width = spec.width.unwrap_or(0);
    let mut pindex = 0;
    let mut sign = numeric;
    let mut signchar = '\0';
    if sign {
        match chars.first() {
            Some(&c @ ('-' | '+')) => {
                signchar = c;
                len -= 1;
                pindex += 1;
            }
            _ if f.plus => signchar = '+',
            _ if f.space => signchar = ' ',
            _ => sign = false,
        }
    }
    width = width.max(len);
    let mut out = String::with_capacity(width + 2);
    if sign {
        if fill != ' ' {
            out.push(signchar);
        }
        if width > len {
            width -= 1;
        }
    }
    let prefixed = f.alt
        && numeric
        && matches!(spec.conv, 'x' | 'X' | 'o')
        && chars.get(pindex) == Some(&'0')
        && len >= 2;
    if prefixed {
        if fill != ' ' {
            out.extend(&chars[pindex..pindex + 2]);
            pindex += 2;
        }
        width = width.saturating_sub(2);
        len -= 2;
    }
    if width > len && !f.minus {
        out.extend(std::iter::repeat_n(fill, width - len));
        width = len;
    }
    if fill == ' ' {
        if sign {
            out.push(signchar);
        }
        if prefixed {
            out.extend(&chars[pindex..pindex + 2]);
            pindex += 2;
        }
    }
    out.extend(&chars[pindex..pindex + len]);
    if width > len {
        out.extend(std::iter::repeat_n(' ', width - len));
    }
    out
}

/// `%d %i %u %o %x %X` of an int (the VM has already applied `__index__`
/// / `int()` as CPython does). Errors only with "precision too large"
/// (an `OverflowError`) or [`super::TOO_LARGE`].
pub fn percent_int(v: &BigInt, spec: &PercentSpec) -> Result<String, String> {
    let prec = spec.precision.unwrap_or(0);
    if prec > (i32::MAX - 3) as usize {
        return Err("precision too large".to_string());
    }
    super::check_len(spec.width)?;
    super::check_len(spec.precision)?;
    let (base, prefix) = match spec.conv {
        'o' => (8, "0o"),
        'x' | 'X' => (16, "0x"),
        _ => (10, ""),
    };
    let digits = v.magnitude().to_str_radix(base);
    let mut s = String::with_capacity(digits.len().max(prec) + 3);
    if v.sign() == Sign::Minus {
        s.push('-');
    }
    if spec.flags.alt {
        s.push_str(prefix);
    }
    s.extend(std::iter::repeat_n('0', prec.saturating_sub(digits.len())));
    s.push_str(&digits);
    if spec.conv == 'X' {
        s.make_ascii_uppercase();
    }
    Ok(output(&s, spec, true))
}

/// `%e %E %f %F %g %G` of a float (default precision 6). Errors only with
/// [`super::TOO_LARGE`].
pub fn percent_float(x: f64, spec: &PercentSpec) -> Result<String, String> {
    super::check_len(spec.width)?;
    super::check_len(spec.precision)?;
    let flags = DtoaFlags {
        alt: spec.flags.alt,
        ..DtoaFlags::default()
    };
    let s = double_to_string(x, spec.conv, spec.precision.unwrap_or(6), flags);
    Ok(output(&s, spec, true))
}

/// `%s %r %a %c` once the VM has produced the text: precision truncates
/// (`s r a` only), width pads with spaces (left-justified with `-`).
/// Errors only with [`super::TOO_LARGE`].
pub fn percent_str(s: &str, spec: &PercentSpec) -> Result<String, String> {
    super::check_len(spec.width)?;
    Ok(output(s, spec, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Format `fmt % args` for the simple argument kinds used in the tests.
    fn render(fmt: &str, args: &[&str]) -> Result<String, String> {
        let pieces = parse_percent(fmt)?;
        let mut out = String::new();
        let mut args = args.iter();
        for p in pieces {
            match p {
                PercentPiece::Literal(s) => out.push_str(&s),
                PercentPiece::Conv(c) => {
                    let w = (c.width == Some(Count::Star))
                        .then(|| args.next().unwrap().parse::<i64>().unwrap());
                    let pr = (c.precision == Some(Count::Star))
                        .then(|| args.next().unwrap().parse::<i64>().unwrap());
                    let spec = c.resolve(w, pr);
                    let v = args.next().unwrap();
                    let s = match c.conv {
                        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                            percent_int(&v.parse().unwrap(), &spec)?
                        }
                        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                            percent_float(v.parse().unwrap(), &spec)?
                        }
                        _ => percent_str(v, &spec)?,
                    };
                    out.push_str(&s);
                }
            }
        }
        Ok(out)
    }

    #[test]
    fn table() {
        // (format, args, expected or "ERR:message") from python3.
        let cases: &[(&str, &[&str], &str)] = &[
            ("%#06o", &["8"], "0o0010"),
            ("%#06x", &["255"], "0x00ff"),
            ("%#6X", &["255"], "  0XFF"),
            ("%-#8x|", &["255"], "0xff    |"),
            ("%05f", &["inf"], "00inf"),
            ("%+f", &["nan"], "+nan"),
            ("%F", &["-inf"], "-INF"),
            ("%.3d", &["-5"], "-005"),
            ("%+.3x", &["5"], "+005"),
            ("%#.3o", &["5"], "0o005"),
            ("% 5d", &["3"], "    3"),
            ("%-05d|", &["3"], "3    |"),
            ("%-+05d|", &["3"], "+3   |"),
            ("%05s", &["ab"], "   ab"),
            ("%.1s", &["abc"], "a"),
            ("%ld %hd %Li", &["3", "4", "5"], "3 4 5"),
            ("%*d", &["-5", "3"], "3    "),
            ("%.*f", &["-2", "3.14159"], "3"),
            ("%*.*f|", &["8", "2", "3.14159"], "    3.14|"),
            ("%5c|", &["x"], "    x|"),
            ("%.0c", &["x"], "x"),
            ("%.2f", &["2.675"], "2.67"),
            ("%.0f %.0f %.0f", &["0.5", "1.5", "2.5"], "0 2 2"),
            ("%e", &["1500"], "1.500000e+03"),
            (
                "%g %g %g",
                &["1e-5", "100000", "1000000"],
                "1e-05 100000 1e+06",
            ),
            ("%#g", &["1.0"], "1.00000"),
            ("%.0g %#.0g", &["1234", "1234"], "1e+03 1.e+03"),
            ("%010.3e", &["-1234.5"], "-1.234e+03"),
            ("%012.3E", &["-1234.5"], "-001.234E+03"),
            ("%+012x", &["-255"], "-000000000ff"),
            ("%#+012X", &["255"], "+0X0000000FF"),
            ("%x", &["-1180591620717411303424"], "-400000000000000000"),
            ("100%% %s", &["sure"], "100% sure"),
            ("%", &[], "ERR:incomplete format"),
            ("%5", &[], "ERR:incomplete format"),
            ("%(a", &[], "ERR:incomplete format key"),
            ("abc%.", &[], "ERR:incomplete format"),
            ("%l", &[], "ERR:incomplete format"),
            (
                "%y",
                &["1"],
                "ERR:unsupported format character 'y' (0x79) at index 1",
            ),
            (
                "ab%5.2y",
                &["1"],
                "ERR:unsupported format character 'y' (0x79) at index 6",
            ),
            (
                "%5%",
                &["1"],
                "ERR:unsupported format character '%' (0x25) at index 2",
            ),
            (
                "\u{e9}%\u{e9}",
                &["1"],
                "ERR:unsupported format character '?' (0xe9) at index 2",
            ),
            ("%99999999999999999999d", &["1"], "ERR:width too big"),
            ("%.99999999999d", &["1"], "ERR:precision too big"),
        ];
        for &(fmt, args, want) in cases {
            let got = render(fmt, args).unwrap_or_else(|e| format!("ERR:{e}"));
            assert_eq!(got, want, "{fmt:?} % {args:?}");
        }
    }

    #[test]
    fn parse_details() {
        let (pieces, err) = parse_percent_lenient("x%(name)-*.*ly%d%*");
        assert_eq!(pieces.len(), 1);
        let err = err.unwrap();
        assert_eq!(err.key.as_deref(), Some("name"));
        assert!(err.mapping && err.value_arg);
        assert_eq!(err.star_args, 2);
        let (pieces, err) = parse_percent_lenient("%d%*");
        assert_eq!(pieces.len(), 1);
        let err = err.unwrap();
        assert_eq!(err.message, "incomplete format");
        assert_eq!(err.star_args, 1);
        assert!(!err.value_arg);
        let p = parse_percent("%(a(b)c)s").unwrap();
        let PercentPiece::Conv(c) = &p[0] else {
            panic!()
        };
        assert_eq!(c.key.as_deref(), Some("a(b)c"));
        assert_eq!(c.conv, 's');
        assert_eq!(c.index, 8);
    }

    /// Random conversions against python3 (skipped if python3 is missing).
    #[test]
    fn fuzz_against_python() {
        let mut state: u64 = 0xDEAD_BEEF_1234_5678;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pick = |r: u64, xs: &[&'static str]| xs[(r % xs.len() as u64) as usize];
        let mut cases: Vec<(String, Vec<String>)> = Vec::new();
        for _ in 0..super::super::fuzz_count(3000) {
            let mut fmt = String::from("[%");
            for _ in 0..(next() % 3) {
                fmt += pick(next(), &["-", "+", " ", "0", "#"]);
            }
            let mut args = Vec::new();
            match next() % 4 {
                0 => {
                    fmt.push('*');
                    args.push(pick(next(), &["-7", "0", "5", "12"]).to_string());
                }
                1 => fmt += pick(next(), &["1", "6", "10", "15"]),
                _ => {}
            }
            match next() % 4 {
                0 => {
                    fmt += ".*";
                    args.push(pick(next(), &["-1", "0", "2", "7"]).to_string());
                }
                1 => fmt += pick(next(), &[".", ".0", ".3", ".10"]),
                _ => {}
            }
            let kind = next() % 3;
            let conv = match kind {
                0 => pick(next(), &["d", "i", "u", "o", "x", "X"]),
                1 => pick(next(), &["e", "E", "f", "F", "g", "G"]),
                _ => "s",
            };
            fmt += conv;
            fmt.push(']');
            let v = match kind {
                0 => pick(
                    next(),
                    &[
                        "0",
                        "1",
                        "-1",
                        "255",
                        "-4096",
                        "123456789012345678901234567890",
                    ],
                ),
                1 => pick(
                    next(),
                    &[
                        "0.0",
                        "-0.0",
                        "1.5",
                        "-2.675",
                        "1e-7",
                        "123456.789",
                        "1e22",
                        "inf",
                        "-inf",
                        "nan",
                        "0.5",
                    ],
                ),
                _ => pick(next(), &["", "a", "abc", "h\u{e9}llo", "\u{65e5}\u{672c}"]),
            };
            args.push(v.to_string());
            cases.push((fmt, args));
        }
        let script = "import sys\nsys.stdin.reconfigure(encoding='utf-8')\nsys.stdout.reconfigure(encoding='utf-8')\nfor line in sys.stdin:\n    f, *a = line.rstrip('\\n').split('\\t')\n    conv = f[-2]\n    v = a[-1]\n    v = int(v) if conv in 'diuoxX' else float(v) if conv in 'eEfFgG' else v\n    a = [int(x) for x in a[:-1]] + [v]\n    try:\n        r = f % tuple(a)\n    except Exception as e:\n        r = 'ERR:' + str(e)\n    print(r)\n";
        let mut input = String::new();
        for (f, a) in &cases {
            input += f;
            for x in a {
                input.push('\t');
                input += x;
            }
            input.push('\n');
        }
        let Some(text) = super::super::run_python(script, input) else {
            eprintln!("python3 not available; skipping");
            return;
        };
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), cases.len());
        let mut failures = Vec::new();
        for ((f, a), want) in cases.iter().zip(lines) {
            let args: Vec<&str> = a.iter().map(String::as_str).collect();
            let got = render(f, &args).unwrap_or_else(|e| format!("ERR:{e}"));
            if got != want {
                failures.push(format!("{f:?} % {a:?}: got {got:?}, want {want:?}"));
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
