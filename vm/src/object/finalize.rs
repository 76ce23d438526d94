//! Generators waiting to be closed: dropped while suspended inside a handler, their
//! frames wait here until the VM can run Python code (its next safe point or builtin
//! call), as CPython closes a generator when its last reference goes.

use crate::interp::frame::Frame;
use crate::value::Value;
use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;

/// A generator's suspended frame, with the generator's name and qualified name.
type Closing = (Box<Frame>, Value, Value);

thread_local! {
    // Never dropped (see `runtime::str`'s interner): the VM drains it before it exits.
    static QUEUE: ManuallyDrop<RefCell<Vec<Closing>>> =
        const { ManuallyDrop::new(RefCell::new(Vec::new())) };
    static PENDING: Cell<bool> = const { Cell::new(false) };
}

/// Queues the suspended `frame` of generator `name` (`qualname`) to be closed, and asks
/// for a safe point (so JIT code looping on leaves for it).
pub(crate) fn defer(frame: Box<Frame>, name: Value, qualname: Value) {
    QUEUE.with(|q| q.borrow_mut().push((frame, name, qualname)));
    PENDING.with(|p| p.set(true));
    super::gc::request_safe_point();
}

/// True when a generator waits to be closed.
#[inline(always)]
pub fn pending() -> bool {
    PENDING.with(|p| p.get())
}

/// The next generator frame to close (with the generator's names), if any.
pub(crate) fn take() -> Option<Closing> {
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let next = q.pop();
        if q.is_empty() {
            PENDING.with(|p| p.set(false));
        }
        next
    })
}
