//! Quickening of CALL (`[callable, self_or_UNDEF, args…]` on the stack):
//!
//! | form                           | guard                                                  |
//! |--------------------------------|--------------------------------------------------------|
//! | `CALL_PY_EXACT_ARGS`           | a Python function with simple parameters and exactly `argc` (+ self) of them |
//! | `CALL_BOUND_METHOD_EXACT_ARGS` | a bound method of such a function                      |
//! | `CALL_BUILTIN_FAST`            | a builtin function (that does not need the caller's frame) |
//! | `CALL_LEN`, `CALL_ISINSTANCE`  | the builtin `len` / `isinstance` itself                |
//! | `CALL_ALLOC_AND_ENTER_INIT`    | the same class (address + type epoch) whose `__init__` is a Python function |
//!
//! The Python forms build the callee's frame by moving the arguments off the caller's
//! stack; the loop then runs it inline, as for the generic CALL.

use crate::code::Code;
use crate::interp::args::Args;
use crate::interp::eval::CallDone;
use crate::interp::frame::Frame;
use crate::object::{self, BuiltinObj, ClassObj, FuncObj, Kind, MethodObj};
use crate::runtime::str::intern;
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::Op;
use std::rc::Rc;

/// Builtins that read the calling frame (`globals()`, `locals()`, `vars()`, `dir()`), which
/// the generic CALL handles.
fn needs_frame(b: &BuiltinObj) -> bool {
    b.owner.is_empty() && matches!(b.name, "globals" | "locals" | "vars" | "dir")
}

/// The Python function `v`, if a call with `nargs` positional arguments binds them as is.
#[inline(always)]
fn exact_function(v: &Value, nargs: usize) -> Option<&FuncObj> {
    let pf = v.downcast::<FuncObj>()?;
    (pf.code.simple_args && pf.code.argcount as usize == nargs).then_some(pf)
}

impl Vm {
    /// A frame for Python function `func` whose locals start with `bound` (if any) and
    /// then the top `nmove` values of `f`'s stack, moved; the other locals are unbound.
    #[inline]
    pub(crate) fn exact_frame(
        &mut self,
        f: &mut Frame,
        func: &Value,
        bound: Option<Value>,
        nmove: usize,
    ) -> Box<Frame> {
        let mut frame = self.exact_frame_empty(func, bound);
        f.stack.move_top_into(nmove, &mut frame.fast);
        let nlocals = frame.code.varnames.len();
        crate::interp::frame::fill_undef(&mut frame.fast, nlocals);
        frame
    }

    /// A frame for Python function `func` with `bound` (if any) as its first local and no
    /// other locals yet (the caller pushes the arguments, then fills the rest with UNDEF).
    #[inline(always)]
    pub(crate) fn exact_frame_empty(&mut self, func: &Value, bound: Option<Value>) -> Box<Frame> {
        let pf = func.downcast::<FuncObj>().expect("a Python function");
        let code = &pf.code;
        let mut frame = match self.pool.pop() {
            Some(fr) => fr,
            None => {
                let mut fr = Box::new(Frame::new(
                    code.clone(),
                    Value::UNDEF,
                    Value::UNDEF,
                    Value::UNDEF,
                ));
                fr.fast.clear();
                fr
            }
        };
        // A pooled frame was released (`Frame::release`), and a new one starts so: `locals`,
        // `init_self`, the locals and the stack are already empty.
        debug_assert!(frame.locals.is_undef() && frame.init_self.is_undef());
        debug_assert!(frame.fast.is_empty() && frame.stack.is_empty());
        // The pool hands back the frame released last, often one of the same function (a
        // call in a loop, recursion): its code is then already in place.
        if !Rc::ptr_eq(&frame.code, code) {
            frame.code = code.clone();
        }
        frame.globals = pf.globals.clone();
        frame.func = func.clone();
        frame.ip = 0;
        frame.lasti = 0;
        frame.fast.reserve(code.varnames.len());
        if let Some(s) = bound {
            frame.fast.push(s);
        }
        frame.stack.reserve(code.max_stack as usize + 1);
        frame
    }

    /// The CALL form for the call about to run at `ip`, if one fits (fills its cache).
    pub(crate) fn call_form(&self, code: &Code, ip: usize, f: &Frame, argc: usize) -> Option<Op> {
        let n = f.stack.len();
        let callable = &f.stack[n - argc - 2];
        let has_self = !f.stack[n - argc - 1].is_undef();
        if exact_function(callable, argc + has_self as usize).is_some() {
            return Some(Op::CALL_PY_EXACT_ARGS);
        }
        if has_self {
            // A method descriptor of a builtin type (`lst.append(x)`), self included.
            let b = callable.downcast::<BuiltinObj>()?;
            return b.self_.is_undef().then_some(Op::CALL_BUILTIN_FAST);
        }
        match callable.kind()? {
            Kind::Method => {
                let m = callable.downcast::<MethodObj>().unwrap();
                exact_function(&m.func, argc + 1).map(|_| Op::CALL_BOUND_METHOD_EXACT_ARGS)
            }
            Kind::Builtin if callable.is(&self.builtin_len) && argc == 1 => Some(Op::CALL_LEN),
            Kind::Builtin if callable.is(&self.builtin_isinstance) && argc == 2 => {
                Some(Op::CALL_ISINSTANCE)
            }
            Kind::Builtin => {
                // Unbound (`len`, `abs`), or bound (`pop = lst.pop`): its `self` then goes in
                // the call's empty self slot.
                let b = callable.downcast::<BuiltinObj>().unwrap();
                (!needs_frame(b)).then_some(Op::CALL_BUILTIN_FAST)
            }
            Kind::Class => {
                let init = self.inline_init(callable)?;
                let e = code.ext_at(ip, Op::CALL);
                e.key.set(callable.bits());
                e.epoch.set(self.type_epoch.get());
                e.value.set(init);
                Some(Op::CALL_ALLOC_AND_ENTER_INIT)
            }
            _ => None,
        }
    }

    /// The `__init__` of class `cls` when calling it can allocate a plain instance and run
    /// `__init__` inline: a user class with metaclass `type`, `object.__new__`, and a Python
    /// `__init__` that is not a generator.
    pub(crate) fn inline_init(&self, cls: &Value) -> Option<Value> {
        let c = cls.downcast::<ClassObj>()?;
        if c.has(object::CLS_BUILTIN)
            || c.new.get().is_some()
            || c.layout.get() != Kind::Instance
            || !crate::runtime::class_of(cls).is(&types().type_)
            || self
                .class_lookup(cls, &intern("__new__"))
                .is_none_or(|n| n.kind() != Some(Kind::Builtin))
        {
            return None;
        }
        let init = self.class_lookup(cls, &intern("__init__"))?;
        let pf = init.downcast::<FuncObj>()?;
        (pf.code.flags & jitlens_compiler::bytecode::CO_GENERATOR == 0).then_some(init)
    }

    /// Runs a specialized CALL form: `None` when its guard fails (the caller counts a miss
    /// and runs the generic CALL).
    #[inline(always)]
    pub(crate) fn call_specialized(
        &mut self,
        code: &Code,
        ip: usize,
        op: Op,
        f: &mut Frame,
        argc: usize,
    ) -> Option<PyResult<CallDone>> {
        let n = f.stack.len();
        let has_self = !f.stack[n - argc - 1].is_undef();
        let callable = &f.stack[n - argc - 2];
        match op {
            Op::CALL_PY_EXACT_ARGS => {
                let nargs = argc + has_self as usize;
                exact_function(callable, nargs)?;
                let func = callable.clone();
                let frame = self.exact_frame(f, &func, None, nargs);
                f.stack.truncate(n - argc - 2);
                Some(Ok(CallDone::Frame(frame)))
            }
            Op::CALL_BOUND_METHOD_EXACT_ARGS => {
                if has_self {
                    return None;
                }
                let m = callable.downcast::<MethodObj>()?;
                exact_function(&m.func, argc + 1)?;
                let (func, s) = (m.func.clone(), m.self_.clone());
                let frame = self.exact_frame(f, &func, Some(s), argc);
                f.stack.truncate(n - argc - 2);
                Some(Ok(CallDone::Frame(frame)))
            }
            Op::CALL_LEN => {
                if has_self || argc != 1 || !callable.is(&self.builtin_len) {
                    return None;
                }
                let v = &f.stack[n - 1];
                let len = match v.kind() {
                    Some(Kind::List) if crate::runtime::class_of(v).is(&types().list) => {
                        Ok(v.downcast::<object::ListObj>().unwrap().len())
                    }
                    Some(Kind::Tuple) if crate::runtime::class_of(v).is(&types().tuple) => {
                        Ok(crate::runtime::tuple::items(v).unwrap().len())
                    }
                    _ => crate::builtins::functions::len_of(self, &f.stack[n - 1]),
                };
                f.stack.truncate(n - 3);
                Some(len.map(|l| CallDone::Value(crate::runtime::int::from_i64(l as i64))))
            }
            Op::CALL_ISINSTANCE => {
                if has_self || argc != 2 || !callable.is(&self.builtin_isinstance) {
                    return None;
                }
                let (v, cls) = (f.stack[n - 2].clone(), f.stack[n - 1].clone());
                let r = crate::builtins::functions::is_instance(self, &v, &cls);
                f.stack.truncate(n - 4);
                Some(r.map(|b| CallDone::Value(Value::bool(b))))
            }
            Op::CALL_BUILTIN_FAST => {
                let b = callable.downcast::<BuiltinObj>()?;
                let bound = !b.self_.is_undef();
                if (bound && has_self) || (argc == 0 && !has_self && needs_frame(b)) {
                    return None;
                }
                if crate::object::finalize::pending() {
                    // As in `call_args`: a generator dropped just before is closed first.
                    self.run_finalizers();
                }
                let fun = b.f;
                // A bound builtin's `self` goes in the empty self slot below the arguments,
                // so that they are one slice, as CPython does for bound methods.
                let with_self = has_self || bound;
                if bound {
                    let s = b.self_.clone();
                    f.stack[n - argc - 1] = s;
                }
                let r = fun(
                    self,
                    &Args {
                        all: &f.stack[n - argc - with_self as usize..],
                        kwnames: &[],
                    },
                );
                f.stack.truncate(n - argc - 2);
                Some(r.map(CallDone::Value))
            }
            _ => {
                // CALL_ALLOC_AND_ENTER_INIT
                let e = code.ext_at(ip, op);
                if has_self
                    || callable.bits() != e.key.get()
                    || e.epoch.get() != self.type_epoch.get()
                {
                    return None;
                }
                let init = e.value.get();
                let cls = callable.clone();
                Some(self.enter_init(f, &cls, &init, argc))
            }
        }
    }

    /// Allocates an instance of `cls` and prepares its `__init__` frame (`init` is a Python
    /// function), consuming the call's stack items.
    fn enter_init(
        &mut self,
        f: &mut Frame,
        cls: &Value,
        init: &Value,
        argc: usize,
    ) -> PyResult<CallDone> {
        let n = f.stack.len();
        let inst = self.new_instance(cls)?;
        let pf = init.downcast::<FuncObj>().unwrap();
        let mut frame = if pf.code.simple_args && pf.code.argcount as usize == argc + 1 {
            self.exact_frame(f, init, Some(inst.clone()), argc)
        } else {
            let mut all: smallvec::SmallVec<[Value; 8]> = smallvec::SmallVec::new();
            all.push(inst.clone());
            all.extend(f.stack[n - argc..].iter().cloned());
            self.bind_frame(init, pf, &all, &[])?
        };
        frame.init_self = inst;
        f.stack.truncate(n - argc - 2);
        Ok(CallDone::Frame(frame))
    }
}
