//! Running tier 1: when a code object is compiled, how the interpreter enters its JIT code
//! and takes the frame back, and the helpers JIT code calls (`jit_dealloc`,
//! `jit_tier0_step`).
//!
//! **Tier-up.** Each code object counts function entries (RESUME) and loop back edges
//! (JUMP_BACKWARD) in one warmth counter; at the threshold it is compiled. The interpreter
//! enters JIT code at the instruction after RESUME (a call) or at a back edge's target (a
//! loop header: on-stack replacement). JIT code returns with the frame intact and the
//! interpreter goes on at `frame.ip`: after a guard failed (a side exit), at a RETURN_VALUE
//! (which the interpreter performs), or after a jump taken by an instruction run in tier 0.
//!
//! **The frame while JIT code runs.** The loop's `Box<Frame>` moves onto
//! `Vm::jit_frames`; the JIT holds the stack pointer in a register and publishes it in the
//! frame's [`FrameHead`] whenever it leaves or calls `jit_tier0_step`, which runs one
//! instruction of that frame in the interpreter.

use super::abi::{FrameHead, STATUS_ERROR, STATUS_EXIT, StencilFn};
use super::compile::{Helpers, JitCode, RegionKind};
use crate::code::Code;
use crate::interp::eval::FrameExit;
use crate::interp::frame::Frame;
use crate::vm::Vm;
use crate::{PyResult, Value};
use jitlens_compiler::bytecode::Op;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `run_jit`'s status for "an op helper raised at `frame.ip`" (the VM side only; JIT code
/// exits with `STATUS_EXIT`).
pub(crate) const STATUS_RAISE: u64 = 3;

/// `-X jit=…` / `JITLENS_JIT`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JitMode {
    /// Interpreter only.
    Off,
    /// Compile code objects once they are warm (the default).
    #[default]
    On,
    /// Compile every code object before it first runs.
    Always,
}

/// Why tier 1 is unavailable on this platform, if it is (`-X stats` says so).
pub const UNAVAILABLE: Option<&str> = if cfg!(jitlens_no_stencils) {
    Some("the JIT is off: there are stencils for x86-64 Linux only")
} else {
    None
};

/// Function entries plus loop back edges after which a code object is compiled.
pub const DEFAULT_THRESHOLD: u32 = 1000;

/// After this many side exits, a code object's JIT code is discarded and it may be compiled
/// again (from its bytecode as quickened by then), at most [`MAX_RECOMPILES`] times.
const DISCARD_AFTER_EXITS: u64 = 20_000;
const MAX_RECOMPILES: u32 = 3;

/// The largest share of a code object's instructions that may need the tier-0 stencil for
/// compiling it to pay off (each such instruction costs a trip through the interpreter
/// loop, several times an interpreted instruction). `-X jit=always` ignores it.
const MAX_TIER0_SHARE: f64 = 0.10;

/// A code object's tier-1 state.
#[derive(Debug, Default)]
pub struct JitSlot {
    warmth: Cell<u32>,
    code: RefCell<Option<Rc<JitCode>>>,
    failed: Cell<bool>,
    recompiles: Cell<u32>,
    exits: Cell<u64>,
    /// Side exits of the current code per instruction.
    exits_at: RefCell<std::collections::HashMap<u32, u64>>,
    /// Instructions that kept side-exiting in discarded code: the next compilation gives
    /// them their generic helper (see `compile::compile`).
    generic_at: RefCell<Vec<u32>>,
}

impl JitSlot {
    /// The compiled code, if any.
    pub fn code(&self) -> Option<Rc<JitCode>> {
        self.code.borrow().clone()
    }
    /// True if the code object has JIT code.
    #[inline]
    pub fn is_compiled(&self) -> bool {
        self.code.borrow().is_some()
    }
}

/// One compilation, for `-X stats` and the tools.
#[derive(Clone, Debug)]
pub struct CompileEvent {
    /// When it happened: nanoseconds since the VM was created.
    pub at_ns: u64,
    /// The code object (`Rc::as_ptr`, as in [`crate::sampling::RawFrame::code`]).
    pub code: usize,
    /// The code object's qualified name.
    pub qualname: String,
    /// Its file and first line.
    pub filename: Rc<str>,
    /// First line.
    pub first_line: u32,
    /// Microseconds the compile took.
    pub micros: f64,
    /// Machine-code bytes.
    pub code_bytes: usize,
    /// Bytecode bytes, and inline cache bytes.
    pub bytecode_bytes: usize,
    /// Inline cache bytes.
    pub cache_bytes: usize,
    /// Instructions with a fast stencil, and with the tier-0 stencil.
    pub fast: usize,
    /// Instructions run through the tier-0 stencil.
    pub tier0: usize,
}

/// Tier-1 counters.
#[derive(Default)]
pub struct JitStats {
    /// Every compilation, in order.
    pub compiled: Vec<CompileEvent>,
    /// Entries at a function start.
    pub call_entries: u64,
    /// Entries at a loop header (OSR).
    pub osr_entries: u64,
    /// Side exits per (code object, instruction, op name).
    pub side_exits: std::collections::HashMap<(usize, u32), (Rc<Code>, &'static str, u64)>,
    /// Compiled code discarded after too many side exits.
    pub discarded: u64,
    /// Compile failures (the code stays in tier 0).
    pub failures: Vec<String>,
    /// Instructions JIT code ran through the tier-0 stencil.
    pub tier0_steps: u64,
}

impl JitStats {
    /// The tier-1 part of the `-X stats` report.
    pub fn report(&self) -> String {
        use std::fmt::Write;
        let mut out = String::from("jitlens stats: JIT (tier 1)\n");
        let mut us: Vec<f64> = self.compiled.iter().map(|c| c.micros).collect();
        us.sort_by(f64::total_cmp);
        let median = us.get(us.len() / 2).copied().unwrap_or(0.0);
        let max = us.last().copied().unwrap_or(0.0);
        let code: usize = self.compiled.iter().map(|c| c.code_bytes).sum();
        let bytecode: usize = self.compiled.iter().map(|c| c.bytecode_bytes).sum();
        let cache: usize = self.compiled.iter().map(|c| c.cache_bytes).sum();
        let _ = writeln!(
            out,
            "  code objects compiled: {}  compile time: median {median:.1} us, max {max:.1} us",
            self.compiled.len()
        );
        let _ = writeln!(
            out,
            "  JIT code: {code} bytes, for {bytecode} bytes of bytecode + {cache} bytes of inline caches"
        );
        let _ = writeln!(
            out,
            "  entries: {} at calls, {} at loop headers (OSR); tier-0 steps: {}; code discarded: {}",
            self.call_entries, self.osr_entries, self.tier0_steps, self.discarded
        );
        for c in &self.compiled {
            let _ = writeln!(
                out,
                "    {} ({}:{}): {:.1} us, {} bytes, {} fast / {} tier-0 instructions",
                c.qualname, c.filename, c.first_line, c.micros, c.code_bytes, c.fast, c.tier0
            );
        }
        for f in &self.failures {
            let _ = writeln!(out, "  not compiled: {f}");
        }
        let mut exits: Vec<_> = self.side_exits.values().collect();
        exits.sort_by_key(|e| std::cmp::Reverse(e.2));
        if !exits.is_empty() {
            let total: u64 = exits.iter().map(|e| e.2).sum();
            let _ = writeln!(out, "  side exits: {total}; by site:");
        }
        for (code, op, n) in exits.iter().take(10) {
            let name = crate::runtime::str::as_str(&code.qualname).unwrap_or("?");
            let _ = writeln!(out, "    {n:>10}  {name} {op}");
        }
        out
    }
}

/// `jit_dealloc`: frees an object whose count JIT code dropped to zero.
unsafe extern "C" fn jit_dealloc(obj: *mut u8) {
    crate::object::dealloc(obj as *const crate::object::Header);
}

/// `jit_tier0_step`: runs the instruction at `head.ip` of the frame on top of
/// `Vm::jit_frames` in the interpreter (calls it makes run to completion).
unsafe extern "C" fn jit_tier0_step(head: *mut FrameHead, vm: *mut u8) -> i64 {
    // SAFETY: JIT code passes the `vm` pointer `run_jit` gave it; `run_jit`'s caller does
    // not touch the VM while JIT code runs.
    let vm = unsafe { &mut *(vm as *mut Vm) };
    vm.jit_stats.tier0_steps += 1;
    let mut f = vm
        .jit_frames
        .pop()
        .expect("jit_tier0_step outside JIT code");
    debug_assert!(std::ptr::eq(&f.head, head));
    f.sync_from_head();
    let start = f.ip;
    let (op, _) = f.code.instr(start);
    let next = start + 1 + op.cache_words() as usize;
    vm.set_tier(0);
    let (r, mut f) = vm.run_frame_step(f);
    vm.set_tier(1);
    let status = match r {
        Ok(()) => {
            if f.ip != next {
                vm.jit_tier0_jumped = true;
            }
            STATUS_EXIT as i64
        }
        Err(e) => {
            vm.jit_error = Some(e);
            STATUS_ERROR as i64
        }
    };
    let ip = f.ip;
    f.head_for_jit(ip);
    vm.jit_frames.push(f);
    status
}

impl Vm {
    /// The addresses every compiled code object is patched with.
    fn jit_helpers(&self) -> Helpers {
        Helpers {
            dealloc: jit_dealloc as *const () as u64,
            tier0_step: jit_tier0_step as *const () as u64,
            pending: crate::object::gc::pending_flag_addr(),
        }
    }

    /// Publishes which tier runs (for the profiler).
    #[inline(always)]
    pub(crate) fn set_tier(&self, tier: u32) {
        self.state
            .tier
            .store(tier, std::sync::atomic::Ordering::Relaxed);
    }

    /// Counts one entry or back edge of `code`; returns its JIT code when it has some (after
    /// compiling it, when this made it warm enough).
    #[inline]
    pub(crate) fn jit_warm(&mut self, code: &Rc<Code>) -> Option<Rc<JitCode>> {
        let slot = &code.jit;
        if let Some(c) = slot.code.borrow().as_ref() {
            return Some(c.clone());
        }
        if slot.failed.get() {
            return None;
        }
        let w = slot.warmth.get() + 1;
        slot.warmth.set(w);
        if w < self.jit_threshold {
            return None;
        }
        self.jit_compile(code)
    }

    #[cold]
    fn jit_compile(&mut self, code: &Rc<Code>) -> Option<Rc<JitCode>> {
        let slot = &code.jit;
        let generic_at = slot.generic_at.borrow().clone();
        match super::compile::compile(code, &self.jit_helpers(), &generic_at) {
            Ok(jc) => {
                let mut fast = 0;
                let mut tier0 = 0;
                for r in &jc.regions {
                    match r.kind {
                        RegionKind::Fast | RegionKind::Helper => fast += 1,
                        RegionKind::Tier0 => tier0 += 1,
                        RegionKind::Exit => {}
                    }
                }
                let share = tier0 as f64 / (fast + tier0).max(1) as f64;
                if self.jit_threshold > 0 && share > MAX_TIER0_SHARE {
                    slot.failed.set(true);
                    let name = crate::runtime::str::as_str(&code.qualname).unwrap_or("?");
                    let mut ops: Vec<&str> = jc
                        .regions
                        .iter()
                        .filter(|r| r.kind == RegionKind::Tier0)
                        .map(|r| r.op.name())
                        .collect();
                    ops.sort_unstable();
                    ops.dedup();
                    self.jit_stats.failures.push(format!(
                        "{name}: {tier0} of {} instructions would run through the tier-0 \
                         stencil (more than {:.0}%): {}",
                        fast + tier0,
                        MAX_TIER0_SHARE * 100.0,
                        ops.join(" ")
                    ));
                    return None;
                }
                let words = code.instrs.len();
                let cache_words: usize = jc
                    .regions
                    .iter()
                    .filter(|r| r.kind != RegionKind::Exit)
                    .map(|r| r.op.cache_words() as usize)
                    .sum();
                self.jit_stats.compiled.push(CompileEvent {
                    at_ns: self.started.elapsed().as_nanos() as u64,
                    code: Rc::as_ptr(code) as usize,
                    qualname: crate::runtime::str::as_str(&code.qualname)
                        .unwrap_or("?")
                        .to_string(),
                    filename: code.filename.clone(),
                    first_line: code.first_line,
                    micros: jc.compile_ns as f64 / 1000.0,
                    code_bytes: jc.code_len,
                    bytecode_bytes: (words - cache_words) * 4,
                    cache_bytes: cache_words * 4,
                    fast,
                    tier0,
                });
                let jc = Rc::new(jc);
                *slot.code.borrow_mut() = Some(jc.clone());
                self.jit_codes.push((code.clone(), jc.clone()));
                if let Some(p) = &mut self.perf {
                    p.code_loaded(code, &jc);
                }
                Some(jc)
            }
            Err(e) => {
                slot.failed.set(true);
                let name = crate::runtime::str::as_str(&code.qualname).unwrap_or("?");
                self.jit_stats.failures.push(format!("{name}: {e}"));
                None
            }
        }
    }

    /// Runs `f` in JIT code `jc` from instruction `ip` until it leaves; returns the status
    /// (`STATUS_EXIT`: go on interpreting at `f.ip`; `STATUS_ERROR`: `jit_error` holds the
    /// exception, which has left this frame's handlers behind) and the frame.
    pub(crate) fn run_jit(
        &mut self,
        mut f: Box<Frame>,
        jc: &Rc<JitCode>,
        ip: usize,
        osr: bool,
    ) -> (u64, Box<Frame>) {
        let Some(entry) = jc.entry(ip) else {
            return (STATUS_EXIT, f);
        };
        if osr {
            self.jit_stats.osr_entries += 1;
        } else {
            self.jit_stats.call_entries += 1;
        }
        let max_stack = f.code.max_stack as usize;
        f.stack.reserve_total(max_stack + 1);
        // A callee entered straight into JIT code (not through the interpreter, which
        // publishes its frames) is published here, for the sampler.
        let prev = self.state.frame.load(std::sync::atomic::Ordering::Relaxed);
        let entered = !std::ptr::eq(prev, &*f);
        if entered {
            f.back = prev;
            self.publish(&f);
        }
        let head = f.head_for_jit(ip);
        // SAFETY: `head` was just filled from the frame.
        let sp = unsafe { (*head).stack_top };
        f.in_jit = true;
        self.jit_frames.push(f);
        self.set_tier(1);
        // SAFETY: `entry` is the start of a patched stencil in live, executable JIT code
        // (`jc` keeps it mapped for the call); every stencil has the `StencilFn` signature
        // and expects the frame's head, its stack top, and the VM. The frame's stack has room
        // for `max_stack` values, which bounds what the code pushes.
        let status = unsafe {
            let func = std::mem::transmute::<u64, StencilFn>(entry);
            func(head, sp, self as *mut Vm as *mut u8)
        };
        self.set_tier(0);
        if entered {
            self.state
                .frame
                .store(prev, std::sync::atomic::Ordering::Relaxed);
        }
        let mut f = self.jit_frames.pop().expect("the JIT frame");
        f.in_jit = false;
        f.sync_from_head();
        if status == STATUS_EXIT {
            if let Some(e) = self.jit_raise.take() {
                // An op helper raised: the interpreter raises it at the instruction.
                f.lasti = f.ip;
                self.jit_error = Some(e);
                return (STATUS_RAISE, f);
            }
            self.count_exit(&f, jc);
        }
        (status, f)
    }

    /// Runs a Python frame just built for a call from JIT code (its RESUME not yet run) to
    /// its return: in its JIT code when it has some (compiling it when this call makes it
    /// warm), in the interpreter otherwise and from wherever JIT code leaves it.
    #[inline]
    pub(crate) fn run_callee(&mut self, f: Box<Frame>) -> PyResult<Value> {
        use super::abi::STATUS_RETURN;
        self.safe_point()?;
        let Some(jc) = self.jit_warm(&f.code) else {
            return self.run_frame_to_end(f);
        };
        // Enter after RESUME (which this function just did the work of).
        let (status, mut f) = self.run_jit(f, &jc, 1, false);
        let (r, f) = match status {
            STATUS_RETURN => {
                let v = f.stack.pop().expect("the return value");
                if f.init_self.is_undef() {
                    (Ok(v), f)
                } else if v.is_none() {
                    // An `__init__` run for a class call: the call gives the instance.
                    (Ok(std::mem::take(&mut f.init_self)), f)
                } else {
                    let msg = format!(
                        "__init__() should return None, not '{}'",
                        crate::runtime::type_name(&v)
                    );
                    (Err(crate::runtime::exc::type_error(msg)), f)
                }
            }
            STATUS_ERROR => (Err(self.jit_error.take().expect("the JIT's exception")), f),
            STATUS_RAISE => {
                let e = self.jit_error.take().expect("the helper's exception");
                match self.run_frame_raise(f, e) {
                    (Ok(x), f) => (Self::returned(x), f),
                    (Err(e), f) => (Err(e), f),
                }
            }
            _ => self.finish_in_tier0(f),
        };
        self.release_frame(f);
        r
    }

    /// Resumes a suspended generator frame (its sent value pushed, `ip` just past its
    /// YIELD_VALUE) in the frame's JIT code, when it has some, up to its next yield, its
    /// return or an exception. JIT code leaves just before a YIELD_VALUE; the yield is done
    /// here, so a generator that loops in tier 1 never enters the interpreter. A frame
    /// without JIT code comes back untouched (`Err`), for the interpreter.
    pub(crate) fn resume_in_jit(
        &mut self,
        f: Box<Frame>,
    ) -> Result<(PyResult<FrameExit>, Box<Frame>), Box<Frame>> {
        use super::abi::STATUS_RETURN;
        let Some(jc) = f.code.jit.code.borrow().clone() else {
            return Err(f);
        };
        let ip = f.ip;
        let (status, mut f) = self.run_jit(f, &jc, ip, true);
        Ok(match status {
            STATUS_EXIT if f.code.instr(f.ip).0 == Op::YIELD_VALUE => {
                let v = f.stack.pop().expect("the yielded value");
                f.lasti = f.ip;
                f.ip += 1;
                (Ok(FrameExit::Yield(v)), f)
            }
            STATUS_RETURN => {
                let v = f.stack.pop().expect("the return value");
                (Ok(FrameExit::Return(v)), f)
            }
            STATUS_ERROR => (Err(self.jit_error.take().expect("the JIT's exception")), f),
            STATUS_RAISE => {
                let e = self.jit_error.take().expect("the helper's exception");
                self.run_frame_raise(f, e)
            }
            _ => self.run_frame(f),
        })
    }

    /// Runs a frame JIT code left, in the interpreter, to its return.
    fn finish_in_tier0(&mut self, f: Box<Frame>) -> (PyResult<Value>, Box<Frame>) {
        match self.run_frame(f) {
            (Ok(x), f) => (Self::returned(x), f),
            (Err(e), f) => (Err(e), f),
        }
    }

    fn returned(x: crate::interp::eval::FrameExit) -> PyResult<Value> {
        match x {
            crate::interp::eval::FrameExit::Return(v) => Ok(v),
            crate::interp::eval::FrameExit::Yield(_) => Err(crate::runtime::exc::runtime_error(
                "jitlens: a JIT-called frame yielded",
            )),
        }
    }

    /// Books a return to the interpreter at `f.ip`: a side exit unless it was a RETURN_VALUE
    /// or a jump taken in the tier-0 stencil.
    fn count_exit(&mut self, f: &Frame, jc: &Rc<JitCode>) {
        if std::mem::take(&mut self.jit_tier0_jumped) {
            return;
        }
        let ip = f.ip;
        let (op, _) = f.code.instr(ip.min(f.code.instrs.len().saturating_sub(1)));
        if op == jitlens_compiler::bytecode::Op::YIELD_VALUE {
            // Not a guard: generators always suspend in the interpreter.
            return;
        }
        let key = (Rc::as_ptr(&f.code) as usize, ip as u32);
        let e = self
            .jit_stats
            .side_exits
            .entry(key)
            .or_insert_with(|| (f.code.clone(), op.name(), 0));
        e.2 += 1;
        let slot = &f.code.jit;
        let n = slot.exits.get() + 1;
        slot.exits.set(n);
        *slot.exits_at.borrow_mut().entry(ip as u32).or_default() += 1;
        if n >= DISCARD_AFTER_EXITS
            && slot
                .code
                .borrow()
                .as_ref()
                .is_some_and(|c| Rc::ptr_eq(c, jc))
        {
            // The code was compiled for operand types the program no longer has: drop it
            // (running activations keep their `Rc`), and let it warm up again.
            *slot.code.borrow_mut() = None;
            slot.exits.set(0);
            // Sites with a good share of the exits get their generic helper next time.
            let mut generic = slot.generic_at.borrow_mut();
            for (ip, k) in slot.exits_at.borrow_mut().drain() {
                if k * 8 >= n && !generic.contains(&ip) {
                    generic.push(ip);
                }
            }
            drop(generic);
            slot.warmth.set(0);
            let r = slot.recompiles.get() + 1;
            slot.recompiles.set(r);
            if r > MAX_RECOMPILES {
                slot.failed.set(true);
            }
            self.jit_stats.discarded += 1;
        }
    }
}
