//! What a sampling profiler may do from a signal handler that interrupts the VM's thread:
//! copy the Python stack ([`ExecState::walk`]) and ask the VM to call back at its next safe
//! point ([`ExecState::request_tick`]). Both are async-signal-safe: no allocation, no locks,
//! only loads from frames that are live while they are published.
//!
//! Frames are published in [`ExecState::frame`] and chained through [`Frame::back`]. The
//! interpreter publishes a frame when it starts or resumes running it (and the caller again
//! before a finished callee's frame is released); JIT code's callees are published by
//! `run_jit`. A frame's `lasti` is exact in the interpreter. In JIT code it is stale, so a
//! frame running there ([`Frame::in_jit`]) gives `head.ip` instead, which JIT code stores
//! before every helper call and tier-0 step: exact for a frame waiting on a callee or a
//! helper. Where the pc or a return address is inside JIT code, the sampler's code map
//! lookup is exact in any case.

use crate::ExecState;
use crate::interp::frame::Frame;
use std::sync::atomic::Ordering;

/// How many Python frames a sample keeps (innermost first); deeper stacks are truncated.
pub const MAX_PY_DEPTH: usize = 48;

/// One Python frame of a sample: the code object (its address, `Rc::as_ptr`) and the index
/// of the instruction it was executing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct RawFrame {
    /// `Rc::as_ptr` of the frame's code object (see [`crate::Vm::code_objects`]).
    pub code: usize,
    /// The frame's `lasti`, or `head.ip` while it runs in JIT code.
    pub ip: u32,
}

/// The Python stack at a sample, innermost frame first.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub struct RawPyStack {
    /// Frames used.
    pub depth: u32,
    /// True when the stack had more than [`MAX_PY_DEPTH`] frames.
    pub truncated: bool,
    /// The frames, innermost first.
    pub frames: [RawFrame; MAX_PY_DEPTH],
}

impl Default for RawPyStack {
    fn default() -> RawPyStack {
        RawPyStack {
            depth: 0,
            truncated: false,
            frames: [RawFrame::default(); MAX_PY_DEPTH],
        }
    }
}

impl ExecState {
    /// Copies the published Python stack into `out`, innermost frame first.
    ///
    /// # Safety
    /// Call it on the VM's thread only (from a signal handler that interrupted it, or
    /// between instructions), while the `Vm` that owns `self` is alive.
    pub unsafe fn walk(&self, out: &mut RawPyStack) {
        let mut p: *const Frame = self.frame.load(Ordering::Relaxed);
        let mut n = 0;
        out.truncated = false;
        while !p.is_null() {
            if n == MAX_PY_DEPTH {
                out.truncated = true;
                break;
            }
            // SAFETY: a published frame and every frame on its `back` chain are live boxed
            // frames for as long as they are published (see the module docs); the caller is on
            // the VM thread, so none of them is being moved or freed concurrently: at worst the
            // interrupted code is between two plain stores of a field read here.
            let (code, ip, back) = unsafe {
                let ip = if (*p).in_jit {
                    (*p).head.ip
                } else {
                    (*p).lasti
                };
                (
                    std::rc::Rc::as_ptr(&(*p).code) as usize,
                    ip as u32,
                    (*p).back,
                )
            };
            out.frames[n] = RawFrame { code, ip };
            n += 1;
            if std::ptr::eq(back, p) {
                break;
            }
            p = back;
        }
        out.depth = n as u32;
    }

    /// Asks the VM to raise KeyboardInterrupt at its next safe point (what Ctrl-C does).
    /// Async-signal-safe.
    ///
    /// # Safety
    /// As [`ExecState::request_tick`]: on the VM's thread, while the VM is alive.
    pub unsafe fn interrupt(&self) {
        self.interrupted.store(true, Ordering::Relaxed);
        // SAFETY: the caller's contract is `request_tick`'s; the tick flag it also sets only
        // makes the VM run its hook (or nothing) once more.
        unsafe { self.request_tick() };
    }

    /// Asks the VM to run its tick hook ([`crate::Vm::set_tick_hook`]) at its next safe
    /// point. Async-signal-safe.
    ///
    /// # Safety
    /// Call it on the VM's thread only (the safe-point flag is a plain thread-local byte),
    /// while the `Vm` that owns `self` is alive.
    pub unsafe fn request_tick(&self) {
        self.tick.store(true, Ordering::Relaxed);
        let flag = self.safe_point_flag.load(Ordering::Relaxed) as *mut u8;
        if !flag.is_null() {
            // SAFETY: the address of the VM thread's safe-point byte, set in `Vm::new`; we run
            // on that thread, so the store cannot race with the VM's own (it interleaves).
            unsafe { std::ptr::write_volatile(flag, 1) };
        }
    }
}
