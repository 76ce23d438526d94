//! Calls: dispatch on the callee's kind, binding arguments to parameters (with CPython's
//! error messages), generators, and the inline fast path of Python-to-Python calls.

use crate::interp::args::Args;
use crate::interp::eval::{CallDone, FrameExit};
use crate::interp::frame::Frame;
use crate::object::{
    self, BuiltinObj, CellObj, ClassObj, DictObj, FuncObj, GenObj, MethodObj, Slot,
};
use crate::runtime::str::{as_str, hash_of, intern};
use crate::runtime::{exc, tuple};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::{CO_GENERATOR, CO_VARARGS, CO_VARKEYWORDS};
use smallvec::SmallVec;

impl Vm {
    /// CALL / CALL_KW: `[callable, self_or_UNDEF, args…]` on the stack.
    pub(crate) fn op_call(
        &mut self,
        f: &mut Frame,
        argc: usize,
        kwnames: Option<Value>,
    ) -> PyResult<CallDone> {
        let n = f.stack.len();
        let has_self = !f.stack[n - argc - 1].is_undef();
        let start = if has_self { n - argc - 1 } else { n - argc };
        let callable = f.stack[n - argc - 2].clone();
        let kwn: &[Value] = match &kwnames {
            Some(k) => tuple::items(k).unwrap_or(&[]),
            None => &[],
        };
        // Builtins that need the calling frame.
        if argc == 0 && kwn.is_empty() {
            let r = if callable.is(&types().super_) {
                Some(self.super_from_frame(f))
            } else if let Some(b) = callable.downcast::<BuiltinObj>()
                && b.owner.is_empty()
                && b.self_.is_undef()
            {
                match b.name {
                    "globals" => Some(Ok(f.globals.clone())),
                    "locals" | "vars" => Some(Ok(frame_locals(f))),
                    "dir" => Some(self.frame_dir(f)),
                    _ => None,
                }
            } else {
                None
            };
            if let Some(r) = r {
                f.stack.truncate(n - argc - 2);
                return r.map(CallDone::Value);
            }
        }
        // Inline fast path: a Python function (or a bound method of one).
        let (func, bound_self) = if let Some(m) = callable.downcast::<MethodObj>() {
            (m.func.clone(), Some(m.self_.clone()))
        } else {
            (callable.clone(), None)
        };
        if (bound_self.is_none() || !has_self)
            && let Some(pf) = func.downcast::<FuncObj>()
            && pf.code.flags & CO_GENERATOR == 0
        {
            // Fastest path: exact positional arguments, no cells: move the arguments
            // from the caller's stack into the callee's locals.
            let code = &pf.code;
            let nargs = (n - start) + bound_self.is_some() as usize;
            if kwn.is_empty() && nargs == code.argcount as usize && code.simple_args {
                let frame = self.exact_frame(f, &func, bound_self, n - start);
                f.stack.truncate(n - argc - 2);
                return Ok(CallDone::Frame(frame));
            }
            let frame = {
                let args = &f.stack[start..];
                match &bound_self {
                    Some(s) => {
                        let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(args.len() + 1);
                        all.push(s.clone());
                        all.extend(args.iter().cloned());
                        self.bind_frame(&func, pf, &all, kwn)?
                    }
                    None => self.bind_frame(&func, pf, args, kwn)?,
                }
            };
            f.stack.truncate(n - argc - 2);
            return Ok(CallDone::Frame(frame));
        }
        // A user class whose __init__ is a Python function: allocate the instance and run
        // __init__ inline; the frame's `init_self` makes the call evaluate to the instance.
        if let Some(c) = callable.downcast::<ClassObj>()
            && !c.has(object::CLS_BUILTIN)
            && c.new.get().is_none()
            && c.layout.get() == object::Kind::Instance
            && crate::runtime::class_of(&callable).is(&types().type_)
            && self
                .class_lookup(&callable, &intern("__new__"))
                .is_some_and(|n| n.kind() == Some(object::Kind::Builtin))
            && let Some(init) = self.class_lookup(&callable, &intern("__init__"))
            && let Some(pf) = init.downcast::<FuncObj>()
            && pf.code.flags & CO_GENERATOR == 0
        {
            let inst = self.new_instance(&callable)?;
            let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(n - start + 1);
            all.push(inst.clone());
            all.extend(f.stack[start..].iter().cloned());
            let mut frame = self.bind_frame(&init, pf, &all, kwn)?;
            frame.init_self = inst;
            f.stack.truncate(n - argc - 2);
            return Ok(CallDone::Frame(frame));
        }
        let r = {
            let args = &f.stack[start..];
            self.call_args(
                &callable,
                &Args {
                    all: args,
                    kwnames: kwn,
                },
            )
        };
        f.stack.truncate(n - argc - 2);
        r.map(CallDone::Value)
    }

    /// Calls `f(*args)`.
    pub fn call(&mut self, f: &Value, args: &[Value]) -> PyResult<Value> {
        self.call_args(f, &Args::new(args))
    }

    /// Calls `f` with positional and keyword arguments.
    pub fn call_args(&mut self, callee: &Value, a: &Args) -> PyResult<Value> {
        let Some(kind) = callee.kind() else {
            return Err(not_callable(callee));
        };
        match kind {
            object::Kind::Function => {
                let pf = callee.downcast::<FuncObj>().unwrap();
                let frame = self.bind_frame(callee, pf, a.all, a.kwnames)?;
                if pf.code.flags & CO_GENERATOR != 0 {
                    return Ok(self.new_generator(frame, pf));
                }
                if self.depth >= self.recursion_limit {
                    self.release_frame(frame);
                    return Err(exc::recursion_error("maximum recursion depth exceeded"));
                }
                self.depth += 1;
                // A callee with JIT code is entered there directly, not through the
                // interpreter's RESUME (a dunder called from a binary op, a key function).
                let r = if self.jit_on && pf.code.jit.is_compiled() {
                    self.run_callee(frame)
                } else {
                    self.run_frame_to_end(frame)
                };
                self.depth -= 1;
                r
            }
            object::Kind::Builtin => {
                let b = callee.downcast::<BuiltinObj>().unwrap();
                if object::finalize::pending() {
                    // A generator dropped just before: closed before the call, as CPython
                    // would have when its last reference went (its `finally` prints first).
                    self.run_finalizers();
                }
                if b.self_.is_undef() {
                    (b.f)(self, a)
                } else {
                    let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(a.all.len() + 1);
                    all.push(b.self_.clone());
                    all.extend(a.all.iter().cloned());
                    (b.f)(
                        self,
                        &Args {
                            all: &all,
                            kwnames: a.kwnames,
                        },
                    )
                }
            }
            object::Kind::Method => {
                let m = callee.downcast::<MethodObj>().unwrap();
                let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(a.all.len() + 1);
                all.push(m.self_.clone());
                all.extend(a.all.iter().cloned());
                let func = m.func.clone();
                self.call_args(
                    &func,
                    &Args {
                        all: &all,
                        kwnames: a.kwnames,
                    },
                )
            }
            object::Kind::Class => self.call_class(callee, a),
            _ => {
                let call = intern("__call__");
                match self.lookup_special(callee, &call) {
                    Some(m) => {
                        let m = if m.kind() == Some(object::Kind::Function) {
                            m
                        } else {
                            self.bind(m, callee)?
                        };
                        if m.kind() == Some(object::Kind::Function) {
                            let mut all: SmallVec<[Value; 8]> =
                                SmallVec::with_capacity(a.all.len() + 1);
                            all.push(callee.clone());
                            all.extend(a.all.iter().cloned());
                            self.call_args(
                                &m,
                                &Args {
                                    all: &all,
                                    kwnames: a.kwnames,
                                },
                            )
                        } else {
                            self.call_args(&m, a)
                        }
                    }
                    None => Err(not_callable(callee)),
                }
            }
        }
    }

    /// Calls a descriptor found on a class as a method of `obj` (binding it first when it is
    /// not a plain function).
    pub fn call_method_value(&mut self, m: &Value, obj: &Value, args: &[Value]) -> PyResult<Value> {
        match m.kind() {
            Some(object::Kind::Function) | Some(object::Kind::Builtin) if !is_static_builtin(m) => {
                let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(args.len() + 1);
                all.push(obj.clone());
                all.extend(args.iter().cloned());
                self.call(m, &all)
            }
            _ => {
                let b = self.bind(m.clone(), obj)?;
                self.call(&b, args)
            }
        }
    }

    /// `f(*args, **kwargs)` (CALL_FUNCTION_EX).
    pub(crate) fn call_ex(
        &mut self,
        f: &Value,
        selfv: Value,
        args: &Value,
        kw: Option<&Value>,
    ) -> PyResult<Value> {
        let mut all: Vec<Value> = Vec::new();
        if !selfv.is_undef() {
            all.push(selfv);
        }
        match tuple::items(args) {
            Some(items) => all.extend(items.iter().cloned()),
            None => all.extend(self.collect(args)?),
        }
        let mut names = Vec::new();
        if let Some(kw) = kw {
            let d = kw
                .downcast::<DictObj>()
                .ok_or_else(|| exc::type_error("argument after ** must be a mapping"))?;
            for (k, v) in d.items() {
                if as_str(&k).is_none() {
                    return Err(exc::type_error("keywords must be strings"));
                }
                names.push(k);
                all.push(v);
            }
        }
        self.call_args(
            f,
            &Args {
                all: &all,
                kwnames: &names,
            },
        )
    }

    fn new_generator(&mut self, frame: Box<Frame>, pf: &FuncObj) -> Value {
        object::alloc(
            &types().generator,
            GenObj::new(frame, pf.name.get(), pf.qualname.get()),
        )
    }

    /// Builds the frame for calling Python function `func` with `args` (positional then
    /// keyword values) and `kwnames`.
    pub(crate) fn bind_frame(
        &mut self,
        func: &Value,
        pf: &FuncObj,
        args: &[Value],
        kwnames: &[Value],
    ) -> PyResult<Box<Frame>> {
        let code = pf.code.clone();
        let mut frame = self.new_frame(code.clone(), func.clone(), pf.globals.clone());
        let argcount = code.argcount as usize;
        let npos = args.len() - kwnames.len();
        let simple = kwnames.is_empty()
            && npos == argcount
            && code.flags & (CO_VARARGS | CO_VARKEYWORDS) == 0
            && code.kwonlyargcount == 0;
        if simple {
            for (slot, v) in frame.fast.iter_mut().zip(args) {
                *slot = v.clone();
            }
        } else if let Err(e) = self.bind_general(&mut frame, pf, args, kwnames) {
            self.release_frame(frame);
            return Err(e);
        }
        // Cells and free variables.
        let nloc = code.varnames.len();
        for (i, c2a) in code.cell2arg.iter().enumerate() {
            let init = match c2a {
                Some(a) => std::mem::take(&mut frame.fast[*a as usize]),
                None => Value::UNDEF,
            };
            frame.fast[nloc + i] = object::alloc(&types().cell, CellObj { v: Slot::new(init) });
        }
        if !code.freevars.is_empty() {
            let closure = pf.closure.get();
            let cells = tuple::items(&closure).unwrap_or(&[]);
            let base = nloc + code.cellvars.len();
            for (i, c) in cells.iter().enumerate() {
                frame.fast[base + i] = c.clone();
            }
        }
        Ok(frame)
    }

    fn bind_general(
        &mut self,
        frame: &mut Frame,
        pf: &FuncObj,
        args: &[Value],
        kwnames: &[Value],
    ) -> PyResult<()> {
        let code = &pf.code;
        let fname = as_str(&pf.qualname.get()).unwrap_or("?").to_string();
        let argcount = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        let npos = args.len() - kwnames.len();
        let has_varargs = code.flags & CO_VARARGS != 0;
        let has_varkw = code.flags & CO_VARKEYWORDS != 0;
        let nparams = argcount + kwonly;
        let kwdict = if has_varkw {
            Some(object::alloc(&types().dict, DictObj::default()))
        } else {
            None
        };
        // Positional.
        let n = npos.min(argcount);
        frame.fast[..n].clone_from_slice(&args[..n]);
        if npos > argcount {
            if has_varargs {
                frame.fast[nparams] = tuple::new(args[argcount..npos].to_vec());
            } else {
                let ndefaults = tuple::items(&pf.defaults.get()).map_or(0, |d| d.len());
                let given_kw = kwnames
                    .iter()
                    .filter(|k| code.varnames[..argcount].iter().any(|v| v.is(k)))
                    .count();
                let takes = if ndefaults > 0 {
                    format!(
                        "from {} to {} positional arguments",
                        argcount - ndefaults,
                        argcount
                    )
                } else {
                    format!(
                        "{} positional argument{}",
                        argcount,
                        if argcount == 1 { "" } else { "s" }
                    )
                };
                let given = if given_kw > 0 {
                    format!(
                        "{} positional argument{} (and {} keyword-only argument{})",
                        npos,
                        if npos == 1 { "" } else { "s" },
                        given_kw,
                        if given_kw == 1 { "" } else { "s" }
                    )
                } else {
                    format!("{} {}", npos, if npos == 1 { "was" } else { "were" })
                };
                return Err(exc::type_error(format!(
                    "{fname}() takes {takes} but {given} given"
                )));
            }
        } else if has_varargs {
            frame.fast[nparams] = tuple::new(Vec::new());
        }
        // Keywords.
        let mut posonly_kw: Vec<String> = Vec::new();
        for (k, v) in kwnames.iter().zip(&args[npos..]) {
            let pos = code.varnames[code.posonlyargcount as usize..nparams]
                .iter()
                .position(|n| n.is(k) || as_str(n) == as_str(k));
            match pos {
                Some(p) => {
                    let p = p + code.posonlyargcount as usize;
                    if !frame.fast[p].is_undef() {
                        return Err(exc::type_error(format!(
                            "{fname}() got multiple values for argument '{}'",
                            as_str(k).unwrap_or("?")
                        )));
                    }
                    frame.fast[p] = v.clone();
                }
                None => match &kwdict {
                    Some(d) => {
                        d.downcast::<DictObj>().unwrap().insert_fast(
                            k.clone(),
                            hash_of(k),
                            v.clone(),
                        );
                    }
                    None => {
                        if code.varnames[..code.posonlyargcount as usize]
                            .iter()
                            .any(|n| n.is(k) || as_str(n) == as_str(k))
                        {
                            posonly_kw.push(as_str(k).unwrap_or("?").to_string());
                            continue;
                        }
                        return Err(exc::type_error(format!(
                            "{fname}() got an unexpected keyword argument '{}'",
                            as_str(k).unwrap_or("?")
                        )));
                    }
                },
            }
        }
        if !posonly_kw.is_empty() {
            return Err(exc::type_error(format!(
                "{fname}() got some positional-only arguments passed as keyword arguments: '{}'",
                posonly_kw.join(", ")
            )));
        }
        // Defaults for missing positionals.
        let defaults = pf.defaults.get();
        let defs = tuple::items(&defaults).unwrap_or(&[]);
        let first_default = argcount - defs.len();
        let mut missing = Vec::new();
        for i in 0..argcount {
            if frame.fast[i].is_undef() {
                if i >= first_default {
                    frame.fast[i] = defs[i - first_default].clone();
                } else {
                    missing.push(as_str(&code.varnames[i]).unwrap_or("?").to_string());
                }
            }
        }
        if !missing.is_empty() {
            return Err(exc::type_error(format!(
                "{fname}() missing {} required positional argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                join_names(&missing)
            )));
        }
        // Keyword-only defaults.
        let kwd = pf.kwdefaults.get();
        for i in argcount..nparams {
            if frame.fast[i].is_undef() {
                let name = &code.varnames[i];
                let d = kwd
                    .downcast::<DictObj>()
                    .and_then(|d| d.get_fast(name, hash_of(name)));
                match d {
                    Some(v) => frame.fast[i] = v,
                    None => missing.push(as_str(name).unwrap_or("?").to_string()),
                }
            }
        }
        if !missing.is_empty() {
            return Err(exc::type_error(format!(
                "{fname}() missing {} required keyword-only argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                join_names(&missing)
            )));
        }
        if let Some(d) = kwdict {
            frame.fast[nparams + has_varargs as usize] = d;
        }
        Ok(())
    }

    /// Calls a class: its metaclass's `__call__` when the metaclass defines one, else
    /// instantiation.
    pub(crate) fn call_class(&mut self, cls: &Value, a: &Args) -> PyResult<Value> {
        let meta = crate::runtime::class_of(cls);
        if !meta.is(&types().type_)
            && let Some(m) = self.class_lookup(&meta, &intern("__call__"))
            && m.kind() != Some(object::Kind::Builtin)
        {
            let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(a.all.len() + 1);
            all.push(cls.clone());
            all.extend(a.all.iter().cloned());
            return self.call_args(
                &m,
                &Args {
                    all: &all,
                    kwnames: a.kwnames,
                },
            );
        }
        self.instantiate(cls, a)
    }

    /// `type.__call__(cls, *args)`: instantiation (`__new__`, then `__init__`).
    pub(crate) fn instantiate(&mut self, cls: &Value, a: &Args) -> PyResult<Value> {
        let c = cls.downcast::<ClassObj>().unwrap();
        // type(x) with one argument.
        if cls.is(&types().type_) && a.npos() == 1 && a.kwnames.is_empty() {
            return Ok(crate::runtime::class_of(a.arg(0)));
        }
        if cls.is(&types().type_) && a.npos() == 3 {
            return self.type_new(cls, a);
        }
        // A user-defined __new__.
        if !c.has(object::CLS_BUILTIN)
            && let Some(nf) = self.class_lookup(cls, &intern("__new__"))
            && nf.kind() != Some(object::Kind::Builtin)
        {
            let nf = match nf.downcast::<object::StaticMethodObj>() {
                Some(s) => s.f.clone(),
                None => nf,
            };
            let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(a.all.len() + 1);
            all.push(cls.clone());
            all.extend(a.all.iter().cloned());
            let inst = self.call_args(
                &nf,
                &Args {
                    all: &all,
                    kwnames: a.kwnames,
                },
            )?;
            if exc::is_subclass(&crate::runtime::class_of(&inst), cls) {
                self.run_init(cls, &inst, a)?;
            }
            return Ok(inst);
        }
        if let Some(new) = c.new.get() {
            let inst = new(self, cls, a)?;
            // Builtin constructors that fully initialise (int, str, tuple, …) set the flag in
            // their class; user subclasses still get their __init__ called.
            if !c.has(object::CLS_BUILTIN) || c.layout.get() == object::Kind::Exception {
                self.run_init(cls, &inst, a)?;
            }
            return Ok(inst);
        }
        let inst = self.new_instance(cls)?;
        self.run_init(cls, &inst, a)?;
        Ok(inst)
    }

    fn run_init(&mut self, cls: &Value, inst: &Value, a: &Args) -> PyResult<()> {
        let init = intern("__init__");
        let c = cls.downcast::<ClassObj>().unwrap();
        if let Some(m) = self.class_lookup(cls, &init)
            && !m.is(&self.object_init)
        {
            if crate::runtime::class_of(inst).is(cls)
                || exc::is_subclass(&crate::runtime::class_of(inst), cls)
            {
                let mut all: SmallVec<[Value; 8]> = SmallVec::with_capacity(a.all.len() + 1);
                all.push(inst.clone());
                all.extend(a.all.iter().cloned());
                let r = self.call_args(
                    &m,
                    &Args {
                        all: &all,
                        kwnames: a.kwnames,
                    },
                )?;
                if !r.is_none() {
                    return Err(exc::type_error(format!(
                        "__init__() should return None, not '{}'",
                        crate::runtime::type_name(&r)
                    )));
                }
            }
        } else if (a.npos() > 0 || !a.kwnames.is_empty()) && c.new.get().is_none() {
            let new = intern("__new__");
            if self.class_lookup(cls, &new).is_none() {
                return Err(exc::type_error(format!(
                    "{}() takes no arguments",
                    crate::runtime::class_name(c)
                )));
            }
        }
        Ok(())
    }

    /// A bound method of `func` for `obj`.
    pub fn new_method(func: Value, obj: Value) -> Value {
        object::alloc(&types().method, MethodObj { func, self_: obj })
    }

    /// Runs generator `g` one step: `Some(value)` when it yields, `None` when it returns
    /// (the return value is kept for `yield from`).
    pub(crate) fn gen_next(&mut self, g: &Value) -> PyResult<Option<Value>> {
        match self.gen_resume(g, Value::NONE, None)? {
            FrameExit::Yield(v) => Ok(Some(v)),
            FrameExit::Return(r) => {
                self.stop_value = r;
                Ok(None)
            }
        }
    }
}

impl Vm {
    /// Zero-argument `super()`: the frame's `__class__` cell and first argument.
    fn super_from_frame(&mut self, f: &Frame) -> PyResult<Value> {
        let code = &f.code;
        let Some(ci) = code
            .freevars
            .iter()
            .position(|n| as_str(n) == Some("__class__"))
        else {
            return Err(exc::runtime_error("super(): __class__ cell not found"));
        };
        let cell = &f.fast[code.varnames.len() + code.cellvars.len() + ci];
        let cls = cell
            .downcast::<CellObj>()
            .map(|c| c.v.get())
            .unwrap_or(Value::UNDEF);
        if cls.is_undef() {
            return Err(exc::runtime_error("super(): empty __class__ cell"));
        }
        if code.argcount == 0 && code.flags & CO_VARARGS == 0 {
            return Err(exc::runtime_error("super(): no arguments"));
        }
        let mut first = f.fast[0].clone();
        if let Some(i) = code.cell2arg.iter().position(|c| *c == Some(0)) {
            first = f.fast[code.varnames.len() + i]
                .downcast::<CellObj>()
                .map(|c| c.v.get())
                .unwrap_or(Value::UNDEF);
        }
        if first.is_undef() {
            return Err(exc::runtime_error("super(): arg[0] deleted"));
        }
        self.make_super(&Args::new(&[cls, first]))
    }
}

/// `locals()` of a frame: its namespace, or a snapshot of its fast locals.
fn frame_locals(f: &Frame) -> Value {
    if !f.locals.is_undef() {
        return f.locals.clone();
    }
    let d = object::alloc(&types().dict, DictObj::default());
    let dd = d.downcast::<DictObj>().unwrap();
    let code = &f.code;
    for (i, n) in code.varnames.iter().enumerate() {
        if !f.fast[i].is_undef() {
            dd.insert_fast(n.clone(), hash_of(n), f.fast[i].clone());
        }
    }
    let nloc = code.varnames.len();
    for (i, n) in code.cellvars.iter().chain(code.freevars.iter()).enumerate() {
        if let Some(c) = f.fast[nloc + i].downcast::<CellObj>() {
            let v = c.v.get();
            if !v.is_undef() {
                dd.insert_fast(n.clone(), hash_of(n), v);
            }
        }
    }
    d
}

impl Vm {
    fn frame_dir(&mut self, f: &Frame) -> PyResult<Value> {
        let d = frame_locals(f);
        let mut names: Vec<String> = d
            .downcast::<DictObj>()
            .unwrap()
            .keys()
            .iter()
            .filter_map(|k| as_str(k).map(String::from))
            .collect();
        names.sort();
        Ok(crate::runtime::list::new(
            names
                .iter()
                .map(|s| crate::runtime::str::new_str(s))
                .collect(),
        ))
    }
}

fn is_static_builtin(m: &Value) -> bool {
    m.downcast::<BuiltinObj>()
        .is_some_and(|b| b.binding == object::Binding::Function || !b.self_.is_undef())
}

fn join_names(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        _ => format!("{}, and {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}

fn not_callable(v: &Value) -> crate::PyErr {
    exc::type_error(format!(
        "'{}' object is not callable",
        crate::runtime::type_name(v)
    ))
}
