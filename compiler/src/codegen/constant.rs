//! Literal constants and constant folding (unary minus on numbers, tuples of constants).

use super::Compiler;
use crate::unit::Const;
use num_bigint::BigInt;
use num_traits::Num;
use ruff_python_ast::{self as ast, Expr};

/// Parses an int literal's text (`123`, `0x1F`, `0o17`, `0b101`, with `_` separators).
pub(crate) fn parse_int(text: &str) -> Option<BigInt> {
    let t: String = text.chars().filter(|&c| c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0x") {
        (r.to_string(), 16)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (r.to_string(), 8)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r.to_string(), 2)
    } else {
        (lower, 10)
    };
    BigInt::from_str_radix(&digits, radix).ok()
}

/// The constant of a literal number.
pub(crate) fn number_const(n: &ast::Number) -> Option<Const> {
    Some(match n {
        ast::Number::Int(i) => Const::Int(parse_int(&i.to_string())?),
        ast::Number::Float(f) => Const::Float(*f),
        ast::Number::Complex { real, imag } => {
            if *real != 0.0 {
                return None;
            }
            Const::Imag(*imag)
        }
    })
}

/// Truthiness of a constant expression, if it is one.
pub(crate) fn truthiness(e: &Expr) -> Option<bool> {
    match e {
        Expr::BooleanLiteral(b) => Some(b.value),
        Expr::NoneLiteral(_) => Some(false),
        Expr::NumberLiteral(n) => match number_const(&n.value)? {
            Const::Int(i) => Some(i != BigInt::from(0)),
            Const::Float(f) => Some(f != 0.0),
            _ => None,
        },
        Expr::StringLiteral(s) => Some(!s.value.to_str().is_empty()),
        _ => None,
    }
}

impl Compiler<'_, '_> {
    /// The value of `e` if it is a constant (after folding), else `None`.
    pub(crate) fn const_value(&self, e: &Expr) -> Option<Const> {
        match e {
            Expr::NoneLiteral(_) => Some(Const::None),
            Expr::BooleanLiteral(b) => Some(Const::Bool(b.value)),
            Expr::EllipsisLiteral(_) => Some(Const::Ellipsis),
            // Complex and bytes literals have no runtime type yet: they are reported as
            // unsupported by the expression compiler instead of being folded.
            Expr::NumberLiteral(n) => {
                number_const(&n.value).filter(|c| !matches!(c, Const::Imag(_)))
            }
            Expr::StringLiteral(s) => Some(Const::Str(s.value.to_str().to_string())),
            Expr::BytesLiteral(_) => None,
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => {
                match self.const_value(&u.operand)? {
                    Const::Int(i) => Some(Const::Int(-i)),
                    Const::Float(f) => Some(Const::Float(-f)),
                    _ => None,
                }
            }
            Expr::Tuple(t) => {
                let mut items = Vec::with_capacity(t.elts.len());
                for x in &t.elts {
                    items.push(self.const_value(x)?);
                }
                Some(Const::Tuple(items))
            }
            _ => None,
        }
    }
}
