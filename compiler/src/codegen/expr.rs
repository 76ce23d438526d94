//! Expressions: operators, comparisons, boolean logic, displays, subscripts, `yield`.

use super::stmt::binop_arg;
use super::{CResult, Compiler, Ctx, Label};
use crate::bytecode::{Op, cmpop};
use crate::unit::Const;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

/// Which collection a starred display builds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    List,
    Tuple,
    Set,
}

impl<'a> Compiler<'a, '_> {
    /// Compiles `e`, leaving its value on the stack.
    pub fn expr(&mut self, e: &'a Expr) -> CResult {
        let saved = self.set_pos(e.range());
        let r = self.expr_inner(e);
        self.restore_pos(saved);
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult {
        if let Some(c) = self.const_value(e) {
            self.load_const(c);
            return Ok(());
        }
        match e {
            Expr::BoolOp(b) => {
                let end = self.new_label();
                let op = match b.op {
                    ast::BoolOp::And => Op::JUMP_IF_FALSE_OR_POP,
                    ast::BoolOp::Or => Op::JUMP_IF_TRUE_OR_POP,
                };
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.emit_jump(op, end);
                    }
                }
                self.bind(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Op::COPY, 1);
                self.store_target(&n.target)?;
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(Op::BINARY_OP, binop_arg(b.op));
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                let op = match u.op {
                    ast::UnaryOp::Invert => Op::UNARY_INVERT,
                    ast::UnaryOp::Not => Op::UNARY_NOT,
                    ast::UnaryOp::UAdd => Op::UNARY_POSITIVE,
                    ast::UnaryOp::USub => Op::UNARY_NEGATIVE,
                };
                self.emit(op, 0);
            }
            Expr::Lambda(l) => self.lambda(l)?,
            Expr::If(i) => {
                let orelse = self.new_label();
                let end = self.new_label();
                self.jump_if(&i.test, false, orelse)?;
                self.expr(&i.body)?;
                self.emit_jump(Op::JUMP_FORWARD, end);
                self.bind(orelse);
                self.expr(&i.orelse)?;
                self.bind(end);
            }
            Expr::Dict(d) => self.dict_display(d)?,
            Expr::Set(s) => self.starunpack(&s.elts, Collection::Set)?,
            Expr::List(l) => self.list_display(&l.elts)?,
            Expr::Tuple(t) => self.starunpack(&t.elts, Collection::Tuple)?,
            Expr::ListComp(c) => self.comprehension(
                e,
                "<listcomp>",
                &c.generators,
                super::comprehension::Elt::List(&c.elt),
            )?,
            Expr::SetComp(c) => self.comprehension(
                e,
                "<setcomp>",
                &c.generators,
                super::comprehension::Elt::Set(&c.elt),
            )?,
            Expr::DictComp(c) => {
                let Some(key) = &c.key else {
                    return Err(self.unsupported("dict comprehension unpacking", c.range));
                };
                self.comprehension(
                    e,
                    "<dictcomp>",
                    &c.generators,
                    super::comprehension::Elt::Dict(key, &c.value),
                )?
            }
            Expr::Generator(c) => self.comprehension(
                e,
                "<genexpr>",
                &c.generators,
                super::comprehension::Elt::Gen(&c.elt),
            )?,
            Expr::Await(a) => return Err(self.unsupported("await expressions", a.range)),
            Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.emit(Op::YIELD_VALUE, 0);
            }
            Expr::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.emit(Op::GET_YIELD_FROM_ITER, 0);
                self.load_const(Const::None);
                self.yield_from_loop();
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::Call(c) => self.call(c)?,
            Expr::FString(f) => self.fstring(f)?,
            Expr::TString(t) => return Err(self.unsupported("template strings", t.range)),
            Expr::NumberLiteral(n) if matches!(n.value, ast::Number::Complex { .. }) => {
                return Err(self.unsupported("a complex number literal", e.range()));
            }
            Expr::BytesLiteral(_) => return Err(self.unsupported("a bytes literal", e.range())),
            Expr::StringLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {
                return Err(self.unsupported("this literal", e.range()));
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let saved = self.set_pos(a.range);
                self.emit_attr_op(Op::LOAD_ATTR, &a.attr.id);
                self.restore_pos(saved);
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.subscript_key(&s.slice)?;
                self.emit(Op::BINARY_SUBSCR, 0);
            }
            Expr::Starred(s) => {
                return Err(self.syntax_error("can't use starred expression here", s.range));
            }
            Expr::Name(n) => self.name_op(&n.id, Ctx::Load)?,
            Expr::Slice(s) => self.slice(s)?,
            Expr::IpyEscapeCommand(c) => return Err(self.unsupported("IPython escapes", c.range)),
        }
        Ok(())
    }

    /// `[recv, v] → [result]`: the SEND/YIELD_VALUE loop of `yield from`.
    pub(crate) fn yield_from_loop(&mut self) {
        let send = self.new_label();
        let exit = self.new_label();
        self.bind(send);
        self.emit_jump(Op::SEND, exit);
        self.emit(Op::YIELD_VALUE, 0);
        self.emit_jump(Op::JUMP_BACKWARD, send);
        self.bind(exit);
    }

    /// A slice expression: `BUILD_SLICE 2/3` of its parts (missing parts are None).
    fn slice(&mut self, s: &'a ast::ExprSlice) -> CResult {
        for part in [&s.lower, &s.upper] {
            match part {
                Some(p) => self.expr(p)?,
                None => self.load_const(Const::None),
            }
        }
        let mut n = 2;
        if let Some(step) = &s.step {
            self.expr(step)?;
            n = 3;
        }
        self.emit(Op::BUILD_SLICE, n);
        Ok(())
    }

    /// The key of a subscript (a slice or any expression).
    pub(crate) fn subscript_key(&mut self, key: &'a Expr) -> CResult {
        self.expr(key)
    }

    fn compare_op(&mut self, op: ast::CmpOp) {
        use ast::CmpOp as C;
        match op {
            C::Eq => self.emit(Op::COMPARE_OP, cmpop::EQ),
            C::NotEq => self.emit(Op::COMPARE_OP, cmpop::NE),
            C::Lt => self.emit(Op::COMPARE_OP, cmpop::LT),
            C::LtE => self.emit(Op::COMPARE_OP, cmpop::LE),
            C::Gt => self.emit(Op::COMPARE_OP, cmpop::GT),
            C::GtE => self.emit(Op::COMPARE_OP, cmpop::GE),
            C::Is => self.emit(Op::IS_OP, 0),
            C::IsNot => self.emit(Op::IS_OP, 1),
            C::In => self.emit(Op::CONTAINS_OP, 0),
            C::NotIn => self.emit(Op::CONTAINS_OP, 1),
        }
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> CResult {
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.compare_op(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for i in 0..n - 1 {
            self.expr(&c.comparators[i])?;
            self.emit(Op::SWAP, 2);
            self.emit(Op::COPY, 2);
            self.compare_op(c.ops[i]);
            self.emit_jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
        }
        self.expr(&c.comparators[n - 1])?;
        self.compare_op(c.ops[n - 1]);
        self.emit_jump(Op::JUMP_FORWARD, end);
        self.bind(cleanup);
        self.emit(Op::SWAP, 2);
        self.emit(Op::POP_TOP, 0);
        self.bind(end);
        Ok(())
    }

    /// Jumps to `target` when the truth of `e` equals `cond` (consuming the value either
    /// way); short-circuits `not`, `and`, `or` and chained comparisons like CPython.
    pub fn jump_if(&mut self, e: &'a Expr, cond: bool, target: Label) -> CResult {
        let saved = self.set_pos(e.range());
        let r = self.jump_if_inner(e, cond, target);
        self.restore_pos(saved);
        r
    }

    fn jump_if_inner(&mut self, e: &'a Expr, cond: bool, target: Label) -> CResult {
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                return self.jump_if(&u.operand, !cond, target);
            }
            Expr::BoolOp(b) => {
                let is_or = b.op == ast::BoolOp::Or;
                // `a or b` jumps on true if any is true; on false only if all are false.
                let n = b.values.len();
                if is_or == cond {
                    for v in &b.values {
                        self.jump_if(v, cond, target)?;
                    }
                } else {
                    let next = self.new_label();
                    for (i, v) in b.values.iter().enumerate() {
                        if i + 1 < n {
                            self.jump_if(v, !cond, next)?;
                        } else {
                            self.jump_if(v, cond, target)?;
                        }
                    }
                    self.bind(next);
                }
                return Ok(());
            }
            Expr::Compare(c) if c.ops.len() > 1 => {
                let n = c.ops.len();
                let cleanup = self.new_label();
                let end = self.new_label();
                self.expr(&c.left)?;
                for i in 0..n - 1 {
                    self.expr(&c.comparators[i])?;
                    self.emit(Op::SWAP, 2);
                    self.emit(Op::COPY, 2);
                    self.compare_op(c.ops[i]);
                    self.emit_jump(Op::POP_JUMP_IF_FALSE, cleanup);
                }
                self.expr(&c.comparators[n - 1])?;
                self.compare_op(c.ops[n - 1]);
                let op = if cond {
                    Op::POP_JUMP_IF_TRUE
                } else {
                    Op::POP_JUMP_IF_FALSE
                };
                self.emit_jump(op, target);
                self.emit_jump(Op::JUMP_FORWARD, end);
                self.bind(cleanup);
                self.emit(Op::POP_TOP, 0);
                if !cond {
                    self.emit_jump(Op::JUMP_FORWARD, target);
                }
                self.bind(end);
                return Ok(());
            }
            _ => {}
        }
        if let Some(t) = super::constant::truthiness(e) {
            if t == cond {
                self.emit_jump(Op::JUMP_FORWARD, target);
            }
            return Ok(());
        }
        self.expr(e)?;
        let op = if cond {
            Op::POP_JUMP_IF_TRUE
        } else {
            Op::POP_JUMP_IF_FALSE
        };
        self.emit_jump(op, target);
        Ok(())
    }

    /// A list display (constant lists of 3+ items load a tuple and extend, like CPython).
    fn list_display(&mut self, elts: &'a [Expr]) -> CResult {
        if elts.len() >= 3 {
            let consts: Option<Vec<Const>> = elts.iter().map(|x| self.const_value(x)).collect();
            if let Some(items) = consts {
                self.emit(Op::BUILD_LIST, 0);
                self.load_const(Const::Tuple(items));
                self.emit(Op::LIST_EXTEND, 1);
                return Ok(());
            }
        }
        self.starunpack(elts, Collection::List)
    }

    /// Builds a list/tuple/set from `elts`, which may contain `*starred` items.
    pub(crate) fn starunpack(&mut self, elts: &'a [Expr], kind: Collection) -> CResult {
        self.starunpack_with(0, elts, kind)
    }

    /// Like [`Compiler::starunpack`], with `pushed` plain items already on the stack.
    pub(crate) fn starunpack_with(
        &mut self,
        pushed: u32,
        elts: &'a [Expr],
        kind: Collection,
    ) -> CResult {
        let has_star = elts.iter().any(|e| matches!(e, Expr::Starred(_)));
        if !has_star {
            for x in elts {
                self.expr(x)?;
            }
            let n = pushed + elts.len() as u32;
            let op = match kind {
                Collection::List => Op::BUILD_LIST,
                Collection::Tuple => Op::BUILD_TUPLE,
                Collection::Set => Op::BUILD_SET,
            };
            self.emit(op, n);
            return Ok(());
        }
        let (build, add, extend) = match kind {
            Collection::Set => (Op::BUILD_SET, Op::SET_ADD, Op::SET_UPDATE),
            _ => (Op::BUILD_LIST, Op::LIST_APPEND, Op::LIST_EXTEND),
        };
        let lead = elts
            .iter()
            .take_while(|e| !matches!(e, Expr::Starred(_)))
            .count();
        for x in &elts[..lead] {
            self.expr(x)?;
        }
        self.emit(build, pushed + lead as u32);
        for x in &elts[lead..] {
            match x {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(extend, 1);
                }
                _ => {
                    self.expr(x)?;
                    self.emit(add, 1);
                }
            }
        }
        if kind == Collection::Tuple {
            self.emit(Op::LIST_TO_TUPLE, 0);
        }
        Ok(())
    }

    fn dict_display(&mut self, d: &'a ast::ExprDict) -> CResult {
        let mut have_dict = false;
        let mut pending = 0u32;
        for item in &d.items {
            match &item.key {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(&item.value)?;
                    pending += 1;
                }
                None => {
                    if pending > 0 {
                        self.emit(Op::BUILD_MAP, pending);
                        if have_dict {
                            self.emit(Op::DICT_UPDATE, 1);
                        }
                        have_dict = true;
                        pending = 0;
                    }
                    if !have_dict {
                        self.emit(Op::BUILD_MAP, 0);
                        have_dict = true;
                    }
                    self.expr(&item.value)?;
                    self.emit(Op::DICT_UPDATE, 1);
                }
            }
        }
        if pending > 0 || !have_dict {
            self.emit(Op::BUILD_MAP, pending);
            if have_dict {
                self.emit(Op::DICT_UPDATE, 1);
            }
        }
        Ok(())
    }
}
