//! Frames: the state of one running (or suspended) code object.
//!
//! Both tiers share this layout, so execution can move between them at any instruction
//! boundary. The frame that is running is published through [`crate::ExecState`], from
//! where a signal handler can read its code and instruction index without locks.

use crate::code::Code;
use crate::jit::abi::FrameHead;
use crate::value::Value;
use std::rc::Rc;

/// One activation of a code object.
///
/// `repr(C)` with [`FrameHead`] first: JIT code gets a pointer to the head, and the VM's
/// `jit_tier0_step` finds the frame behind it.
#[repr(C)]
pub struct Frame {
    /// What JIT code sees of the frame (valid only while it runs; see [`Frame::head_for_jit`]).
    pub head: FrameHead,
    /// The code being run.
    pub code: Rc<Code>,
    /// The function (UNDEF for module code and class bodies run directly).
    pub func: Value,
    /// Module globals (a dict).
    pub globals: Value,
    /// Name namespace of module code and class bodies (a dict), else UNDEF.
    pub locals: Value,
    /// Locals, then cells, then free variables.
    pub fast: Vec<Value>,
    /// The value stack.
    pub stack: ValueStack,
    /// Index of the next instruction.
    pub ip: usize,
    /// Index of the instruction being executed (published for the profiler).
    pub lasti: usize,
    /// For an `__init__` frame run inline by a class call: the new instance, which the call
    /// evaluates to (UNDEF otherwise).
    pub init_self: Value,
    /// The frame that was running when this one was entered (its caller, or whoever resumed
    /// it), null for the first: the chain a sampler walks from [`crate::ExecState::frame`].
    /// Set each time the frame is entered; valid while the frame runs.
    pub back: *const Frame,
    /// Set while JIT code runs the frame (`run_jit`), where `lasti` is stale and `head.ip`
    /// is the instruction of the last helper call or tier-0 step (for the sampler).
    pub in_jit: bool,
    /// While the interpreter loop runs this generator frame in place of the `SEND` that
    /// resumed it (see `eval.rs`): the generator; UNDEF otherwise.
    pub inline_gen: Value,
    /// With `inline_gen`: where the resumer goes on when the generator returns (the
    /// `SEND`'s target).
    pub send_target: usize,
}

impl Frame {
    /// A frame for `code`, with empty locals.
    pub fn new(code: Rc<Code>, func: Value, globals: Value, locals: Value) -> Frame {
        let n = code.nlocalsplus();
        let mut fast = Vec::with_capacity(n);
        fast.resize_with(n, Value::default);
        let stack = ValueStack(Vec::with_capacity(code.max_stack as usize + 1));
        Frame {
            head: FrameHead {
                fast: std::ptr::null_mut(),
                stack_base: std::ptr::null_mut(),
                stack_top: std::ptr::null_mut(),
                ip: 0,
            },
            code,
            func,
            globals,
            locals,
            fast,
            stack,
            ip: 0,
            lasti: 0,
            init_self: Value::UNDEF,
            back: std::ptr::null(),
            in_jit: false,
            inline_gen: Value::UNDEF,
            send_target: 0,
        }
    }

    /// Reinitialises a pooled frame for `code`.
    pub fn reset(&mut self, code: Rc<Code>, func: Value, globals: Value) {
        let n = code.nlocalsplus();
        self.fast.clear();
        fill_undef(&mut self.fast, n);
        self.stack.clear();
        self.stack.reserve(code.max_stack as usize + 1);
        self.code = code;
        self.func = func;
        self.globals = globals;
        self.locals = Value::UNDEF;
        self.ip = 0;
        self.lasti = 0;
        self.back = std::ptr::null();
        self.in_jit = false;
    }

    /// Drops every value the frame holds (before it goes back to the pool).
    #[inline(always)]
    pub fn release(&mut self) {
        self.fast.clear();
        self.stack.clear();
        self.func = Value::UNDEF;
        self.globals = Value::UNDEF;
        self.locals = Value::UNDEF;
        self.init_self = Value::UNDEF;
        self.inline_gen = Value::UNDEF;
    }

    /// Calls `f` on every value the frame holds (for the cycle collector).
    pub fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.func);
        f(&self.globals);
        f(&self.locals);
        f(&self.init_self);
        f(&self.inline_gen);
        self.fast.iter().for_each(&mut *f);
        self.stack.iter().for_each(f);
    }

    /// Fills the head from the frame's vectors, with `ip` to run next, and returns it (for
    /// JIT code, which works on raw words).
    pub fn head_for_jit(&mut self, ip: usize) -> *mut FrameHead {
        let base = self.stack.0.as_mut_ptr() as *mut u64;
        self.head = FrameHead {
            fast: self.fast.as_mut_ptr() as *mut u64,
            stack_base: base,
            // SAFETY: `len` is within the stack's allocation.
            stack_top: unsafe { base.add(self.stack.0.len()) },
            ip,
        };
        self.ip = ip;
        &mut self.head
    }

    /// Takes back what JIT code left in the head: the stack's length and `ip`.
    pub fn sync_from_head(&mut self) {
        let base = self.stack.0.as_mut_ptr() as *mut u64;
        assert!(
            std::ptr::eq(base, self.head.stack_base),
            "JIT code moved the value stack"
        );
        // SAFETY: both pointers are into the same allocation (checked just above for the
        // base; JIT code only moves `stack_top` within it).
        let len = unsafe { self.head.stack_top.offset_from(base) };
        assert!(
            len >= 0 && len as usize <= self.stack.0.capacity(),
            "JIT code left a stack top outside the stack"
        );
        // SAFETY: JIT code keeps every slot below `stack_top` initialised with an owned
        // value word (its pushes and pops move ownership exactly like the interpreter's),
        // and `len` is within the capacity (checked above).
        unsafe { self.stack.0.set_len(len as usize) };
        self.ip = self.head.ip;
    }

    /// The source line being executed.
    pub fn line(&self) -> u32 {
        self.code.line_at(self.lasti)
    }
}

/// Pads `fast` with UNDEF (unbound) up to `n` locals. Inline, unlike `Vec::resize_with`,
/// which the call path paid a function call for; the caller reserved the room.
#[inline(always)]
pub fn fill_undef(fast: &mut Vec<Value>, n: usize) {
    while fast.len() < n {
        fast.push(Value::UNDEF);
    }
}

/// The value stack: a `Vec` whose push is guaranteed inline (the interpreter pushes on
/// almost every instruction; the capacity is reserved from the code's `max_stack`).
#[derive(Default)]
pub struct ValueStack(pub Vec<Value>);

impl ValueStack {
    /// Pushes a value.
    #[inline(always)]
    pub fn push(&mut self, v: Value) {
        let len = self.0.len();
        if len == self.0.capacity() {
            self.0.reserve(8);
        }
        // SAFETY: `len < capacity` after the check above, so the slot is allocated and
        // uninitialised; `set_len` then covers exactly the written element.
        unsafe {
            self.0.as_mut_ptr().add(len).write(v);
            self.0.set_len(len + 1);
        }
    }

    /// Replaces the top two values with `v`, for an op whose guard checked that both hold no
    /// reference (small ints, floats): they are forgotten, without the reference-count check
    /// that dropping a `Value` makes.
    #[inline(always)]
    pub fn replace_top2_unboxed(&mut self, v: Value) {
        let n = self.0.len();
        debug_assert!(n >= 2 && !self.0[n - 1].is_obj() && !self.0[n - 2].is_obj());
        std::mem::forget(std::mem::replace(&mut self.0[n - 2], v));
        std::mem::forget(self.0.pop());
    }

    /// Drops the top two values, which an op's guard checked hold no reference, without the
    /// reference-count check (as [`ValueStack::replace_top2_unboxed`]).
    #[inline(always)]
    pub fn drop_top2_unboxed(&mut self) {
        let n = self.0.len();
        debug_assert!(n >= 2 && !self.0[n - 1].is_obj() && !self.0[n - 2].is_obj());
        std::mem::forget(self.0.pop());
        std::mem::forget(self.0.pop());
    }

    /// Pops the top value.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<Value> {
        self.0.pop()
    }

    /// Moves the top `n` values, in order, to the end of `dst` (which must be empty-capacity
    /// checked by the caller or not: it is reserved here), leaving the stack `n` shorter.
    #[inline(always)]
    pub fn move_top_into(&mut self, n: usize, dst: &mut Vec<Value>) {
        let len = self.0.len();
        assert!(n <= len, "value stack underflow");
        dst.reserve(n);
        // SAFETY: the top `n` slots `len - n .. len` are initialised; `set_len(len - n)` first
        // makes the stack forget them, and the bitwise copy into `dst`'s reserved, unused
        // tail transfers their ownership exactly once (`dst.set_len` then covers them).
        unsafe {
            self.0.set_len(len - n);
            let src = self.0.as_ptr().add(len - n);
            let d = dst.len();
            std::ptr::copy_nonoverlapping(src, dst.as_mut_ptr().add(d), n);
            dst.set_len(d + n);
        }
    }

    /// Drops values above `len`.
    #[inline]
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len)
    }

    /// Removes and returns the values from `at` on.
    #[inline]
    pub fn split_off(&mut self, at: usize) -> Vec<Value> {
        self.0.split_off(at)
    }

    /// Removes the values in `range` (an iterator over them).
    #[inline]
    pub fn drain(&mut self, range: std::ops::RangeFrom<usize>) -> std::vec::Drain<'_, Value> {
        self.0.drain(range)
    }

    /// Drops every value.
    #[inline]
    pub fn clear(&mut self) {
        self.0.clear()
    }

    /// Makes sure the stack's allocation holds at least `n` values in total.
    #[inline]
    pub fn reserve_total(&mut self, n: usize) {
        let len = self.0.len();
        if n > len {
            self.0.reserve(n - len);
        }
    }

    /// Makes room for `n` more values.
    #[inline]
    pub fn reserve(&mut self, n: usize) {
        self.0.reserve(n)
    }
}

impl Extend<Value> for ValueStack {
    fn extend<I: IntoIterator<Item = Value>>(&mut self, iter: I) {
        self.0.extend(iter)
    }
}

impl std::ops::Deref for ValueStack {
    type Target = [Value];
    #[inline(always)]
    fn deref(&self) -> &[Value] {
        &self.0
    }
}

impl std::ops::DerefMut for ValueStack {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [Value] {
        &mut self.0
    }
}
