//! The cycle collector: reclaims groups of container objects that only reference each other.
//!
//! Reference counting frees everything else. Every container (an object whose layout can
//! hold references, `ObjData::TRACKED`) is registered in a table. A collection runs CPython's
//! algorithm, which needs no knowledge of roots:
//!
//! 1. copy each tracked object's reference count into `gc_refs`;
//! 2. for every reference *from* a tracked object *to* a tracked object, decrement the
//!    target's `gc_refs`: what remains counts references from outside the tracked set
//!    (frames, native code, untracked objects);
//! 3. everything reachable from an object with `gc_refs > 0` is alive;
//! 4. the rest is garbage: hold a reference to each, clear them (which breaks the cycles),
//!    then release the held references, which frees them.
//!
//! Because native code's references count as "from outside", a collection is safe wherever
//! the interpreter chooses to run it; it runs at safepoints once enough containers were
//! allocated since the last one (the threshold grows with the live container count, so the
//! cost stays proportional to allocation).

use super::{Header, clear, decref, incref, traverse};
use crate::value::Value;
use std::cell::{Cell, RefCell};

/// `Header::gc_idx` of an object the collector does not know.
pub const UNTRACKED: u32 = u32::MAX;

const REACHABLE: u8 = 1;
const MIN_THRESHOLD: usize = 20_000;

/// Counters kept by the collector.
#[derive(Default, Clone, Copy, Debug)]
pub struct GcStats {
    /// Collections run.
    pub collections: u64,
    /// Objects freed by collections (cycle members).
    pub collected: u64,
    /// Total time spent collecting, in nanoseconds.
    pub total_ns: u64,
}

struct GcState {
    objs: Vec<*const Header>,
    allocs: usize,
    threshold: usize,
    stats: GcStats,
}

thread_local! {
    static STATE: RefCell<GcState> = const {
        RefCell::new(GcState { objs: Vec::new(), allocs: 0, threshold: MIN_THRESHOLD, stats: GcStats { collections: 0, collected: 0, total_ns: 0 } })
    };
    static PENDING: Cell<bool> = const { Cell::new(false) };
    static ENABLED: Cell<bool> = const { Cell::new(true) };
}

pub(crate) fn track(p: *const Header) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        // SAFETY: `p` is a live, just-allocated object.
        unsafe { (*p).gc_idx.set(s.objs.len() as u32) };
        s.objs.push(p);
        s.allocs += 1;
        if s.allocs > s.threshold {
            PENDING.with(|f| f.set(true));
        }
    })
}

pub(crate) fn untrack(p: *const Header) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        // SAFETY: `p` is a tracked object being freed; the moved one is tracked and alive.
        unsafe {
            let idx = (*p).gc_idx.get() as usize;
            s.objs.swap_remove(idx);
            if let Some(&moved) = s.objs.get(idx) {
                (*moved).gc_idx.set(idx as u32);
            }
            (*p).gc_idx.set(UNTRACKED);
        }
        s.allocs = s.allocs.saturating_sub(1);
    })
}

/// Address of this thread's "safe point work pending" byte (a `Cell<bool>`), which JIT code
/// polls at loop back edges and the interpreter at back edges and calls. It is set when a
/// collection is due, and by a sampler that wants the VM to fold its samples
/// ([`crate::ExecState::request_tick`]).
pub fn pending_flag_addr() -> u64 {
    PENDING.with(|f| f as *const std::cell::Cell<bool> as u64)
}

/// Asks for a safe point (work for the VM: a generator to close).
pub(crate) fn request_safe_point() {
    PENDING.with(|f| f.set(true));
}

/// True when there is safe-point work: a collection may be due, or a tick was requested.
#[inline(always)]
pub fn pending() -> bool {
    PENDING.with(|f| f.get())
}

/// Turns automatic collection on or off (`gc.enable()` / `gc.disable()`).
pub fn set_enabled(on: bool) {
    ENABLED.with(|e| e.set(on));
}

/// Collector statistics so far.
pub fn stats() -> GcStats {
    STATE.with(|s| s.borrow().stats)
}

/// Number of tracked containers.
pub fn tracked_count() -> usize {
    STATE.with(|s| s.borrow().objs.len())
}

/// At a safe point with work pending: clears the flag, and collects if enough containers
/// were allocated and collection is enabled.
pub fn maybe_collect() {
    if pending() {
        PENDING.with(|f| f.set(false));
        let due = STATE.with(|s| {
            let s = s.borrow();
            s.allocs > s.threshold
        });
        if due && ENABLED.with(|e| e.get()) {
            collect();
        }
    }
}

/// Runs a full collection; returns the number of objects found unreachable.
pub fn collect() -> usize {
    PENDING.with(|f| f.set(false));
    let start = std::time::Instant::now();
    let objs: Vec<*const Header> = STATE.with(|s| s.borrow().objs.clone());
    // SAFETY: every pointer in the table is a live tracked object, and nothing is freed
    // until step 4, which holds a reference to each object it touches.
    let garbage: Vec<*const Header> = unsafe {
        for &p in &objs {
            (*p).gc_refs.set((*p).rc.get() as i32);
            (*p).gc_flags.set(0);
        }
        for &p in &objs {
            traverse(p, &mut |child: &Value| {
                if let Some(h) = child.header()
                    && h.gc_idx.get() != UNTRACKED
                {
                    h.gc_refs.set(h.gc_refs.get() - 1);
                }
            });
        }
        let mut work: Vec<*const Header> = Vec::new();
        for &p in &objs {
            if (*p).gc_refs.get() > 0 {
                (*p).gc_flags.set(REACHABLE);
                work.push(p);
            }
        }
        while let Some(p) = work.pop() {
            traverse(p, &mut |child: &Value| {
                if let Some(h) = child.header()
                    && h.gc_idx.get() != UNTRACKED
                    && h.gc_flags.get() != REACHABLE
                {
                    h.gc_flags.set(REACHABLE);
                    work.push(child.header_ptr());
                }
            });
        }
        objs.iter()
            .copied()
            .filter(|&p| (*p).gc_flags.get() != REACHABLE)
            .collect()
    };
    for &p in &garbage {
        incref(p);
    }
    for &p in &garbage {
        clear(p);
    }
    let n = garbage.len();
    for p in garbage {
        decref(p);
    }
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.allocs = 0;
        s.threshold = MIN_THRESHOLD.max(s.objs.len() / 2);
        s.stats.collections += 1;
        s.stats.collected += n as u64;
        s.stats.total_ns += start.elapsed().as_nanos() as u64;
    });
    n
}
