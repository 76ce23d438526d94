//! A CPython-style disassembler for [`CodeUnit`]s.

use crate::bytecode::{Op, binop, cmpop, decode};
use crate::unit::{CodeUnit, Const};
use std::fmt::Write;

/// Python's `repr` of a float.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Shortest round-trip digits and exponent.
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        let s = if exp >= 0 {
            if n > exp + 1 {
                format!(
                    "{}.{}",
                    &digits[..(exp + 1) as usize],
                    &digits[(exp + 1) as usize..]
                )
            } else {
                format!("{}{}.0", digits, "0".repeat((exp + 1 - n) as usize))
            }
        } else {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        };
        format!("{sign}{s}")
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    }
}

/// Python's `repr` of a str.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if !c.is_ascii() && !is_printable(c) => {
                let n = c as u32;
                let _ = if n <= 0xff {
                    write!(out, "\\x{n:02x}")
                } else if n <= 0xffff {
                    write!(out, "\\u{n:04x}")
                } else {
                    write!(out, "\\U{n:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Approximately Python's `str.isprintable` for one non-ASCII character: not a control,
/// separator (other than space), format, private-use or noncharacter code point.
fn is_printable(c: char) -> bool {
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let n = c as u32;
    !matches!(n, 0xA0 | 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2
        | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFDD0..=0xFDEF
        | 0xFEFF | 0xFFF0..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
        && n & 0xFFFE != 0xFFFE
}

/// Python's `repr` of a bytes object.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote}");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote);
    out
}

fn code_title(u: &CodeUnit) -> String {
    format!(
        "<code object {} at \"{}\", line {}>",
        u.name, u.filename, u.first_line
    )
}

/// Python's `repr` of a constant (code objects as `<code object f at "file", line N>`).
pub fn const_repr(c: &Const) -> String {
    match c {
        Const::None => "None".into(),
        Const::Bool(true) => "True".into(),
        Const::Bool(false) => "False".into(),
        Const::Ellipsis => "Ellipsis".into(),
        Const::Int(i) => i.to_string(),
        Const::Float(f) => float_repr(*f),
        Const::Imag(f) => {
            let r = float_repr(*f);
            format!("{}j", r.strip_suffix(".0").unwrap_or(&r))
        }
        Const::Str(s) => str_repr(s),
        Const::Bytes(b) => bytes_repr(b),
        Const::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Const::Code(u) => code_title(u),
    }
}

/// The resolved argument of an instruction, as `dis` shows it in parentheses.
fn argrepr(u: &CodeUnit, op: Op, arg: u32) -> String {
    let name = |v: &[String], i: u32| v.get(i as usize).cloned().unwrap_or_else(|| "?".into());
    let deref = |i: u32| {
        let i = i as usize;
        if i < u.cellvars.len() {
            u.cellvars[i].clone()
        } else {
            u.freevars
                .get(i - u.cellvars.len())
                .cloned()
                .unwrap_or_else(|| "?".into())
        }
    };
    match op {
        Op::LOAD_CONST => u.consts.get(arg as usize).map_or("?".into(), const_repr),
        Op::LOAD_FAST | Op::STORE_FAST | Op::DELETE_FAST => name(&u.varnames, arg),
        Op::LOAD_DEREF
        | Op::STORE_DEREF
        | Op::DELETE_DEREF
        | Op::LOAD_CLOSURE
        | Op::LOAD_CLASSDEREF => deref(arg),
        Op::LOAD_GLOBAL
        | Op::STORE_GLOBAL
        | Op::DELETE_GLOBAL
        | Op::LOAD_NAME
        | Op::STORE_NAME
        | Op::DELETE_NAME
        | Op::LOAD_ATTR
        | Op::LOAD_METHOD
        | Op::STORE_ATTR
        | Op::DELETE_ATTR
        | Op::IMPORT_NAME
        | Op::IMPORT_FROM => name(&u.names, arg),
        Op::BINARY_OP => {
            let base = arg % binop::INPLACE;
            let sym = binop::SYMBOLS.get(base as usize).copied().unwrap_or("?");
            if arg >= binop::INPLACE {
                format!("{sym}=")
            } else {
                sym.to_string()
            }
        }
        Op::COMPARE_OP => cmpop::SYMBOLS
            .get(arg as usize)
            .copied()
            .unwrap_or("?")
            .into(),
        Op::IS_OP => if arg == 1 { "is not" } else { "is" }.into(),
        Op::CONTAINS_OP => if arg == 1 { "not in" } else { "in" }.into(),
        Op::FORMAT_VALUE => {
            let conv = match arg & 3 {
                1 => "str",
                2 => "repr",
                3 => "ascii",
                _ => "",
            };
            match (conv, arg & 4 != 0) {
                ("", true) => "with format".into(),
                (c, true) => format!("{c}, with format"),
                (c, false) => c.into(),
            }
        }
        Op::MAKE_FUNCTION => {
            let mut v = Vec::new();
            if arg & 1 != 0 {
                v.push("defaults");
            }
            if arg & 2 != 0 {
                v.push("kwdefaults");
            }
            if arg & 4 != 0 {
                v.push("annotations");
            }
            if arg & 8 != 0 {
                v.push("closure");
            }
            v.join(", ")
        }
        op if op.is_jump() => format!("to {arg}"),
        _ => String::new(),
    }
}

/// False for ops whose argument is unused (CPython's ops below `HAVE_ARGUMENT`).
fn has_arg(op: Op) -> bool {
    !matches!(
        op,
        Op::NOP
            | Op::CACHE
            | Op::POP_TOP
            | Op::PUSH_NULL
            | Op::UNARY_NEGATIVE
            | Op::UNARY_POSITIVE
            | Op::UNARY_NOT
            | Op::UNARY_INVERT
            | Op::BINARY_SUBSCR
            | Op::STORE_SUBSCR
            | Op::DELETE_SUBSCR
            | Op::LIST_TO_TUPLE
            | Op::GET_ITER
            | Op::RETURN_VALUE
            | Op::YIELD_VALUE
            | Op::GET_YIELD_FROM_ITER
            | Op::PUSH_EXC_INFO
            | Op::POP_EXCEPT
            | Op::CHECK_EXC_MATCH
            | Op::BEFORE_WITH
            | Op::WITH_EXCEPT_START
            | Op::LOAD_BUILD_CLASS
            | Op::LOAD_ASSERTION_ERROR
            | Op::IMPORT_STAR
            | Op::SETUP_ANNOTATIONS
    )
}

/// Disassembles one code object (without its nested code objects).
fn dis_one(u: &CodeUnit, out: &mut String) {
    let _ = writeln!(out, "Disassembly of {}:", code_title(u));
    let mut targets: std::collections::HashSet<u32> =
        u.exc_table.iter().map(|e| e.target).collect();
    for &w in &u.instrs {
        let (op, arg) = decode(w);
        if let Some(op) = Op::from_u8(op)
            && op.is_jump()
        {
            targets.insert(arg);
        }
    }
    let mut last_line = 0;
    let mut i = 0;
    while i < u.instrs.len() {
        let (opn, arg) = decode(u.instrs[i]);
        let Some(op) = Op::from_u8(opn) else {
            let _ = writeln!(out, "{:>15} <{opn}>", i);
            i += 1;
            continue;
        };
        let line = u.positions.get(i).map_or(0, |p| p.line);
        let line_str = if line != last_line {
            last_line = line;
            format!("{line:>3}")
        } else {
            "   ".to_string()
        };
        let marker = if targets.contains(&(i as u32)) {
            ">>"
        } else {
            "  "
        };
        let rep = argrepr(u, op, arg);
        let mut s = if has_arg(op) {
            format!(
                "{line_str}     {marker} {:>4} {:<20} {:>5}",
                i,
                op.name(),
                arg
            )
        } else {
            format!("{line_str}     {marker} {:>4} {}", i, op.name())
        };
        if !rep.is_empty() {
            let _ = write!(s, " ({rep})");
        }
        out.push_str(s.trim_end());
        out.push('\n');
        i += 1 + op.cache_words() as usize;
    }
    if !u.exc_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &u.exc_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start,
                e.end.saturating_sub(1),
                e.target,
                e.depth,
                if e.push_lasti { " lasti" } else { "" }
            );
        }
    }
}

/// Disassembly of `unit` and, recursively, of the code objects among its constants.
pub fn dis(unit: &CodeUnit) -> String {
    let mut out = String::new();
    let mut work = vec![unit];
    let mut first = true;
    while let Some(u) = work.pop() {
        if !first {
            out.push('\n');
        }
        first = false;
        dis_one(u, &mut out);
        for c in u.consts.iter().rev() {
            if let Const::Code(child) = c {
                work.push(child);
            }
        }
    }
    out
}
