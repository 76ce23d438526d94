//! `def`, `lambda` and `class`: nested code objects, defaults, annotations, closures,
//! decorators.

use super::{CResult, Compiler};
use crate::bytecode::{
    CO_CLASS_BODY, CO_GENERATOR, CO_VARARGS, CO_VARKEYWORDS, MF_CLOSURE, MF_DEFAULTS,
    MF_KWDEFAULTS, Op,
};
use crate::symtable::ScopeId;
use crate::unit::{CodeUnit, Const};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

impl<'a> Compiler<'a, '_> {
    fn scope_id(&self, range: TextRange) -> CResult<ScopeId> {
        self.table
            .scope_for(range)
            .ok_or_else(|| self.unsupported("this construct (no scope found)", range))
    }

    /// Evaluates defaults; returns the MAKE_FUNCTION flags for them.
    fn defaults(&mut self, params: &'a ast::Parameters) -> CResult<u32> {
        let mut flags = 0;
        let positional: Vec<&Expr> = params
            .posonlyargs
            .iter()
            .chain(params.args.iter())
            .filter_map(|p| p.default.as_deref())
            .collect();
        if !positional.is_empty() {
            let consts: Option<Vec<Const>> =
                positional.iter().map(|d| self.const_value(d)).collect();
            match consts {
                Some(items) => self.load_const(Const::Tuple(items)),
                None => {
                    for d in &positional {
                        self.expr(d)?;
                    }
                    self.emit(Op::BUILD_TUPLE, positional.len() as u32);
                }
            }
            flags |= MF_DEFAULTS;
        }
        let mut nkw = 0;
        for p in params.kwonlyargs.iter() {
            if let Some(d) = &p.default {
                let name = self.mangle(&p.parameter.name.id);
                self.load_const(Const::Str(name));
                self.expr(d)?;
                nkw += 1;
            }
        }
        if nkw > 0 {
            self.emit(Op::BUILD_MAP, nkw);
            flags |= MF_KWDEFAULTS;
        }
        Ok(flags)
    }

    /// Sets the argument counts and flags of the current unit from `params`.
    fn set_signature(&mut self, params: Option<&ast::Parameters>) {
        let Some(p) = params else { return };
        self.u.posonlyargcount = p.posonlyargs.len() as u32;
        self.u.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
        self.u.kwonlyargcount = p.kwonlyargs.len() as u32;
        if p.vararg.is_some() {
            self.u.flags |= CO_VARARGS;
        }
        if p.kwarg.is_some() {
            self.u.flags |= CO_VARKEYWORDS;
        }
    }

    /// Emits `[closure] LOAD_CONST code; MAKE_FUNCTION flags` for a finished child code.
    pub(crate) fn make_function(&mut self, code: CodeUnit, mut flags: u32) {
        if self.emit_closure(&code.freevars) {
            flags |= MF_CLOSURE;
        }
        let i = self.add_const(Const::Code(Box::new(code)));
        self.emit(Op::LOAD_CONST, i);
        self.emit(Op::MAKE_FUNCTION, flags);
    }

    fn decorators(&mut self, decs: &'a [ast::Decorator]) -> CResult {
        for d in decs {
            self.expr(&d.expression)?;
            self.emit(Op::PUSH_NULL, 0);
        }
        Ok(())
    }

    fn apply_decorators(&mut self, decs: &'a [ast::Decorator]) {
        for d in decs.iter().rev() {
            let saved = self.set_pos(d.range);
            self.emit(Op::CALL, 1);
            self.restore_pos(saved);
        }
    }

    pub(crate) fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult {
        if f.is_async {
            return Err(self.unsupported("async functions", f.range));
        }
        if f.type_params.is_some() {
            return Err(self.unsupported("type parameters", f.range));
        }
        let scope = self.scope_id(f.range)?;
        self.decorators(&f.decorator_list)?;
        let mut flags = self.defaults(&f.parameters)?;
        flags |= self.function_annotations(&f.parameters, f.returns.as_deref())?;
        let line = self.line_of(f.name.range);
        self.enter_unit(scope, &f.name.id, line);
        self.set_signature(Some(&f.parameters));
        if self.table.scopes[scope].is_generator {
            self.u.flags |= CO_GENERATOR;
        }
        self.emit(Op::RESUME, 0);
        let body = self.docstring_prologue(&f.body);
        let doc = self.u.doc.clone().map_or(Const::None, Const::Str);
        self.u.consts.push(doc);
        self.stmts(body)?;
        let code = self.finish_unit()?;
        self.make_function(code, flags);
        self.apply_decorators(&f.decorator_list);
        let saved = self.set_pos(f.name.range);
        self.store_name(&f.name.id)?;
        self.restore_pos(saved);
        Ok(())
    }

    pub(crate) fn lambda(&mut self, l: &'a ast::ExprLambda) -> CResult {
        let scope = self.scope_id(l.range)?;
        let flags = match &l.parameters {
            Some(p) => self.defaults(p)?,
            None => 0,
        };
        let line = self.line_of(l.range);
        self.enter_unit(scope, "<lambda>", line);
        self.set_signature(l.parameters.as_deref());
        let is_gen = self.table.scopes[scope].is_generator;
        if is_gen {
            self.u.flags |= CO_GENERATOR;
        }
        self.u.consts.push(Const::None);
        self.emit(Op::RESUME, 0);
        self.expr(&l.body)?;
        if is_gen {
            self.emit(Op::POP_TOP, 0);
            self.load_const(Const::None);
        }
        let saved = self.set_pos(l.body.range());
        self.emit(Op::RETURN_VALUE, 0);
        self.restore_pos(saved);
        let code = self.finish_unit()?;
        self.make_function(code, flags);
        Ok(())
    }

    pub(crate) fn class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult {
        if c.type_params.is_some() {
            return Err(self.unsupported("type parameters", c.range));
        }
        let scope = self.scope_id(c.range)?;
        self.decorators(&c.decorator_list)?;
        let line = self.line_of(c.name.range);
        // The class body.
        self.enter_unit(scope, &c.name.id, line);
        self.u.flags = CO_CLASS_BODY;
        self.emit(Op::RESUME, 0);
        self.load_name("__name__")?;
        self.store_name("__module__")?;
        let qualname = self.u.qualname.clone();
        self.load_const(Const::Str(qualname));
        self.store_name("__qualname__")?;
        self.setup_annotations(&c.body);
        let body = self.docstring_prologue(&c.body);
        if let Some(doc) = self.u.doc.clone() {
            self.load_const(Const::Str(doc));
            self.store_name("__doc__")?;
        }
        self.stmts(body)?;
        if self.table.scopes[scope].needs_class_cell {
            let i = self.deref_index("__class__");
            self.emit(Op::LOAD_CLOSURE, i);
            self.emit(Op::COPY, 1);
            self.store_name("__classcell__")?;
        } else {
            self.load_const(Const::None);
        }
        self.emit(Op::RETURN_VALUE, 0);
        let code = self.finish_unit()?;
        // __build_class__(func, name, *bases, **keywords)
        let saved = self.set_pos(c.range);
        self.emit(Op::LOAD_BUILD_CLASS, 0);
        self.emit(Op::PUSH_NULL, 0);
        self.make_function(code, 0);
        self.load_const(Const::Str(c.name.id.to_string()));
        match &c.arguments {
            Some(args) => self.call_args(2, &args.args, &args.keywords)?,
            None => self.emit(Op::CALL, 2),
        }
        self.restore_pos(saved);
        self.apply_decorators(&c.decorator_list);
        let saved = self.set_pos(c.name.range);
        self.store_name(&c.name.id)?;
        self.restore_pos(saved);
        Ok(())
    }
}
