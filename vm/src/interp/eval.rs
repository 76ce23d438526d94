//! The tier-0 interpreter loop.
//!
//! Python-to-Python calls do not recurse on the Rust stack: the callee's frame replaces the
//! running one (which moves to `Vm::frames`) and the loop goes on; returning moves it back.
//! Native code that calls Python (a `__repr__`, a `sorted` key, a generator being resumed)
//! starts a nested run of this loop, whose entry frame is the one it was given.

use crate::interp::frame::Frame;
use crate::interp::specialize;
use crate::interp::specialize_attr::MethodHit;
use crate::object::{
    self, CellObj, ClassObj, DictObj, ExcObj, FuncObj, GenObj, ListObj, SetObj, Slot, TbEntry,
};
use crate::runtime::{exc, int, str::as_str, tuple};
use crate::types::types;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use jitlens_compiler::bytecode::{self as bc, Op};

/// How a run of the loop ended (besides an exception).
pub enum FrameExit {
    /// The entry frame returned.
    Return(Value),
    /// The entry frame (a generator's) yielded.
    Yield(Value),
}

/// What the step variant of the loop returns after its one instruction: a yield of UNDEF,
/// which no Python `yield` produces (and generator code is never stepped: it is not
/// compiled).
const STEPPED: Value = Value::UNDEF;

/// What a CALL did.
pub(crate) enum CallDone {
    /// A result is ready.
    Value(Value),
    /// A Python frame was prepared; the loop should run it inline.
    Frame(Box<Frame>),
}

macro_rules! pop {
    ($f:expr) => {
        $f.stack.pop().expect("value stack underflow")
    };
}

macro_rules! top {
    ($f:expr) => {
        $f.stack.last().expect("value stack underflow")
    };
}

impl Vm {
    /// Runs a frame to completion (it must not be a generator's).
    pub fn run_frame_to_end(&mut self, frame: Box<Frame>) -> PyResult<Value> {
        let (r, f) = self.run_frame(frame);
        self.release_frame(f);
        match r? {
            FrameExit::Return(v) => Ok(v),
            FrameExit::Yield(_) => Err(exc::runtime_error("yield outside a generator")),
        }
    }

    /// Gets a frame from the pool, set up for `code`.
    pub(crate) fn new_frame(
        &mut self,
        code: std::rc::Rc<crate::code::Code>,
        func: Value,
        globals: Value,
    ) -> Box<Frame> {
        match self.pool.pop() {
            Some(mut f) => {
                f.reset(code, func, globals);
                f
            }
            None => Box::new(Frame::new(code, func, globals, Value::UNDEF)),
        }
    }

    /// Returns a finished frame to the pool.
    pub(crate) fn release_frame(&mut self, mut f: Box<Frame>) {
        f.release();
        if self.pool.len() < 64 {
            self.pool.push(f);
        }
    }

    /// The generic BINARY_OP on the top two stack values.
    #[inline(always)]
    fn exec_binary(&mut self, f: &mut Frame, arg: u32) -> PyResult<()> {
        let b = pop!(f);
        let a = pop!(f);
        let v = match fast_binop(&a, &b, arg) {
            Some(v) => v,
            None => self.binary_op(&a, &b, arg)?,
        };
        f.stack.push(v);
        Ok(())
    }

    /// The generic COMPARE_OP on the top two stack values.
    #[inline(always)]
    fn exec_compare(&mut self, f: &mut Frame, arg: u32) -> PyResult<()> {
        let b = pop!(f);
        let a = pop!(f);
        let v = match fast_compare(&a, &b, arg) {
            Some(r) => Value::bool(r),
            None => self.compare(&a, &b, arg)?,
        };
        f.stack.push(v);
        Ok(())
    }

    /// True when the native stack is close to its end (native recursion must stop).
    pub(crate) fn native_stack_low(&self) -> bool {
        self.stack_exhausted()
    }

    fn stack_exhausted(&self) -> bool {
        let here = 0u8;
        (&here as *const u8 as usize) < self.stack_limit
    }

    /// Runs `frame` until its entry frame returns, yields or raises. The frame comes back
    /// with the result (for generators to keep).
    pub fn run_frame(&mut self, frame: Box<Frame>) -> (PyResult<FrameExit>, Box<Frame>) {
        if self.options.stats {
            self.run_frame_impl::<true, false>(frame)
        } else {
            self.run_frame_impl::<false, false>(frame)
        }
    }

    /// Runs the instruction at `frame.ip` (and, to completion, any Python calls it makes),
    /// then returns with `frame.ip` at the instruction to run next (the JIT's tier-0
    /// stencil). An exception that a handler in `frame` catches moves `ip` there; one that
    /// leaves `frame` is returned, with its traceback entry for `frame` already added.
    pub(crate) fn run_frame_step(&mut self, frame: Box<Frame>) -> (PyResult<()>, Box<Frame>) {
        let (r, f) = if self.options.stats {
            self.run_frame_impl::<true, true>(frame)
        } else {
            self.run_frame_impl::<false, true>(frame)
        };
        let r = match r {
            Ok(FrameExit::Yield(v)) if v.is_undef() => Ok(()),
            Ok(_) => Err(exc::runtime_error(
                "jitlens: a JIT-compiled frame returned or yielded inside a tier-0 step",
            )),
            Err(e) => Err(e),
        };
        (r, f)
    }

    /// The loop itself. `STATS` builds the variant that counts every execution per family
    /// and per instruction (`-X stats`); the plain variant counts nothing on the hot path.
    /// `STEP` builds the variant that stops after one instruction of the entry frame.
    fn run_frame_impl<const STATS: bool, const STEP: bool>(
        &mut self,
        frame: Box<Frame>,
    ) -> (PyResult<FrameExit>, Box<Frame>) {
        if self.stack_exhausted() {
            return (
                Err(exc::recursion_error("maximum recursion depth exceeded")),
                frame,
            );
        }
        let base = self.frames.len();
        let saved_state = self.state.frame.load(std::sync::atomic::Ordering::Relaxed);
        let mut f = frame;
        f.back = saved_state;
        let mut code = f.code.clone();
        // The instruction pointer lives in a register; it is saved to `f.ip` only when the
        // frame is switched or suspended. `instrs` points into `code`, which owns the code
        // object for as long as the pointer is used (both are reset together).
        let mut ip = f.ip;
        let mut instrs: *const std::cell::Cell<u32> = code.instrs.as_ptr();
        let mut ninstrs = code.instrs.len();
        // Where `ip` comes from outside the loop (the frame as it was entered, or as JIT code
        // left it), it is checked once; the loop's own steps stay in range (see the decode).
        macro_rules! check_ip {
            () => {
                if ip >= ninstrs {
                    Err(exc::runtime_error(
                        "jitlens: instruction pointer out of range",
                    ))
                } else {
                    Ok(())
                }
            };
        }
        if let Err(e) = check_ip!() {
            return (Err(e), f);
        }
        macro_rules! reload_code {
            () => {
                code = f.code.clone();
                instrs = code.instrs.as_ptr();
                ninstrs = code.instrs.len();
            };
        }
        macro_rules! reload {
            () => {
                reload_code!();
                ip = f.ip;
            };
        }
        // Makes `$new` the running frame, with the running one (saved at `ip`) waiting on
        // `Vm::frames` as its caller: a Python call, or a generator resumed by `SEND`.
        macro_rules! push_frame {
            ($new:expr) => {
                f.ip = ip;
                let old = std::mem::replace(&mut f, $new);
                f.back = &*old;
                self.frames.push(old);
                reload!();
                self.publish(&f);
            };
        }
        // The running instruction word and its first inline cache word, for ops that have
        // cache words (the op table says which; the compiler's `verify` checks the layout).
        macro_rules! cells {
            () => {
                // SAFETY: the running instruction is followed by at least one cache word, so
                // `lasti + 1 < ninstrs`, and `instrs` points at `code.instrs`, kept alive by `code`.
                unsafe { (&*instrs.add(f.lasti), &*instrs.add(f.lasti + 1)) }
            };
        }
        // Enters JIT code `$jc` at instruction `$at`; the frame comes back with `ip` where
        // the interpreter goes on. An error has already left the frame's own handlers.
        macro_rules! enter_jit {
            ($jc:expr, $at:expr, $osr:expr) => {{
                let (status, back) = self.run_jit(f, &$jc, $at, $osr);
                f = back;
                ip = f.ip;
                let err = || exc::runtime_error("jitlens: JIT code failed without an exception");
                if status == crate::jit::abi::STATUS_ERROR {
                    self.reraising = true;
                    Err(self.jit_error.take().unwrap_or_else(err))
                } else if status == crate::jit::abi::STATUS_RETURN {
                    // JIT code ran up to a RETURN_VALUE (`ip` is just past it, the value on
                    // the stack): the interpreter performs the return.
                    ip = f.ip.wrapping_sub(1);
                    check_ip!()
                } else if status == crate::jit::runtime::STATUS_RAISE {
                    // Raised by the instruction at `ip` (its traceback entry is added now).
                    Err(self.jit_error.take().unwrap_or_else(err))
                } else {
                    check_ip!()
                }
            }};
        }
        // The bodies of the plain ops that superinstructions pair, on `$arg` (used by the
        // plain ops and by each half of a superinstruction).
        macro_rules! half {
            (LOAD_FAST, $arg:expr) => {{
                let v = &f.fast[$arg as usize];
                if v.is_undef() {
                    Err(self.unbound_local(&code, $arg as usize))
                } else {
                    let v = v.clone();
                    f.stack.push(v);
                    Ok(())
                }
            }};
            (LOAD_CONST, $arg:expr) => {{
                f.stack.push(code.consts[$arg as usize].clone());
                Ok(())
            }};
            (STORE_FAST, $arg:expr) => {{
                let v = pop!(f);
                f.fast[$arg as usize] = v;
                Ok(())
            }};
        }
        // A superinstruction: two instructions for one dispatch. The first half uses this
        // word's argument; the second is the next instruction, which quickening left as it
        // was (or made a superinstruction of its own, whose argument and first half are the
        // same). `lasti` moves to it before it runs, so that an error, a sample or a
        // traceback names the instruction that is running.
        macro_rules! pair {
            ($first:ident, $arg:expr, $second:ident) => {{
                match half!($first, $arg) {
                    // A JIT step runs one instruction: the second half is a step of its own.
                    Ok(()) if !STEP => {
                        // SAFETY: a superinstruction is never the last instruction
                        // (quickening pairs it with the one after it), so `ip < ninstrs`;
                        // `instrs` points at `code.instrs`, kept alive by `code`.
                        let arg2 = unsafe { (*instrs.add(ip)).get() } >> 8;
                        f.lasti = ip;
                        if STATS {
                            self.spec_stats.count_execution(&code, ip, Op::$second);
                        }
                        ip += 1;
                        half!($second, arg2)
                    }
                    r => r,
                }
            }};
        }
        self.publish(&f);
        let mut stepped = false;
        let r = 'main: loop {
            if STEP {
                if stepped && self.frames.len() == base {
                    f.ip = ip;
                    break Ok(FrameExit::Yield(STEPPED));
                }
                stepped = true;
            }
            // SAFETY: `ip` is an instruction start of `code`: it was checked where it came
            // from outside the loop (`check_ip!`), and inside the loop it only moves along
            // the verified code (`Code::load`): jumps and handlers land on instruction starts,
            // and the last instruction cannot fall through. `instrs` points at `code.instrs`,
            // kept alive by `code`.
            let word = unsafe { (*instrs.add(ip)).get() };
            // SAFETY: verified code holds only op bytes (`Code::load`), and quickening
            // rewrites an op byte only with another op's (`specialize::set_op`).
            let op = unsafe { Op::decode_unchecked(word as u8) };
            let arg = word >> 8;
            f.lasti = ip;
            if STATS {
                self.spec_stats.count_execution(&code, ip, op);
            }
            // The cache words are stepped over by the arm (`skip_cache!`), where their count
            // is a constant: the next `ip` then does not wait on the op just loaded.
            ip += 1;
            let mut skipped = op.cache_words() == 0;
            // Steps `ip` over the running instruction's inline cache words, the first statement of
            // every arm whose ops have them; `$family` names one of the arm's ops (all of an arm's
            // ops have the same count). At the dispatch the count would be read from a table
            // indexed by the op just loaded, a load that the next instruction's fetch then waits
            // on; here it is a constant, as in CPython's `JUMPBY(INLINE_CACHE_ENTRIES_...)`.
            // Debug builds check the count, and that no arm forgets (after the `match`).
            macro_rules! skip_cache {
                ($family:ident) => {{
                    const N: usize = Op::$family.cache_words() as usize;
                    debug_assert_eq!(op.cache_words() as usize, N, "{:?}", op);
                    ip += N;
                    skipped = true;
                }};
            }
            let res: PyResult<()> = match op {
                Op::NOP | Op::CACHE => Ok(()),
                Op::SETUP_ANNOTATIONS => {
                    let target = if f.locals.is_undef() {
                        f.globals.clone()
                    } else {
                        f.locals.clone()
                    };
                    if let Some(d) = target.downcast::<DictObj>()
                        && crate::runtime::attr::dict_get_str(d, "__annotations__").is_none()
                    {
                        crate::runtime::attr::dict_set_str(
                            d,
                            "__annotations__",
                            object::alloc(&types().dict, DictObj::default()),
                        );
                    }
                    Ok(())
                }
                Op::RESUME => {
                    // (A step runs one instruction of its entry frame, whose JIT code is
                    // already running: only callees may enter JIT code.)
                    if let Err(e) = self.safe_point() {
                        Err(e)
                    } else if self.jit_on
                        && (!STEP || self.frames.len() != base)
                        && let Some(jc) = self.jit_warm(&code)
                    {
                        enter_jit!(jc, ip, false)
                    } else {
                        Ok(())
                    }
                }
                Op::POP_TOP => {
                    pop!(f);
                    Ok(())
                }
                Op::PUSH_NULL => {
                    f.stack.push(Value::UNDEF);
                    Ok(())
                }
                Op::COPY => {
                    let v = f.stack[f.stack.len() - arg as usize].clone();
                    f.stack.push(v);
                    Ok(())
                }
                Op::SWAP => {
                    let n = f.stack.len();
                    f.stack.swap(n - 1, n - arg as usize);
                    Ok(())
                }
                Op::LOAD_CONST => half!(LOAD_CONST, arg),
                Op::LOAD_FAST => half!(LOAD_FAST, arg),
                Op::STORE_FAST => half!(STORE_FAST, arg),
                Op::LOAD_FAST__LOAD_FAST => pair!(LOAD_FAST, arg, LOAD_FAST),
                Op::LOAD_FAST__LOAD_CONST => pair!(LOAD_FAST, arg, LOAD_CONST),
                Op::LOAD_CONST__LOAD_FAST => pair!(LOAD_CONST, arg, LOAD_FAST),
                Op::STORE_FAST__LOAD_FAST => pair!(STORE_FAST, arg, LOAD_FAST),
                Op::STORE_FAST__STORE_FAST => pair!(STORE_FAST, arg, STORE_FAST),
                Op::DELETE_FAST => {
                    if f.fast[arg as usize].is_undef() {
                        Err(self.unbound_local(&code, arg as usize))
                    } else {
                        f.fast[arg as usize] = Value::UNDEF;
                        Ok(())
                    }
                }
                Op::LOAD_DEREF | Op::LOAD_CLASSDEREF => self.op_load_deref(&mut f, &code, op, arg),
                Op::STORE_DEREF => {
                    let v = pop!(f);
                    let i = code.varnames.len() + arg as usize;
                    f.fast[i].downcast::<CellObj>().expect("cell").v.set(v);
                    Ok(())
                }
                Op::DELETE_DEREF => {
                    let i = code.varnames.len() + arg as usize;
                    f.fast[i]
                        .downcast::<CellObj>()
                        .expect("cell")
                        .v
                        .set(Value::UNDEF);
                    Ok(())
                }
                Op::LOAD_CLOSURE => {
                    let v = f.fast[code.varnames.len() + arg as usize].clone();
                    f.stack.push(v);
                    Ok(())
                }
                Op::LOAD_GLOBAL | Op::LOAD_GLOBAL_MODULE | Op::LOAD_GLOBAL_BUILTIN => {
                    skip_cache!(LOAD_GLOBAL);
                    let name = &code.names[arg as usize];
                    // SAFETY: LOAD_GLOBAL is followed by its two cache words (the compiler
                    // guarantees it; `verify` checks it), so `lasti + 2 < ninstrs`.
                    let cache = unsafe { (&*instrs.add(f.lasti + 1), &*instrs.add(f.lasti + 2)) };
                    if op != Op::LOAD_GLOBAL {
                        if let Some(v) = self.global_cache_hit(&f.globals, name, cache) {
                            f.stack.push(v);
                            continue;
                        }
                        // SAFETY: `lasti` is this instruction.
                        let ins = unsafe { &*instrs.add(f.lasti) };
                        self.spec_stats.event(ins, op, specialize::Event::Miss);
                    }
                    if let Some(v) = self.load_global_cached(&f.globals, name, cache) {
                        if self.specialize {
                            // The cache is filled: the instruction becomes the form for where
                            // the name was found (its counter lives in the globals version).
                            let form = if cache.1.get() & 1 == 1 {
                                Op::LOAD_GLOBAL_BUILTIN
                            } else {
                                Op::LOAD_GLOBAL_MODULE
                            };
                            if form != op {
                                // SAFETY: `lasti` is this instruction.
                                let ins = unsafe { &*instrs.add(f.lasti) };
                                specialize::set_op(ins, form);
                                self.spec_stats.event(ins, op, specialize::Event::Attempt);
                                self.spec_stats.event(ins, op, specialize::Event::Success);
                            }
                        }
                        f.stack.push(v);
                        continue;
                    }
                    match self.load_global(&f.globals, name) {
                        Some(v) => {
                            f.stack.push(v);
                            Ok(())
                        }
                        None => Err(exc::name_error(format!(
                            "name '{}' is not defined",
                            as_str(name).unwrap_or("?")
                        ))),
                    }
                }
                Op::STORE_GLOBAL => {
                    let v = pop!(f);
                    let d = f.globals.downcast::<DictObj>().unwrap();
                    let name = &code.names[arg as usize];
                    d.insert_fast(name.clone(), crate::runtime::str::hash_of(name), v);
                    Ok(())
                }
                Op::DELETE_GLOBAL => {
                    let name = &code.names[arg as usize];
                    let d = f.globals.downcast::<DictObj>().unwrap();
                    match d.remove(name, crate::runtime::str::hash_of(name), &mut |a, b| {
                        Ok(a.is(b))
                    }) {
                        Ok(Some(_)) => Ok(()),
                        _ => Err(exc::name_error(format!(
                            "name '{}' is not defined",
                            as_str(name).unwrap_or("?")
                        ))),
                    }
                }
                Op::LOAD_NAME => {
                    let name = &code.names[arg as usize];
                    let h = crate::runtime::str::hash_of(name);
                    let local = f
                        .locals
                        .downcast::<DictObj>()
                        .and_then(|d| d.get_fast(name, h));
                    match local.or_else(|| self.load_global(&f.globals, name)) {
                        Some(v) => {
                            f.stack.push(v);
                            Ok(())
                        }
                        None => Err(exc::name_error(format!(
                            "name '{}' is not defined",
                            as_str(name).unwrap_or("?")
                        ))),
                    }
                }
                Op::STORE_NAME => {
                    let v = pop!(f);
                    let name = code.names[arg as usize].clone();
                    let h = crate::runtime::str::hash_of(&name);
                    let target = if f.locals.is_undef() {
                        f.globals.clone()
                    } else {
                        f.locals.clone()
                    };
                    match target.downcast::<DictObj>() {
                        Some(d) => {
                            d.insert_fast(name, h, v);
                            Ok(())
                        }
                        None => self.setitem(&target, &name, v),
                    }
                }
                Op::DELETE_NAME => {
                    let name = &code.names[arg as usize];
                    let h = crate::runtime::str::hash_of(name);
                    let target = if f.locals.is_undef() {
                        f.globals.clone()
                    } else {
                        f.locals.clone()
                    };
                    match target
                        .downcast::<DictObj>()
                        .map(|d| d.remove(name, h, &mut |a, b| Ok(a.is(b))))
                    {
                        Some(Ok(Some(_))) => Ok(()),
                        _ => Err(exc::name_error(format!(
                            "name '{}' is not defined",
                            as_str(name).unwrap_or("?")
                        ))),
                    }
                }
                Op::LOAD_ATTR_SLOT | Op::STORE_ATTR_SLOT => {
                    skip_cache!(LOAD_ATTR_SLOT);
                    // SAFETY: LOAD_ATTR / STORE_ATTR are followed by three cache words.
                    let idx = unsafe { (*instrs.add(f.lasti + 2)).get() >> 8 } as usize;
                    let name = &code.names[arg as usize];
                    let n = f.stack.len();
                    let obj = &f.stack[n - 1];
                    // Guard: same class, same type epoch (so `name` is still the slot member
                    // at `idx`).
                    if let Some(inst) = self.slot_guard(&code, f.lasti, op, obj) {
                        if op == Op::LOAD_ATTR_SLOT {
                            let v = inst.slots.get(idx).map(|s| s.get()).unwrap_or(Value::UNDEF);
                            if !v.is_undef() {
                                *f.stack.last_mut().unwrap() = v;
                                continue;
                            }
                        } else if idx < inst.slots.len() {
                            let obj = pop!(f);
                            let v = pop!(f);
                            obj.downcast::<object::InstanceObj>().unwrap().slots[idx].set(v);
                            continue;
                        }
                    } else {
                        let (ins, cache) = cells!();
                        specialize::miss(&mut self.spec_stats, ins, cache, op);
                    }
                    let obj = pop!(f);
                    if op == Op::LOAD_ATTR_SLOT {
                        self.getattr(&obj, name).map(|v| f.stack.push(v))
                    } else {
                        let v = pop!(f);
                        self.setattr(&obj, name, v)
                    }
                }
                Op::LOAD_ATTR_INSTANCE_VALUE => {
                    skip_cache!(LOAD_ATTR_INSTANCE_VALUE);
                    // SAFETY: LOAD_ATTR is followed by its three cache words.
                    let idx = unsafe { (*instrs.add(f.lasti + 2)).get() >> 8 } as usize;
                    let name = &code.names[arg as usize];
                    let hit = specialize::plain_instance(top!(f), self.descr_added_late, false)
                        .and_then(|(i, c)| crate::runtime::instance::load_at(i, c, idx, name));
                    if let Some(v) = hit {
                        *f.stack.last_mut().unwrap() = v;
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    let obj = pop!(f);
                    self.getattr(&obj, name).map(|v| f.stack.push(v))
                }
                Op::STORE_ATTR_INSTANCE_VALUE => {
                    skip_cache!(STORE_ATTR_INSTANCE_VALUE);
                    // SAFETY: STORE_ATTR is followed by its three cache words.
                    let idx = unsafe { (*instrs.add(f.lasti + 2)).get() >> 8 } as usize;
                    let name = &code.names[arg as usize];
                    let obj = pop!(f);
                    let v = pop!(f);
                    let v = match specialize::plain_instance(&obj, self.descr_added_late, true) {
                        Some((i, c)) => {
                            match crate::runtime::instance::store_at(i, c, idx, name, v) {
                                Ok(()) => continue,
                                Err(v) => v,
                            }
                        }
                        None => v,
                    };
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    self.setattr(&obj, name, v)
                }
                Op::LOAD_ATTR => {
                    skip_cache!(LOAD_ATTR);
                    if self.specialize {
                        // SAFETY: LOAD_ATTR is followed by its three cache words.
                        let (ins, cache, index) = unsafe {
                            (
                                &*instrs.add(f.lasti),
                                &*instrs.add(f.lasti + 1),
                                &*instrs.add(f.lasti + 2),
                            )
                        };
                        if let Some(bo) = specialize::warm(cache) {
                            self.spec_stats.event(ins, op, specialize::Event::Attempt);
                            let (obj, name) = (top!(f), &code.names[arg as usize]);
                            let form = specialize::instance_attr_form(
                                index,
                                op,
                                obj,
                                name,
                                self.descr_added_late,
                            )
                            .or_else(|| self.load_attr_form(&code, f.lasti, obj, name));
                            if form == Some(Op::LOAD_ATTR_SLOT) {
                                self.fill_slot_guard(&code, f.lasti, op, obj);
                            }
                            specialize::install(&mut self.spec_stats, ins, cache, op, form, bo);
                        }
                    }
                    let obj = pop!(f);
                    if let Some(v) = self.getattr_fast(&obj, &code.names[arg as usize]) {
                        f.stack.push(v);
                        continue;
                    }
                    self.getattr(&obj, &code.names[arg as usize])
                        .map(|v| f.stack.push(v))
                }
                Op::LOAD_ATTR_CLASS | Op::LOAD_ATTR_MODULE => {
                    skip_cache!(LOAD_ATTR_CLASS);
                    let name = &code.names[arg as usize];
                    if let Some(v) = self.load_attr_cached(&code, f.lasti, op, top!(f), name) {
                        *f.stack.last_mut().unwrap() = v;
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    let obj = pop!(f);
                    self.getattr(&obj, name).map(|v| f.stack.push(v))
                }
                Op::LOAD_METHOD_WITH_VALUES
                | Op::LOAD_METHOD_NO_DICT
                | Op::LOAD_METHOD_MODULE
                | Op::LOAD_METHOD_CLASS => {
                    skip_cache!(LOAD_METHOD_CLASS);
                    let name = &code.names[arg as usize];
                    match self.load_method_cached(&code, f.lasti, op, top!(f), name) {
                        Some(MethodHit::Bound(m)) => {
                            let obj = pop!(f);
                            f.stack.push(m);
                            f.stack.push(obj);
                            continue;
                        }
                        Some(MethodHit::Plain(v)) => {
                            *f.stack.last_mut().unwrap() = v;
                            f.stack.push(Value::UNDEF);
                            continue;
                        }
                        None => {}
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    let obj = pop!(f);
                    match self.load_method(obj, name) {
                        Ok((m, s)) => {
                            f.stack.push(m);
                            f.stack.push(s);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::LOAD_METHOD => {
                    skip_cache!(LOAD_METHOD);
                    if self.specialize {
                        let (ins, cache) = cells!();
                        if let Some(bo) = specialize::warm(cache) {
                            self.spec_stats.event(ins, op, specialize::Event::Attempt);
                            let name = &code.names[arg as usize];
                            let form = self.load_method_form(&code, f.lasti, top!(f), name);
                            specialize::install(&mut self.spec_stats, ins, cache, op, form, bo);
                        }
                    }
                    let obj = pop!(f);
                    match self.load_method(obj, &code.names[arg as usize]) {
                        Ok((m, s)) => {
                            f.stack.push(m);
                            f.stack.push(s);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::STORE_ATTR => {
                    skip_cache!(STORE_ATTR);
                    if self.specialize {
                        // SAFETY: STORE_ATTR is followed by its three cache words.
                        let cells = unsafe {
                            (
                                &*instrs.add(f.lasti),
                                &*instrs.add(f.lasti + 1),
                                &*instrs.add(f.lasti + 2),
                            )
                        };
                        let n = f.stack.len();
                        let form = specialize::adapt_attr(
                            &mut self.spec_stats,
                            cells,
                            op,
                            &f.stack[n - 1],
                            &code.names[arg as usize],
                            self.descr_added_late,
                        );
                        if form == Some(Op::STORE_ATTR_SLOT) {
                            self.fill_slot_guard(&code, f.lasti, op, &f.stack[n - 1]);
                        }
                    }
                    let obj = pop!(f);
                    let v = pop!(f);
                    match self.setattr_fast(&obj, &code.names[arg as usize], v) {
                        Ok(()) => Ok(()),
                        Err(v) => self.setattr(&obj, &code.names[arg as usize], v),
                    }
                }
                Op::DELETE_ATTR => {
                    let obj = pop!(f);
                    self.delattr(&obj, &code.names[arg as usize])
                }
                Op::BINARY_OP => {
                    skip_cache!(BINARY_OP);
                    if self.specialize {
                        let n = f.stack.len();
                        let (ins, cache) = cells!();
                        specialize::adapt(
                            &mut self.spec_stats,
                            ins,
                            cache,
                            op,
                            &f.stack[n - 2],
                            &f.stack[n - 1],
                            arg,
                        );
                    }
                    self.exec_binary(&mut f, arg)
                }
                Op::UNARY_NEGATIVE | Op::UNARY_POSITIVE | Op::UNARY_INVERT => {
                    let a = pop!(f);
                    self.unary_op(&a, op).map(|v| f.stack.push(v))
                }
                Op::UNARY_NOT => {
                    let a = pop!(f);
                    match self.truthy(&a) {
                        Ok(t) => {
                            f.stack.push(Value::bool(!t));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::BINARY_OP_ADD_INT
                | Op::BINARY_OP_SUBTRACT_INT
                | Op::BINARY_OP_MULTIPLY_INT
                | Op::BINARY_OP_FLOOR_DIVIDE_INT
                | Op::BINARY_OP_REMAINDER_INT => {
                    skip_cache!(BINARY_OP_ADD_INT);
                    let n = f.stack.len();
                    let r = match (f.stack[n - 2].as_small_int(), f.stack[n - 1].as_small_int()) {
                        (Some(x), Some(y)) => match op {
                            Op::BINARY_OP_ADD_INT => Some(x + y),
                            Op::BINARY_OP_SUBTRACT_INT => Some(x - y),
                            Op::BINARY_OP_MULTIPLY_INT => x.checked_mul(y),
                            // Division by zero takes the generic path, which raises.
                            Op::BINARY_OP_FLOOR_DIVIDE_INT if y != 0 => {
                                Some(crate::runtime::int::floordiv_i64(x, y))
                            }
                            Op::BINARY_OP_REMAINDER_INT if y != 0 => {
                                Some(crate::runtime::int::mod_i64(x, y))
                            }
                            _ => None,
                        }
                        .filter(|r| Value::fits_small(*r)),
                        _ => None,
                    };
                    if let Some(r) = r {
                        f.stack.replace_top2_unboxed(Value::small_int(r));
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    self.exec_binary(&mut f, arg)
                }
                Op::BINARY_OP_ADD_FLOAT
                | Op::BINARY_OP_SUBTRACT_FLOAT
                | Op::BINARY_OP_MULTIPLY_FLOAT
                | Op::BINARY_OP_TRUE_DIVIDE_FLOAT => {
                    skip_cache!(BINARY_OP_ADD_FLOAT);
                    let n = f.stack.len();
                    let (a, b) = (&f.stack[n - 2], &f.stack[n - 1]);
                    let r = match (a.as_small_int(), b.as_small_int()) {
                        // Two small ints: `+`, `-`, `*` stay ints (a site that sees ints as
                        // well as floats keeps this form); `/` is a float division.
                        (Some(x), Some(y)) if op != Op::BINARY_OP_TRUE_DIVIDE_FLOAT => match op {
                            Op::BINARY_OP_ADD_FLOAT => Some(x + y),
                            Op::BINARY_OP_SUBTRACT_FLOAT => Some(x - y),
                            _ => x.checked_mul(y),
                        }
                        .filter(|r| Value::fits_small(*r))
                        .map(Value::small_int),
                        _ => match specialize::float_operands(a, b) {
                            Some((x, y)) => match op {
                                Op::BINARY_OP_ADD_FLOAT => Some(x + y),
                                Op::BINARY_OP_SUBTRACT_FLOAT => Some(x - y),
                                Op::BINARY_OP_MULTIPLY_FLOAT => Some(x * y),
                                _ if y != 0.0 => Some(x / y),
                                _ => None,
                            }
                            .map(Value::float),
                            None => None,
                        },
                    };
                    if let Some(r) = r {
                        f.stack.replace_top2_unboxed(r);
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    self.exec_binary(&mut f, arg)
                }
                Op::BINARY_OP_ADD_UNICODE => {
                    skip_cache!(BINARY_OP_ADD_UNICODE);
                    let n = f.stack.len();
                    if specialize::is_exact_str(&f.stack[n - 2])
                        && specialize::is_exact_str(&f.stack[n - 1])
                    {
                        let b = pop!(f);
                        let a = pop!(f);
                        let (x, y) = (as_str(&a).unwrap(), as_str(&b).unwrap());
                        let mut s = String::with_capacity(x.len() + y.len());
                        s.push_str(x);
                        s.push_str(y);
                        f.stack.push(crate::runtime::str::from_string(s));
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    self.exec_binary(&mut f, arg)
                }
                Op::COMPARE_OP_INT | Op::COMPARE_OP_FLOAT | Op::COMPARE_OP_STR => {
                    skip_cache!(COMPARE_OP_INT);
                    let n = f.stack.len();
                    let (a, b) = (&f.stack[n - 2], &f.stack[n - 1]);
                    let r = match op {
                        Op::COMPARE_OP_INT => match (a.as_small_int(), b.as_small_int()) {
                            (Some(x), Some(y)) => Some(specialize::cmp_result(x, y, arg)),
                            _ => None,
                        },
                        Op::COMPARE_OP_FLOAT => specialize::float_operands(a, b)
                            .map(|(x, y)| specialize::cmp_result(x, y, arg)),
                        _ if specialize::is_exact_str(a) && specialize::is_exact_str(b) => Some(
                            specialize::cmp_result(as_str(a).unwrap(), as_str(b).unwrap(), arg),
                        ),
                        _ => None,
                    };
                    if let Some(r) = r {
                        // SAFETY: a compare falls through, so it is not the last instruction
                        // (verified code ends in one that cannot): `ip < ninstrs`; `instrs`
                        // points at `code.instrs`, kept alive by `code`.
                        let next = unsafe { (*instrs.add(ip)).get() };
                        let jump_if = if next as u8 == Op::POP_JUMP_IF_FALSE as u8 {
                            Some(false)
                        } else if next as u8 == Op::POP_JUMP_IF_TRUE as u8 {
                            Some(true)
                        } else {
                            None
                        };
                        if op == Op::COMPARE_OP_STR {
                            f.stack.pop();
                            f.stack.pop();
                        } else {
                            f.stack.drop_top2_unboxed();
                        }
                        match jump_if {
                            // The branch that tests the result runs here too, as CPython
                            // 3.11's COMPARE_OP_*_JUMP forms do: no bool is pushed, popped
                            // and tested, and one dispatch is saved. (A JIT step runs one
                            // instruction: there the branch is a step of its own.)
                            Some(when) if !STEP => {
                                f.lasti = ip;
                                if STATS {
                                    let jump = if when {
                                        Op::POP_JUMP_IF_TRUE
                                    } else {
                                        Op::POP_JUMP_IF_FALSE
                                    };
                                    self.spec_stats.count_execution(&code, ip, jump);
                                }
                                ip = if r == when {
                                    (next >> 8) as usize
                                } else {
                                    ip + 1
                                };
                            }
                            _ => f.stack.push(Value::bool(r)),
                        }
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    self.exec_compare(&mut f, arg)
                }
                Op::COMPARE_OP => {
                    skip_cache!(COMPARE_OP);
                    if self.specialize {
                        let n = f.stack.len();
                        let (ins, cache) = cells!();
                        specialize::adapt(
                            &mut self.spec_stats,
                            ins,
                            cache,
                            op,
                            &f.stack[n - 2],
                            &f.stack[n - 1],
                            arg,
                        );
                    }
                    self.exec_compare(&mut f, arg)
                }
                Op::IS_OP => {
                    let b = pop!(f);
                    let a = pop!(f);
                    f.stack.push(Value::bool(a.is(&b) != (arg == 1)));
                    Ok(())
                }
                Op::CONTAINS_OP_DICT | Op::CONTAINS_OP_SET => {
                    skip_cache!(CONTAINS_OP_DICT);
                    let n = f.stack.len();
                    let t = types();
                    let ok = if op == Op::CONTAINS_OP_DICT {
                        specialize::is_exact(&f.stack[n - 1], object::Kind::Dict, &t.dict)
                    } else {
                        specialize::is_exact(&f.stack[n - 1], object::Kind::Set, &t.set)
                            || specialize::is_exact(
                                &f.stack[n - 1],
                                object::Kind::Set,
                                &t.frozenset,
                            )
                    };
                    if ok {
                    } else {
                        let (ins, cache) = cells!();
                        specialize::miss(&mut self.spec_stats, ins, cache, op);
                    }
                    let b = pop!(f);
                    let a = pop!(f);
                    let r = if ok && op == Op::CONTAINS_OP_DICT {
                        let d = b.downcast::<DictObj>().unwrap();
                        self.dict_get(d, &a).map(|v| v.is_some())
                    } else if ok {
                        self.set_contains(&b, &a)
                    } else {
                        self.contains(&b, &a)
                    };
                    match r {
                        Ok(r) => {
                            f.stack.push(Value::bool(r != (arg == 1)));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::CONTAINS_OP => {
                    skip_cache!(CONTAINS_OP);
                    if self.specialize {
                        let n = f.stack.len();
                        let (ins, cache) = cells!();
                        let c = &f.stack[n - 1];
                        let t = types();
                        specialize::adapt_by(&mut self.spec_stats, ins, cache, op, || {
                            if specialize::is_exact(c, object::Kind::Dict, &t.dict) {
                                Some(Op::CONTAINS_OP_DICT)
                            } else if specialize::is_exact(c, object::Kind::Set, &t.set)
                                || specialize::is_exact(c, object::Kind::Set, &t.frozenset)
                            {
                                Some(Op::CONTAINS_OP_SET)
                            } else {
                                None
                            }
                        });
                    }
                    let b = pop!(f);
                    let a = pop!(f);
                    match self.contains(&b, &a) {
                        Ok(r) => {
                            f.stack.push(Value::bool(r != (arg == 1)));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::BINARY_SUBSCR_LIST_INT
                | Op::BINARY_SUBSCR_TUPLE_INT
                | Op::BINARY_SUBSCR_DICT => {
                    skip_cache!(BINARY_SUBSCR_DICT);
                    let n = f.stack.len();
                    let t = types();
                    let (c, k) = (&f.stack[n - 2], &f.stack[n - 1]);
                    let hit = match op {
                        Op::BINARY_SUBSCR_LIST_INT
                            if specialize::is_exact(c, object::Kind::List, &t.list) =>
                        {
                            k.as_small_int().and_then(|i| {
                                let l = c.downcast::<ListObj>().unwrap();
                                let j = if i < 0 { i + l.len() as i64 } else { i };
                                if j >= 0 { l.get(j as usize) } else { None }
                            })
                        }
                        Op::BINARY_SUBSCR_TUPLE_INT if c.kind() == Some(object::Kind::Tuple) => {
                            k.as_small_int().and_then(|i| {
                                let items = tuple::items(c).unwrap();
                                let j = if i < 0 { i + items.len() as i64 } else { i };
                                if j >= 0 {
                                    items.get(j as usize).cloned()
                                } else {
                                    None
                                }
                            })
                        }
                        _ => None,
                    };
                    if let Some(v) = hit {
                        f.stack.pop();
                        f.stack[n - 2] = v;
                        continue;
                    }
                    let dict_ok = op == Op::BINARY_SUBSCR_DICT
                        && specialize::is_exact(c, object::Kind::Dict, &t.dict);
                    if dict_ok {
                    } else {
                        let (ins, cache) = cells!();
                        specialize::miss(&mut self.spec_stats, ins, cache, op);
                    }
                    let k = pop!(f);
                    let c = pop!(f);
                    self.getitem(&c, &k).map(|v| f.stack.push(v))
                }
                Op::BINARY_SUBSCR => {
                    skip_cache!(BINARY_SUBSCR);
                    if self.specialize {
                        let n = f.stack.len();
                        let (ins, cache) = cells!();
                        let (c, k) = (&f.stack[n - 2], &f.stack[n - 1]);
                        let t = types();
                        specialize::adapt_by(&mut self.spec_stats, ins, cache, op, || {
                            if specialize::is_exact(c, object::Kind::List, &t.list)
                                && k.is_small_int()
                            {
                                Some(Op::BINARY_SUBSCR_LIST_INT)
                            } else if c.kind() == Some(object::Kind::Tuple) && k.is_small_int() {
                                Some(Op::BINARY_SUBSCR_TUPLE_INT)
                            } else if specialize::is_exact(c, object::Kind::Dict, &t.dict) {
                                Some(Op::BINARY_SUBSCR_DICT)
                            } else {
                                None
                            }
                        });
                    }
                    let k = pop!(f);
                    let c = pop!(f);
                    if let Some(i) = k.as_small_int()
                        && let Some(h) = c.header()
                    {
                        let exact = crate::runtime::class_ref(h);
                        let v = if h.kind == object::Kind::List && exact.is(&types().list) {
                            let l = c.downcast::<ListObj>().unwrap();
                            let n = l.len() as i64;
                            let j = if i < 0 { i + n } else { i };
                            if j >= 0 { l.get(j as usize) } else { None }
                        } else if h.kind == object::Kind::Tuple {
                            let t = tuple::items(&c).unwrap();
                            let n = t.len() as i64;
                            let j = if i < 0 { i + n } else { i };
                            if j >= 0 {
                                t.get(j as usize).cloned()
                            } else {
                                None
                            }
                        } else {
                            None
                        };
                        if let Some(v) = v {
                            f.stack.push(v);
                            continue;
                        }
                    }
                    self.getitem(&c, &k).map(|v| f.stack.push(v))
                }
                Op::STORE_SUBSCR_LIST_INT | Op::STORE_SUBSCR_DICT => {
                    skip_cache!(STORE_SUBSCR_DICT);
                    let n = f.stack.len();
                    let t = types();
                    let (c, k) = (&f.stack[n - 2], &f.stack[n - 1]);
                    let list_slot = if op == Op::STORE_SUBSCR_LIST_INT
                        && specialize::is_exact(c, object::Kind::List, &t.list)
                    {
                        k.as_small_int().and_then(|i| {
                            let len = c.downcast::<ListObj>().unwrap().len() as i64;
                            let j = if i < 0 { i + len } else { i };
                            if j >= 0 && j < len {
                                Some(j as usize)
                            } else {
                                None
                            }
                        })
                    } else {
                        None
                    };
                    let dict_ok = op == Op::STORE_SUBSCR_DICT
                        && specialize::is_exact(c, object::Kind::Dict, &t.dict);
                    if list_slot.is_some() || dict_ok {
                    } else {
                        let (ins, cache) = cells!();
                        specialize::miss(&mut self.spec_stats, ins, cache, op);
                    }
                    let k = pop!(f);
                    let c = pop!(f);
                    let v = pop!(f);
                    match list_slot {
                        Some(j) => {
                            c.downcast::<ListObj>().unwrap().set(j, v);
                            Ok(())
                        }
                        None if dict_ok => self.dict_set(&c, k, v),
                        None => self.setitem(&c, &k, v),
                    }
                }
                Op::STORE_SUBSCR => {
                    skip_cache!(STORE_SUBSCR);
                    if self.specialize {
                        let n = f.stack.len();
                        let (ins, cache) = cells!();
                        let (c, k) = (&f.stack[n - 2], &f.stack[n - 1]);
                        let t = types();
                        specialize::adapt_by(&mut self.spec_stats, ins, cache, op, || {
                            if specialize::is_exact(c, object::Kind::List, &t.list)
                                && k.is_small_int()
                            {
                                Some(Op::STORE_SUBSCR_LIST_INT)
                            } else if specialize::is_exact(c, object::Kind::Dict, &t.dict) {
                                Some(Op::STORE_SUBSCR_DICT)
                            } else {
                                None
                            }
                        });
                    }
                    let k = pop!(f);
                    let c = pop!(f);
                    let v = pop!(f);
                    self.setitem(&c, &k, v)
                }
                Op::DELETE_SUBSCR => {
                    let k = pop!(f);
                    let c = pop!(f);
                    self.delitem(&c, &k)
                }
                Op::BUILD_SLICE => {
                    let step = if arg == 3 { pop!(f) } else { Value::NONE };
                    let stop = pop!(f);
                    let start = pop!(f);
                    f.stack.push(object::alloc(
                        &types().slice,
                        object::SliceObj { start, stop, step },
                    ));
                    Ok(())
                }
                Op::BUILD_TUPLE => {
                    let items = f.stack.split_off(f.stack.len() - arg as usize);
                    f.stack.push(tuple::new(items));
                    Ok(())
                }
                Op::BUILD_LIST => {
                    let items = f.stack.split_off(f.stack.len() - arg as usize);
                    f.stack.push(crate::runtime::list::new(items));
                    Ok(())
                }
                Op::BUILD_SET => {
                    let items = f.stack.split_off(f.stack.len() - arg as usize);
                    match self.new_set(items, false) {
                        Ok(s) => {
                            f.stack.push(s);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::BUILD_MAP => {
                    let items = f.stack.split_off(f.stack.len() - 2 * arg as usize);
                    let d = object::alloc(
                        &types().dict,
                        DictObj::new(object::DictTable::with_capacity(arg as usize)),
                    );
                    let mut it = items.into_iter();
                    let mut r = Ok(());
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        if let Err(e) = self.dict_set(&d, k, v) {
                            r = Err(e);
                            break;
                        }
                    }
                    f.stack.push(d);
                    r
                }
                Op::BUILD_STRING => {
                    let items = f.stack.split_off(f.stack.len() - arg as usize);
                    let mut s = String::new();
                    for i in &items {
                        s.push_str(as_str(i).unwrap_or(""));
                    }
                    f.stack.push(crate::runtime::str::from_string(s));
                    Ok(())
                }
                Op::LIST_APPEND => {
                    let v = pop!(f);
                    let n = f.stack.len();
                    f.stack[n - arg as usize]
                        .downcast::<ListObj>()
                        .expect("list")
                        .push(v);
                    Ok(())
                }
                Op::SET_ADD => {
                    let v = pop!(f);
                    let n = f.stack.len();
                    let s = f.stack[n - arg as usize].clone();
                    self.set_add(&s, v)
                }
                Op::MAP_ADD => {
                    let v = pop!(f);
                    let k = pop!(f);
                    let n = f.stack.len();
                    let d = f.stack[n - arg as usize].clone();
                    self.dict_set(&d, k, v)
                }
                Op::LIST_EXTEND => {
                    let it = pop!(f);
                    let n = f.stack.len();
                    let l = f.stack[n - arg as usize].clone();
                    match self.collect(&it) {
                        Ok(items) => {
                            l.downcast::<ListObj>()
                                .expect("list")
                                .with(|v| v.extend(items));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::SET_UPDATE => {
                    let it = pop!(f);
                    let n = f.stack.len();
                    let s = f.stack[n - arg as usize].clone();
                    self.set_update(&s, &it)
                }
                Op::DICT_UPDATE | Op::DICT_MERGE => {
                    let m = pop!(f);
                    let n = f.stack.len();
                    let d = f.stack[n - arg as usize].clone();
                    if op == Op::DICT_MERGE {
                        // `f(**a, **b)`: the stack is [callable, self, args, kwdict].
                        let func = f.stack[n - arg as usize - 3].clone();
                        self.dict_merge_for_call(&func, &d, &m)
                    } else {
                        self.dict_update(&d, &m, false)
                    }
                }
                Op::LIST_TO_TUPLE => {
                    let l = pop!(f);
                    let items = l.downcast::<ListObj>().expect("list").snapshot();
                    f.stack.push(tuple::new(items));
                    Ok(())
                }
                Op::FORMAT_VALUE => {
                    let spec = if arg & bc::fmtval::HAVE_SPEC != 0 {
                        Some(pop!(f))
                    } else {
                        None
                    };
                    let v = pop!(f);
                    match self.format_value(v, arg & 3, spec) {
                        Ok(s) => {
                            f.stack.push(s);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::UNPACK_SEQUENCE_TWO_TUPLE
                | Op::UNPACK_SEQUENCE_TUPLE
                | Op::UNPACK_SEQUENCE_LIST => {
                    skip_cache!(UNPACK_SEQUENCE_LIST);
                    let seq = pop!(f);
                    let done = match op {
                        Op::UNPACK_SEQUENCE_LIST => match seq.downcast::<ListObj>() {
                            Some(l)
                                if l.len() == arg as usize
                                    && specialize::is_exact(
                                        &seq,
                                        object::Kind::List,
                                        &types().list,
                                    ) =>
                            {
                                l.with(|v| f.stack.extend(v.iter().rev().cloned()));
                                true
                            }
                            _ => false,
                        },
                        _ => match tuple::items(&seq) {
                            Some(items) if items.len() == arg as usize => {
                                f.stack.extend(items.iter().rev().cloned());
                                true
                            }
                            _ => false,
                        },
                    };
                    if done {
                        continue;
                    }
                    let (ins, cache) = cells!();
                    specialize::miss(&mut self.spec_stats, ins, cache, op);
                    match self.unpack(&seq, arg as usize) {
                        Ok(items) => {
                            f.stack.extend(items.into_iter().rev());
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::UNPACK_SEQUENCE => {
                    skip_cache!(UNPACK_SEQUENCE);
                    if self.specialize {
                        let (ins, cache) = cells!();
                        let s = top!(f);
                        specialize::adapt_by(&mut self.spec_stats, ins, cache, op, || {
                            match s.kind() {
                                Some(object::Kind::Tuple) if arg == 2 => {
                                    Some(Op::UNPACK_SEQUENCE_TWO_TUPLE)
                                }
                                Some(object::Kind::Tuple) => Some(Op::UNPACK_SEQUENCE_TUPLE),
                                Some(object::Kind::List) => Some(Op::UNPACK_SEQUENCE_LIST),
                                _ => None,
                            }
                        });
                    }
                    let seq = pop!(f);
                    if let Some(items) = tuple::items(&seq)
                        && items.len() == arg as usize
                    {
                        f.stack.extend(items.iter().rev().cloned());
                        continue;
                    }
                    if let Some(l) = seq.downcast::<ListObj>()
                        && l.len() == arg as usize
                        && specialize::is_exact(&seq, object::Kind::List, &types().list)
                    {
                        l.with(|v| f.stack.extend(v.iter().rev().cloned()));
                        continue;
                    }
                    match self.unpack(&seq, arg as usize) {
                        Ok(items) => {
                            f.stack.extend(items.into_iter().rev());
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::UNPACK_EX => {
                    let seq = pop!(f);
                    match self.unpack_ex(&seq, (arg & 0xFF) as usize, (arg >> 8) as usize) {
                        Ok(items) => {
                            f.stack.extend(items.into_iter().rev());
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::JUMP_FORWARD => {
                    ip = arg as usize;
                    Ok(())
                }
                Op::JUMP_BACKWARD => {
                    ip = arg as usize;
                    if let Err(e) = self.safe_point() {
                        Err(e)
                    } else if self.jit_on
                        && (!STEP || self.frames.len() != base)
                        && let Some(jc) = self.jit_warm(&code)
                    {
                        enter_jit!(jc, ip, true)
                    } else {
                        Ok(())
                    }
                }
                Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE => {
                    let v = pop!(f);
                    let t = if v.is(&Value::TRUE) {
                        Ok(true)
                    } else if v.is(&Value::FALSE) {
                        Ok(false)
                    } else {
                        self.truthy(&v)
                    };
                    match t {
                        Ok(t) => {
                            if t == (op == Op::POP_JUMP_IF_TRUE) {
                                ip = arg as usize;
                            }
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::POP_JUMP_IF_NONE | Op::POP_JUMP_IF_NOT_NONE => {
                    let v = pop!(f);
                    if v.is_none() == (op == Op::POP_JUMP_IF_NONE) {
                        ip = arg as usize;
                    }
                    Ok(())
                }
                Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => {
                    let v = top!(f).clone();
                    match self.truthy(&v) {
                        Ok(t) => {
                            if t == (op == Op::JUMP_IF_TRUE_OR_POP) {
                                ip = arg as usize;
                            } else {
                                pop!(f);
                            }
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::GET_ITER => {
                    let v = pop!(f);
                    match self.get_iter(&v) {
                        Ok(it) => {
                            f.stack.push(it);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::GET_YIELD_FROM_ITER => {
                    let v = pop!(f);
                    if v.downcast::<GenObj>().is_some() {
                        f.stack.push(v);
                        Ok(())
                    } else {
                        match self.get_iter(&v) {
                            Ok(it) => {
                                f.stack.push(it);
                                Ok(())
                            }
                            Err(e) => Err(e),
                        }
                    }
                }
                Op::FOR_ITER_RANGE | Op::FOR_ITER_LIST | Op::FOR_ITER_TUPLE => {
                    skip_cache!(FOR_ITER_RANGE);
                    let step = match top!(f).downcast::<object::IterObj>() {
                        Some(it) if op == Op::FOR_ITER_RANGE => it.step_range(),
                        Some(it) => it.step_seq(),
                        None => object::FastStep::NotThisKind,
                    };
                    match step {
                        object::FastStep::Item(v) => {
                            f.stack.push(v);
                            continue;
                        }
                        object::FastStep::Done => {
                            pop!(f);
                            ip = arg as usize;
                            continue;
                        }
                        object::FastStep::NotThisKind => {
                            let (ins, cache) = cells!();
                            specialize::miss(&mut self.spec_stats, ins, cache, op);
                            let it = top!(f).clone();
                            match self.next(&it) {
                                Ok(Some(v)) => {
                                    f.stack.push(v);
                                    Ok(())
                                }
                                Ok(None) => {
                                    pop!(f);
                                    ip = arg as usize;
                                    Ok(())
                                }
                                Err(e) => Err(e),
                            }
                        }
                    }
                }
                Op::FOR_ITER => {
                    skip_cache!(FOR_ITER);
                    if self.specialize {
                        let (ins, cache) = cells!();
                        specialize::adapt_for_iter(&mut self.spec_stats, ins, cache, top!(f));
                    }
                    let it = top!(f).clone();
                    match self.next(&it) {
                        Ok(Some(v)) => {
                            f.stack.push(v);
                            Ok(())
                        }
                        Ok(None) => {
                            pop!(f);
                            ip = arg as usize;
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::MAKE_FUNCTION => {
                    self.op_make_function(&mut f, arg);
                    Ok(())
                }
                Op::CALL
                | Op::CALL_KW
                | Op::CALL_PY_EXACT_ARGS
                | Op::CALL_BOUND_METHOD_EXACT_ARGS
                | Op::CALL_BUILTIN_FAST
                | Op::CALL_LEN
                | Op::CALL_ISINSTANCE
                | Op::CALL_ALLOC_AND_ENTER_INIT => {
                    if op != Op::CALL_KW {
                        skip_cache!(CALL);
                    }
                    let done = if op == Op::CALL_KW {
                        let kwnames = pop!(f);
                        self.op_call(&mut f, arg as usize, Some(kwnames))
                    } else if op == Op::CALL {
                        if self.specialize {
                            let (ins, cache) = cells!();
                            if let Some(bo) = specialize::warm(cache) {
                                self.spec_stats.event(ins, op, specialize::Event::Attempt);
                                let form = self.call_form(&code, f.lasti, &f, arg as usize);
                                specialize::install(&mut self.spec_stats, ins, cache, op, form, bo);
                            }
                        }
                        self.op_call(&mut f, arg as usize, None)
                    } else {
                        match self.call_specialized(&code, f.lasti, op, &mut f, arg as usize) {
                            Some(done) => done,
                            None => {
                                let (ins, cache) = cells!();
                                specialize::miss(&mut self.spec_stats, ins, cache, op);
                                self.op_call(&mut f, arg as usize, None)
                            }
                        }
                    };
                    match done {
                        Ok(CallDone::Value(v)) => {
                            f.stack.push(v);
                            Ok(())
                        }
                        Ok(CallDone::Frame(new)) => {
                            if self.depth >= self.recursion_limit {
                                self.release_frame(new);
                                Err(exc::recursion_error("maximum recursion depth exceeded"))
                            } else {
                                self.depth += 1;
                                push_frame!(new);
                                Ok(())
                            }
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::CALL_FUNCTION_EX => {
                    let kw = if arg & 1 != 0 { Some(pop!(f)) } else { None };
                    let args = pop!(f);
                    let selfv = pop!(f);
                    let func = pop!(f);
                    self.call_ex(&func, selfv, &args, kw.as_ref())
                        .map(|v| f.stack.push(v))
                }
                Op::RETURN_VALUE => 'ret: {
                    let mut v = pop!(f);
                    if !f.init_self.is_undef() {
                        if !v.is_none() {
                            break 'ret Err(exc::type_error(format!(
                                "__init__() should return None, not '{}'",
                                crate::runtime::type_name(&v)
                            )));
                        }
                        v = std::mem::take(&mut f.init_self);
                    }
                    if self.frames.len() == base {
                        break 'main Ok(FrameExit::Return(v));
                    }
                    let gen_ = std::mem::take(&mut f.inline_gen);
                    let after = f.send_target;
                    let caller = self.frames.pop().unwrap();
                    let done = std::mem::replace(&mut f, caller);
                    // Publish the caller before the callee's frame goes back to the pool.
                    self.publish(&f);
                    self.release_frame(done);
                    reload!();
                    if gen_.is_undef() {
                        self.depth -= 1;
                    } else {
                        // An inline generator returned: its `yield from` is done.
                        self.gen_leave_inline(&gen_, None);
                        pop!(f);
                        ip = after;
                    }
                    f.stack.push(v);
                    Ok(())
                }
                Op::YIELD_VALUE => {
                    let v = pop!(f);
                    if self.frames.len() == base {
                        f.ip = ip;
                        break Ok(FrameExit::Yield(v));
                    }
                    if f.inline_gen.is_undef() {
                        Err(exc::runtime_error("jitlens: yield from an inlined call"))
                    } else {
                        // An inline generator yielded: back to its resumer's `SEND`.
                        let gen_ = std::mem::take(&mut f.inline_gen);
                        f.ip = ip;
                        let caller = self.frames.pop().unwrap();
                        let gen_frame = std::mem::replace(&mut f, caller);
                        self.gen_leave_inline(&gen_, Some(gen_frame));
                        reload!();
                        self.publish(&f);
                        f.stack.push(v);
                        Ok(())
                    }
                }
                Op::SEND => 'send: {
                    let v = pop!(f);
                    let recv = top!(f).clone();
                    let v = match recv.downcast::<GenObj>() {
                        Some(g) => match self.gen_take_for_inline(g, v) {
                            Ok(mut gen_frame) => {
                                // Run the generator's frame in this loop, as for a call.
                                gen_frame.inline_gen = recv;
                                gen_frame.send_target = arg as usize;
                                push_frame!(gen_frame);
                                break 'send check_ip!();
                            }
                            Err(v) => v,
                        },
                        None => v,
                    };
                    match self.send(&recv, v) {
                        Ok(FrameExit::Yield(y)) => {
                            f.stack.push(y);
                            Ok(())
                        }
                        Ok(FrameExit::Return(r)) => {
                            pop!(f);
                            f.stack.push(r);
                            ip = arg as usize;
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::RAISE_VARARGS => Err(self.op_raise(&mut f, arg)),
                Op::RERAISE => {
                    let e = pop!(f);
                    // Re-raising keeps the traceback as it is: mark it so the unwinder
                    // does not add this frame again.
                    self.reraising = true;
                    Err(PyErr(e))
                }
                Op::PUSH_EXC_INFO => {
                    let e = pop!(f);
                    let prev = std::mem::replace(&mut self.handled, e.clone());
                    f.stack.push(prev);
                    f.stack.push(e);
                    Ok(())
                }
                Op::POP_EXCEPT => {
                    let prev = pop!(f);
                    self.handled = prev;
                    Ok(())
                }
                Op::CHECK_EXC_MATCH => {
                    let t = pop!(f);
                    let e = top!(f).clone();
                    match self.exc_match(&e, &t) {
                        Ok(b) => {
                            f.stack.push(Value::bool(b));
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::BEFORE_WITH => {
                    let mgr = pop!(f);
                    match self.before_with(&mgr) {
                        Ok((exit, entered)) => {
                            f.stack.push(exit);
                            f.stack.push(entered);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::WITH_EXCEPT_START => {
                    let n = f.stack.len();
                    let e = f.stack[n - 1].clone();
                    let exit = f.stack[n - 3].clone();
                    let t = crate::runtime::class_of(&e);
                    let tb = match e.downcast::<ExcObj>().map(|x| x.traceback()) {
                        Some(tb) if !tb.is_empty() => {
                            let last = tb.last().unwrap();
                            crate::runtime::class::traceback_object(
                                last.code.line_at(last.ip as usize),
                            )
                        }
                        _ => Value::NONE,
                    };
                    self.call(&exit, &[t, e, tb]).map(|v| f.stack.push(v))
                }
                Op::LOAD_BUILD_CLASS => {
                    let b = self.builtins.downcast::<DictObj>().unwrap();
                    let name = crate::runtime::str::intern("__build_class__");
                    f.stack.push(
                        b.get_fast(&name, crate::runtime::str::hash_of(&name))
                            .unwrap(),
                    );
                    Ok(())
                }
                Op::LOAD_ASSERTION_ERROR => {
                    f.stack.push(types().assertion_error.clone());
                    Ok(())
                }
                Op::IMPORT_NAME => {
                    let fromlist = pop!(f);
                    let level = pop!(f);
                    let _ = level;
                    match self.import(&code.names[arg as usize], &fromlist) {
                        Ok(m) => {
                            f.stack.push(m);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
                Op::IMPORT_FROM => {
                    let m = top!(f).clone();
                    let name = &code.names[arg as usize];
                    match self.getattr(&m, name) {
                        Ok(v) => {
                            f.stack.push(v);
                            Ok(())
                        }
                        Err(_) => {
                            let mname = self
                                .getattr(&m, &crate::runtime::str::intern("__name__"))
                                .ok();
                            let mname = mname
                                .as_ref()
                                .and_then(|v| as_str(v))
                                .unwrap_or("?")
                                .to_string();
                            Err(exc::import_error(format!(
                                "cannot import name '{}' from '{}' (unknown location)",
                                as_str(name).unwrap_or("?"),
                                mname
                            )))
                        }
                    }
                }
                Op::IMPORT_STAR => {
                    let m = pop!(f);
                    self.import_star(&m, &f)
                }
            };
            debug_assert!(skipped, "{op:?} did not step over its cache words");
            if let Err(e) = res {
                // Unwind: find a handler in this frame or its inlined callers.
                let mut e = e;
                let mut add_tb = !std::mem::take(&mut self.reraising);
                if add_tb {
                    self.set_context(&e.0);
                }
                loop {
                    if add_tb && let Some(x) = e.0.downcast::<ExcObj>() {
                        x.push_tb(TbEntry {
                            code: f.code.clone(),
                            ip: f.lasti as u32,
                        });
                    }
                    add_tb = true;
                    if let Some(h) = f.code.handler_for(f.lasti as u32).copied() {
                        f.stack.truncate(h.depth as usize);
                        if h.push_lasti {
                            f.stack.push(Value::small_int(f.lasti as i64));
                        }
                        f.stack.push(e.0);
                        ip = h.target as usize;
                        break;
                    }
                    if self.frames.len() == base {
                        self.state
                            .frame
                            .store(saved_state, std::sync::atomic::Ordering::Relaxed);
                        return (Err(e), f);
                    }
                    let gen_ = std::mem::take(&mut f.inline_gen);
                    let caller = self.frames.pop().unwrap();
                    let done = std::mem::replace(&mut f, caller);
                    self.publish(&f);
                    self.release_frame(done);
                    if gen_.is_undef() {
                        self.depth -= 1;
                    } else {
                        // The exception leaves an inline generator: it is finished, and
                        // its resumer's `SEND` raises.
                        self.gen_leave_inline(&gen_, None);
                        e = Self::gen_error(e);
                    }
                    reload_code!();
                    e = PyErr(e.0);
                }
            }
        };
        self.state
            .frame
            .store(saved_state, std::sync::atomic::Ordering::Relaxed);
        (r, f)
    }

    /// Implicit chaining: an exception raised while another is handled gets it as
    /// `__context__` (unless that would make a cycle).
    fn set_context(&self, e: &Value) {
        if self.handled.is_none() || self.handled.is(e) {
            return;
        }
        let Some(x) = e.downcast::<ExcObj>() else {
            return;
        };
        if !x.context.get().is_none() {
            return;
        }
        // Avoid cycles: the handled exception must not already chain to `e`.
        let mut c = self.handled.clone();
        for _ in 0..100 {
            let Some(cx) = c.downcast::<ExcObj>() else {
                break;
            };
            let next = cx.context.get();
            if next.is(e) {
                cx.context.set(Value::NONE);
                break;
            }
            if next.is_none() {
                break;
            }
            c = next;
        }
        x.context.set(self.handled.clone());
    }

    fn unbound_local(&self, code: &crate::code::Code, i: usize) -> PyErr {
        let name = as_str(&code.varnames[i]).unwrap_or("?");
        exc::unbound_local_error(format!(
            "cannot access local variable '{name}' where it is not associated with a value"
        ))
    }

    fn op_load_deref(
        &mut self,
        f: &mut Frame,
        code: &crate::code::Code,
        op: Op,
        arg: u32,
    ) -> PyResult<()> {
        let i = code.varnames.len() + arg as usize;
        if op == Op::LOAD_CLASSDEREF {
            let name = if (arg as usize) < code.cellvars.len() {
                &code.cellvars[arg as usize]
            } else {
                &code.freevars[arg as usize - code.cellvars.len()]
            };
            if let Some(d) = f.locals.downcast::<DictObj>()
                && let Some(v) = d.get_fast(name, crate::runtime::str::hash_of(name))
            {
                f.stack.push(v);
                return Ok(());
            }
        }
        let v = f.fast[i].downcast::<CellObj>().expect("cell").v.get();
        if v.is_undef() {
            let ncell = code.cellvars.len();
            let a = arg as usize;
            let name = if a < ncell {
                &code.cellvars[a]
            } else {
                &code.freevars[a - ncell]
            };
            let name = as_str(name).unwrap_or("?");
            return Err(if a < ncell {
                exc::unbound_local_error(format!(
                    "cannot access local variable '{name}' where it is not associated with a value"
                ))
            } else {
                exc::name_error(format!(
                    "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
                ))
            });
        }
        f.stack.push(v);
        Ok(())
    }

    /// The cached LOAD_GLOBAL value when the cache is still valid (see `load_global_cached`).
    #[inline]
    pub(crate) fn global_cache_hit(
        &self,
        globals: &Value,
        name: &Value,
        cache: (&std::cell::Cell<u32>, &std::cell::Cell<u32>),
    ) -> Option<Value> {
        let g = globals.downcast::<DictObj>()?;
        let w = cache.1.get();
        // 0, or 1 (the CACHE word the compiler emitted): not filled.
        let idx = (w >> 1).checked_sub(1)? as usize;
        if w & 1 == 0 {
            g.with(|t| {
                t.entries()
                    .get(idx)
                    .filter(|e| e.key.is(name))
                    .map(|e| e.value.clone())
            })
        } else if g.with(|t| t.version) == cache.0.get() {
            let b = self.builtins.downcast::<DictObj>()?;
            b.with(|t| {
                t.entries()
                    .get(idx)
                    .filter(|e| e.key.is(name))
                    .map(|e| e.value.clone())
            })
        } else {
            None
        }
    }

    /// LOAD_GLOBAL through its inline cache: word 1 is the globals dict's version when the
    /// cache was filled, word 2 is `(entry index + 1) << 1 | found_in_builtins` (0, or the
    /// compiler's CACHE word 1, = empty).
    /// A globals hit needs only the entry's key to still be `name`; a builtins hit also needs
    /// the globals version unchanged (no global of that name appeared since). Misses fill it.
    #[inline]
    pub(crate) fn load_global_cached(
        &self,
        globals: &Value,
        name: &Value,
        cache: (&std::cell::Cell<u32>, &std::cell::Cell<u32>),
    ) -> Option<Value> {
        if let Some(v) = self.global_cache_hit(globals, name, cache) {
            return Some(v);
        }
        let g = globals.downcast::<DictObj>()?;
        // Fill the cache.
        let h = crate::runtime::str::hash_of(name);
        if let Some(i) = g.with(|t| t.find_fast(name, h)) {
            cache.1.set(((i as u32 + 1) << 1) & !1);
            return g.with(|t| t.entries().get(i).map(|e| e.value.clone()));
        }
        let b = self.builtins.downcast::<DictObj>()?;
        let i = b.with(|t| t.find_fast(name, h))?;
        cache.0.set(g.with(|t| t.version));
        cache.1.set(((i as u32 + 1) << 1) | 1);
        b.with(|t| t.entries().get(i).map(|e| e.value.clone()))
    }

    /// Module global, then builtin.
    #[inline]
    pub(crate) fn load_global(&self, globals: &Value, name: &Value) -> Option<Value> {
        let h = crate::runtime::str::hash_of(name);
        if let Some(v) = globals
            .downcast::<DictObj>()
            .and_then(|d| d.get_str(name, h))
        {
            return Some(v);
        }
        self.builtins
            .downcast::<DictObj>()
            .and_then(|d| d.get_str(name, h))
    }

    fn op_make_function(&mut self, f: &mut Frame, flags: u32) {
        let globals = f.globals.clone();
        let func = make_function(&globals, flags, || pop!(f));
        f.stack.push(func);
    }

    fn op_raise(&mut self, f: &mut Frame, arg: u32) -> PyErr {
        let (e, cause) = match arg {
            0 => {
                if self.handled.is_none() {
                    return exc::runtime_error("No active exception to reraise");
                }
                self.reraising = true;
                return PyErr(self.handled.clone());
            }
            1 => (pop!(f), None),
            _ => {
                let c = pop!(f);
                (pop!(f), Some(c))
            }
        };
        let e = match self.make_exception(e) {
            Ok(e) => e,
            Err(err) => return err,
        };
        if let Some(c) = cause {
            let c = if c.is_none() {
                Ok(Value::NONE)
            } else {
                self.make_exception(c)
            };
            match c {
                Ok(c) => {
                    let x = e.downcast::<ExcObj>().unwrap();
                    x.cause.set(c);
                    x.suppress_context.set(true);
                }
                Err(err) => return err,
            }
        }
        PyErr(e)
    }

    /// Turns a raised value into an exception instance (instantiating classes).
    pub(crate) fn make_exception(&mut self, e: Value) -> PyResult<Value> {
        if let Some(c) = e.downcast::<ClassObj>() {
            if !c.has(object::CLS_EXCEPTION) {
                return Err(exc::type_error("exceptions must derive from BaseException"));
            }
            let inst = self.call(&e, &[])?;
            if inst.downcast::<ExcObj>().is_none() {
                return Err(exc::type_error(format!(
                    "calling {} should have returned an instance of BaseException, not {}",
                    crate::runtime::repr::class_repr(&e),
                    crate::runtime::type_name(&inst)
                )));
            }
            return Ok(inst);
        }
        if e.downcast::<ExcObj>().is_some() {
            return Ok(e);
        }
        Err(exc::type_error("exceptions must derive from BaseException"))
    }

    fn exc_match(&mut self, e: &Value, t: &Value) -> PyResult<bool> {
        if let Some(items) = tuple::items(t) {
            for c in items {
                if self.exc_match(e, c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        match t.downcast::<ClassObj>() {
            Some(c) if c.has(object::CLS_EXCEPTION) => Ok(exc::matches(e, t)),
            _ => Err(exc::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }

    fn before_with(&mut self, mgr: &Value) -> PyResult<(Value, Value)> {
        let enter_name = crate::runtime::str::intern("__enter__");
        let exit_name = crate::runtime::str::intern("__exit__");
        let enter = self.lookup_special(mgr, &enter_name).ok_or_else(|| {
            exc::type_error(format!(
                "'{}' object does not support the context manager protocol",
                crate::runtime::type_name(mgr)
            ))
        })?;
        let exit = self.lookup_special(mgr, &exit_name).ok_or_else(|| {
            exc::type_error(format!("'{}' object does not support the context manager protocol (missed __exit__ method)", crate::runtime::type_name(mgr)))
        })?;
        let exit = self.bind(exit, mgr)?;
        let entered = self.call_method_value(&enter, mgr, &[])?;
        Ok((exit, entered))
    }

    fn new_set(&mut self, items: Vec<Value>, frozen: bool) -> PyResult<Value> {
        let cls = if frozen {
            &types().frozenset
        } else {
            &types().set
        };
        let s = object::alloc(cls, SetObj::new(frozen));
        for v in items {
            self.set_add(&s, v)?;
        }
        Ok(s)
    }

    /// Raises `e` at instruction `frame.lasti` of a frame that is not running (JIT code
    /// left it there): its handler, if any, takes over and the frame runs on; otherwise the
    /// exception leaves the frame.
    pub(crate) fn run_frame_raise(
        &mut self,
        mut frame: Box<Frame>,
        e: PyErr,
    ) -> (PyResult<FrameExit>, Box<Frame>) {
        self.set_context(&e.0);
        frame.stack.push(e.0);
        self.run_frame_throw(frame)
    }

    /// The value a finished iterator returned (set by `next` when a generator returns).
    pub(crate) fn take_stop_value(&mut self) -> Value {
        std::mem::replace(&mut self.stop_value, Value::NONE)
    }

    /// Unpacks exactly `n` items.
    pub(crate) fn unpack(&mut self, seq: &Value, n: usize) -> PyResult<Vec<Value>> {
        if let Some(items) = tuple::items(seq) {
            if items.len() == n {
                return Ok(items.to_vec());
            }
            return Err(unpack_count_error(items.len(), n));
        }
        if let Some(l) = seq.downcast::<ListObj>()
            && specialize::is_exact(seq, object::Kind::List, &types().list)
        {
            let items = l.snapshot();
            if items.len() == n {
                return Ok(items);
            }
            return Err(unpack_count_error(items.len(), n));
        }
        let it = self.get_iter(seq).map_err(|_| {
            exc::type_error(format!(
                "cannot unpack non-iterable {} object",
                crate::runtime::type_name(seq)
            ))
        })?;
        let mut out = Vec::with_capacity(n);
        while let Some(v) = self.next(&it)? {
            if out.len() == n {
                return Err(exc::value_error(format!(
                    "too many values to unpack (expected {n})"
                )));
            }
            out.push(v);
        }
        if out.len() < n {
            return Err(exc::value_error(format!(
                "not enough values to unpack (expected {n}, got {})",
                out.len()
            )));
        }
        Ok(out)
    }

    fn unpack_ex(&mut self, seq: &Value, before: usize, after: usize) -> PyResult<Vec<Value>> {
        let items = self.collect(seq).map_err(|e| {
            if exc::matches(&e.0, &types().type_error) {
                exc::type_error(format!(
                    "cannot unpack non-iterable {} object",
                    crate::runtime::type_name(seq)
                ))
            } else {
                e
            }
        })?;
        if items.len() < before + after {
            return Err(exc::value_error(format!(
                "not enough values to unpack (expected at least {}, got {})",
                before + after,
                items.len()
            )));
        }
        let mut out = Vec::with_capacity(before + after + 1);
        out.extend_from_slice(&items[..before]);
        out.push(crate::runtime::list::new(
            items[before..items.len() - after].to_vec(),
        ));
        out.extend_from_slice(&items[items.len() - after..]);
        Ok(out)
    }

    fn import_star(&mut self, m: &Value, f: &Frame) -> PyResult<()> {
        let md = self.getattr(m, &crate::runtime::str::intern("__dict__"))?;
        let target = if f.locals.is_undef() {
            f.globals.clone()
        } else {
            f.locals.clone()
        };
        let d = md.downcast::<DictObj>().unwrap();
        for (k, v) in d.items() {
            if as_str(&k).is_some_and(|s| !s.starts_with('_')) {
                self.dict_set(&target, k, v)?;
            }
        }
        Ok(())
    }
}

/// Int and float arithmetic that needs no call (the common case of BINARY_OP).
#[inline(always)]
pub(crate) fn fast_binop(a: &Value, b: &Value, op: u32) -> Option<Value> {
    use bc::binop::*;
    let base = if op >= INPLACE { op - INPLACE } else { op };
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        let r = match base {
            ADD => x + y,
            SUBTRACT => x - y,
            MULTIPLY => x.checked_mul(y)?,
            AND => x & y,
            OR => x | y,
            XOR => x ^ y,
            _ => return None,
        };
        return if Value::fits_small(r) {
            Some(Value::small_int(r))
        } else {
            None
        };
    }
    let x = a
        .as_float()
        .or_else(|| a.as_small_int().map(|i| i as f64))?;
    let y = b
        .as_float()
        .or_else(|| b.as_small_int().map(|i| i as f64))?;
    if !a.is_float() && !b.is_float() {
        return None;
    }
    Some(Value::float(match base {
        ADD => x + y,
        SUBTRACT => x - y,
        MULTIPLY => x * y,
        TRUE_DIVIDE if y != 0.0 => x / y,
        _ => return None,
    }))
}

/// Comparisons of two small ints or two floats.
#[inline(always)]
pub(crate) fn fast_compare(a: &Value, b: &Value, op: u32) -> Option<bool> {
    use bc::cmpop::*;
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Some(match op {
            LT => x < y,
            LE => x <= y,
            EQ => x == y,
            NE => x != y,
            GT => x > y,
            _ => x >= y,
        });
    }
    if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
        return Some(match op {
            LT => x < y,
            LE => x <= y,
            EQ => x == y,
            NE => x != y,
            GT => x > y,
            _ => x >= y,
        });
    }
    None
}

fn unpack_count_error(got: usize, n: usize) -> PyErr {
    if got > n {
        exc::value_error(format!("too many values to unpack (expected {n})"))
    } else {
        exc::value_error(format!(
            "not enough values to unpack (expected {n}, got {got})"
        ))
    }
}

/// The `value` of a StopIteration instance.
pub(crate) fn stop_value(e: &Value) -> Value {
    let x = e.downcast::<ExcObj>().unwrap();
    let args = x.args.get();
    tuple::items(&args)
        .and_then(|a| a.first().cloned())
        .unwrap_or(Value::NONE)
}

#[allow(dead_code)]
fn _int_used() -> i64 {
    int::hash_i64(0)
}

/// MAKE_FUNCTION: a function of module `globals` from the code object, then the closure,
/// annotations, keyword defaults and defaults that `flags` says are there, in the order
/// `pop` gives them (top of the stack first).
pub(crate) fn make_function(globals: &Value, flags: u32, mut pop: impl FnMut() -> Value) -> Value {
    let codev = pop();
    let closure = if flags & bc::MF_CLOSURE != 0 {
        pop()
    } else {
        Value::UNDEF
    };
    let annotations = if flags & 4 != 0 { Some(pop()) } else { None };
    let kwdefaults = if flags & bc::MF_KWDEFAULTS != 0 {
        pop()
    } else {
        Value::UNDEF
    };
    let defaults = if flags & bc::MF_DEFAULTS != 0 {
        pop()
    } else {
        Value::UNDEF
    };
    let code = codev
        .downcast::<object::CodeObj>()
        .expect("code")
        .code
        .clone();
    let module = globals.downcast::<DictObj>().and_then(|d| {
        let n = crate::runtime::str::intern("__name__");
        d.get_fast(&n, crate::runtime::str::hash_of(&n))
    });
    let func = object::alloc(
        &types().function,
        FuncObj {
            name: Slot::new(code.name.clone()),
            qualname: Slot::new(code.qualname.clone()),
            doc: Slot::new(code.doc.clone()),
            code,
            globals: globals.clone(),
            defaults: Slot::new(defaults),
            kwdefaults: Slot::new(kwdefaults),
            closure: Slot::new(closure),
            dict: Slot::new(Value::UNDEF),
            module: Slot::new(module.unwrap_or(Value::NONE)),
        },
    );
    if let Some(ann) = annotations {
        // Kept in the function's attribute dict, where `f.__annotations__` finds it.
        if let Some(d) = crate::runtime::attr::instance_dict(&func) {
            crate::runtime::attr::dict_set_str(
                d.downcast::<DictObj>().unwrap(),
                "__annotations__",
                ann,
            );
        }
    }
    func
}
