//! Comprehensions and generator expressions, compiled as nested functions that take the
//! outermost iterator as their single parameter `.0`.

use super::{CResult, Compiler};
use crate::bytecode::{CO_GENERATOR, Op};
use crate::unit::Const;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

/// What a comprehension produces per iteration.
#[derive(Clone, Copy)]
pub(crate) enum Elt<'a> {
    List(&'a Expr),
    Set(&'a Expr),
    Dict(&'a Expr, &'a Expr),
    Gen(&'a Expr),
}

impl<'a> Compiler<'a, '_> {
    /// Compiles comprehension `e`: `MAKE_FUNCTION; PUSH_NULL; <iterable>; GET_ITER; CALL 1`.
    pub(crate) fn comprehension(
        &mut self,
        e: &'a Expr,
        name: &str,
        generators: &'a [ast::Comprehension],
        elt: Elt<'a>,
    ) -> CResult {
        let Some(first) = generators.first() else {
            return Err(self.syntax_error("comprehension without 'for'", e.range()));
        };
        if generators.iter().any(|g| g.is_async) {
            return Err(self.unsupported("async comprehensions", e.range()));
        }
        let scope = self
            .table
            .scope_for(e.range())
            .ok_or_else(|| self.unsupported("this comprehension", e.range()))?;
        let line = self.line_of(e.range());
        let outer_pos = self.u.b.pos;
        self.enter_unit(scope, name, line);
        self.u.b.pos = outer_pos;
        self.u.argcount = 1;
        if matches!(elt, Elt::Gen(_)) {
            self.u.flags |= CO_GENERATOR;
        }
        self.emit(Op::RESUME, 0);
        match elt {
            Elt::List(_) => self.emit(Op::BUILD_LIST, 0),
            Elt::Set(_) => self.emit(Op::BUILD_SET, 0),
            Elt::Dict(..) => self.emit(Op::BUILD_MAP, 0),
            Elt::Gen(_) => {}
        }
        self.comp_generator(generators, 0, elt)?;
        if matches!(elt, Elt::Gen(_)) {
            self.load_const(Const::None);
        }
        self.emit(Op::RETURN_VALUE, 0);
        let code = self.finish_unit()?;
        self.make_function(code, 0);
        self.emit(Op::PUSH_NULL, 0);
        self.expr(&first.iter)?;
        self.emit(Op::GET_ITER, 0);
        self.emit(Op::CALL, 1);
        Ok(())
    }

    fn comp_generator(
        &mut self,
        generators: &'a [ast::Comprehension],
        k: usize,
        elt: Elt<'a>,
    ) -> CResult {
        let g = &generators[k];
        let start = self.new_label();
        let skip = self.new_label();
        let anchor = self.new_label();
        if k == 0 {
            self.emit(Op::LOAD_FAST, 0);
        } else {
            self.expr(&g.iter)?;
            self.emit(Op::GET_ITER, 0);
        }
        self.bind(start);
        self.emit_jump(Op::FOR_ITER, anchor);
        self.store_target(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, skip)?;
        }
        if k + 1 < generators.len() {
            self.comp_generator(generators, k + 1, elt)?;
        } else {
            let depth = generators.len() as u32 + 1;
            match elt {
                Elt::List(x) => {
                    self.expr(x)?;
                    self.emit(Op::LIST_APPEND, depth);
                }
                Elt::Set(x) => {
                    self.expr(x)?;
                    self.emit(Op::SET_ADD, depth);
                }
                Elt::Dict(key, value) => {
                    self.expr(key)?;
                    self.expr(value)?;
                    self.emit(Op::MAP_ADD, depth);
                }
                Elt::Gen(x) => {
                    self.expr(x)?;
                    self.emit(Op::YIELD_VALUE, 0);
                    self.emit(Op::POP_TOP, 0);
                }
            }
        }
        self.bind(skip);
        self.emit_jump(Op::JUMP_BACKWARD, start);
        self.bind(anchor);
        Ok(())
    }
}
