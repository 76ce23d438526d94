//! Code generation: AST + symbol tables → [`CodeUnit`]s.
//!
//! One [`Unit`] is open per code object being compiled (the module, then nested functions,
//! classes and comprehensions, innermost last). Statements and expressions live in their own
//! modules; this one holds the shared state: constants, names, name resolution and the
//! frame-block stack used to unwind `try`/`with`/loops on `return`/`break`/`continue`.

mod annotation;
mod builder;
mod call;
mod comprehension;
mod constant;
mod expr;
mod fstring;
mod function;
mod stmt;
mod target;
mod unparse;
mod unwind;

pub use builder::{CodeBuilder, Label, effect};

/// CPython's name for an expression kind in "cannot assign to …" messages.
pub fn describe_expr(e: &Expr) -> &'static str {
    target::describe(e)
}

use crate::bytecode::{CO_MODULE, Op, Position};
use crate::error::CompileError;
use crate::source::SourceMap;
use crate::symtable::{NameScope, ScopeId, ScopeKind, SymbolTable, mangle};
use crate::unit::{CodeUnit, Const};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::TextRange;
use std::collections::HashMap;

/// Result of a code-generation step.
pub(crate) type CResult<T = ()> = Result<T, CompileError>;

/// Compiles module `body` into the module code object.
pub fn compile_module(
    body: &[Stmt],
    table: &SymbolTable,
    map: &SourceMap<'_>,
    filename: &str,
) -> Result<CodeUnit, CompileError> {
    let mut c = Compiler {
        table,
        map,
        filename,
        u: Unit::new(0, "<module>", "<module>", 1),
        stack: Vec::new(),
    };
    c.u.flags = CO_MODULE;
    c.u.b.pos = Position {
        line: 1,
        end_line: 1,
        col: 0,
        end_col: 0,
    };
    c.emit(Op::RESUME, 0);
    if let Some(first) = body.first() {
        // CPython gives SETUP_ANNOTATIONS the position of the first statement.
        let saved = c.set_pos(ruff_text_size::Ranged::range(first));
        c.setup_annotations(body);
        c.restore_pos(saved);
    }
    let body = c.docstring_prologue(body);
    if let Some(doc) = c.u.doc.clone() {
        let i = c.add_const(Const::Str(doc));
        c.emit(Op::LOAD_CONST, i);
        c.store_name("__doc__")?;
    }
    c.stmts(body)?;
    c.finish_unit()
}

/// How a name is accessed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Ctx {
    Load,
    Store,
    Del,
}

/// A frame block: a construct that `return`/`break`/`continue` must unwind.
#[derive(Clone)]
pub(crate) struct FBlock<'a> {
    pub kind: FBlockKind<'a>,
    /// Handler regions active outside this block (unwinding code runs under them).
    pub handlers: usize,
    /// Static stack depth outside this block.
    pub depth: u32,
}

/// The kinds of [`FBlock`].
#[derive(Clone)]
pub(crate) enum FBlockKind<'a> {
    /// `while` loop: `continue` jumps to `start`, `break` to `exit`.
    WhileLoop { start: Label, exit: Label },
    /// `for` loop (the iterator is on the stack).
    ForLoop { start: Label, exit: Label },
    /// A `try` body with `except` clauses.
    TryExcept,
    /// A `try` body with a `finally` clause.
    FinallyTry { body: &'a [Stmt] },
    /// A `finally` body on the exception path (`[prev, exc]` on the stack).
    FinallyEnd,
    /// A `with` body (the bound `__exit__` on the stack).
    With,
    /// An `except` body (`[prev]` on the stack); the name to clear.
    HandlerCleanup { name: Option<String> },
    /// A value kept on the stack while a `finally` body runs for `return`.
    PopValue,
}

/// State of one code object being compiled.
pub(crate) struct Unit<'a> {
    pub scope: ScopeId,
    pub b: CodeBuilder,
    pub consts: Vec<Const>,
    pub names: Vec<String>,
    name_index: HashMap<String, u32>,
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub name: String,
    pub qualname: String,
    pub first_line: u32,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: u32,
    pub doc: Option<String>,
    pub fblocks: Vec<FBlock<'a>>,
    /// Static stack depth at statement level (iterators, `with` exits, exception info).
    pub depth: u32,
    /// Position of the last statement compiled (for the implicit `return None`).
    pub last_stmt_pos: Option<Position>,
}

impl Unit<'_> {
    fn new(scope: ScopeId, name: &str, qualname: &str, first_line: u32) -> Self {
        Unit {
            scope,
            b: CodeBuilder::default(),
            consts: Vec::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            name: name.to_string(),
            qualname: qualname.to_string(),
            first_line,
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            flags: 0,
            doc: None,
            fblocks: Vec::new(),
            depth: 0,
            last_stmt_pos: None,
        }
    }
}

/// The code generator.
pub(crate) struct Compiler<'a, 's> {
    pub table: &'a SymbolTable,
    pub map: &'a SourceMap<'s>,
    pub filename: &'a str,
    pub u: Unit<'a>,
    pub stack: Vec<Unit<'a>>,
}

/// Constants are shared when they are the same value of the same type (`1`, `1.0` and
/// `True` stay distinct; so do `0.0` and `-0.0`).
fn same_const(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::None, Const::None) | (Const::Ellipsis, Const::Ellipsis) => true,
        (Const::Bool(x), Const::Bool(y)) => x == y,
        (Const::Int(x), Const::Int(y)) => x == y,
        (Const::Float(x), Const::Float(y)) | (Const::Imag(x), Const::Imag(y)) => {
            x.to_bits() == y.to_bits()
        }
        (Const::Str(x), Const::Str(y)) => x == y,
        (Const::Bytes(x), Const::Bytes(y)) => x == y,
        (Const::Tuple(x), Const::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_const(a, b))
        }
        _ => false,
    }
}

impl<'a> Compiler<'a, '_> {
    // ----- errors -----

    pub fn syntax_error(&self, msg: impl Into<String>, range: TextRange) -> CompileError {
        CompileError::syntax(msg, self.map, self.filename, range)
    }

    pub fn unsupported(&self, what: &str, range: TextRange) -> CompileError {
        CompileError::unsupported(what, self.map, self.filename, range)
    }

    // ----- emission -----

    pub fn emit(&mut self, op: Op, arg: u32) {
        self.u.b.emit(op, arg);
    }

    pub fn emit_jump(&mut self, op: Op, label: Label) {
        self.u.b.emit_jump(op, label);
    }

    pub fn new_label(&mut self) -> Label {
        self.u.b.new_label()
    }

    pub fn bind(&mut self, label: Label) {
        self.u.b.bind(label);
    }

    /// Sets the position for the node spanning `range`; returns the previous one.
    pub fn set_pos(&mut self, range: TextRange) -> Position {
        let old = self.u.b.pos;
        self.u.b.pos = self.map.position(range);
        old
    }

    pub fn restore_pos(&mut self, pos: Position) {
        self.u.b.pos = pos;
    }

    pub fn add_const(&mut self, c: Const) -> u32 {
        if !matches!(c, Const::Code(_))
            && let Some(i) = self.u.consts.iter().position(|x| same_const(x, &c))
        {
            return i as u32;
        }
        self.u.consts.push(c);
        self.u.consts.len() as u32 - 1
    }

    pub fn load_const(&mut self, c: Const) {
        let i = self.add_const(c);
        self.emit(Op::LOAD_CONST, i);
    }

    pub fn add_name(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.u.name_index.get(name) {
            return i;
        }
        let i = self.u.names.len() as u32;
        self.u.names.push(name.to_string());
        self.u.name_index.insert(name.to_string(), i);
        i
    }

    /// The name after private-name mangling in the current class context.
    pub fn mangle(&self, name: &str) -> String {
        let private = self.table.scopes[self.u.scope].private.as_deref();
        let private = if self.table.scopes[self.u.scope].kind == ScopeKind::Class {
            Some(self.table.scopes[self.u.scope].name.as_str())
        } else {
            private
        };
        mangle(private, name).into_owned()
    }

    /// Emits an op taking a (mangled) name index: attributes, methods.
    pub fn emit_attr_op(&mut self, op: Op, attr: &str) {
        let name = self.mangle(attr);
        let i = self.add_name(&name);
        self.emit(op, i);
    }

    /// Index of `name` among cellvars ++ freevars.
    pub fn deref_index(&self, name: &str) -> u32 {
        if let Some(i) = self.u.cellvars.iter().position(|n| n == name) {
            return i as u32;
        }
        let i = self.u.freevars.iter().position(|n| n == name);
        (self.u.cellvars.len() + i.expect("free variable missing from freevars")) as u32
    }

    /// Loads, stores or deletes the variable `name` as the current scope resolves it.
    pub fn name_op(&mut self, name: &str, ctx: Ctx) -> CResult {
        let name = self.mangle(name);
        let scope = &self.table.scopes[self.u.scope];
        let sc = scope.scope_of(&name);
        let kind = scope.kind;
        enum How {
            Fast,
            Deref,
            ClassDeref,
            Global,
            Name,
        }
        let how = match kind {
            ScopeKind::Module => How::Global,
            ScopeKind::Class => match sc {
                NameScope::Free if ctx == Ctx::Load => How::ClassDeref,
                NameScope::Free | NameScope::Cell => How::Deref,
                NameScope::GlobalExplicit => How::Global,
                _ => How::Name,
            },
            ScopeKind::Function | ScopeKind::Comprehension => match sc {
                NameScope::Local => How::Fast,
                NameScope::Free | NameScope::Cell => How::Deref,
                NameScope::GlobalExplicit | NameScope::GlobalImplicit => How::Global,
            },
        };
        match how {
            How::Fast => {
                let i = self.u.varnames.iter().position(|n| *n == name);
                let i = i.expect("local missing from varnames") as u32;
                let op = match ctx {
                    Ctx::Load => Op::LOAD_FAST,
                    Ctx::Store => Op::STORE_FAST,
                    Ctx::Del => Op::DELETE_FAST,
                };
                self.emit(op, i);
            }
            How::Deref | How::ClassDeref => {
                let i = self.deref_index(&name);
                let op = match (ctx, how) {
                    (Ctx::Load, How::ClassDeref) => Op::LOAD_CLASSDEREF,
                    (Ctx::Load, _) => Op::LOAD_DEREF,
                    (Ctx::Store, _) => Op::STORE_DEREF,
                    (Ctx::Del, _) => Op::DELETE_DEREF,
                };
                self.emit(op, i);
            }
            How::Global | How::Name => {
                let i = self.add_name(&name);
                let op = match (ctx, how) {
                    (Ctx::Load, How::Global) => Op::LOAD_GLOBAL,
                    (Ctx::Store, How::Global) => Op::STORE_GLOBAL,
                    (Ctx::Del, How::Global) => Op::DELETE_GLOBAL,
                    (Ctx::Load, _) => Op::LOAD_NAME,
                    (Ctx::Store, _) => Op::STORE_NAME,
                    (Ctx::Del, _) => Op::DELETE_NAME,
                };
                self.emit(op, i);
            }
        }
        Ok(())
    }

    pub fn load_name(&mut self, name: &str) -> CResult {
        self.name_op(name, Ctx::Load)
    }

    pub fn store_name(&mut self, name: &str) -> CResult {
        self.name_op(name, Ctx::Store)
    }

    // ----- units -----

    /// Opens a nested code object for scope `scope`.
    pub fn enter_unit(&mut self, scope: ScopeId, name: &str, first_line: u32) {
        let qualname = self.child_qualname(scope, name);
        let s = &self.table.scopes[scope];
        let mut u = Unit::new(scope, name, &qualname, first_line);
        u.varnames = s.varnames();
        u.cellvars = s.cellvars();
        u.freevars = s.freevars();
        u.b.pos = Position {
            line: first_line,
            end_line: first_line,
            col: 0,
            end_col: 0,
        };
        let parent = std::mem::replace(&mut self.u, u);
        self.stack.push(parent);
    }

    /// CPython's qualified name of a child scope named `name`.
    fn child_qualname(&self, scope: ScopeId, name: &str) -> String {
        let parent = &self.table.scopes[self.u.scope];
        let child = &self.table.scopes[scope];
        if parent.kind == ScopeKind::Module {
            return name.to_string();
        }
        // A function declared global in its enclosing function is named as at module level.
        let mangled = self.mangle(name);
        if child.kind != ScopeKind::Comprehension
            && parent.scope_of(&mangled) == NameScope::GlobalExplicit
        {
            return name.to_string();
        }
        match parent.kind {
            ScopeKind::Class => format!("{}.{}", self.u.qualname, name),
            _ => format!("{}.<locals>.{}", self.u.qualname, name),
        }
    }

    /// Closes the current code object (adding the implicit `return None` when the code can
    /// fall off its end) and returns it.
    pub fn finish_unit(&mut self) -> CResult<CodeUnit> {
        if !self.u.b.ends_with_terminator() {
            if let Some(pos) = self.u.last_stmt_pos {
                self.u.b.pos = pos;
            }
            self.load_const(Const::None);
            self.emit(Op::RETURN_VALUE, 0);
        }
        let placeholder = Unit::new(0, "", "", 0);
        let parent = self.stack.pop();
        let u = match parent {
            Some(p) => std::mem::replace(&mut self.u, p),
            None => std::mem::replace(&mut self.u, placeholder),
        };
        let first_line = u.first_line;
        let asm = u.b.assemble().map_err(|e| {
            CompileError::at(
                crate::error::CompileErrorKind::Unsupported,
                format!("internal compiler error in {}: {e}", u.qualname),
                self.map,
                self.filename,
                TextRange::default(),
            )
        })?;
        let cell2arg = u
            .cellvars
            .iter()
            .map(|c| {
                let s = &self.table.scopes[u.scope];
                s.params.iter().position(|p| p == c).map(|i| i as u32)
            })
            .collect();
        Ok(CodeUnit {
            name: u.name,
            qualname: u.qualname,
            filename: self.filename.to_string(),
            first_line,
            argcount: u.argcount,
            posonlyargcount: u.posonlyargcount,
            kwonlyargcount: u.kwonlyargcount,
            flags: u.flags,
            varnames: u.varnames,
            cellvars: u.cellvars,
            freevars: u.freevars,
            cell2arg,
            consts: u.consts,
            names: u.names,
            instrs: asm.instrs,
            positions: asm.positions,
            exc_table: asm.exc_table,
            max_stack: asm.max_stack,
            doc: u.doc,
        })
    }

    /// If `body` starts with a docstring, records it in the unit and returns the rest.
    pub fn docstring_prologue<'b>(&mut self, body: &'b [Stmt]) -> &'b [Stmt] {
        if let Some(Stmt::Expr(e)) = body.first()
            && let Expr::StringLiteral(s) = &*e.value
        {
            self.u.doc = Some(s.value.to_str().to_string());
            return &body[1..];
        }
        body
    }

    /// Line of the start of `range`.
    pub fn line_of(&self, range: TextRange) -> u32 {
        self.map.line_col(range.start().to_usize()).0
    }

    /// Emits a closure tuple for a child code with `freevars`; returns whether there was one.
    pub fn emit_closure(&mut self, freevars: &[String]) -> bool {
        if freevars.is_empty() {
            return false;
        }
        for name in freevars {
            let i = self.deref_index(name);
            self.emit(Op::LOAD_CLOSURE, i);
        }
        self.emit(Op::BUILD_TUPLE, freevars.len() as u32);
        true
    }
}
