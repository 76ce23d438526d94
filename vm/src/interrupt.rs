//! Ctrl-C: SIGINT raises KeyboardInterrupt in the running program at its next safe point,
//! as in CPython, so that `try`/`finally` blocks run and tools (the profiler) can finish
//! their work before the process ends.
//!
//! The handler must run on the VM's thread (it sets a thread-local flag): every other
//! thread of the process blocks SIGINT ([`block_in_this_thread`]), so the kernel delivers
//! the process's SIGINT there.

use crate::ExecState;
use std::sync::atomic::{AtomicPtr, Ordering};

static STATE: AtomicPtr<ExecState> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn on_sigint(_sig: libc::c_int) {
    let state = STATE.load(Ordering::Acquire);
    if !state.is_null() {
        // SAFETY: `STATE` is set by `install` on the VM thread to its VM's state, which
        // outlives the run (the VM is never freed before the process exits); the handler
        // runs on the VM thread (other threads block SIGINT).
        unsafe { (*state).interrupt() };
    }
}

/// Makes SIGINT raise KeyboardInterrupt in `state`'s VM. Call it on the VM's thread, for a
/// VM that lives until the process exits; SIGINT is unblocked for this thread.
pub fn install(state: &ExecState) {
    STATE.store(
        state as *const ExecState as *mut ExecState,
        Ordering::Release,
    );
    // SAFETY: installs an async-signal-safe handler (one atomic load, two stores); `act` is
    // initialised before use.
    unsafe {
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = on_sigint as *const () as usize;
        act.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut act.sa_mask);
        libc::sigaction(libc::SIGINT, &act, std::ptr::null_mut());
    }
    set_signal_blocked(libc::SIGINT, false);
}

/// Blocks SIGINT in the calling thread (every thread but the VM's).
pub fn block_in_this_thread() {
    set_signal_blocked(libc::SIGINT, true);
}

/// Blocks (`true`) or unblocks `signal` in the calling thread only (the sampler uses it for
/// SIGPROF too).
pub fn set_signal_blocked(signal: libc::c_int, block: bool) {
    // SAFETY: changes the calling thread's signal mask only; `set` is initialised by
    // sigemptyset before use.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, signal);
        let how = if block {
            libc::SIG_BLOCK
        } else {
            libc::SIG_UNBLOCK
        };
        libc::pthread_sigmask(how, &set, std::ptr::null_mut());
    }
}
