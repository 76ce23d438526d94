//! Assignment targets: names, attributes, subscripts and (nested, starred) unpacking.

use super::{CResult, Compiler, Ctx};
use crate::bytecode::Op;
use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

/// CPython's wording for an expression that cannot be a target ("cannot assign to …").
pub(crate) fn describe(e: &Expr) -> &'static str {
    match e {
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::Named(_) => "named expression",
        Expr::Lambda(_) => "lambda",
        Expr::If(_) => "conditional expression",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Generator(_) => "generator expression",
        Expr::Await(_) => "await expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Compare(_) => "comparison",
        Expr::Call(_) => "function call",
        Expr::FString(_) | Expr::TString(_) => "f-string expression",
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::EllipsisLiteral(_) => "literal",
        Expr::BooleanLiteral(b) => {
            if b.value {
                "True"
            } else {
                "False"
            }
        }
        Expr::NoneLiteral(_) => "None",
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Slice(_) => "slice",
        Expr::IpyEscapeCommand(_) => "expression",
    }
}

impl<'a> Compiler<'a, '_> {
    /// Stores the value on top of the stack into `target` (popping it).
    pub fn store_target(&mut self, target: &'a Expr) -> CResult {
        let saved = self.set_pos(target.range());
        let r = self.store_target_inner(target);
        self.restore_pos(saved);
        r
    }

    fn store_target_inner(&mut self, target: &'a Expr) -> CResult {
        match target {
            Expr::Name(n) => self.name_op(&n.id, Ctx::Store),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let saved = self.set_pos(a.range);
                self.emit_attr_op(Op::STORE_ATTR, &a.attr.id);
                self.restore_pos(saved);
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_key(&s.slice)?;
                let saved = self.set_pos(s.range);
                self.emit(Op::STORE_SUBSCR, 0);
                self.restore_pos(saved);
                Ok(())
            }
            Expr::Tuple(t) => self.unpack(&t.elts, t.range),
            Expr::List(l) => self.unpack(&l.elts, l.range),
            Expr::Starred(s) => Err(self.syntax_error(
                "starred assignment target must be in a list or tuple",
                s.range,
            )),
            other => Err(self.syntax_error(
                format!("cannot assign to {}", describe(other)),
                other.range(),
            )),
        }
    }

    fn unpack(&mut self, elts: &'a [Expr], range: ruff_text_size::TextRange) -> CResult {
        let stars: Vec<usize> = elts
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Expr::Starred(_)))
            .map(|(i, _)| i)
            .collect();
        match stars.as_slice() {
            [] => self.emit(Op::UNPACK_SEQUENCE, elts.len() as u32),
            [i] => {
                let before = *i as u32;
                let after = (elts.len() - i - 1) as u32;
                if before > 255 || after > 255 {
                    return Err(self.syntax_error(
                        "too many expressions in star-unpacking assignment",
                        elts[*i].range(),
                    ));
                }
                self.emit(Op::UNPACK_EX, before | (after << 8));
            }
            [_, _, ..] => {
                return Err(self.syntax_error("multiple starred expressions in assignment", range));
            }
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.store_target(&s.value)?,
                _ => self.store_target(e)?,
            }
        }
        Ok(())
    }
}
