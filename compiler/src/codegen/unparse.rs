//! Expressions back to source text, as CPython 3.11's annotation unparser
//! (`Python/ast_unparse.c`) writes them: under `from __future__ import annotations` this text
//! is the annotation's value (`'str | None'`, `'dict[str, int]'`, `"'x' if a else b"`).
//!
//! The output is normalised, not the source: single spaces around binary operators, `, ` between
//! items, parentheses only where precedence needs them, string constants as their `repr`.

use super::constant::number_const;
use crate::dis::{bytes_repr, float_repr, str_repr};
use crate::unit::Const;
use ruff_python_ast::{self as ast, ConversionFlag, Expr, InterpolatedStringElement};

// Precedence levels (CPython's `PR_*`).
const PR_TUPLE: u8 = 0;
const PR_TEST: u8 = 1;
const PR_OR: u8 = 2;
const PR_AND: u8 = 3;
const PR_NOT: u8 = 4;
const PR_CMP: u8 = 5;
const PR_EXPR: u8 = 6;
const PR_BOR: u8 = PR_EXPR;
const PR_BXOR: u8 = 7;
const PR_BAND: u8 = 8;
const PR_SHIFT: u8 = 9;
const PR_ARITH: u8 = 10;
const PR_TERM: u8 = 11;
const PR_FACTOR: u8 = 12;
const PR_POWER: u8 = 13;
const PR_AWAIT: u8 = 14;
const PR_ATOM: u8 = 15;

/// The text CPython stores for the annotation `e` under `from __future__ import annotations`.
pub(crate) fn annotation_text(e: &Expr) -> String {
    let mut w = String::new();
    expr(&mut w, e, PR_TEST);
    w
}

/// `repr` of a float constant, with infinity written as `1e309` (so the text parses back).
fn float_text(f: f64) -> String {
    if f.is_infinite() {
        return "1e309".into();
    }
    float_repr(f)
}

fn constant(w: &mut String, c: &Const) {
    match c {
        Const::Float(f) => w.push_str(&float_text(*f)),
        Const::Imag(f) => {
            // repr(complex(0, f)): the imaginary part without a trailing `.0`.
            let r = float_repr(*f).replace("inf", "1e309");
            w.push_str(r.strip_suffix(".0").unwrap_or(&r));
            w.push('j');
        }
        other => w.push_str(&crate::dis::const_repr(other)),
    }
}

fn join<'e>(w: &mut String, items: impl IntoIterator<Item = &'e Expr>, level: u8) {
    for (i, e) in items.into_iter().enumerate() {
        if i > 0 {
            w.push_str(", ");
        }
        expr(w, e, level);
    }
}

fn expr(w: &mut String, e: &Expr, level: u8) {
    match e {
        Expr::BoolOp(b) => {
            let (op, pr) = match b.op {
                ast::BoolOp::And => (" and ", PR_AND),
                ast::BoolOp::Or => (" or ", PR_OR),
            };
            paren(w, level > pr, |w| {
                for (i, v) in b.values.iter().enumerate() {
                    if i > 0 {
                        w.push_str(op);
                    }
                    expr(w, v, pr + 1);
                }
            });
        }
        Expr::BinOp(b) => {
            use ast::Operator as O;
            let (op, pr) = match b.op {
                O::Add => (" + ", PR_ARITH),
                O::Sub => (" - ", PR_ARITH),
                O::Mult => (" * ", PR_TERM),
                O::MatMult => (" @ ", PR_TERM),
                O::Div => (" / ", PR_TERM),
                O::Mod => (" % ", PR_TERM),
                O::LShift => (" << ", PR_SHIFT),
                O::RShift => (" >> ", PR_SHIFT),
                O::BitOr => (" | ", PR_BOR),
                O::BitXor => (" ^ ", PR_BXOR),
                O::BitAnd => (" & ", PR_BAND),
                O::FloorDiv => (" // ", PR_TERM),
                O::Pow => (" ** ", PR_POWER),
            };
            let rassoc = u8::from(b.op == O::Pow);
            paren(w, level > pr, |w| {
                expr(w, &b.left, pr + rassoc);
                w.push_str(op);
                expr(w, &b.right, pr + 1 - rassoc);
            });
        }
        Expr::UnaryOp(u) => {
            let (op, pr) = match u.op {
                ast::UnaryOp::Invert => ("~", PR_FACTOR),
                ast::UnaryOp::Not => ("not ", PR_NOT),
                ast::UnaryOp::UAdd => ("+", PR_FACTOR),
                ast::UnaryOp::USub => ("-", PR_FACTOR),
            };
            paren(w, level > pr, |w| {
                w.push_str(op);
                expr(w, &u.operand, pr);
            });
        }
        Expr::Lambda(l) => paren(w, level > PR_TEST, |w| {
            let positional = l
                .parameters
                .as_ref()
                .map_or(0, |p| p.posonlyargs.len() + p.args.len());
            w.push_str(if positional > 0 { "lambda " } else { "lambda" });
            if let Some(p) = &l.parameters {
                parameters(w, p);
            }
            w.push_str(": ");
            expr(w, &l.body, PR_TEST);
        }),
        Expr::If(i) => paren(w, level > PR_TEST, |w| {
            expr(w, &i.body, PR_TEST + 1);
            w.push_str(" if ");
            expr(w, &i.test, PR_TEST + 1);
            w.push_str(" else ");
            expr(w, &i.orelse, PR_TEST);
        }),
        Expr::Dict(d) => {
            w.push('{');
            for (i, item) in d.items.iter().enumerate() {
                if i > 0 {
                    w.push_str(", ");
                }
                match &item.key {
                    Some(k) => {
                        expr(w, k, PR_TEST);
                        w.push_str(": ");
                        expr(w, &item.value, PR_TEST);
                    }
                    None => {
                        w.push_str("**");
                        expr(w, &item.value, PR_EXPR);
                    }
                }
            }
            w.push('}');
        }
        Expr::Set(s) => {
            w.push('{');
            join(w, &s.elts, PR_TEST);
            w.push('}');
        }
        Expr::ListComp(c) => {
            w.push('[');
            expr(w, &c.elt, PR_TEST);
            comprehensions(w, &c.generators);
            w.push(']');
        }
        Expr::SetComp(c) => {
            w.push('{');
            expr(w, &c.elt, PR_TEST);
            comprehensions(w, &c.generators);
            w.push('}');
        }
        Expr::DictComp(c) => {
            w.push('{');
            match &c.key {
                Some(k) => {
                    expr(w, k, PR_TEST);
                    w.push_str(": ");
                    expr(w, &c.value, PR_TEST);
                }
                None => {
                    w.push_str("**");
                    expr(w, &c.value, PR_EXPR);
                }
            }
            comprehensions(w, &c.generators);
            w.push('}');
        }
        Expr::Generator(g) => genexp(w, g),
        Expr::Await(a) => paren(w, level > PR_AWAIT, |w| {
            w.push_str("await ");
            expr(w, &a.value, PR_ATOM);
        }),
        Expr::Yield(y) => match &y.value {
            None => w.push_str("(yield)"),
            Some(v) => {
                w.push_str("(yield ");
                expr(w, v, PR_TEST);
                w.push(')');
            }
        },
        Expr::YieldFrom(y) => {
            w.push_str("(yield from ");
            expr(w, &y.value, PR_TEST);
            w.push(')');
        }
        Expr::Compare(c) => paren(w, level > PR_CMP, |w| {
            expr(w, &c.left, PR_CMP + 1);
            for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                w.push(' ');
                w.push_str(op.as_str());
                w.push(' ');
                expr(w, right, PR_CMP + 1);
            }
        }),
        Expr::Call(c) => {
            expr(w, &c.func, PR_ATOM);
            let args = &c.arguments;
            if let ([Expr::Generator(g)], []) = (&*args.args, &*args.keywords) {
                // A sole generator argument keeps only its own parentheses.
                genexp(w, g);
                return;
            }
            w.push('(');
            join(w, args.args.iter(), PR_TEST);
            for (i, k) in args.keywords.iter().enumerate() {
                if i > 0 || !args.args.is_empty() {
                    w.push_str(", ");
                }
                match &k.arg {
                    Some(name) => {
                        w.push_str(name.as_str());
                        w.push('=');
                    }
                    None => w.push_str("**"),
                }
                expr(w, &k.value, PR_TEST);
            }
            w.push(')');
        }
        Expr::FString(f) => {
            let mut body = String::new();
            for part in f.value.iter() {
                match part {
                    ast::FStringPart::Literal(s) => escape_braces(&mut body, &s.value),
                    ast::FStringPart::FString(fs) => fstring_elements(&mut body, &fs.elements),
                }
            }
            w.push('f');
            w.push_str(&str_repr(&body));
        }
        Expr::TString(t) => {
            // Not Python 3.11 syntax; keep the source's shape.
            let mut body = String::new();
            for ts in t.value.as_slice() {
                fstring_elements(&mut body, &ts.elements);
            }
            w.push('t');
            w.push_str(&str_repr(&body));
        }
        Expr::StringLiteral(s) => {
            if s.value.is_unicode() {
                w.push('u');
            }
            w.push_str(&str_repr(s.value.to_str()));
        }
        Expr::BytesLiteral(b) => {
            let bytes: Vec<u8> = b.value.bytes().collect();
            w.push_str(&bytes_repr(&bytes));
        }
        Expr::NumberLiteral(n) => match number_const(&n.value) {
            Some(c) => constant(w, &c),
            None => match &n.value {
                // A complex literal always has a zero real part; this is unreachable.
                ast::Number::Complex { real, imag } => {
                    w.push_str(&format!("({}+{}j)", float_text(*real), float_text(*imag)));
                }
                other => w.push_str(&format!("{other:?}")),
            },
        },
        Expr::BooleanLiteral(b) => w.push_str(if b.value { "True" } else { "False" }),
        Expr::NoneLiteral(_) => w.push_str("None"),
        Expr::EllipsisLiteral(_) => w.push_str("..."),
        Expr::Attribute(a) => {
            expr(w, &a.value, PR_ATOM);
            // `1 .real`: an int needs a space before the dot.
            let int_value = matches!(&*a.value, Expr::NumberLiteral(n)
                if matches!(n.value, ast::Number::Int(_)));
            w.push_str(if int_value { " ." } else { "." });
            w.push_str(a.attr.as_str());
        }
        Expr::Subscript(s) => {
            expr(w, &s.value, PR_ATOM);
            w.push('[');
            // 3.11 writes `x[*Ts]` as `x[*Ts,]` (a one-item tuple).
            expr(w, &s.slice, PR_TUPLE);
            w.push(']');
        }
        Expr::Starred(s) => {
            w.push('*');
            expr(w, &s.value, PR_EXPR);
        }
        Expr::Slice(s) => {
            if let Some(lower) = &s.lower {
                expr(w, lower, PR_TEST);
            }
            w.push(':');
            if let Some(upper) = &s.upper {
                expr(w, upper, PR_TEST);
            }
            if let Some(step) = &s.step {
                w.push(':');
                expr(w, step, PR_TEST);
            }
        }
        Expr::Name(n) => w.push_str(n.id.as_str()),
        Expr::List(l) => {
            w.push('[');
            join(w, &l.elts, PR_TEST);
            w.push(']');
        }
        Expr::Tuple(t) => {
            if t.elts.is_empty() {
                w.push_str("()");
                return;
            }
            paren(w, level > PR_TUPLE, |w| {
                join(w, &t.elts, PR_TEST);
                if t.elts.len() == 1 {
                    w.push(',');
                }
            });
        }
        Expr::Named(n) => paren(w, level > PR_TUPLE, |w| {
            expr(w, &n.target, PR_ATOM);
            w.push_str(" := ");
            expr(w, &n.value, PR_ATOM);
        }),
        Expr::IpyEscapeCommand(c) => w.push_str(&c.value),
    }
}

/// Runs `f`, wrapped in parentheses when `cond`.
fn paren(w: &mut String, cond: bool, f: impl FnOnce(&mut String)) {
    if cond {
        w.push('(');
    }
    f(w);
    if cond {
        w.push(')');
    }
}

fn genexp(w: &mut String, g: &ast::ExprGenerator) {
    w.push('(');
    expr(w, &g.elt, PR_TEST);
    comprehensions(w, &g.generators);
    w.push(')');
}

fn comprehensions(w: &mut String, generators: &[ast::Comprehension]) {
    for g in generators {
        w.push_str(if g.is_async { " async for " } else { " for " });
        expr(w, &g.target, PR_TUPLE);
        w.push_str(" in ");
        expr(w, &g.iter, PR_TEST + 1);
        for cond in &g.ifs {
            w.push_str(" if ");
            expr(w, cond, PR_TEST + 1);
        }
    }
}

/// A lambda's parameter list (CPython's `append_ast_args`).
fn parameters(w: &mut String, p: &ast::Parameters) {
    let mut first = true;
    let mut sep = |w: &mut String| {
        if !first {
            w.push_str(", ");
        }
        first = false;
    };
    let param = |w: &mut String, p: &ast::Parameter| {
        w.push_str(p.name.as_str());
        if let Some(a) = &p.annotation {
            w.push_str(": ");
            expr(w, a, PR_TEST);
        }
    };
    let with_default = |w: &mut String, p: &ast::ParameterWithDefault| {
        param(w, &p.parameter);
        if let Some(d) = &p.default {
            w.push('=');
            expr(w, d, PR_TEST);
        }
    };
    let nposonly = p.posonlyargs.len();
    for (i, a) in p.posonlyargs.iter().chain(p.args.iter()).enumerate() {
        sep(w);
        with_default(w, a);
        if i + 1 == nposonly {
            w.push_str(", /");
        }
    }
    if p.vararg.is_some() || !p.kwonlyargs.is_empty() {
        sep(w);
        w.push('*');
        if let Some(v) = &p.vararg {
            param(w, v);
        }
    }
    for a in &p.kwonlyargs {
        sep(w);
        with_default(w, a);
    }
    if let Some(k) = &p.kwarg {
        sep(w);
        w.push_str("**");
        param(w, k);
    }
}

/// `{` and `}` of literal f-string text doubled.
fn escape_braces(w: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '{' => w.push_str("{{"),
            '}' => w.push_str("}}"),
            c => w.push(c),
        }
    }
}

/// The body of an f-string or of a format spec: literal text and `{…}` fields.
fn fstring_elements(w: &mut String, elements: &ast::InterpolatedStringElements) {
    for el in elements.iter() {
        match el {
            InterpolatedStringElement::Literal(l) => escape_braces(w, &l.value),
            InterpolatedStringElement::Interpolation(i) => {
                let mut conversion = i.conversion;
                if let Some(debug) = &i.debug_text {
                    // `{x=}` is the literal `x=` then the field (repr by default).
                    escape_braces(w, debug.as_str());
                    if conversion == ConversionFlag::None && i.format_spec.is_none() {
                        conversion = ConversionFlag::Repr;
                    }
                }
                let mut value = String::new();
                expr(&mut value, &i.expression, PR_TEST + 1);
                w.push_str(if value.starts_with('{') { "{ " } else { "{" });
                w.push_str(&value);
                match conversion {
                    ConversionFlag::None => {}
                    ConversionFlag::Str => w.push_str("!s"),
                    ConversionFlag::Repr => w.push_str("!r"),
                    ConversionFlag::Ascii => w.push_str("!a"),
                }
                if let Some(spec) = &i.format_spec {
                    w.push(':');
                    fstring_elements(w, &spec.elements);
                }
                w.push('}');
            }
        }
    }
}
