//! Methods of the builtin `str` type family.
//!
//! Every method accepts an exact `str` or an instance of a `str` subclass (whose text is the
//! instance's payload) as `self`. Character indices count characters, not bytes; ASCII strings
//! (`nchars == len`) take the byte-index fast path.

use crate::fmt::{self, AutoNumber, FieldAccessor, FieldFirst, TemplatePiece};
use crate::interp::args::Args;
use crate::object::{self, Binding, DictObj, InstanceObj, Kind, StrObj};
use crate::runtime::class::{add_attr, add_method, builtin_fn};
use crate::runtime::repr::{ascii_escape, fmt_error, str_repr};
use crate::runtime::str::{as_str, byte_offset, from_string, intern, new_str, str_hash};
use crate::runtime::{exc, int, list, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::binop;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {
    let t = &types().str;
    let methods: &[(&'static str, crate::object::NativeFn)] = &[
        ("join", str_join),
        ("split", str_split),
        ("rsplit", str_rsplit),
        ("splitlines", str_splitlines),
        ("strip", str_strip),
        ("lstrip", str_lstrip),
        ("rstrip", str_rstrip),
        ("startswith", str_startswith),
        ("endswith", str_endswith),
        ("find", str_find),
        ("rfind", str_rfind),
        ("index", str_index),
        ("rindex", str_rindex),
        ("count", str_count),
        ("replace", str_replace),
        ("upper", str_upper),
        ("lower", str_lower),
        ("capitalize", str_capitalize),
        ("title", str_title),
        ("swapcase", str_swapcase),
        ("casefold", str_casefold),
        ("center", str_center),
        ("ljust", str_ljust),
        ("rjust", str_rjust),
        ("zfill", str_zfill),
        ("isdigit", str_isdigit),
        ("isalpha", str_isalpha),
        ("isalnum", str_isalnum),
        ("isspace", str_isspace),
        ("isupper", str_isupper),
        ("islower", str_islower),
        ("isidentifier", str_isidentifier),
        ("isnumeric", str_isnumeric),
        ("isdecimal", str_isdecimal),
        ("istitle", str_istitle),
        ("isascii", str_isascii),
        ("isprintable", str_isprintable),
        ("partition", str_partition),
        ("rpartition", str_rpartition),
        ("format", str_format),
        ("format_map", str_format_map),
        ("encode", str_encode),
        ("expandtabs", str_expandtabs),
        ("removeprefix", str_removeprefix),
        ("removesuffix", str_removesuffix),
        ("translate", str_translate),
        ("__len__", str_len),
        ("__contains__", str_contains),
        ("__getitem__", str_getitem),
        ("__iter__", str_iter),
        ("__add__", str_add),
        ("__mul__", str_mul),
        ("__rmul__", str_mul),
        ("__mod__", str_mod),
        ("__rmod__", str_rmod),
        ("__eq__", str_eq),
        ("__ne__", str_ne),
        ("__lt__", str_lt),
        ("__le__", str_le),
        ("__gt__", str_gt),
        ("__ge__", str_ge),
        ("__hash__", str_dunder_hash),
        ("__repr__", str_dunder_repr),
        ("__str__", str_dunder_str),
        ("__format__", str_dunder_format),
        ("__getnewargs__", str_getnewargs),
    ];
    for &(name, f) in methods {
        add_method(t, name, f);
    }
    add_attr(
        t,
        "maketrans",
        builtin_fn("maketrans", "str", str_maketrans, Binding::Function),
    );
}

// ---------------------------------------------------------------------------------------------
// Argument helpers

/// The str value of `v` (an exact str, or the payload of a str-subclass instance).
fn str_value(v: &Value) -> Option<Value> {
    if v.kind() == Some(Kind::Str) {
        return Some(v.clone());
    }
    let i = v.downcast::<InstanceObj>()?;
    if i.payload.is_undef() {
        return None;
    }
    let p = i.payload.get();
    if p.kind() == Some(Kind::Str) {
        Some(p)
    } else {
        None
    }
}

/// The `StrObj` of a value known to be a str.
#[inline]
fn sobj(v: &Value) -> &StrObj {
    v.downcast::<StrObj>().expect("str")
}

/// `self` of method `name` as a str value.
fn this(a: &Args, name: &str) -> PyResult<Value> {
    if a.npos() == 0 {
        return Err(exc::type_error(format!(
            "unbound method str.{name}() needs an argument"
        )));
    }
    str_value(a.arg(0)).ok_or_else(|| {
        exc::type_error(format!(
            "descriptor '{name}' for 'str' objects doesn't apply to a '{}' object",
            type_name(a.arg(0))
        ))
    })
}

/// `self` of special method `name` (slot wrappers have their own message).
fn this_d(a: &Args, name: &str) -> PyResult<Value> {
    if a.npos() == 0 {
        return Err(exc::type_error(format!(
            "descriptor '{name}' of 'str' object needs an argument"
        )));
    }
    str_value(a.arg(0)).ok_or_else(|| {
        exc::type_error(format!(
            "descriptor '{name}' requires a 'str' object but received a '{}'",
            type_name(a.arg(0))
        ))
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// METH_NOARGS: `str.name() takes no arguments (n given)`.
fn noargs(a: &Args, name: &str) -> PyResult<()> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(format!(
            "str.{name}() takes no keyword arguments"
        )));
    }
    let n = a.npos().saturating_sub(1);
    if n != 0 {
        return Err(exc::type_error(format!(
            "str.{name}() takes no arguments ({n} given)"
        )));
    }
    Ok(())
}

/// METH_O: exactly one positional argument.
fn onearg<'a>(a: &'a Args, name: &str) -> PyResult<&'a Value> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(format!(
            "str.{name}() takes no keyword arguments"
        )));
    }
    let n = a.npos().saturating_sub(1);
    if n != 1 {
        return Err(exc::type_error(format!(
            "str.{name}() takes exactly one argument ({n} given)"
        )));
    }
    Ok(a.arg(1))
}

/// Positional-only arguments, clinic style: `name expected at least N arguments, got n`.
fn posonly<'a>(a: &'a Args, name: &str, min: usize, max: usize) -> PyResult<&'a [Value]> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(format!(
            "str.{name}() takes no keyword arguments"
        )));
    }
    let rest = &a.pos()[1.min(a.npos())..];
    let n = rest.len();
    if n < min {
        return Err(exc::type_error(format!(
            "{name} expected at least {min} argument{}, got {n}",
            plural(min)
        )));
    }
    if n > max {
        return Err(exc::type_error(format!(
            "{name} expected at most {max} argument{}, got {n}",
            plural(max)
        )));
    }
    Ok(rest)
}

/// Positional-only arguments, old style: `name() takes at least N argument (n given)`.
fn posonly_old<'a>(a: &'a Args, name: &str, min: usize, max: usize) -> PyResult<&'a [Value]> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error(format!(
            "str.{name}() takes no keyword arguments"
        )));
    }
    let rest = &a.pos()[1.min(a.npos())..];
    let n = rest.len();
    if n < min {
        return Err(exc::type_error(format!(
            "{name}() takes at least {min} argument{} ({n} given)",
            plural(min)
        )));
    }
    if n > max {
        return Err(exc::type_error(format!(
            "{name}() takes at most {max} argument{} ({n} given)",
            plural(max)
        )));
    }
    Ok(rest)
}

/// Positional-or-keyword arguments (all optional).
fn kwargs<'a>(a: &'a Args, name: &str, names: &[&str]) -> PyResult<Vec<Option<&'a Value>>> {
    let rest = &a.pos()[1.min(a.npos())..];
    let n = rest.len();
    let total = n + a.kwnames.len();
    if total > names.len() && n > 0 {
        return Err(exc::type_error(format!(
            "{name}() takes at most {} argument{} ({total} given)",
            names.len(),
            plural(names.len())
        )));
    }
    if n > names.len() {
        return Err(exc::type_error(format!(
            "{name}() takes at most {} argument{} ({n} given)",
            names.len(),
            plural(names.len())
        )));
    }
    let mut out: Vec<Option<&Value>> = (0..names.len()).map(|i| rest.get(i)).collect();
    for (k, v) in a.kwargs() {
        match names.iter().position(|n| *n == k) {
            Some(i) if i < n => {
                return Err(exc::type_error(format!(
                    "argument for {name}() given by name ('{k}') and position ({})",
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v),
            None => {
                return Err(exc::type_error(format!(
                    "'{k}' is an invalid keyword argument for {name}()"
                )));
            }
        }
    }
    Ok(out)
}

/// A str argument (`must be str, not int`).
fn str_arg(v: &Value) -> PyResult<Value> {
    str_value(v).ok_or_else(|| exc::type_error(format!("must be str, not {}", type_name(v))))
}

/// An integer argument converted to a C `Py_ssize_t`.
pub(crate) fn ssize_arg(vm: &mut Vm, v: &Value) -> PyResult<i64> {
    if int::is_int(v) {
        return int::as_i64(v)
            .ok_or_else(|| exc::overflow_error("Python int too large to convert to C ssize_t"));
    }
    if let Some(r) = call_index(vm, v)? {
        return int::as_i64(&r)
            .ok_or_else(|| exc::overflow_error("Python int too large to convert to C ssize_t"));
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

/// Calls a user-defined `__index__`, if there is one.
fn call_index(vm: &mut Vm, v: &Value) -> PyResult<Option<Value>> {
    if v.is_float() || !v.is_obj() {
        return Ok(None);
    }
    if let Some(m) = vm.lookup_special(v, &intern("__index__"))
        && m.kind() != Some(Kind::Builtin)
    {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        if !int::is_int(&r) {
            return Err(exc::type_error(format!(
                "__index__ returned non-int (type {})",
                type_name(&r)
            )));
        }
        return Ok(Some(r));
    }
    Ok(None)
}

/// A slice bound (`None` or an index), clamped to i64 like CPython's `_PyEval_SliceIndex`.
fn slice_arg(vm: &mut Vm, v: Option<&Value>) -> PyResult<Option<i64>> {
    let Some(v) = v else { return Ok(None) };
    if v.is_none() {
        return Ok(None);
    }
    let iv = if int::is_int(v) {
        v.clone()
    } else {
        match call_index(vm, v)? {
            Some(r) => r,
            None => {
                return Err(exc::type_error(
                    "slice indices must be integers or None or have an __index__ method",
                ));
            }
        }
    };
    Ok(Some(match int::as_i64(&iv) {
        Some(i) => i,
        None => {
            if int::to_bigint(&iv).is_some_and(|b| b.sign() == num_bigint::Sign::Minus) {
                i64::MIN
            } else {
                i64::MAX
            }
        }
    }))
}

/// CPython's `ADJUST_INDICES`: `end` clamped to `0..=len`, `start` to `0..` (it may exceed
/// `len`).
fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let len = len as i64;
    let mut s = start.unwrap_or(0);
    let mut e = end.unwrap_or(len);
    if e > len {
        e = len;
    } else if e < 0 {
        e = (e.saturating_add(len)).max(0);
    }
    if s < 0 {
        s = (s.saturating_add(len)).max(0);
    }
    (s, e)
}

/// Byte offset of character `i` (clamped to the end).
#[inline]
fn off(o: &StrObj, i: i64) -> usize {
    byte_offset(o, i.max(0) as usize)
}

fn list_of_strs<'a>(parts: impl Iterator<Item = &'a str>) -> Value {
    list::new(parts.map(new_str).collect())
}

// ---------------------------------------------------------------------------------------------
// Character classes (CPython's Unicode database, approximated with Rust's where they agree)

/// `Py_UNICODE_ISSPACE`.
fn is_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
        | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

/// `Py_UNICODE_ISLINEBREAK`.
fn is_linebreak(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Titlecase letters (category Lt).
fn is_titlecase(c: char) -> bool {
    matches!(c as u32, 0x1C5 | 0x1C8 | 0x1CB | 0x1F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF | 0x1FBC | 0x1FCC | 0x1FFC)
}

fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase(c)
}

/// Approximation of the Case_Ignorable property (for the final-sigma rule).
fn is_case_ignorable(c: char) -> bool {
    matches!(
        c,
        '\'' | '.'
            | ':'
            | '^'
            | '`'
            | '\u{a8}'
            | '\u{ad}'
            | '\u{af}'
            | '\u{b4}'
            | '\u{b7}'
            | '\u{b8}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{2024}'
            | '\u{2027}'
    ) || is_mark(c)
}

/// Rough test for combining marks (Mn/Mc/Me).
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x483..=0x489 | 0x591..=0x5BD | 0x5BF | 0x5C1..=0x5C2 | 0x5C4..=0x5C5 | 0x5C7
        | 0x610..=0x61A | 0x64B..=0x65F | 0x670 | 0x6D6..=0x6DC | 0x6DF..=0x6E4 | 0x6E7..=0x6E8 | 0x6EA..=0x6ED
        | 0x900..=0x903 | 0x93A..=0x93C | 0x93E..=0x94F | 0x951..=0x957 | 0x962..=0x963
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20F0 | 0x302A..=0x302F | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F)
}

/// `str.isdecimal` for one character (Unicode category Nd).
fn is_decimal(c: char) -> bool {
    fmt::decimal_value(c).is_some()
}

/// `str.isdigit` for one character (Numeric_Type Digit or Decimal).
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    is_decimal(c)
        || matches!(c as u32, 0xB2 | 0xB3 | 0xB9 | 0x1369..=0x1371 | 0x19DA | 0x2070 | 0x2074..=0x2079 | 0x2080..=0x2089
            | 0x2460..=0x2468 | 0x2474..=0x247C | 0x2488..=0x2490 | 0x24EA | 0x24F5..=0x24FD | 0x24FF | 0x2776..=0x277E
            | 0x2780..=0x2788 | 0x278A..=0x2792 | 0x10A40..=0x10A43 | 0x1F100..=0x1F10A)
}

/// `str.isnumeric` for one character.
fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    c.is_numeric()
        || matches!(
            c as u32,
            0x3007
                | 0x4E00
                | 0x4E8C
                | 0x4E09
                | 0x56DB
                | 0x4E94
                | 0x516D
                | 0x4E03
                | 0x516B
                | 0x4E5D
                | 0x5341
                | 0x767E
                | 0x5343
                | 0x4E07
                | 0x5104
                | 0x5146
                | 0x96F6
                | 0x5EFF
                | 0x5345
                | 0x4EBF
        )
}

/// `str.isalpha` for one character (categories L*).
fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphabetic()
        && !is_mark(c)
        && !matches!(c as u32, 0x16EE..=0x16F0 | 0x2160..=0x2188 | 0x3021..=0x3029 | 0x3038..=0x303A | 0x24B6..=0x24E9 | 0x345)
}

fn is_alnum(c: char) -> bool {
    is_alpha(c) || is_decimal(c) || is_digit(c) || is_numeric(c)
}

/// `str.isprintable` for one character: false for categories Cc, Cf, Cs, Co, Cn (as far as
/// known), Zl, Zp, and Zs other than the space.
pub fn is_printable(c: char) -> bool {
    let n = c as u32;
    if n < 0x7f {
        return n >= 0x20;
    }
    if c.is_control() || (is_space(c) && c != ' ') {
        return false;
    }
    !matches!(n, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2065 | 0x2066..=0x206F | 0xFEFF | 0xFFF0..=0xFFFB | 0xFFFE..=0xFFFF
        | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0x378..=0x379 | 0x380..=0x383 | 0x38B | 0x38D | 0x3A2)
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic() && !is_mark(c))
}

fn is_id_continue(c: char) -> bool {
    is_id_start(c)
        || c.is_ascii_digit()
        || (!c.is_ascii() && (is_decimal(c) || is_mark(c) || c == '\u{b7}'))
}

// ---------------------------------------------------------------------------------------------
// Case mapping

/// Pushes the titlecase mapping of `c`.
fn push_title(c: char, out: &mut String) {
    let n = c as u32;
    let t = match n {
        0x1C4..=0x1C6 => Some(0x1C5),
        0x1C7..=0x1C9 => Some(0x1C8),
        0x1CA..=0x1CC => Some(0x1CB),
        0x1F1..=0x1F3 => Some(0x1F2),
        0x1F80..=0x1FAF => Some(n | 8),
        0x1FB3 | 0x1FBC => Some(0x1FBC),
        0x1FC3 | 0x1FCC => Some(0x1FCC),
        0x1FF3 | 0x1FFC => Some(0x1FFC),
        _ => None,
    };
    if let Some(t) = t.and_then(char::from_u32) {
        out.push(t);
        return;
    }
    let mut up = c.to_uppercase();
    if let Some(f) = up.next() {
        out.push(f);
    }
    for r in up {
        out.extend(r.to_lowercase());
    }
}

/// Pushes the lowercase mapping of `chars[i]`, with the final-sigma rule.
fn push_lower(chars: &[char], i: usize, out: &mut String) {
    let c = chars[i];
    if c == 'Σ' {
        let mut j = i;
        let mut before = false;
        while j > 0 {
            j -= 1;
            if !is_case_ignorable(chars[j]) {
                before = is_cased(chars[j]);
                break;
            }
        }
        let mut after = false;
        for &d in &chars[i + 1..] {
            if !is_case_ignorable(d) {
                after = is_cased(d);
                break;
            }
        }
        out.push(if before && !after { 'ς' } else { 'σ' });
        return;
    }
    out.extend(c.to_lowercase());
}

/// Full case folding (lowercase of the uppercase, with the exceptions where that differs).
fn push_fold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c as u32 {
        0x131 | 0x130 => out.extend(c.to_lowercase()),
        0x13F8..=0x13FD => out.push(char::from_u32(c as u32 - 8).unwrap()),
        0xAB70..=0xABBF => out.push(char::from_u32(c as u32 - 0xAB70 + 0x13A0).unwrap()),
        0x13A0..=0x13F5 => out.push(c),
        _ => {
            for u in c.to_uppercase() {
                out.extend(u.to_lowercase());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// join / split / strip

fn str_join(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "join")?;
    let it = onearg(a, "join")?;
    let sep = as_str(&sv).unwrap();
    let items = match vm.collect(it) {
        Ok(v) => v,
        Err(e) => {
            if exc::matches(&e.0, &types().type_error) && vm.get_iter(it).is_err() {
                return Err(exc::type_error("can only join an iterable"));
            }
            return Err(e);
        }
    };
    if items.len() == 1
        && items[0].kind() == Some(Kind::Str)
        && crate::runtime::class_of(&items[0]).is(&types().str)
    {
        return Ok(items[0].clone());
    }
    let mut total = sep.len() * items.len().saturating_sub(1);
    let mut strs = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        match str_value(v) {
            Some(s) => {
                total += as_str(&s).unwrap().len();
                strs.push(s);
            }
            None => {
                return Err(exc::type_error(format!(
                    "sequence item {i}: expected str instance, {} found",
                    type_name(v)
                )));
            }
        }
    }
    let mut out = String::with_capacity(total);
    for (i, s) in strs.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(as_str(s).unwrap());
    }
    Ok(from_string(out))
}

fn split_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Option<Value>, i64)> {
    let p = kwargs(a, name, &["sep", "maxsplit"])?;
    let sep = match p[0] {
        None => None,
        Some(v) if v.is_none() => None,
        Some(v) => Some(str_value(v).ok_or_else(|| {
            exc::type_error(format!("must be str or None, not {}", type_name(v)))
        })?),
    };
    let maxsplit = match p[1] {
        None => -1,
        Some(v) => ssize_arg(vm, v)?,
    };
    if let Some(s) = &sep
        && as_str(s).unwrap().is_empty()
    {
        return Err(exc::value_error("empty separator"));
    }
    Ok((sep, maxsplit))
}

fn split_whitespace(s: &str, maxsplit: i64) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut count = maxsplit;
    loop {
        rest = rest.trim_start_matches(is_space);
        if rest.is_empty() {
            break;
        }
        if count == 0 {
            out.push(rest);
            break;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
        count -= 1;
    }
    out
}

fn rsplit_whitespace(s: &str, maxsplit: i64) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut count = maxsplit;
    loop {
        rest = rest.trim_end_matches(is_space);
        if rest.is_empty() {
            break;
        }
        if count == 0 {
            out.push(rest);
            break;
        }
        let start = rest
            .rfind(is_space)
            .map_or(0, |i| i + rest[i..].chars().next().unwrap().len_utf8());
        out.push(&rest[start..]);
        rest = &rest[..start];
        count -= 1;
    }
    out.reverse();
    out
}

fn str_split(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "split")?;
    let (sep, maxsplit) = split_args(vm, a, "split")?;
    let s = as_str(&sv).unwrap();
    Ok(match &sep {
        None => list_of_strs(split_whitespace(s, maxsplit).into_iter()),
        Some(sep) => {
            let sep = as_str(sep).unwrap();
            if maxsplit < 0 {
                list_of_strs(s.split(sep))
            } else {
                list_of_strs(s.splitn(maxsplit.saturating_add(1) as usize, sep))
            }
        }
    })
}

fn str_rsplit(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "rsplit")?;
    let (sep, maxsplit) = split_args(vm, a, "rsplit")?;
    let s = as_str(&sv).unwrap();
    Ok(match &sep {
        None => list_of_strs(rsplit_whitespace(s, maxsplit).into_iter()),
        Some(sep) => {
            let sep = as_str(sep).unwrap();
            let mut parts: Vec<&str> = if maxsplit < 0 {
                s.rsplit(sep).collect()
            } else {
                s.rsplitn(maxsplit.saturating_add(1) as usize, sep)
                    .collect()
            };
            parts.reverse();
            list_of_strs(parts.into_iter())
        }
    })
}

fn str_splitlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "splitlines")?;
    let p = kwargs(a, "splitlines", &["keepends"])?;
    let keep = match p[0] {
        None => false,
        Some(v) if v.is_bool() => v.is(&Value::TRUE),
        Some(v) => ssize_arg(vm, v)? != 0,
    };
    let s = as_str(&sv).unwrap();
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_linebreak(c) {
            let mut end = i + c.len_utf8();
            if c == '\r'
                && let Some(&(_, '\n')) = it.peek()
            {
                it.next();
                end += 1;
            }
            out.push(new_str(&s[start..if keep { end } else { i }]));
            start = end;
        }
    }
    if start < s.len() {
        out.push(new_str(&s[start..]));
    }
    Ok(list::new(out))
}

fn do_strip(a: &Args, name: &str, left: bool, right: bool) -> PyResult<Value> {
    let sv = this(a, name)?;
    let rest = posonly(a, name, 0, 1)?;
    let s = as_str(&sv).unwrap();
    let chars = match rest.first() {
        None => None,
        Some(v) if v.is_none() => None,
        Some(v) => Some(
            str_value(v)
                .ok_or_else(|| exc::type_error(format!("{name} arg must be None or str")))?,
        ),
    };
    let r = match &chars {
        None => {
            let mut t = s;
            if left {
                t = t.trim_start_matches(is_space);
            }
            if right {
                t = t.trim_end_matches(is_space);
            }
            t
        }
        Some(cv) => {
            let set = as_str(cv).unwrap();
            let pred = |c: char| set.contains(c);
            let mut t = s;
            if left {
                t = t.trim_start_matches(pred);
            }
            if right {
                t = t.trim_end_matches(pred);
            }
            t
        }
    };
    if r.len() == s.len() && crate::runtime::class_of(&sv).is(&types().str) {
        return Ok(sv.clone());
    }
    Ok(new_str(r))
}

fn str_strip(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_strip(a, "strip", true, true)
}

fn str_lstrip(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_strip(a, "lstrip", true, false)
}

fn str_rstrip(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_strip(a, "rstrip", false, true)
}

// ---------------------------------------------------------------------------------------------
// Searching

fn tailmatch(o: &StrObj, sub: &StrObj, start: Option<i64>, end: Option<i64>, at_end: bool) -> bool {
    let (st, en) = adjust(start, end, o.nchars);
    if en - (sub.nchars as i64) < st {
        return false;
    }
    let slice = &o.s[off(o, st)..off(o, en)];
    if at_end {
        slice.ends_with(&*sub.s)
    } else {
        slice.starts_with(&*sub.s)
    }
}

fn do_startswith(vm: &mut Vm, a: &Args, name: &str, at_end: bool) -> PyResult<Value> {
    let sv = this(a, name)?;
    let rest = posonly_old(a, name, 1, 3)?;
    let start = slice_arg(vm, rest.get(1))?;
    let end = slice_arg(vm, rest.get(2))?;
    let o = sobj(&sv);
    let x = &rest[0];
    if let Some(items) = tuple::items(x) {
        for it in items {
            let Some(sub) = str_value(it) else {
                return Err(exc::type_error(format!(
                    "tuple for {name} must only contain str, not {}",
                    type_name(it)
                )));
            };
            if tailmatch(o, sobj(&sub), start, end, at_end) {
                return Ok(Value::TRUE);
            }
        }
        return Ok(Value::FALSE);
    }
    let Some(sub) = str_value(x) else {
        return Err(exc::type_error(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            type_name(x)
        )));
    };
    Ok(Value::bool(tailmatch(o, sobj(&sub), start, end, at_end)))
}

fn str_startswith(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_startswith(vm, a, "startswith", false)
}

fn str_endswith(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_startswith(vm, a, "endswith", true)
}

/// Parses `(sub[, start[, end]])`; returns (self, sub, start, end) with adjusted indices.
fn search_args(vm: &mut Vm, a: &Args, name: &str) -> PyResult<(Value, Value, i64, i64)> {
    let sv = this(a, name)?;
    let rest = posonly_old(a, name, 1, 3)?;
    let sub = str_arg(&rest[0])?;
    let start = slice_arg(vm, rest.get(1))?;
    let end = slice_arg(vm, rest.get(2))?;
    let (st, en) = adjust(start, end, sobj(&sv).nchars);
    Ok((sv, sub, st, en))
}

/// `find`/`rfind` core: the character index or -1.
fn find_core(o: &StrObj, sub: &StrObj, st: i64, en: i64, rev: bool) -> i64 {
    if en - st < sub.nchars as i64 {
        return -1;
    }
    let bs = off(o, st);
    let be = off(o, en);
    let hay = &o.s[bs..be];
    let found = if rev {
        hay.rfind(&*sub.s)
    } else {
        hay.find(&*sub.s)
    };
    match found {
        None => -1,
        Some(b) => {
            st + if o.is_ascii() {
                b as i64
            } else {
                hay[..b].chars().count() as i64
            }
        }
    }
}

fn str_find(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, sub, st, en) = search_args(vm, a, "find")?;
    Ok(int::from_i64(find_core(
        sobj(&sv),
        sobj(&sub),
        st,
        en,
        false,
    )))
}

fn str_rfind(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, sub, st, en) = search_args(vm, a, "rfind")?;
    Ok(int::from_i64(find_core(
        sobj(&sv),
        sobj(&sub),
        st,
        en,
        true,
    )))
}

fn str_index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, sub, st, en) = search_args(vm, a, "index")?;
    match find_core(sobj(&sv), sobj(&sub), st, en, false) {
        -1 => Err(exc::value_error("substring not found")),
        i => Ok(int::from_i64(i)),
    }
}

fn str_rindex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, sub, st, en) = search_args(vm, a, "rindex")?;
    match find_core(sobj(&sv), sobj(&sub), st, en, true) {
        -1 => Err(exc::value_error("substring not found")),
        i => Ok(int::from_i64(i)),
    }
}

fn str_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let (sv, sub, st, en) = search_args(vm, a, "count")?;
    let (o, sub) = (sobj(&sv), sobj(&sub));
    if en - st < sub.nchars as i64 {
        return Ok(Value::small_int(0));
    }
    if sub.s.is_empty() {
        return Ok(int::from_i64(en - st + 1));
    }
    let hay = &o.s[off(o, st)..off(o, en)];
    Ok(int::from_i64(hay.matches(&*sub.s).count() as i64))
}

fn str_replace(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "replace")?;
    let rest = posonly(a, "replace", 2, 3)?;
    let old = str_value(&rest[0]).ok_or_else(|| {
        exc::type_error(format!(
            "replace() argument 1 must be str, not {}",
            type_name(&rest[0])
        ))
    })?;
    let new = str_value(&rest[1]).ok_or_else(|| {
        exc::type_error(format!(
            "replace() argument 2 must be str, not {}",
            type_name(&rest[1])
        ))
    })?;
    let count = match rest.get(2) {
        Some(v) => ssize_arg(vm, v)?,
        None => -1,
    };
    let (s, old, new) = (
        as_str(&sv).unwrap(),
        as_str(&old).unwrap(),
        as_str(&new).unwrap(),
    );
    let r = if count < 0 {
        s.replace(old, new)
    } else {
        s.replacen(old, new, count as usize)
    };
    Ok(from_string(r))
}

// ---------------------------------------------------------------------------------------------
// Case

fn str_upper(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "upper")?;
    noargs(a, "upper")?;
    let s = as_str(&sv).unwrap();
    Ok(from_string(if s.is_ascii() {
        s.to_ascii_uppercase()
    } else {
        s.to_uppercase()
    }))
}

fn str_lower(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "lower")?;
    noargs(a, "lower")?;
    let s = as_str(&sv).unwrap();
    Ok(from_string(if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }))
}

fn str_casefold(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "casefold")?;
    noargs(a, "casefold")?;
    let s = as_str(&sv).unwrap();
    if s.is_ascii() {
        return Ok(from_string(s.to_ascii_lowercase()));
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_fold(c, &mut out);
    }
    Ok(from_string(out))
}

fn str_capitalize(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "capitalize")?;
    noargs(a, "capitalize")?;
    let s = as_str(&sv).unwrap();
    if s.is_ascii() {
        let mut out = s.to_ascii_lowercase();
        if let Some(f) = out.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        return Ok(from_string(out));
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for i in 0..chars.len() {
        if i == 0 {
            push_title(chars[0], &mut out);
        } else {
            push_lower(&chars, i, &mut out);
        }
    }
    Ok(from_string(out))
}

fn str_title(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "title")?;
    noargs(a, "title")?;
    let s = as_str(&sv).unwrap();
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    if s.is_ascii() {
        for c in s.chars() {
            out.push(if prev_cased {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            });
            prev_cased = c.is_ascii_alphabetic();
        }
        return Ok(from_string(out));
    }
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if prev_cased {
            push_lower(&chars, i, &mut out);
        } else {
            push_title(c, &mut out);
        }
        prev_cased = is_cased(c);
    }
    Ok(from_string(out))
}

fn str_swapcase(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "swapcase")?;
    noargs(a, "swapcase")?;
    let s = as_str(&sv).unwrap();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            push_lower(&chars, i, &mut out);
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    Ok(from_string(out))
}

// ---------------------------------------------------------------------------------------------
// Padding

fn fill_arg(v: Option<&Value>) -> PyResult<char> {
    let Some(v) = v else { return Ok(' ') };
    let Some(s) = str_value(v) else {
        return Err(exc::type_error(format!(
            "The fill character must be a unicode character, not {}",
            type_name(v)
        )));
    };
    let mut it = as_str(&s).unwrap().chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(exc::type_error(
            "The fill character must be exactly one character long",
        )),
    }
}

fn pad(sv: &Value, left: usize, right: usize, fill: char) -> Value {
    if left == 0 && right == 0 && crate::runtime::class_of(sv).is(&types().str) {
        return sv.clone();
    }
    let s = as_str(sv).unwrap();
    let mut out = String::with_capacity(s.len() + (left + right) * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    from_string(out)
}

fn do_justify(vm: &mut Vm, a: &Args, name: &str) -> PyResult<Value> {
    let sv = this(a, name)?;
    let rest = posonly(a, name, 1, 2)?;
    let width = ssize_arg(vm, &rest[0])?;
    let fill = fill_arg(rest.get(1))?;
    let n = sobj(&sv).nchars as i64;
    if width <= n {
        return Ok(pad(&sv, 0, 0, fill));
    }
    if width - n > fmt::MAX_FORMAT_LEN as i64 {
        return Err(exc::memory_error(""));
    }
    let marg = (width - n) as usize;
    let (l, r) = match name {
        "ljust" => (0, marg),
        "rjust" => (marg, 0),
        _ => {
            let l = marg / 2 + (marg & (width as usize) & 1);
            (l, marg - l)
        }
    };
    Ok(pad(&sv, l, r, fill))
}

fn str_center(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_justify(vm, a, "center")
}

fn str_ljust(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_justify(vm, a, "ljust")
}

fn str_rjust(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_justify(vm, a, "rjust")
}

fn str_zfill(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "zfill")?;
    let w = onearg(a, "zfill")?;
    let width = ssize_arg(vm, w)?;
    let o = sobj(&sv);
    let n = o.nchars as i64;
    if width <= n {
        return Ok(pad(&sv, 0, 0, '0'));
    }
    if width - n > fmt::MAX_FORMAT_LEN as i64 {
        return Err(exc::memory_error(""));
    }
    let fill = (width - n) as usize;
    let s = &*o.s;
    let mut out = String::with_capacity(s.len() + fill);
    let (sign, body) = match s.as_bytes().first() {
        Some(b'+') | Some(b'-') => s.split_at(1),
        _ => ("", s),
    };
    out.push_str(sign);
    out.extend(std::iter::repeat_n('0', fill));
    out.push_str(body);
    Ok(from_string(out))
}

// ---------------------------------------------------------------------------------------------
// Predicates

fn pred(a: &Args, name: &str, f: impl Fn(char) -> bool) -> PyResult<Value> {
    let sv = this(a, name)?;
    noargs(a, name)?;
    let s = as_str(&sv).unwrap();
    Ok(Value::bool(!s.is_empty() && s.chars().all(f)))
}

fn str_isdigit(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(a, "isdigit", is_digit)
}

fn str_isdecimal(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(a, "isdecimal", is_decimal)
}

fn str_isnumeric(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(a, "isnumeric", is_numeric)
}

fn str_isalpha(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(a, "isalpha", is_alpha)
}

fn str_isalnum(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(a, "isalnum", is_alnum)
}

fn str_isspace(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    pred(a, "isspace", is_space)
}

fn str_isascii(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "isascii")?;
    noargs(a, "isascii")?;
    Ok(Value::bool(sobj(&sv).is_ascii()))
}

fn str_isprintable(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "isprintable")?;
    noargs(a, "isprintable")?;
    Ok(Value::bool(as_str(&sv).unwrap().chars().all(is_printable)))
}

fn str_isupper(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "isupper")?;
    noargs(a, "isupper")?;
    let mut cased = false;
    for c in as_str(&sv).unwrap().chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return Ok(Value::FALSE);
        }
        if c.is_uppercase() {
            cased = true;
        }
    }
    Ok(Value::bool(cased))
}

fn str_islower(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "islower")?;
    noargs(a, "islower")?;
    let mut cased = false;
    for c in as_str(&sv).unwrap().chars() {
        if c.is_uppercase() || is_titlecase(c) {
            return Ok(Value::FALSE);
        }
        if c.is_lowercase() {
            cased = true;
        }
    }
    Ok(Value::bool(cased))
}

fn str_istitle(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "istitle")?;
    noargs(a, "istitle")?;
    let mut cased = false;
    let mut prev_cased = false;
    for c in as_str(&sv).unwrap().chars() {
        if c.is_uppercase() || is_titlecase(c) {
            if prev_cased {
                return Ok(Value::FALSE);
            }
            prev_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return Ok(Value::FALSE);
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    Ok(Value::bool(cased))
}

fn str_isidentifier(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "isidentifier")?;
    noargs(a, "isidentifier")?;
    let mut it = as_str(&sv).unwrap().chars();
    let ok = match it.next() {
        Some(c) => is_id_start(c) && it.all(is_id_continue),
        None => false,
    };
    Ok(Value::bool(ok))
}

// ---------------------------------------------------------------------------------------------
// partition, prefixes, tabs

fn do_partition(a: &Args, name: &str, rev: bool) -> PyResult<Value> {
    let sv = this(a, name)?;
    let sep = str_arg(onearg(a, name)?)?;
    let (s, p) = (as_str(&sv).unwrap(), as_str(&sep).unwrap());
    if p.is_empty() {
        return Err(exc::value_error("empty separator"));
    }
    let found = if rev { s.rfind(p) } else { s.find(p) };
    let e = || intern("");
    Ok(match found {
        Some(i) => tuple::new(vec![
            new_str(&s[..i]),
            sep.clone(),
            new_str(&s[i + p.len()..]),
        ]),
        None if rev => tuple::new(vec![e(), e(), sv.clone()]),
        None => tuple::new(vec![sv.clone(), e(), e()]),
    })
}

fn str_partition(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_partition(a, "partition", false)
}

fn str_rpartition(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_partition(a, "rpartition", true)
}

fn do_remove_fix(a: &Args, name: &str, suffix: bool) -> PyResult<Value> {
    let sv = this(a, name)?;
    let x = onearg(a, name)?;
    let fix = str_value(x).ok_or_else(|| {
        exc::type_error(format!(
            "{name}() argument must be str, not {}",
            type_name(x)
        ))
    })?;
    let (s, f) = (as_str(&sv).unwrap(), as_str(&fix).unwrap());
    let r = if suffix {
        s.strip_suffix(f)
    } else {
        s.strip_prefix(f)
    };
    match r {
        Some(r) if !f.is_empty() => Ok(new_str(r)),
        _ => Ok(pad(&sv, 0, 0, ' ')),
    }
}

fn str_removeprefix(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_remove_fix(a, "removeprefix", false)
}

fn str_removesuffix(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    do_remove_fix(a, "removesuffix", true)
}

fn str_expandtabs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "expandtabs")?;
    let p = kwargs(a, "expandtabs", &["tabsize"])?;
    let tabsize = match p[0] {
        Some(v) => ssize_arg(vm, v)?,
        None => 8,
    };
    let s = as_str(&sv).unwrap();
    let mut out = String::with_capacity(s.len());
    let mut col: i64 = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let n = tabsize - col % tabsize;
                    if out.len() as i64 + n > fmt::MAX_FORMAT_LEN as i64 {
                        return Err(exc::overflow_error("result too long"));
                    }
                    out.extend(std::iter::repeat_n(' ', n as usize));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(from_string(out))
}

// ---------------------------------------------------------------------------------------------
// translate / maketrans

fn str_translate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "translate")?;
    let table = onearg(a, "translate")?;
    let s = as_str(&sv).unwrap();
    let mut out = String::with_capacity(s.len());
    let lookup_error = types().lookup_error.clone();
    for c in s.chars() {
        let r = match vm.getitem(table, &Value::small_int(c as i64)) {
            Ok(r) => r,
            Err(e) if exc::matches(&e.0, &lookup_error) => {
                out.push(c);
                continue;
            }
            Err(e) => return Err(e),
        };
        if r.is_none() {
            continue;
        }
        if let Some(t) = str_value(&r) {
            out.push_str(as_str(&t).unwrap());
        } else if int::is_int(&r) {
            match int::as_i64(&r)
                .filter(|i| (0..=0x10FFFF).contains(i))
                .and_then(|i| char::from_u32(i as u32))
            {
                Some(ch) => out.push(ch),
                None => {
                    return Err(exc::value_error(
                        "character mapping must be in range(0x110000)",
                    ));
                }
            }
        } else {
            return Err(exc::type_error(
                "character mapping must return integer, None or str",
            ));
        }
    }
    Ok(from_string(out))
}

fn str_maketrans(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if !a.kwnames.is_empty() {
        return Err(exc::type_error("maketrans() takes no keyword arguments"));
    }
    let n = a.npos();
    if n < 1 {
        return Err(exc::type_error(format!(
            "maketrans expected at least 1 argument, got {n}"
        )));
    }
    if n > 3 {
        return Err(exc::type_error(format!(
            "maketrans expected at most 3 arguments, got {n}"
        )));
    }
    let d = object::alloc(&types().dict, DictObj::default());
    if n == 1 {
        let x = a.arg(0);
        let Some(src) = x.downcast::<DictObj>() else {
            return Err(exc::type_error(
                "if you give only one argument to maketrans it must be a dict",
            ));
        };
        for (k, v) in src.items() {
            let key = if let Some(ks) = str_value(&k) {
                let ks = as_str(&ks).unwrap();
                let mut it = ks.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Value::small_int(c as i64),
                    _ => {
                        return Err(exc::value_error(
                            "string keys in translate table must be of length 1",
                        ));
                    }
                }
            } else if int::is_int(&k) {
                int::from_bigint(int::to_bigint(&k).unwrap())
            } else {
                return Err(exc::type_error(
                    "keys in translate table must be strings or integers",
                ));
            };
            vm.dict_set(&d, key, v)?;
        }
        return Ok(d);
    }
    let Some(x) = str_value(a.arg(0)) else {
        return Err(exc::type_error(
            "first maketrans argument must be a string if there is a second argument",
        ));
    };
    let Some(y) = str_value(a.arg(1)) else {
        return Err(exc::type_error(format!(
            "maketrans() argument 2 must be str, not {}",
            type_name(a.arg(1))
        )));
    };
    let z = if n == 3 {
        Some(str_value(a.arg(2)).ok_or_else(|| {
            exc::type_error(format!(
                "maketrans() argument 3 must be str, not {}",
                type_name(a.arg(2))
            ))
        })?)
    } else {
        None
    };
    if sobj(&x).nchars != sobj(&y).nchars {
        return Err(exc::value_error(
            "the first two maketrans arguments must have equal length",
        ));
    }
    for (p, q) in as_str(&x).unwrap().chars().zip(as_str(&y).unwrap().chars()) {
        vm.dict_set(&d, Value::small_int(p as i64), Value::small_int(q as i64))?;
    }
    if let Some(z) = z {
        for c in as_str(&z).unwrap().chars() {
            vm.dict_set(&d, Value::small_int(c as i64), Value::NONE)?;
        }
    }
    Ok(d)
}

// ---------------------------------------------------------------------------------------------
// encode

fn str_encode(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "encode")?;
    let p = kwargs(a, "encode", &["encoding", "errors"])?;
    let enc = match p[0] {
        None => "utf-8".to_string(),
        Some(v) => {
            let s = str_value(v).ok_or_else(|| {
                exc::type_error(format!(
                    "encode() argument 'encoding' must be str, not {}",
                    type_name(v)
                ))
            })?;
            as_str(&s).unwrap().to_string()
        }
    };
    if let Some(v) = p[1]
        && str_value(v).is_none()
    {
        return Err(exc::type_error(format!(
            "encode() argument 'errors' must be str, not {}",
            type_name(v)
        )));
    }
    let norm = enc.to_ascii_lowercase().replace(['_', ' '], "-");
    let known = [
        "utf-8",
        "utf8",
        "u8",
        "utf",
        "cp65001",
        "ascii",
        "us-ascii",
        "latin-1",
        "latin1",
        "iso-8859-1",
        "iso8859-1",
        "l1",
    ];
    if !known.contains(&norm.as_str()) {
        return Err(exc::lookup_error(format!("unknown encoding: {enc}")));
    }
    let _ = sv;
    Err(exc::not_implemented_error(
        "str.encode(): bytes objects are not supported by this runtime",
    ))
}

// ---------------------------------------------------------------------------------------------
// format / format_map

/// Where `str.format` looks up keyword fields.
enum Kw<'a> {
    Args(&'a Args<'a>),
    Map(&'a Value),
}

fn build_string(
    vm: &mut Vm,
    tmpl: &str,
    args: &[Value],
    kw: &Kw,
    auto: &mut AutoNumber,
    depth: i32,
) -> PyResult<String> {
    if depth <= 0 {
        return Err(exc::value_error("Max string recursion exceeded"));
    }
    let (pieces, trailing) = fmt::parse_template_lenient(tmpl);
    let mut out = String::with_capacity(tmpl.len() + 16);
    for p in &pieces {
        match p {
            TemplatePiece::Literal(s) => out.push_str(s),
            TemplatePiece::Field(f) => {
                let name = fmt::parse_field_name(&f.field_name).map_err(fmt_error)?;
                let idx = auto.resolve(&name.first).map_err(fmt_error)?;
                let mut obj = match (&name.first, idx) {
                    (FieldFirst::Keyword(k), _) => match kw {
                        Kw::Args(a) => match a.kwargs().find(|(n, _)| n == k) {
                            Some((_, v)) => v.clone(),
                            None => return Err(exc::key_error(new_str(k))),
                        },
                        Kw::Map(m) => vm.getitem(m, &new_str(k))?,
                    },
                    (_, Some(i)) => {
                        if let Kw::Map(_) = kw {
                            return Err(exc::value_error(
                                "Format string contains positional fields",
                            ));
                        }
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => {
                                return Err(exc::index_error(format!(
                                    "Replacement index {i} out of range for positional args tuple"
                                )));
                            }
                        }
                    }
                    (_, None) => unreachable!("positional field without index"),
                };
                for acc in &name.rest {
                    obj = match acc {
                        FieldAccessor::Attr(n) => vm.getattr(&obj, &intern(n))?,
                        FieldAccessor::Index(i) => vm.getitem(&obj, &int::from_i64(*i as i64))?,
                        FieldAccessor::Key(k) => vm.getitem(&obj, &new_str(k))?,
                    };
                }
                if let Some(e) = &name.rest_error {
                    return Err(fmt_error(e.clone()));
                }
                if let Some(c) = f.conversion {
                    fmt::check_conversion(c).map_err(fmt_error)?;
                    obj = match c {
                        'r' => from_string(vm.repr(&obj)?),
                        'a' => from_string(ascii_escape(&vm.repr(&obj)?)),
                        _ => vm.str_value(&obj)?,
                    };
                }
                let spec = if f.spec_needs_expanding {
                    build_string(vm, &f.spec, args, kw, auto, depth - 1)?
                } else {
                    f.spec.clone()
                };
                if spec.is_empty()
                    && let Some(s) = as_str(&obj)
                {
                    out.push_str(s);
                } else {
                    let s = vm.format(&obj, &spec)?;
                    out.push_str(&s);
                }
            }
        }
    }
    if let Some(e) = trailing {
        return Err(fmt_error(e));
    }
    Ok(out)
}

fn str_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "format")?;
    let args = &a.pos()[1..];
    let mut auto = AutoNumber::new();
    let s = build_string(vm, as_str(&sv).unwrap(), args, &Kw::Args(a), &mut auto, 2)?;
    Ok(from_string(s))
}

fn str_format_map(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "format_map")?;
    let m = onearg(a, "format_map")?;
    let mut auto = AutoNumber::new();
    let s = build_string(vm, as_str(&sv).unwrap(), &[], &Kw::Map(m), &mut auto, 2)?;
    Ok(from_string(s))
}

// ---------------------------------------------------------------------------------------------
// Special methods

fn dunder_arg<'a>(a: &'a Args, name: &str) -> PyResult<&'a Value> {
    let n = a.npos().saturating_sub(1);
    if n != 1 || !a.kwnames.is_empty() {
        return Err(exc::type_error(format!("expected 1 argument, got {n}")));
    }
    let _ = name;
    Ok(a.arg(1))
}

fn dunder_noarg(a: &Args, name: &str) -> PyResult<()> {
    let n = a.npos().saturating_sub(1);
    if n != 0 || !a.kwnames.is_empty() {
        return Err(exc::type_error(format!("expected 0 arguments, got {n}")));
    }
    let _ = name;
    Ok(())
}

fn str_len(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__len__")?;
    dunder_noarg(a, "__len__")?;
    Ok(int::from_i64(sobj(&sv).nchars as i64))
}

fn str_contains(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__contains__")?;
    let x = dunder_arg(a, "__contains__")?;
    let Some(sub) = str_value(x) else {
        return Err(exc::type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            type_name(x)
        )));
    };
    Ok(Value::bool(
        as_str(&sv).unwrap().contains(as_str(&sub).unwrap()),
    ))
}

fn str_getitem(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__getitem__")?;
    let k = dunder_arg(a, "__getitem__")?;
    vm.getitem(&sv, k)
}

fn str_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__iter__")?;
    dunder_noarg(a, "__iter__")?;
    vm.get_iter(&sv)
}

fn str_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__add__")?;
    let x = dunder_arg(a, "__add__")?;
    let Some(y) = str_value(x) else {
        return Err(exc::type_error(format!(
            "can only concatenate str (not \"{}\") to str",
            type_name(x)
        )));
    };
    vm.binary_op(&sv, &y, binop::ADD)
}

fn str_mul(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__mul__")?;
    let x = dunder_arg(a, "__mul__")?;
    let n = if int::is_int(x) {
        int::as_i64(x)
            .ok_or_else(|| exc::overflow_error("cannot fit 'int' into an index-sized integer"))?
    } else {
        match call_index(vm, x)? {
            Some(r) => int::as_i64(&r).ok_or_else(|| {
                exc::overflow_error("cannot fit 'int' into an index-sized integer")
            })?,
            None => {
                return Err(exc::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    type_name(x)
                )));
            }
        }
    };
    let s = as_str(&sv).unwrap();
    if n > 0 && (s.len() as i64).saturating_mul(n) > fmt::MAX_FORMAT_LEN as i64 * 4 {
        return Err(exc::memory_error(""));
    }
    vm.binary_op(&sv, &int::from_i64(n), binop::MULTIPLY)
}

fn str_mod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__mod__")?;
    let x = dunder_arg(a, "__mod__")?;
    vm.percent_format(&sv, x)
}

fn str_rmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__rmod__")?;
    let x = dunder_arg(a, "__rmod__")?;
    match str_value(x) {
        Some(f) => vm.percent_format(&f, &sv),
        None => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn cmp_op(a: &Args, name: &str, f: fn(std::cmp::Ordering) -> bool) -> PyResult<Value> {
    let sv = this_d(a, name)?;
    let x = dunder_arg(a, name)?;
    match str_value(x) {
        Some(y) => Ok(Value::bool(f(as_str(&sv)
            .unwrap()
            .cmp(as_str(&y).unwrap())))),
        None => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn str_eq(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp_op(a, "__eq__", |o| o.is_eq())
}

fn str_ne(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp_op(a, "__ne__", |o| o.is_ne())
}

fn str_lt(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp_op(a, "__lt__", |o| o.is_lt())
}

fn str_le(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp_op(a, "__le__", |o| o.is_le())
}

fn str_gt(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp_op(a, "__gt__", |o| o.is_gt())
}

fn str_ge(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    cmp_op(a, "__ge__", |o| o.is_ge())
}

fn str_dunder_hash(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__hash__")?;
    dunder_noarg(a, "__hash__")?;
    Ok(int::from_i64(str_hash(sobj(&sv))))
}

fn str_dunder_repr(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__repr__")?;
    dunder_noarg(a, "__repr__")?;
    Ok(from_string(str_repr(as_str(&sv).unwrap())))
}

fn str_dunder_str(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this_d(a, "__str__")?;
    dunder_noarg(a, "__str__")?;
    if crate::runtime::class_of(&sv).is(&types().str) {
        return Ok(sv);
    }
    Ok(new_str(as_str(&sv).unwrap()))
}

fn str_dunder_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "__format__")?;
    if !a.kwnames.is_empty() || a.npos() != 2 {
        return Err(exc::type_error(format!(
            "__format__ expected 1 argument, got {}",
            a.npos().saturating_sub(1)
        )));
    }
    let spec = str_value(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "__format__() argument must be str, not {}",
            type_name(a.arg(1))
        ))
    })?;
    let spec = as_str(&spec).unwrap();
    if spec.is_empty() {
        return Ok(sv);
    }
    Ok(from_string(vm.format(&sv, spec)?))
}

fn str_getnewargs(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let sv = this(a, "__getnewargs__")?;
    noargs(a, "__getnewargs__")?;
    Ok(tuple::new(vec![new_str(as_str(&sv).unwrap())]))
}
