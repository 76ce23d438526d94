//! Calls: `CALL`, `CALL_KW`, method calls through `LOAD_METHOD`, and `CALL_FUNCTION_EX` for
//! `*args`/`**kwargs`.

use super::expr::Collection;
use super::{CResult, Compiler};
use crate::bytecode::Op;
use crate::unit::Const;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

impl<'a> Compiler<'a, '_> {
    /// Compiles a call expression.
    pub(crate) fn call(&mut self, c: &'a ast::ExprCall) -> CResult {
        let args = &c.arguments;
        let simple = !args.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            && !args.keywords.iter().any(|k| k.arg.is_none());
        match &*c.func {
            Expr::Attribute(a) if simple => {
                self.expr(&a.value)?;
                let saved = self.set_pos(a.range);
                self.emit_attr_op(Op::LOAD_METHOD, &a.attr.id);
                self.restore_pos(saved);
            }
            f => {
                self.expr(f)?;
                self.emit(Op::PUSH_NULL, 0);
            }
        }
        let saved = self.set_pos(c.range());
        let r = self.call_args(0, &args.args, &args.keywords);
        self.restore_pos(saved);
        r
    }

    /// Emits the arguments and the call op, for a callable and self slot already on the
    /// stack followed by `pushed` positional arguments.
    pub(crate) fn call_args(
        &mut self,
        pushed: u32,
        args: &'a [Expr],
        keywords: &'a [ast::Keyword],
    ) -> CResult {
        let has_star = args.iter().any(|a| matches!(a, Expr::Starred(_)));
        let has_dstar = keywords.iter().any(|k| k.arg.is_none());
        self.check_keywords(keywords)?;
        if !has_star && !has_dstar {
            for a in args {
                self.expr(a)?;
            }
            let argc = pushed + args.len() as u32;
            if keywords.is_empty() {
                self.emit(Op::CALL, argc);
            } else {
                let mut names = Vec::new();
                for k in keywords {
                    self.expr(&k.value)?;
                    let name = k.arg.as_ref().expect("plain keyword");
                    names.push(Const::Str(name.id.to_string()));
                }
                self.load_const(Const::Tuple(names));
                self.emit(Op::CALL_KW, argc + keywords.len() as u32);
            }
            return Ok(());
        }
        // Positional arguments as one tuple.
        if has_star {
            self.starunpack_with(pushed, args, Collection::Tuple)?;
        } else {
            for a in args {
                self.expr(a)?;
            }
            self.emit(Op::BUILD_TUPLE, pushed + args.len() as u32);
        }
        // Keyword arguments as one dict.
        let mut flags = 0;
        if !keywords.is_empty() {
            flags = 1;
            let mut have_dict = false;
            let mut pending = 0u32;
            for k in keywords {
                match &k.arg {
                    Some(name) => {
                        self.load_const(Const::Str(name.id.to_string()));
                        self.expr(&k.value)?;
                        pending += 1;
                    }
                    None => {
                        if pending > 0 {
                            self.emit(Op::BUILD_MAP, pending);
                            if have_dict {
                                self.emit(Op::DICT_MERGE, 1);
                            }
                            have_dict = true;
                            pending = 0;
                        }
                        if !have_dict {
                            self.emit(Op::BUILD_MAP, 0);
                            have_dict = true;
                        }
                        self.expr(&k.value)?;
                        self.emit(Op::DICT_MERGE, 1);
                    }
                }
            }
            if pending > 0 {
                self.emit(Op::BUILD_MAP, pending);
                if have_dict {
                    self.emit(Op::DICT_MERGE, 1);
                }
            }
        }
        self.emit(Op::CALL_FUNCTION_EX, flags);
        Ok(())
    }

    /// Rejects `f(a=1, a=2)` as CPython does.
    fn check_keywords(&self, keywords: &[ast::Keyword]) -> CResult {
        for (i, k) in keywords.iter().enumerate() {
            let Some(name) = &k.arg else { continue };
            if keywords[..i]
                .iter()
                .any(|o| o.arg.as_ref().is_some_and(|n| n.id == name.id))
            {
                return Err(
                    self.syntax_error(format!("keyword argument repeated: {}", name.id), k.range())
                );
            }
        }
        Ok(())
    }
}
