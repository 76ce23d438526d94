//! Statements: assignments, control flow, imports, `assert`, `raise`, `del`.

use super::{CResult, Compiler, Ctx, FBlock, FBlockKind};
use crate::bytecode::{Op, binop};
use crate::unit::Const;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

/// BINARY_OP argument of an AST operator.
pub(crate) fn binop_arg(op: ast::Operator) -> u32 {
    use ast::Operator as O;
    match op {
        O::Add => binop::ADD,
        O::Sub => binop::SUBTRACT,
        O::Mult => binop::MULTIPLY,
        O::MatMult => binop::MATRIX_MULTIPLY,
        O::Div => binop::TRUE_DIVIDE,
        O::Mod => binop::REMAINDER,
        O::Pow => binop::POWER,
        O::LShift => binop::LSHIFT,
        O::RShift => binop::RSHIFT,
        O::BitOr => binop::OR,
        O::BitXor => binop::XOR,
        O::BitAnd => binop::AND,
        O::FloorDiv => binop::FLOOR_DIVIDE,
    }
}

impl<'a> Compiler<'a, '_> {
    /// Compiles a statement list.
    pub fn stmts(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    /// Compiles one statement.
    pub fn stmt(&mut self, s: &'a Stmt) -> CResult {
        let saved = self.set_pos(s.range());
        self.u.last_stmt_pos = Some(self.u.b.pos);
        let r = self.stmt_inner(s);
        self.restore_pos(saved);
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> CResult {
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => self.return_stmt(r),
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t)?;
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Op::COPY, 1);
                    }
                    self.store_target(t)?;
                }
                Ok(())
            }
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => self.ann_assign(a),
            Stmt::For(f) => self.for_stmt(f),
            Stmt::While(w) => self.while_stmt(w),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::With(w) => self.with_stmt(w, 0),
            Stmt::Match(m) => Err(self.unsupported("match statements", m.range)),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::RAISE_VARARGS, n);
                Ok(())
            }
            Stmt::Try(t) => self.try_stmt(t),
            Stmt::Assert(a) => {
                let end = self.new_label();
                self.jump_if(&a.test, true, end)?;
                self.emit(Op::LOAD_ASSERTION_ERROR, 0);
                if let Some(m) = &a.msg {
                    self.emit(Op::PUSH_NULL, 0);
                    self.expr(m)?;
                    self.emit(Op::CALL, 1);
                }
                self.emit(Op::RAISE_VARARGS, 1);
                self.bind(end);
                Ok(())
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let saved = self.set_pos(alias.range);
                    self.load_const(Const::Int(0.into()));
                    self.load_const(Const::None);
                    let full = alias.name.id.as_str();
                    let ni = self.add_name(full);
                    self.emit(Op::IMPORT_NAME, ni);
                    match &alias.asname {
                        Some(asname) => {
                            let parts: Vec<&str> = full.split('.').collect();
                            if parts.len() > 1 {
                                for (k, attr) in parts[1..].iter().enumerate() {
                                    let ai = self.add_name(attr);
                                    self.emit(Op::IMPORT_FROM, ai);
                                    if k + 2 < parts.len() {
                                        self.emit(Op::SWAP, 2);
                                        self.emit(Op::POP_TOP, 0);
                                    }
                                }
                                self.store_name(&asname.id)?;
                                self.emit(Op::POP_TOP, 0);
                            } else {
                                self.store_name(&asname.id)?;
                            }
                        }
                        None => {
                            let top = full.split('.').next().unwrap_or(full);
                            self.store_name(top)?;
                        }
                    }
                    self.restore_pos(saved);
                }
                Ok(())
            }
            Stmt::ImportFrom(i) => {
                let module = i.module.as_ref().map(|m| m.id.as_str()).unwrap_or("");
                if module == "__future__" && i.level == 0 {
                    // Future statements only act at compile time (see `crate::future`).
                    if self.table.future.is_late(self.line_of(i.range)) {
                        return Err(self.syntax_error(crate::future::LATE_FUTURE, i.range));
                    }
                    return Ok(());
                }
                self.load_const(Const::Int(i.level.into()));
                let names: Vec<Const> = i
                    .names
                    .iter()
                    .map(|a| Const::Str(a.name.id.to_string()))
                    .collect();
                self.load_const(Const::Tuple(names));
                let mi = self.add_name(module);
                self.emit(Op::IMPORT_NAME, mi);
                if i.names.len() == 1 && i.names[0].name.id.as_str() == "*" {
                    self.emit(Op::IMPORT_STAR, 0);
                    return Ok(());
                }
                for alias in &i.names {
                    let ni = self.add_name(alias.name.id.as_str());
                    self.emit(Op::IMPORT_FROM, ni);
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.store_name(&bound.id)?;
                }
                self.emit(Op::POP_TOP, 0);
                Ok(())
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => {
                if e.value.is_literal_expr() && !matches!(&*e.value, Expr::FString(_)) {
                    // A constant expression statement does nothing.
                    return Ok(());
                }
                self.expr(&e.value)?;
                self.emit(Op::POP_TOP, 0);
                Ok(())
            }
            Stmt::Break(b) => self.break_stmt(b.range),
            Stmt::Continue(c) => self.continue_stmt(c.range),
            Stmt::TypeAlias(t) => Err(self.unsupported("type aliases", t.range)),
            Stmt::IpyEscapeCommand(c) => Err(self.unsupported("IPython escapes", c.range)),
        }
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> CResult {
        let op = binop_arg(a.op) + binop::INPLACE;
        match &*a.target {
            Expr::Name(n) => {
                let saved = self.set_pos(n.range);
                self.load_name(&n.id)?;
                self.restore_pos(saved);
                self.expr(&a.value)?;
                self.emit(Op::BINARY_OP, op);
                let saved = self.set_pos(n.range);
                self.store_name(&n.id)?;
                self.restore_pos(saved);
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.emit(Op::COPY, 1);
                let saved = self.set_pos(at.range);
                self.emit_attr_op(Op::LOAD_ATTR, &at.attr.id);
                self.restore_pos(saved);
                self.expr(&a.value)?;
                self.emit(Op::BINARY_OP, op);
                self.emit(Op::SWAP, 2);
                let saved = self.set_pos(at.range);
                self.emit_attr_op(Op::STORE_ATTR, &at.attr.id);
                self.restore_pos(saved);
            }
            Expr::Subscript(sub) => {
                self.expr(&sub.value)?;
                self.subscript_key(&sub.slice)?;
                self.emit(Op::COPY, 2);
                self.emit(Op::COPY, 2);
                let saved = self.set_pos(sub.range);
                self.emit(Op::BINARY_SUBSCR, 0);
                self.restore_pos(saved);
                self.expr(&a.value)?;
                self.emit(Op::BINARY_OP, op);
                self.emit(Op::SWAP, 3);
                self.emit(Op::SWAP, 2);
                let saved = self.set_pos(sub.range);
                self.emit(Op::STORE_SUBSCR, 0);
                self.restore_pos(saved);
            }
            other => {
                return Err(self.syntax_error(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        super::target::describe(other)
                    ),
                    other.range(),
                ));
            }
        }
        Ok(())
    }

    fn if_stmt(&mut self, i: &'a ast::StmtIf) -> CResult {
        let end = self.new_label();
        let mut next = self.new_label();
        self.jump_if(&i.test, false, next)?;
        self.stmts(&i.body)?;
        for clause in &i.elif_else_clauses {
            self.emit_jump(Op::JUMP_FORWARD, end);
            self.bind(next);
            next = self.new_label();
            let saved = self.set_pos(clause.range);
            if let Some(test) = &clause.test {
                self.jump_if(test, false, next)?;
            }
            self.restore_pos(saved);
            self.stmts(&clause.body)?;
        }
        self.bind(next);
        self.bind(end);
        Ok(())
    }

    fn while_stmt(&mut self, w: &'a ast::StmtWhile) -> CResult {
        let start = self.new_label();
        let orelse = self.new_label();
        let exit = self.new_label();
        self.bind(start);
        let always_true = super::constant::truthiness(&w.test) == Some(true);
        if !always_true {
            self.jump_if(&w.test, false, orelse)?;
        }
        self.u.fblocks.push(FBlock {
            kind: FBlockKind::WhileLoop { start, exit },
            handlers: self.u.b.handler_depth(),
            depth: self.u.depth,
        });
        self.stmts(&w.body)?;
        self.u.fblocks.pop();
        let saved = self.set_pos(w.test.range());
        self.emit_jump(Op::JUMP_BACKWARD, start);
        self.restore_pos(saved);
        self.bind(orelse);
        if !always_true {
            self.stmts(&w.orelse)?;
        }
        self.bind(exit);
        Ok(())
    }

    fn for_stmt(&mut self, f: &'a ast::StmtFor) -> CResult {
        let start = self.new_label();
        let cleanup = self.new_label();
        let exit = self.new_label();
        self.expr(&f.iter)?;
        let saved = self.set_pos(f.iter.range());
        self.emit(Op::GET_ITER, 0);
        self.bind(start);
        self.emit_jump(Op::FOR_ITER, cleanup);
        self.restore_pos(saved);
        self.u.fblocks.push(FBlock {
            kind: FBlockKind::ForLoop { start, exit },
            handlers: self.u.b.handler_depth(),
            depth: self.u.depth,
        });
        self.u.depth += 1;
        self.store_target(&f.target)?;
        self.stmts(&f.body)?;
        let saved = self.set_pos(f.iter.range());
        self.emit_jump(Op::JUMP_BACKWARD, start);
        self.restore_pos(saved);
        self.u.depth -= 1;
        self.u.fblocks.pop();
        self.bind(cleanup);
        self.stmts(&f.orelse)?;
        self.bind(exit);
        Ok(())
    }

    /// Compiles `del target`.
    fn delete_target(&mut self, t: &'a Expr) -> CResult {
        let saved = self.set_pos(t.range());
        match t {
            Expr::Name(n) => self.name_op(&n.id, Ctx::Del)?,
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.emit_attr_op(Op::DELETE_ATTR, &a.attr.id);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_key(&s.slice)?;
                self.emit(Op::DELETE_SUBSCR, 0);
            }
            Expr::Tuple(tu) => {
                for e in &tu.elts {
                    self.delete_target(e)?;
                }
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.delete_target(e)?;
                }
            }
            other => {
                return Err(self.syntax_error(
                    format!("cannot delete {}", super::target::describe(other)),
                    other.range(),
                ));
            }
        }
        self.restore_pos(saved);
        Ok(())
    }
}
