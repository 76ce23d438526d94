//! `str.format` template parsing, following CPython 3.11's
//! `Objects/stringlib/unicode_format.h`.
//!
//! Rendering protocol for the VM (what `build_string` does), with
//! `depth = 2` at the top level and one [`AutoNumber`] shared by the
//! whole call including nested specs:
//!
//! 1. if `depth <= 0` raise `ValueError("Max string recursion exceeded")`;
//! 2. for each piece of [`parse_template_lenient`]: write literals; for a
//!    field, [`parse_field_name`] its `field_name`, pass `first` through
//!    [`AutoNumber::resolve`], look it up (args / kwargs), apply the `rest`
//!    accessors in order, raising `rest_error` after them if set; apply the
//!    conversion (`check_conversion` for unknown ones); if
//!    `spec_needs_expanding`, render `spec` recursively with `depth - 1`;
//!    then call `format(obj, spec)`;
//! 3. finally raise the trailing parse error, if any.

/// A piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePiece {
    /// Literal text (`{{` and `}}` already unescaped).
    Literal(String),
    /// A replacement field.
    Field(TemplateField),
}

/// A replacement field `{field_name!conversion:spec}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateField {
    /// The raw field name (may be empty); parse it with [`parse_field_name`]
    /// when rendering, so that its errors come at the right moment.
    pub field_name: String,
    /// The conversion character after `!`, if any (not validated; see
    /// [`check_conversion`]).
    pub conversion: Option<char>,
    /// The raw format spec.
    pub spec: String,
    /// True if `spec` contains `{...}` fields and must be rendered as a
    /// template first.
    pub spec_needs_expanding: bool,
}

/// The first part of a field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldFirst {
    /// Empty: the next automatic index.
    Auto,
    /// A decimal (possibly non-ASCII Unicode digits) index into the args.
    Index(usize),
    /// A keyword-argument name.
    Keyword(String),
}

/// An accessor after the first part of a field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldAccessor {
    /// `.name`
    Attr(String),
    /// `[123]`: an integer key.
    Index(usize),
    /// `[name]`: a string key.
    Key(String),
}

/// A parsed field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldName {
    /// The first part.
    pub first: FieldFirst,
    /// The accessors that parsed successfully.
    pub rest: Vec<FieldAccessor>,
    /// An error CPython raises after applying `rest` (it parses lazily).
    pub rest_error: Option<String>,
}

/// Auto-numbering state for one `str.format` call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AutoNumber {
    state: AutoState,
    next: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum AutoState {
    #[default]
    Init,
    Auto,
    Manual,
}

impl AutoNumber {
    /// A fresh state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resolve the first part of a field name: `Some(index)` for
    /// positional fields (automatic or explicit), `None` for keywords.
    /// Errors when switching between manual and automatic numbering.
    pub fn resolve(&mut self, first: &FieldFirst) -> Result<Option<usize>, String> {
        let is_auto = matches!(first, FieldFirst::Auto);
        let numeric = !matches!(first, FieldFirst::Keyword(_));
        if self.state == AutoState::Init && numeric {
            self.state = if is_auto {
                AutoState::Auto
            } else {
                AutoState::Manual
            };
        }
        if numeric {
            if self.state == AutoState::Manual && is_auto {
                return Err(
                    "cannot switch from manual field specification to automatic field numbering"
                        .to_string(),
                );
            }
            if self.state == AutoState::Auto && !is_auto {
                return Err(
                    "cannot switch from automatic field numbering to manual field specification"
                        .to_string(),
                );
            }
        }
        match first {
            FieldFirst::Auto => {
                let i = self.next;
                self.next += 1;
                Ok(Some(i))
            }
            FieldFirst::Index(i) => Ok(Some(*i)),
            FieldFirst::Keyword(_) => Ok(None),
        }
    }
}

/// CPython's `get_integer` for field names: `Ok(None)` if not all decimal
/// digits (or empty).
fn field_integer(s: &[char]) -> Result<Option<usize>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let (v, n) = super::parse_decimal_run(s)?;
    Ok((n == s.len()).then_some(v))
}

/// Parse a field name into its first part and accessor chain.
/// Errors with "Too many decimal digits in format string" for an
/// overflowing first index; later errors go to `rest_error`.
pub fn parse_field_name(name: &str) -> Result<FieldName, String> {
    let chars: Vec<char> = name.chars().collect();
    let split = chars
        .iter()
        .position(|&c| c == '.' || c == '[')
        .unwrap_or(chars.len());
    let first_chars = &chars[..split];
    let first = if first_chars.is_empty() {
        FieldFirst::Auto
    } else {
        match field_integer(first_chars)? {
            Some(i) => FieldFirst::Index(i),
            None => FieldFirst::Keyword(first_chars.iter().collect()),
        }
    };
    let mut rest = Vec::new();
    let mut rest_error = None;
    let mut pos = split;
    while pos < chars.len() {
        let c = chars[pos];
        pos += 1;
        let (accessor, text_len) = match c {
            '.' => {
                let start = pos;
                while pos < chars.len() && chars[pos] != '.' && chars[pos] != '[' {
                    pos += 1;
                }
                let s: String = chars[start..pos].iter().collect();
                (FieldAccessor::Attr(s), pos - start)
            }
            '[' => {
                let start = pos;
                while pos < chars.len() && chars[pos] != ']' {
                    pos += 1;
                }
                if pos >= chars.len() {
                    rest_error = Some("Missing ']' in format string".to_string());
                    break;
                }
                let inner = &chars[start..pos];
                pos += 1;
                let acc = match field_integer(inner) {
                    Ok(Some(i)) => FieldAccessor::Index(i),
                    Ok(None) => FieldAccessor::Key(inner.iter().collect()),
                    Err(e) => {
                        rest_error = Some(e);
                        break;
                    }
                };
                (acc, inner.len())
            }
            _ => {
                rest_error =
                    Some("Only '.' or '[' may follow ']' in format field specifier".to_string());
                break;
            }
        };
        if text_len == 0 {
            rest_error = Some("Empty attribute in format string".to_string());
            break;
        }
        rest.push(accessor);
    }
    Ok(FieldName {
        first,
        rest,
        rest_error,
    })
}

/// Validate a `!` conversion character (`r`, `s`, `a`); CPython checks this
/// after looking the field up.
pub fn check_conversion(c: char) -> Result<(), String> {
    match c {
        'r' | 's' | 'a' => Ok(()),
        _ => {
            let cp = c as u32;
            if cp > 32 && cp < 127 {
                Err(format!("Unknown conversion specifier {c}"))
            } else {
                Err(format!("Unknown conversion specifier \\x{cp:x}"))
            }
        }
    }
}

/// Parse one field starting just after its `{` (CPython's `parse_field`).
fn parse_field(chars: &[char], pos: &mut usize) -> Result<TemplateField, String> {
    let end = chars.len();
    let start = *pos;
    let mut c = '\0';
    let mut terminated = false;
    while *pos < end {
        c = chars[*pos];
        *pos += 1;
        match c {
            '{' => return Err("unexpected '{' in field name".to_string()),
            '[' => {
                while *pos < end && chars[*pos] != ']' {
                    *pos += 1;
                }
            }
            '}' | ':' | '!' => {
                terminated = true;
                break;
            }
            _ => {}
        }
    }
    if !terminated {
        return Err("expected '}' before end of string".to_string());
    }
    let field_name: String = chars[start..*pos - 1].iter().collect();
    let mut field = TemplateField {
        field_name,
        conversion: None,
        spec: String::new(),
        spec_needs_expanding: false,
    };
    if c == '}' {
        return Ok(field);
    }
    if c == '!' {
        if *pos >= end {
            return Err("end of string while looking for conversion specifier".to_string());
        }
        field.conversion = Some(chars[*pos]);
        *pos += 1;
        if *pos < end {
            let c2 = chars[*pos];
            *pos += 1;
            if c2 == '}' {
                return Ok(field);
            }
            if c2 != ':' {
                return Err("expected ':' after conversion specifier".to_string());
            }
        }
    }
    let spec_start = *pos;
    let mut count = 1;
    while *pos < end {
        let c = chars[*pos];
        *pos += 1;
        match c {
            '{' => {
                field.spec_needs_expanding = true;
                count += 1;
            }
            '}' => {
                count -= 1;
                if count == 0 {
                    field.spec = chars[spec_start..*pos - 1].iter().collect();
                    return Ok(field);
                }
            }
            _ => {}
        }
    }
    Err("unmatched '{' in format spec".to_string())
}

/// Parse a template, returning the pieces parsed before the first error
/// and that error (CPython parses lazily while rendering, so earlier
/// fields are evaluated, and may raise, before a later syntax error).
pub fn parse_template_lenient(s: &str) -> (Vec<TemplatePiece>, Option<String>) {
    let chars: Vec<char> = s.chars().collect();
    let end = chars.len();
    let mut pieces = Vec::new();
    let mut lit = String::new();
    let mut pos = 0;
    while pos < end {
        let c = chars[pos];
        pos += 1;
        if c != '{' && c != '}' {
            lit.push(c);
            continue;
        }
        let at_end = pos >= end;
        if c == '}' && (at_end || chars[pos] != '}') {
            return (
                pieces,
                Some("Single '}' encountered in format string".to_string()),
            );
        }
        if at_end {
            return (
                pieces,
                Some("Single '{' encountered in format string".to_string()),
            );
        }
        if chars[pos] == c {
            lit.push(c);
            pos += 1;
            continue;
        }
        if !lit.is_empty() {
            pieces.push(TemplatePiece::Literal(std::mem::take(&mut lit)));
        }
        match parse_field(&chars, &mut pos) {
            Ok(f) => pieces.push(TemplatePiece::Field(f)),
            Err(e) => return (pieces, Some(e)),
        }
    }
    if !lit.is_empty() {
        pieces.push(TemplatePiece::Literal(lit));
    }
    (pieces, None)
}

/// Parse a whole template eagerly (first syntax error wins).
pub fn parse_template(s: &str) -> Result<Vec<TemplatePiece>, String> {
    match parse_template_lenient(s) {
        (pieces, None) => Ok(pieces),
        (_, Some(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, conv: Option<char>, spec: &str, expand: bool) -> TemplatePiece {
        TemplatePiece::Field(TemplateField {
            field_name: name.to_string(),
            conversion: conv,
            spec: spec.to_string(),
            spec_needs_expanding: expand,
        })
    }

    fn lit(s: &str) -> TemplatePiece {
        TemplatePiece::Literal(s.to_string())
    }

    #[test]
    fn pieces() {
        assert_eq!(
            parse_template("a{{b}}c{0}d{x!r}{y:>{w}.{p}}{}{z!s:^5}{0[}]}").unwrap(),
            vec![
                lit("a{b}c"),
                field("0", None, "", false),
                lit("d"),
                field("x", Some('r'), "", false),
                field("y", None, ">{w}.{p}", true),
                field("", None, "", false),
                field("z", Some('s'), "^5", false),
                field("0[}]", None, "", false),
            ]
        );
        assert_eq!(parse_template("").unwrap(), vec![]);
        assert_eq!(parse_template("{{}}").unwrap(), vec![lit("{}")]);
        assert_eq!(
            parse_template("{:{{}}}").unwrap(),
            vec![field("", None, "{{}}", true)]
        );
        assert_eq!(
            parse_template("{!r}").unwrap(),
            vec![field("", Some('r'), "", false)]
        );
        assert_eq!(
            parse_template("{0!}}").unwrap(),
            vec![field("0", Some('}'), "", false)]
        );
    }

    #[test]
    fn errors() {
        // Syntax errors as raised by python3's str.format.
        let cases: &[(&str, &str)] = &[
            ("{0!r", "unmatched '{' in format spec"),
            (
                "{0!",
                "end of string while looking for conversion specifier",
            ),
            ("{0!rx}", "expected ':' after conversion specifier"),
            ("{", "Single '{' encountered in format string"),
            ("}", "Single '}' encountered in format string"),
            ("abc}def", "Single '}' encountered in format string"),
            ("{0", "expected '}' before end of string"),
            ("{0:", "unmatched '{' in format spec"),
            ("{0:{", "unmatched '{' in format spec"),
            ("{0[}", "expected '}' before end of string"),
            ("{a{}", "unexpected '{' in field name"),
        ];
        for &(t, want) in cases {
            assert_eq!(parse_template(t), Err(want.to_string()), "{t:?}");
        }
        let (pieces, err) = parse_template_lenient("x{0} }");
        assert_eq!(pieces, vec![lit("x"), field("0", None, "", false)]);
        assert_eq!(
            err.as_deref(),
            Some("Single '}' encountered in format string")
        );
        assert_eq!(check_conversion('r'), Ok(()));
        assert_eq!(
            check_conversion('x'),
            Err("Unknown conversion specifier x".to_string())
        );
        assert_eq!(
            check_conversion('\u{e9}'),
            Err("Unknown conversion specifier \\xe9".to_string())
        );
    }

    #[test]
    fn field_names() {
        let f = parse_field_name("0.real[1][key].imag").unwrap();
        assert_eq!(f.first, FieldFirst::Index(0));
        assert_eq!(
            f.rest,
            vec![
                FieldAccessor::Attr("real".into()),
                FieldAccessor::Index(1),
                FieldAccessor::Key("key".into()),
                FieldAccessor::Attr("imag".into()),
            ]
        );
        assert_eq!(f.rest_error, None);
        assert_eq!(parse_field_name("").unwrap().first, FieldFirst::Auto);
        assert_eq!(
            parse_field_name("[0]").unwrap().rest,
            vec![FieldAccessor::Index(0)]
        );
        assert_eq!(
            parse_field_name("\u{663}").unwrap().first,
            FieldFirst::Index(3)
        );
        assert_eq!(
            parse_field_name("0x").unwrap().first,
            FieldFirst::Keyword("0x".into())
        );
        assert_eq!(
            parse_field_name("0 ").unwrap().first,
            FieldFirst::Keyword("0 ".into())
        );
        let f = parse_field_name("a.b.").unwrap();
        assert_eq!(f.rest, vec![FieldAccessor::Attr("b".into())]);
        assert_eq!(
            f.rest_error.as_deref(),
            Some("Empty attribute in format string")
        );
        let f = parse_field_name("a[]").unwrap();
        assert_eq!(
            f.rest_error.as_deref(),
            Some("Empty attribute in format string")
        );
        let f = parse_field_name("a[0]x").unwrap();
        assert_eq!(
            f.rest_error.as_deref(),
            Some("Only '.' or '[' may follow ']' in format field specifier")
        );
        let f = parse_field_name("a[0").unwrap();
        assert_eq!(
            f.rest_error.as_deref(),
            Some("Missing ']' in format string")
        );
        assert_eq!(
            parse_field_name("99999999999999999999"),
            Err("Too many decimal digits in format string".to_string())
        );
        let f = parse_field_name("a[-1]").unwrap();
        assert_eq!(f.rest, vec![FieldAccessor::Key("-1".into())]);
    }

    #[test]
    fn auto_numbering() {
        let mut a = AutoNumber::new();
        assert_eq!(a.resolve(&FieldFirst::Auto), Ok(Some(0)));
        assert_eq!(a.resolve(&FieldFirst::Keyword("k".into())), Ok(None));
        assert_eq!(a.resolve(&FieldFirst::Auto), Ok(Some(1)));
        assert_eq!(
            a.resolve(&FieldFirst::Index(0)),
            Err(
                "cannot switch from automatic field numbering to manual field specification"
                    .to_string()
            )
        );
        let mut m = AutoNumber::new();
        assert_eq!(m.resolve(&FieldFirst::Index(2)), Ok(Some(2)));
        assert_eq!(
            m.resolve(&FieldFirst::Auto),
            Err(
                "cannot switch from manual field specification to automatic field numbering"
                    .to_string()
            )
        );
    }
}
