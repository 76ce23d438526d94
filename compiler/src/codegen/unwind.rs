//! Exception handling and non-local exits: `try`/`except`/`finally`, `with`, and the
//! unwinding that `return`/`break`/`continue` do through them.
//!
//! The layouts follow `docs/bytecode.md` ("Exceptions: the exception table").

use super::{CResult, Compiler, FBlock, FBlockKind};
use crate::bytecode::Op;
use crate::unit::Const;
use ruff_python_ast as ast;
use ruff_text_size::TextRange;

impl<'a> Compiler<'a, '_> {
    /// Emits the code leaving frame block `fb`; `preserve_tos` keeps a value on top of the
    /// stack across it (a `return` value). Runs under the handlers active outside `fb`.
    fn unwind_fblock(&mut self, fb: &FBlock<'a>, preserve_tos: bool) -> CResult {
        self.u.b.truncate_handlers(fb.handlers);
        match &fb.kind {
            FBlockKind::WhileLoop { .. } | FBlockKind::TryExcept => {}
            FBlockKind::ForLoop { .. } | FBlockKind::PopValue => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_TOP, 0);
            }
            FBlockKind::FinallyTry { body } => {
                self.u.depth = fb.depth;
                if preserve_tos {
                    self.u.fblocks.push(FBlock {
                        kind: FBlockKind::PopValue,
                        handlers: self.u.b.handler_depth(),
                        depth: fb.depth,
                    });
                    self.u.depth += 1;
                }
                self.stmts(body)?;
                if preserve_tos {
                    self.u.fblocks.pop();
                }
            }
            FBlockKind::FinallyEnd => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_TOP, 0);
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_EXCEPT, 0);
            }
            FBlockKind::With => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.call_exit_with_nones();
                self.emit(Op::POP_TOP, 0);
            }
            FBlockKind::HandlerCleanup { name } => {
                if preserve_tos {
                    self.emit(Op::SWAP, 2);
                }
                self.emit(Op::POP_EXCEPT, 0);
                if let Some(name) = name {
                    self.load_const(Const::None);
                    self.store_name(name)?;
                    self.name_op(name, super::Ctx::Del)?;
                }
            }
        }
        self.u.depth = fb.depth + preserve_tos as u32;
        Ok(())
    }

    /// Unwinds every frame block above index `stop` (all of them when `None`). Returns the
    /// saved state to restore afterwards with [`Compiler::restore_unwind`].
    fn unwind_to(
        &mut self,
        stop: Option<usize>,
        preserve_tos: bool,
    ) -> CResult<(Vec<FBlock<'a>>, Vec<u32>, u32)> {
        let saved_blocks = self.u.fblocks.clone();
        let saved_handlers = self.u.b.save_handlers();
        let saved_depth = self.u.depth;
        let floor = stop.map_or(0, |s| s + 1);
        while self.u.fblocks.len() > floor {
            let fb = self.u.fblocks.pop().expect("frame block");
            self.unwind_fblock(&fb, preserve_tos)?;
        }
        Ok((saved_blocks, saved_handlers, saved_depth))
    }

    fn restore_unwind(&mut self, saved: (Vec<FBlock<'a>>, Vec<u32>, u32)) {
        self.u.fblocks = saved.0;
        self.u.b.restore_handlers(saved.1);
        self.u.depth = saved.2;
    }

    /// `LOAD_CONST None ×3; CALL 2`: calls the `__exit__` below with `(None, None, None)`
    /// (the first None sits in the self slot and is passed as the first argument).
    fn call_exit_with_nones(&mut self) {
        for _ in 0..3 {
            self.load_const(Const::None);
        }
        self.emit(Op::CALL, 2);
    }

    pub(crate) fn return_stmt(&mut self, r: &'a ast::StmtReturn) -> CResult {
        let value = r.value.as_deref();
        let constant = value.and_then(|v| self.const_value(v));
        let preserve = value.is_some() && constant.is_none();
        if preserve {
            self.expr(value.expect("value"))?;
        }
        let saved = self.unwind_to(None, preserve)?;
        match (value, constant) {
            (None, _) => self.load_const(Const::None),
            (Some(_), Some(c)) => self.load_const(c),
            _ => {}
        }
        self.emit(Op::RETURN_VALUE, 0);
        self.restore_unwind(saved);
        Ok(())
    }

    fn innermost_loop(&self) -> Option<usize> {
        self.u.fblocks.iter().rposition(|f| {
            matches!(
                f.kind,
                FBlockKind::WhileLoop { .. } | FBlockKind::ForLoop { .. }
            )
        })
    }

    pub(crate) fn break_stmt(&mut self, range: TextRange) -> CResult {
        let Some(i) = self.innermost_loop() else {
            return Err(self.syntax_error("'break' outside loop", range));
        };
        let saved = self.unwind_to(Some(i), false)?;
        let fb = self.u.fblocks[i].clone();
        self.unwind_fblock(&fb, false)?;
        let exit = match fb.kind {
            FBlockKind::WhileLoop { exit, .. } | FBlockKind::ForLoop { exit, .. } => exit,
            _ => unreachable!("loop block"),
        };
        self.emit_jump(Op::JUMP_FORWARD, exit);
        self.restore_unwind(saved);
        Ok(())
    }

    pub(crate) fn continue_stmt(&mut self, range: TextRange) -> CResult {
        let Some(i) = self.innermost_loop() else {
            return Err(self.syntax_error("'continue' not properly in loop", range));
        };
        let saved = self.unwind_to(Some(i), false)?;
        let start = match self.u.fblocks[i].kind {
            FBlockKind::WhileLoop { start, .. } | FBlockKind::ForLoop { start, .. } => start,
            _ => unreachable!("loop block"),
        };
        self.emit_jump(Op::JUMP_BACKWARD, start);
        self.restore_unwind(saved);
        Ok(())
    }

    /// `cleanup: SWAP 2; POP_EXCEPT; RERAISE 0` (stack `[.. prev, exc]`).
    fn pop_except_and_reraise(&mut self) {
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::RERAISE, 0);
    }

    pub(crate) fn try_stmt(&mut self, t: &'a ast::StmtTry) -> CResult {
        if t.is_star {
            return Err(self.unsupported("except*", t.range));
        }
        if t.finalbody.is_empty() {
            return self.try_except(t);
        }
        let d = self.u.depth;
        let fin_h = self.new_label();
        let cleanup = self.new_label();
        let exit = self.new_label();
        // try body
        self.u.b.push_handler(fin_h, d);
        self.u.fblocks.push(FBlock {
            kind: FBlockKind::FinallyTry { body: &t.finalbody },
            handlers: self.u.b.handler_depth() - 1,
            depth: d,
        });
        if t.handlers.is_empty() {
            self.stmts(&t.body)?;
        } else {
            self.try_except(t)?;
        }
        self.u.fblocks.pop();
        self.u.b.pop_handler();
        // finally on the normal path
        self.stmts(&t.finalbody)?;
        self.emit_jump(Op::JUMP_FORWARD, exit);
        // finally on the exception path
        self.bind(fin_h);
        self.emit(Op::PUSH_EXC_INFO, 0);
        self.u.b.push_handler(cleanup, d + 1);
        self.u.fblocks.push(FBlock {
            kind: FBlockKind::FinallyEnd,
            handlers: self.u.b.handler_depth() - 1,
            depth: d,
        });
        self.u.depth = d + 2;
        self.stmts(&t.finalbody)?;
        self.u.depth = d;
        self.u.fblocks.pop();
        self.emit(Op::RERAISE, 0);
        self.u.b.pop_handler();
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(exit);
        Ok(())
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) -> CResult {
        let d = self.u.depth;
        let except_h = self.new_label();
        let cleanup = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.u.b.push_handler(except_h, d);
        self.u.fblocks.push(FBlock {
            kind: FBlockKind::TryExcept,
            handlers: self.u.b.handler_depth() - 1,
            depth: d,
        });
        self.stmts(&t.body)?;
        self.u.fblocks.pop();
        self.u.b.pop_handler();
        self.emit_jump(Op::JUMP_FORWARD, orelse);

        self.bind(except_h);
        self.emit(Op::PUSH_EXC_INFO, 0);
        let outer_handlers = self.u.b.handler_depth();
        self.u.b.push_handler(cleanup, d + 1);
        let n = t.handlers.len();
        for (k, h) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let saved = self.set_pos(h.range);
            let next = self.new_label();
            match &h.type_ {
                Some(ty) => {
                    self.expr(ty)?;
                    self.emit(Op::CHECK_EXC_MATCH, 0);
                    self.emit_jump(Op::POP_JUMP_IF_FALSE, next);
                }
                None if k + 1 < n => {
                    return Err(self.syntax_error("default 'except:' must be last", h.range));
                }
                None => {}
            }
            self.u.depth = d + 1;
            match &h.name {
                Some(name) => {
                    let name = name.id.to_string();
                    self.store_name(&name)?;
                    let cleanup_end = self.new_label();
                    self.u.b.push_handler(cleanup_end, d + 1);
                    self.u.fblocks.push(FBlock {
                        kind: FBlockKind::HandlerCleanup {
                            name: Some(name.clone()),
                        },
                        handlers: outer_handlers,
                        depth: d,
                    });
                    self.stmts(&h.body)?;
                    self.u.fblocks.pop();
                    self.u.b.pop_handler();
                    self.u.b.truncate_handlers(outer_handlers);
                    self.emit(Op::POP_EXCEPT, 0);
                    self.load_const(Const::None);
                    self.store_name(&name)?;
                    self.name_op(&name, super::Ctx::Del)?;
                    self.emit_jump(Op::JUMP_FORWARD, end);
                    // An exception inside the handler body: clear the name, re-raise.
                    self.u.b.push_handler(cleanup, d + 1);
                    self.bind(cleanup_end);
                    self.load_const(Const::None);
                    self.store_name(&name)?;
                    self.name_op(&name, super::Ctx::Del)?;
                    self.emit(Op::RERAISE, 0);
                }
                None => {
                    self.emit(Op::POP_TOP, 0);
                    self.u.fblocks.push(FBlock {
                        kind: FBlockKind::HandlerCleanup { name: None },
                        handlers: outer_handlers,
                        depth: d,
                    });
                    self.stmts(&h.body)?;
                    self.u.fblocks.pop();
                    self.u.b.truncate_handlers(outer_handlers);
                    self.emit(Op::POP_EXCEPT, 0);
                    self.emit_jump(Op::JUMP_FORWARD, end);
                    self.u.b.push_handler(cleanup, d + 1);
                }
            }
            self.u.depth = d;
            self.restore_pos(saved);
            self.bind(next);
        }
        // No clause matched: re-raise (through `cleanup`, which restores the old exception).
        self.emit(Op::RERAISE, 0);
        self.u.b.truncate_handlers(outer_handlers);
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(orelse);
        self.stmts(&t.orelse)?;
        self.bind(end);
        Ok(())
    }

    /// `with` items from `k` on, then the body.
    pub(crate) fn with_stmt(&mut self, w: &'a ast::StmtWith, k: usize) -> CResult {
        if w.is_async {
            return Err(self.unsupported("async with", w.range));
        }
        let Some(item) = w.items.get(k) else {
            return self.stmts(&w.body);
        };
        let d = self.u.depth;
        let with_h = self.new_label();
        let cleanup = self.new_label();
        let suppress = self.new_label();
        let exit = self.new_label();
        let saved = self.set_pos(item.range);
        self.expr(&item.context_expr)?;
        self.emit(Op::BEFORE_WITH, 0);
        self.u.b.push_handler(with_h, d + 1);
        self.u.fblocks.push(FBlock {
            kind: FBlockKind::With,
            handlers: self.u.b.handler_depth() - 1,
            depth: d,
        });
        self.u.depth = d + 1;
        match &item.optional_vars {
            Some(t) => self.store_target(t)?,
            None => self.emit(Op::POP_TOP, 0),
        }
        self.restore_pos(saved);
        self.with_stmt(w, k + 1)?;
        self.u.fblocks.pop();
        self.u.b.pop_handler();
        self.u.depth = d;
        let saved = self.set_pos(item.range);
        self.call_exit_with_nones();
        self.emit(Op::POP_TOP, 0);
        self.emit_jump(Op::JUMP_FORWARD, exit);
        // Exceptional exit: [.. exit, exc]
        self.bind(with_h);
        self.emit(Op::PUSH_EXC_INFO, 0);
        self.u.b.push_handler(cleanup, d + 2);
        self.emit(Op::WITH_EXCEPT_START, 0);
        self.emit_jump(Op::POP_JUMP_IF_TRUE, suppress);
        self.emit(Op::RERAISE, 0);
        self.u.b.pop_handler();
        self.bind(cleanup);
        self.pop_except_and_reraise();
        self.bind(suppress);
        self.emit(Op::POP_TOP, 0);
        self.emit(Op::POP_EXCEPT, 0);
        self.emit(Op::POP_TOP, 0);
        self.emit_jump(Op::JUMP_FORWARD, exit);
        self.restore_pos(saved);
        self.bind(exit);
        Ok(())
    }
}
