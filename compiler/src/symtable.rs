//! Symbol tables: which names are local, global, free or cell in each scope.
//!
//! The pass mirrors CPython's `symtable.c`: a first walk records, per scope, how each name is
//! used (bound, used, declared `global`/`nonlocal`, parameter); a second pass
//! ([`SymbolTable::analyze`]) resolves each name to a [`NameScope`], turning locals captured
//! by inner functions into cells. Class bodies are transparent to nested functions, except
//! for the implicit `__class__` cell used by zero-argument `super()`.

use crate::error::CompileError;
use crate::future::Future;
use crate::source::SourceMap;
use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::TextRange;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Index of a scope in [`SymbolTable::scopes`].
pub type ScopeId = usize;

/// What kind of code block a scope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// Module-level code.
    Module,
    /// A `def` or `lambda`.
    Function,
    /// A class body.
    Class,
    /// A comprehension or generator expression (an implicit function).
    Comprehension,
}

/// Where a name lives, after analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    /// A local variable (a fast local in functions, a namespace entry in classes).
    Local,
    /// Declared `global`.
    GlobalExplicit,
    /// Not bound anywhere in reach: a global or builtin.
    GlobalImplicit,
    /// Bound in an enclosing function: read through the closure.
    Free,
    /// Local, but captured by an inner scope: lives in a cell.
    Cell,
}

/// Name flag: bound (assigned, deleted, imported, def/class) in the scope.
pub const DEF_LOCAL: u32 = 1;
/// Name flag: a parameter.
pub const DEF_PARAM: u32 = 2;
/// Name flag: declared `global`.
pub const DEF_GLOBAL: u32 = 4;
/// Name flag: declared `nonlocal`.
pub const DEF_NONLOCAL: u32 = 8;
/// Name flag: read.
pub const USE: u32 = 16;
/// Name flag: a class-body name that is also free in a nested function.
pub const DEF_FREE_CLASS: u32 = 32;
/// Name flag: the target of an annotated assignment (`x: int`). It makes the name local
/// like [`DEF_LOCAL`], which is set as well only when a value is assigned.
pub const DEF_ANNOT: u32 = 64;
/// Names that count as bindings.
const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_ANNOT;

/// One scope's symbols.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Kind of block.
    pub kind: ScopeKind,
    /// Its name (`<module>`, the function or class name, `<lambda>`, `<listcomp>` …).
    pub name: String,
    /// Enclosing scope.
    pub parent: Option<ScopeId>,
    /// Names in first-seen order, with their `DEF_*`/`USE` flags.
    pub symbols: Vec<(String, u32)>,
    index: HashMap<String, usize>,
    /// Resolved scope of each symbol (after analysis).
    pub scopes: HashMap<String, NameScope>,
    /// Parameter names in order (positional, keyword-only, `*args`, `**kwargs`).
    pub params: Vec<String>,
    /// Contains `yield` (or is a generator expression).
    pub is_generator: bool,
    /// A class body whose methods need the implicit `__class__` cell.
    pub needs_class_cell: bool,
    /// Name used for private-name mangling (the innermost enclosing class).
    pub private: Option<String>,
    /// Nested scopes.
    pub children: Vec<ScopeId>,
    /// Where each `nonlocal` name was declared.
    nonlocal_decls: HashMap<String, TextRange>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, parent: Option<ScopeId>, private: Option<String>) -> Self {
        Scope {
            kind,
            name: name.to_string(),
            parent,
            symbols: Vec::new(),
            index: HashMap::new(),
            scopes: HashMap::new(),
            params: Vec::new(),
            is_generator: false,
            needs_class_cell: false,
            private,
            children: Vec::new(),
            nonlocal_decls: HashMap::new(),
        }
    }

    /// Flags of `name` (0 if unknown).
    pub fn flags(&self, name: &str) -> u32 {
        self.index.get(name).map_or(0, |&i| self.symbols[i].1)
    }

    fn add(&mut self, name: &str, flag: u32) -> u32 {
        if let Some(&i) = self.index.get(name) {
            let old = self.symbols[i].1;
            self.symbols[i].1 |= flag;
            old
        } else {
            self.index.insert(name.to_string(), self.symbols.len());
            self.symbols.push((name.to_string(), flag));
            0
        }
    }

    /// Resolved scope of `name` (implicit global when the name is unknown).
    pub fn scope_of(&self, name: &str) -> NameScope {
        self.scopes
            .get(name)
            .copied()
            .unwrap_or(NameScope::GlobalImplicit)
    }

    /// True for functions, lambdas and comprehensions (fast locals).
    pub fn is_function_like(&self) -> bool {
        matches!(self.kind, ScopeKind::Function | ScopeKind::Comprehension)
    }

    /// Local variable names: parameters first, then other locals in first-seen order. As in
    /// CPython, a local that is only annotated (`x: int`, never assigned, deleted or read)
    /// has no slot: no instruction ever names it.
    pub fn varnames(&self) -> Vec<String> {
        let mut out = self.params.clone();
        if self.is_function_like() {
            for (name, flags) in &self.symbols {
                if self.scope_of(name) == NameScope::Local
                    && flags & (DEF_LOCAL | USE) != 0
                    && !self.params.contains(name)
                {
                    out.push(name.clone());
                }
            }
        }
        out
    }

    /// Cell variable names, sorted (`__class__` for a class that needs it).
    pub fn cellvars(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .symbols
            .iter()
            .filter(|(n, _)| self.scope_of(n) == NameScope::Cell)
            .map(|(n, _)| n.clone())
            .collect();
        if self.needs_class_cell {
            out.push("__class__".to_string());
        }
        out.sort();
        out
    }

    /// Free variable names, sorted.
    pub fn freevars(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .symbols
            .iter()
            .filter(|(n, f)| {
                self.scope_of(n) == NameScope::Free
                    || (self.kind == ScopeKind::Class && f & DEF_FREE_CLASS != 0)
            })
            .map(|(n, _)| n.clone())
            .collect();
        out.sort();
        out
    }
}

/// Applies private-name mangling (`__x` inside class `C` becomes `_C__x`).
pub fn mangle<'a>(private: Option<&str>, name: &'a str) -> Cow<'a, str> {
    let Some(class) = private else {
        return Cow::Borrowed(name);
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return Cow::Borrowed(name);
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return Cow::Borrowed(name);
    }
    Cow::Owned(format!("_{stripped}{name}"))
}

/// The symbol tables of a whole module.
#[derive(Debug, Clone)]
pub struct SymbolTable {
    /// All scopes; 0 is the module.
    pub scopes: Vec<Scope>,
    by_range: HashMap<(u32, u32), ScopeId>,
    /// The module's future statements.
    pub future: Future,
}

impl SymbolTable {
    /// Builds and analyzes the symbol tables of module `body`.
    pub fn build(
        body: &[Stmt],
        map: &SourceMap<'_>,
        filename: &str,
    ) -> Result<SymbolTable, CompileError> {
        let future = Future::parse(body, map, filename)?;
        let mut b = Builder {
            table: SymbolTable {
                scopes: vec![Scope::new(ScopeKind::Module, "<module>", None, None)],
                by_range: HashMap::new(),
                future,
            },
            cur: 0,
            map,
            filename,
        };
        b.stmts(body)?;
        let mut table = b.table;
        table.analyze(0, None, &HashSet::new(), map, filename)?;
        Ok(table)
    }

    /// The scope created by the node spanning `range` (a def, class, lambda or
    /// comprehension).
    pub fn scope_for(&self, range: TextRange) -> Option<ScopeId> {
        self.by_range
            .get(&(range.start().to_u32(), range.end().to_u32()))
            .copied()
    }

    /// Resolves the names of scope `id` and its children (CPython's `analyze_block`).
    /// Returns the names free in this scope or its children.
    fn analyze(
        &mut self,
        id: ScopeId,
        bound: Option<&HashSet<String>>,
        global: &HashSet<String>,
        map: &SourceMap<'_>,
        filename: &str,
    ) -> Result<HashSet<String>, CompileError> {
        let mut bound_c: Option<HashSet<String>> = bound.cloned();
        let mut global_c = global.clone();
        let mut local = HashSet::new();
        let mut free = HashSet::new();
        let kind = self.scopes[id].kind;
        let mut newbound: HashSet<String> = HashSet::new();
        let mut newglobal: HashSet<String> = HashSet::new();
        if kind == ScopeKind::Class {
            newglobal.extend(global_c.iter().cloned());
            if let Some(b) = &bound_c {
                newbound.extend(b.iter().cloned());
            }
        }
        let symbols = self.scopes[id].symbols.clone();
        for (name, flags) in &symbols {
            let sc = if flags & DEF_GLOBAL != 0 {
                global_c.insert(name.clone());
                if let Some(b) = bound_c.as_mut() {
                    b.remove(name);
                }
                NameScope::GlobalExplicit
            } else if flags & DEF_NONLOCAL != 0 {
                if !bound_c.as_ref().is_some_and(|b| b.contains(name)) {
                    let r = self.scopes[id].nonlocal_range(name);
                    return Err(CompileError::syntax(
                        format!("no binding for nonlocal '{name}' found"),
                        map,
                        filename,
                        r,
                    ));
                }
                free.insert(name.clone());
                NameScope::Free
            } else if flags & DEF_BOUND != 0 {
                local.insert(name.clone());
                global_c.remove(name);
                NameScope::Local
            } else if bound_c.as_ref().is_some_and(|b| b.contains(name)) {
                free.insert(name.clone());
                NameScope::Free
            } else {
                NameScope::GlobalImplicit
            };
            self.scopes[id].scopes.insert(name.clone(), sc);
        }
        if kind != ScopeKind::Class {
            if matches!(kind, ScopeKind::Function | ScopeKind::Comprehension) {
                newbound.extend(local.iter().cloned());
            }
            if let Some(b) = &bound_c {
                newbound.extend(b.iter().cloned());
            }
            newglobal.extend(global_c.iter().cloned());
        } else {
            newbound.insert("__class__".to_string());
        }
        let mut newfree = HashSet::new();
        let children = self.scopes[id].children.clone();
        for child in children {
            let child_free = self.analyze(child, Some(&newbound), &newglobal, map, filename)?;
            newfree.extend(child_free);
        }
        let scope = &mut self.scopes[id];
        match kind {
            ScopeKind::Function | ScopeKind::Comprehension => {
                for (name, sc) in scope.scopes.iter_mut() {
                    if *sc == NameScope::Local && newfree.contains(name) {
                        *sc = NameScope::Cell;
                        newfree.remove(name);
                    }
                }
            }
            ScopeKind::Class => {
                if newfree.remove("__class__") {
                    scope.needs_class_cell = true;
                }
            }
            ScopeKind::Module => {}
        }
        // update_symbols: names free in children pass through this scope.
        let mut names: Vec<&String> = newfree.iter().collect();
        names.sort();
        for name in names {
            let flags = scope.flags(name);
            if scope.index.contains_key(name.as_str()) {
                if kind == ScopeKind::Class && flags & (DEF_BOUND | DEF_GLOBAL) != 0 {
                    scope.add(name, DEF_FREE_CLASS);
                }
                continue;
            }
            if let Some(b) = &bound_c
                && !b.contains(name)
            {
                continue;
            }
            if bound_c.is_none() {
                continue;
            }
            scope.add(name, 0);
            scope.scopes.insert(name.clone(), NameScope::Free);
        }
        free.extend(newfree);
        Ok(free)
    }
}

impl Scope {
    fn nonlocal_range(&self, name: &str) -> TextRange {
        self.nonlocal_decls.get(name).copied().unwrap_or_default()
    }
}

/// The first pass: records name uses per scope.
struct Builder<'a, 'b> {
    table: SymbolTable,
    cur: ScopeId,
    map: &'a SourceMap<'b>,
    filename: &'a str,
}

type Res = Result<(), CompileError>;

impl Builder<'_, '_> {
    fn scope(&mut self) -> &mut Scope {
        &mut self.table.scopes[self.cur]
    }

    fn err(&self, msg: impl Into<String>, range: TextRange) -> CompileError {
        CompileError::syntax(msg, self.map, self.filename, range)
    }

    fn unsupported(&self, what: &str, range: TextRange) -> CompileError {
        CompileError::unsupported(what, self.map, self.filename, range)
    }

    fn mangled(&self, name: &str) -> String {
        let s = &self.table.scopes[self.cur];
        let private = if s.kind == ScopeKind::Class {
            Some(s.name.as_str())
        } else {
            s.private.as_deref()
        };
        mangle(private, name).into_owned()
    }

    fn add_def(&mut self, name: &str, flag: u32) {
        let name = self.mangled(name);
        self.scope().add(&name, flag);
    }

    fn push_scope(&mut self, kind: ScopeKind, name: &str, range: TextRange) -> ScopeId {
        let parent = self.cur;
        let private = if self.table.scopes[parent].kind == ScopeKind::Class {
            Some(self.table.scopes[parent].name.clone())
        } else {
            self.table.scopes[parent].private.clone()
        };
        let id = self.table.scopes.len();
        self.table
            .scopes
            .push(Scope::new(kind, name, Some(parent), private));
        self.table.scopes[parent].children.push(id);
        self.table
            .by_range
            .insert((range.start().to_u32(), range.end().to_u32()), id);
        self.cur = id;
        id
    }

    fn stmts(&mut self, body: &[Stmt]) -> Res {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn params(&mut self, params: &ast::Parameters) -> Res {
        let mut names: Vec<&ast::Identifier> = Vec::new();
        for p in params.posonlyargs.iter().chain(params.args.iter()) {
            names.push(&p.parameter.name);
        }
        for p in params.kwonlyargs.iter() {
            names.push(&p.parameter.name);
        }
        if let Some(v) = &params.vararg {
            names.push(&v.name);
        }
        if let Some(k) = &params.kwarg {
            names.push(&k.name);
        }
        let mut seen = HashSet::new();
        for n in names {
            let m = self.mangled(&n.id);
            if !seen.insert(m.clone()) {
                return Err(self.err(
                    format!("duplicate argument '{}' in function definition", n.id),
                    n.range,
                ));
            }
            self.scope().add(&m, DEF_PARAM);
            self.scope().params.push(m);
        }
        Ok(())
    }

    fn defaults(&mut self, params: &ast::Parameters) -> Res {
        for p in params
            .posonlyargs
            .iter()
            .chain(params.args.iter())
            .chain(params.kwonlyargs.iter())
        {
            if let Some(d) = &p.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> Res {
        match s {
            Stmt::FunctionDef(f) => {
                if f.is_async {
                    return Err(self.unsupported("async functions", f.range));
                }
                if f.type_params.is_some() {
                    return Err(self.unsupported("type parameters", f.range));
                }
                for d in f.decorator_list.iter() {
                    self.expr(&d.expression)?;
                }
                self.defaults(&f.parameters)?;
                self.function_annotations(&f.parameters, f.returns.as_deref())?;
                self.add_def(&f.name.id, DEF_LOCAL);
                let saved = self.cur;
                self.push_scope(ScopeKind::Function, &f.name.id, f.range);
                self.params(&f.parameters)?;
                self.stmts(&f.body)?;
                self.cur = saved;
            }
            Stmt::ClassDef(c) => {
                if c.type_params.is_some() {
                    return Err(self.unsupported("type parameters", c.range));
                }
                for d in c.decorator_list.iter() {
                    self.expr(&d.expression)?;
                }
                if let Some(args) = &c.arguments {
                    for a in args.args.iter() {
                        self.expr(a)?;
                    }
                    for k in args.keywords.iter() {
                        self.expr(&k.value)?;
                    }
                }
                self.add_def(&c.name.id, DEF_LOCAL);
                let saved = self.cur;
                self.push_scope(ScopeKind::Class, &c.name.id, c.range);
                self.stmts(&c.body)?;
                self.cur = saved;
            }
            Stmt::Return(r) => {
                if !self.scope().is_function_like() {
                    return Err(self.err("'return' outside function", r.range));
                }
                if let Some(v) = &r.value {
                    self.expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.expr(t)?;
                }
            }
            Stmt::TypeAlias(t) => return Err(self.unsupported("type aliases", t.range)),
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                for t in &a.targets {
                    self.expr(t)?;
                }
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value)?;
                if let Expr::Name(n) = &*a.target {
                    self.add_def(&n.id, DEF_LOCAL | USE);
                } else {
                    self.expr(&a.target)?;
                }
            }
            Stmt::AnnAssign(a) => {
                // CPython's order: the target, the annotation, then the value.
                if let Expr::Name(n) = &*a.target {
                    let m = self.mangled(&n.id);
                    let flags = self.scope().flags(&m);
                    if flags & (DEF_GLOBAL | DEF_NONLOCAL) != 0 && a.simple && self.cur != 0 {
                        let kind = if flags & DEF_GLOBAL != 0 {
                            "global"
                        } else {
                            "nonlocal"
                        };
                        return Err(self.err(
                            format!("annotated name '{}' can't be {kind}", n.id),
                            a.range,
                        ));
                    }
                    // `(x): int` (not simple) binds `x` only when there is a value.
                    if a.simple {
                        let value = if a.value.is_some() { DEF_LOCAL } else { 0 };
                        self.add_def(&n.id, DEF_ANNOT | value);
                    } else if a.value.is_some() {
                        self.add_def(&n.id, DEF_LOCAL);
                    }
                } else {
                    self.expr(&a.target)?;
                }
                self.annotation(&a.annotation)?;
                if let Some(v) = &a.value {
                    self.expr(v)?;
                }
            }
            Stmt::For(f) => {
                if f.is_async {
                    return Err(self.unsupported("async for", f.range));
                }
                self.expr(&f.iter)?;
                self.expr(&f.target)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.expr(&w.test)?;
                self.stmts(&w.body)?;
                self.stmts(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.expr(&i.test)?;
                self.stmts(&i.body)?;
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t)?;
                    }
                    self.stmts(&c.body)?;
                }
            }
            Stmt::With(w) => {
                if w.is_async {
                    return Err(self.unsupported("async with", w.range));
                }
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            Stmt::Match(m) => return Err(self.unsupported("match statements", m.range)),
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                }
                if let Some(c) = &r.cause {
                    self.expr(c)?;
                }
            }
            Stmt::Try(t) => {
                if t.is_star {
                    return Err(self.unsupported("except*", t.range));
                }
                self.stmts(&t.body)?;
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty)?;
                    }
                    if let Some(n) = &h.name {
                        self.add_def(&n.id, DEF_LOCAL);
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(&t.orelse)?;
                self.stmts(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let bound = match &alias.asname {
                        Some(a) => a.id.to_string(),
                        None => alias.name.id.split('.').next().unwrap_or("").to_string(),
                    };
                    self.add_def(&bound, DEF_LOCAL);
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    if alias.name.id.as_str() == "*" {
                        if self.scope().kind != ScopeKind::Module {
                            return Err(self.err("import * only allowed at module level", i.range));
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.add_def(&bound.id, DEF_LOCAL);
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    let name = self.mangled(&n.id);
                    let flags = self.scope().flags(&name);
                    if flags & (DEF_PARAM | DEF_LOCAL | USE | DEF_NONLOCAL | DEF_ANNOT) != 0 {
                        let msg = if flags & DEF_PARAM != 0 {
                            format!("name '{}' is parameter and global", n.id)
                        } else if flags & DEF_NONLOCAL != 0 {
                            format!("name '{}' is nonlocal and global", n.id)
                        } else if flags & USE != 0 {
                            format!("name '{}' is used prior to global declaration", n.id)
                        } else if flags & DEF_ANNOT != 0 {
                            format!("annotated name '{}' can't be global", n.id)
                        } else {
                            format!("name '{}' is assigned to before global declaration", n.id)
                        };
                        return Err(self.err(msg, g.range));
                    }
                    self.scope().add(&name, DEF_GLOBAL);
                }
            }
            Stmt::Nonlocal(g) => {
                if self.scope().kind == ScopeKind::Module {
                    return Err(
                        self.err("nonlocal declaration not allowed at module level", g.range)
                    );
                }
                for n in &g.names {
                    let name = self.mangled(&n.id);
                    let flags = self.scope().flags(&name);
                    if flags & (DEF_PARAM | DEF_LOCAL | USE | DEF_GLOBAL | DEF_ANNOT) != 0 {
                        let msg = if flags & DEF_PARAM != 0 {
                            format!("name '{}' is parameter and nonlocal", n.id)
                        } else if flags & DEF_GLOBAL != 0 {
                            format!("name '{}' is nonlocal and global", n.id)
                        } else if flags & USE != 0 {
                            format!("name '{}' is used prior to nonlocal declaration", n.id)
                        } else if flags & DEF_ANNOT != 0 {
                            format!("annotated name '{}' can't be nonlocal", n.id)
                        } else {
                            format!("name '{}' is assigned to before nonlocal declaration", n.id)
                        };
                        return Err(self.err(msg, g.range));
                    }
                    self.scope().add(&name, DEF_NONLOCAL);
                    self.nonlocal_ranges_note(&name, g.range);
                }
            }
            Stmt::Expr(e) => self.expr(&e.value)?,
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::IpyEscapeCommand(c) => return Err(self.unsupported("IPython escapes", c.range)),
        }
        Ok(())
    }

    /// Remembers where `nonlocal name` was declared, for the "no binding" error.
    fn nonlocal_ranges_note(&mut self, name: &str, range: TextRange) {
        self.scope().nonlocal_decls.insert(name.to_string(), range);
    }

    /// An annotation. Evaluated where it appears (CPython visits it even for local variables,
    /// whose annotations are never evaluated); under `from __future__ import annotations` it
    /// is never evaluated, and only checked for what an annotation may not contain.
    fn annotation(&mut self, e: &Expr) -> Res {
        if !self.table.future.annotations {
            return self.expr(e);
        }
        let mut check = FutureAnnotationCheck { bad: None };
        check.visit_expr(e);
        match check.bad {
            Some((what, range)) => Err(self.err(
                format!("'{what}' can not be used within an annotation"),
                range,
            )),
            None => Ok(()),
        }
    }

    /// The annotations of a `def`'s parameters and return value (in the enclosing scope).
    fn function_annotations(&mut self, params: &ast::Parameters, returns: Option<&Expr>) -> Res {
        let arg_annotations = params
            .posonlyargs
            .iter()
            .chain(params.args.iter())
            .filter_map(|p| p.parameter.annotation.as_deref());
        let var_annotations = [&params.vararg, &params.kwarg]
            .into_iter()
            .flatten()
            .filter_map(|p| p.annotation.as_deref());
        let kwonly_annotations = params
            .kwonlyargs
            .iter()
            .filter_map(|p| p.parameter.annotation.as_deref());
        for a in arg_annotations
            .chain(var_annotations)
            .chain(kwonly_annotations)
            .chain(returns)
        {
            self.annotation(a)?;
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        range: TextRange,
        name: &str,
        generators: &[ast::Comprehension],
        elts: &[&Expr],
        is_gen: bool,
    ) -> Res {
        let Some(first) = generators.first() else {
            return Ok(());
        };
        if first.is_async || generators.iter().any(|g| g.is_async) {
            return Err(self.unsupported("async comprehensions", range));
        }
        self.expr(&first.iter)?;
        let saved = self.cur;
        self.push_scope(ScopeKind::Comprehension, name, range);
        self.scope().is_generator = is_gen;
        self.scope().add(".0", DEF_PARAM);
        self.scope().params.push(".0".to_string());
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter)?;
            }
            self.expr(&g.target)?;
            for cond in &g.ifs {
                self.expr(cond)?;
            }
        }
        for e in elts {
            self.expr(e)?;
        }
        self.cur = saved;
        Ok(())
    }

    fn walrus_target(&mut self, name: &str, range: TextRange) -> Res {
        if self.scope().kind != ScopeKind::Comprehension {
            self.add_def(name, DEF_LOCAL);
            return Ok(());
        }
        let mut id = self.cur;
        loop {
            let s = &self.table.scopes[id];
            match s.kind {
                ScopeKind::Comprehension => id = s.parent.unwrap_or(0),
                ScopeKind::Function => {
                    let m = self.mangled(name);
                    self.scope().add(&m, DEF_NONLOCAL);
                    self.table.scopes[id].add(&m, DEF_LOCAL);
                    return Ok(());
                }
                ScopeKind::Module => {
                    let m = self.mangled(name);
                    self.scope().add(&m, DEF_GLOBAL);
                    self.table.scopes[id].add(&m, DEF_LOCAL);
                    return Ok(());
                }
                ScopeKind::Class => {
                    return Err(self.err(
                        "assignment expression within a comprehension cannot be used in a class body",
                        range,
                    ));
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) -> Res {
        match e {
            Expr::BoolOp(b) => {
                for v in &b.values {
                    self.expr(v)?;
                }
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                if let Expr::Name(t) = &*n.target {
                    self.walrus_target(&t.id, t.range)?;
                } else {
                    self.expr(&n.target)?;
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.expr(&u.operand)?,
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.defaults(p)?;
                }
                let saved = self.cur;
                self.push_scope(ScopeKind::Function, "<lambda>", l.range);
                if let Some(p) = &l.parameters {
                    self.params(p)?;
                }
                self.expr(&l.body)?;
                self.cur = saved;
            }
            Expr::If(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.expr(k)?;
                    }
                    self.expr(&item.value)?;
                }
            }
            Expr::Set(s) => {
                for x in &s.elts {
                    self.expr(x)?;
                }
            }
            Expr::ListComp(c) => {
                self.comprehension(c.range, "<listcomp>", &c.generators, &[&c.elt], false)?
            }
            Expr::SetComp(c) => {
                self.comprehension(c.range, "<setcomp>", &c.generators, &[&c.elt], false)?
            }
            Expr::DictComp(c) => {
                let Some(key) = &c.key else {
                    return Err(self.unsupported("dict comprehension unpacking", c.range));
                };
                self.comprehension(
                    c.range,
                    "<dictcomp>",
                    &c.generators,
                    &[key, &c.value],
                    false,
                )?
            }
            Expr::Generator(c) => {
                self.comprehension(c.range, "<genexpr>", &c.generators, &[&c.elt], true)?
            }
            Expr::Await(a) => return Err(self.unsupported("await expressions", a.range)),
            Expr::Yield(y) => {
                self.yield_check(y.range)?;
                if let Some(v) = &y.value {
                    self.expr(v)?;
                }
            }
            Expr::YieldFrom(y) => {
                self.yield_check(y.range)?;
                self.expr(&y.value)?;
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                for x in c.comparators.iter() {
                    self.expr(x)?;
                }
            }
            Expr::Call(c) => {
                self.expr(&c.func)?;
                for a in c.arguments.args.iter() {
                    self.expr(a)?;
                }
                for k in c.arguments.keywords.iter() {
                    self.expr(&k.value)?;
                }
            }
            Expr::FString(f) => {
                for el in f.value.elements() {
                    self.fstring_element(el)?;
                }
            }
            Expr::TString(t) => return Err(self.unsupported("template strings", t.range)),
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {}
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Starred(s) => self.expr(&s.value)?,
            Expr::Name(n) => match n.ctx {
                ast::ExprContext::Load => {
                    self.add_def(&n.id, USE);
                    if n.id.as_str() == "super" && self.scope().is_function_like() {
                        self.scope().add("__class__", USE);
                    }
                }
                _ => self.add_def(&n.id, DEF_LOCAL),
            },
            Expr::List(l) => {
                for x in &l.elts {
                    self.expr(x)?;
                }
            }
            Expr::Tuple(t) => {
                for x in &t.elts {
                    self.expr(x)?;
                }
            }
            Expr::Slice(s) => {
                for x in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(x)?;
                }
            }
            Expr::IpyEscapeCommand(c) => return Err(self.unsupported("IPython escapes", c.range)),
        }
        Ok(())
    }

    fn fstring_element(&mut self, el: &ast::InterpolatedStringElement) -> Res {
        if let ast::InterpolatedStringElement::Interpolation(i) = el {
            self.expr(&i.expression)?;
            if let Some(spec) = &i.format_spec {
                for el in spec.elements.iter() {
                    self.fstring_element(el)?;
                }
            }
        }
        Ok(())
    }

    fn yield_check(&mut self, range: TextRange) -> Res {
        let s = self.scope();
        match s.kind {
            ScopeKind::Module | ScopeKind::Class => {
                Err(self.err("'yield' outside function", range))
            }
            ScopeKind::Comprehension => {
                let what = match s.name.as_str() {
                    "<listcomp>" => "list comprehension",
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    _ => "generator expression",
                };
                Err(self.err(format!("'yield' inside {what}"), range))
            }
            ScopeKind::Function => {
                s.is_generator = true;
                Ok(())
            }
        }
    }
}

/// Finds what a string annotation may not contain (CPython's annotation block): walrus,
/// `yield` and `await`, outside nested lambdas and comprehensions.
struct FutureAnnotationCheck {
    bad: Option<(&'static str, TextRange)>,
}

impl<'a> Visitor<'a> for FutureAnnotationCheck {
    fn visit_expr(&mut self, e: &'a Expr) {
        if self.bad.is_some() {
            return;
        }
        let what = match e {
            Expr::Named(n) => Some(("named expression", n.range)),
            Expr::Yield(y) => Some(("yield expression", y.range)),
            Expr::YieldFrom(y) => Some(("yield expression", y.range)),
            Expr::Await(a) => Some(("await expression", a.range)),
            // Nested scopes: only their defaults / outermost iterable belong to the annotation.
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    for d in p.iter_non_variadic_params().filter_map(|p| p.default()) {
                        self.visit_expr(d);
                    }
                }
                return;
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => {
                if let Some(g) = generators.first() {
                    self.visit_expr(&g.iter);
                }
                return;
            }
            _ => None,
        };
        match what {
            Some(bad) => self.bad = Some(bad),
            None => walk_expr(self, e),
        }
    }
}
