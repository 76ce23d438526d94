//! Annotations, as CPython 3.11 compiles them.
//!
//! - A `def` with annotated parameters or return value builds its `__annotations__` dict
//!   (`BUILD_MAP` of const name → value, in CPython's order) and sets MAKE_FUNCTION flag
//!   [`MF_ANNOTATIONS`]. Lambdas have none.
//! - A module or class body containing an annotated assignment starts with
//!   `SETUP_ANNOTATIONS`; `x: T = v` stores `v`, then `__annotations__['x'] = T`.
//! - Annotations of local variables in functions are never evaluated.
//!
//! Without `from __future__ import annotations` each annotation is evaluated where it
//! appears; with it, its value is its text ([`unparse`](super::unparse)) and nothing is
//! evaluated.

use super::unparse::annotation_text;
use super::{CResult, Compiler};
use crate::bytecode::{MF_ANNOTATIONS, Op};
use crate::symtable::ScopeKind;
use crate::unit::Const;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

/// True if `body` contains an annotated assignment, outside nested functions and classes
/// (CPython's `find_ann`: such a module or class body gets `SETUP_ANNOTATIONS`).
pub(crate) fn find_ann(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::AnnAssign(_) => true,
        Stmt::For(f) => find_ann(&f.body) || find_ann(&f.orelse),
        Stmt::While(w) => find_ann(&w.body) || find_ann(&w.orelse),
        Stmt::If(i) => find_ann(&i.body) || i.elif_else_clauses.iter().any(|c| find_ann(&c.body)),
        Stmt::With(w) => find_ann(&w.body),
        Stmt::Try(t) => {
            t.handlers.iter().any(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                find_ann(&h.body)
            }) || find_ann(&t.body)
                || find_ann(&t.finalbody)
                || find_ann(&t.orelse)
        }
        _ => false,
    })
}

impl<'a> Compiler<'a, '_> {
    /// Pushes the value of the annotation `e`: its text under `from __future__ import
    /// annotations`, else its value.
    fn annotation_value(&mut self, e: &'a Expr) -> CResult {
        if self.table.future.annotations {
            self.load_const(Const::Str(annotation_text(e)));
            Ok(())
        } else {
            self.expr(e)
        }
    }

    /// Emits `SETUP_ANNOTATIONS` if the module or class `body` has annotated assignments.
    pub(crate) fn setup_annotations(&mut self, body: &[Stmt]) {
        if find_ann(body) {
            self.emit(Op::SETUP_ANNOTATIONS, 0);
        }
    }

    /// Builds the `__annotations__` dict of a `def` (before its code object is loaded);
    /// returns the MAKE_FUNCTION flag for it (0 when nothing is annotated).
    ///
    /// CPython's order: positional parameters, then positional-only ones (sic), `*args`,
    /// keyword-only parameters, `**kwargs`, then `'return'`.
    pub(crate) fn function_annotations(
        &mut self,
        params: &'a ast::Parameters,
        returns: Option<&'a Expr>,
    ) -> CResult<u32> {
        let plain = |ps: &'a [ast::ParameterWithDefault]| {
            ps.iter()
                .map(|p| (p.parameter.name.as_str(), p.parameter.annotation.as_deref()))
        };
        let var = |p: &'a Option<Box<ast::Parameter>>| {
            p.iter().map(|p| (p.name.as_str(), p.annotation.as_deref()))
        };
        let items: Vec<(&str, &'a Expr)> = plain(&params.args)
            .chain(plain(&params.posonlyargs))
            .chain(var(&params.vararg))
            .chain(plain(&params.kwonlyargs))
            .chain(var(&params.kwarg))
            .chain(std::iter::once(("return", returns)))
            .filter_map(|(name, ann)| Some((name, ann?)))
            .collect();
        if items.is_empty() {
            return Ok(0);
        }
        for (name, ann) in &items {
            let key = self.mangle(name);
            self.load_const(Const::Str(key));
            match ann {
                // `*args: *Ts` is `[value] = [*Ts]`.
                Expr::Starred(s) if !self.table.future.annotations => {
                    self.expr(&s.value)?;
                    self.emit(Op::UNPACK_SEQUENCE, 1);
                }
                _ => self.annotation_value(ann)?,
            }
        }
        self.emit(Op::BUILD_MAP, items.len() as u32);
        Ok(MF_ANNOTATIONS)
    }

    /// `target: annotation [= value]`.
    pub(crate) fn ann_assign(&mut self, a: &'a ast::StmtAnnAssign) -> CResult {
        match &*a.target {
            Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
            other => {
                let msg = match other {
                    Expr::Tuple(_) => "only single target (not tuple) can be annotated",
                    Expr::List(_) => "only single target (not list) can be annotated",
                    _ => "illegal target for annotation",
                };
                return Err(self.syntax_error(msg, other.range()));
            }
        }
        let kind = self.table.scopes[self.u.scope].kind;
        let stored = matches!(kind, ScopeKind::Module | ScopeKind::Class);
        // The assignment comes first.
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store_target(&a.target)?;
        }
        match &*a.target {
            Expr::Name(n) if a.simple && stored => {
                self.annotation_value(&a.annotation)?;
                let i = self.add_name("__annotations__");
                self.emit(Op::LOAD_NAME, i);
                let key = self.mangle(&n.id);
                self.load_const(Const::Str(key));
                self.emit(Op::STORE_SUBSCR, 0);
            }
            // Without a value, a complex target's parts are still evaluated.
            Expr::Attribute(at) if a.value.is_none() => {
                self.expr(&at.value)?;
                self.emit(Op::POP_TOP, 0);
            }
            Expr::Subscript(sub) if a.value.is_none() => {
                self.expr(&sub.value)?;
                self.emit(Op::POP_TOP, 0);
                self.check_ann_subscr(&sub.slice)?;
            }
            _ => {}
        }
        // The annotation of a complex target (`a.b: T`, `(x): T`) is evaluated last, and
        // only in modules and classes; nothing records it.
        if !a.simple && stored && !self.table.future.annotations {
            self.expr(&a.annotation)?;
            self.emit(Op::POP_TOP, 0);
        }
        Ok(())
    }

    /// Evaluates (and discards) each part of the subscript `e` of an annotated target.
    fn check_ann_subscr(&mut self, e: &'a Expr) -> CResult {
        match e {
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(part)?;
                    self.emit(Op::POP_TOP, 0);
                }
            }
            Expr::Tuple(t) => {
                for x in &t.elts {
                    self.check_ann_subscr(x)?;
                }
            }
            _ => {
                self.expr(e)?;
                self.emit(Op::POP_TOP, 0);
            }
        }
        Ok(())
    }
}
