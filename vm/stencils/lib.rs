//! The stencil templates of jitlens' copy-and-patch JIT.
//!
//! `vm/build.rs` compiles this `#![no_std]` crate to an object file; every `extern "C"`
//! function below becomes one stencil (machine code with holes), named after the bytecode op
//! it implements. See `README.md` in this directory for the ABI, the holes, and how to add a
//! stencil; `abi.rs` holds the definitions the VM shares.
//!
//! Rules for a template (the build checks what it can and fails loudly otherwise):
//!
//! * every way out of a stencil is a *tail call* of `JIT_CONTINUE`, `JIT_TARGET` or `JIT_EXIT`
//!   with the same three arguments, or a `return` of a status code to the host;
//! * hole values are read only through the `hole!`-based accessors (a `movabs`, relocation
//!   `R_X86_64_64`), never by taking a hole's address in Rust (the compiler folds that);
//! * helpers are called through their absolute address (`dealloc_fn()`, `tier0_step_fn()`);
//! * nothing may panic, call `core` functions out of line (memcpy, …) or use writable
//!   statics: every symbol the object refers to must be a known hole.

#![no_std]
// Stencil names are op names; the holes are named like the symbols the JIT patches.
#![allow(non_snake_case, non_upper_case_globals)]

#[path = "abi.rs"]
pub mod abi;

use abi::*;
use core::hint::cold_path;

// The holes. Data holes are `[u8; 0]` statics whose *address* is the value (the compiler
// can assume nothing about it); continuations are functions the stencil tail-calls.
unsafe extern "C" {
    static JIT_OPARG: [u8; 0];
    static JIT_OPERAND: [u8; 0];
    static JIT_IP: [u8; 0];
    static JIT_NEXT_IP: [u8; 0];
    static jit_dealloc: [u8; 0];
    static jit_tier0_step: [u8; 0];
    fn JIT_CONTINUE(frame: *mut FrameHead, sp: *mut u64, vm: *mut u8) -> u64;
    fn JIT_TARGET(frame: *mut FrameHead, sp: *mut u64, vm: *mut u8) -> u64;
    fn JIT_EXIT(frame: *mut FrameHead, sp: *mut u64, vm: *mut u8) -> u64;
}

/// The value of a data hole: `movabs reg, offset HOLE` (relocation `R_X86_64_64`).
macro_rules! hole {
    ($sym:ident) => {{
        let v: u64;
        // SAFETY: loads a link-time constant into a register; reads and writes no memory.
        unsafe {
            core::arch::asm!(
                "movabs {}, offset {}",
                out(reg) v,
                sym $sym,
                options(pure, nomem, nostack, preserves_flags),
            );
        }
        v
    }};
}

/// The instruction's argument.
#[inline(always)]
fn oparg() -> u64 {
    hole!(JIT_OPARG)
}

/// The instruction's op-specific 64-bit operand.
#[inline(always)]
fn operand() -> u64 {
    hole!(JIT_OPERAND)
}

/// This instruction's index.
#[inline(always)]
fn ip() -> usize {
    hole!(JIT_IP) as usize
}

/// The index of the instruction after this one.
#[inline(always)]
fn next_ip() -> usize {
    hole!(JIT_NEXT_IP) as usize
}

/// The VM's deallocation helper.
#[inline(always)]
fn dealloc_fn() -> DeallocFn {
    let addr = hole!(jit_dealloc) as usize;
    // SAFETY: the JIT patches this hole with the address of a function of this type.
    unsafe { core::mem::transmute::<usize, DeallocFn>(addr) }
}

/// The VM's run-one-instruction helper.
#[inline(always)]
fn tier0_step_fn() -> Tier0StepFn {
    let addr = hole!(jit_tier0_step) as usize;
    // SAFETY: the JIT patches this hole with the address of a function of this type.
    unsafe { core::mem::transmute::<usize, Tier0StepFn>(addr) }
}

/// Drops a reference to `v` if it is a heap object; returns the object's address when that
/// was the last reference (the caller frees it), else 0.
#[inline(always)]
unsafe fn release(v: u64) -> *mut u8 {
    if is_obj(v) {
        let obj = obj_ptr(v);
        let rc = obj.wrapping_add(RC_OFFSET) as *mut u32;
        // SAFETY: `v` owned a reference to a live object whose refcount is at RC_OFFSET.
        unsafe {
            let n = (*rc).wrapping_sub(1);
            *rc = n;
            if n == 0 {
                return obj;
            }
        }
    }
    core::ptr::null_mut()
}

/// Drops two references, freeing in one cold path. Two [`decref`]s in a row would keep
/// frame, stack, VM and the second value alive across the first free, which costs enough
/// callee-saved registers for the compiler to take `rbp` (and unwinding through JIT code
/// needs `rbp` untouched).
#[inline(always)]
unsafe fn decref2(frame: *mut FrameHead, sp: *mut u64, a: u64, b: u64) {
    // SAFETY: as for `decref`, for each value.
    unsafe {
        let fa = release(a);
        let fb = release(b);
        if !fa.is_null() || !fb.is_null() {
            cold_path();
            (*frame).stack_top = sp;
            if !fa.is_null() {
                dealloc_fn()(fa);
            }
            if !fb.is_null() {
                dealloc_fn()(fb);
            }
        }
    }
}

/// Adds a reference to `v` if it is a heap object.
#[inline(always)]
unsafe fn incref(v: u64) {
    if is_obj(v) {
        let rc = obj_ptr(v).wrapping_add(RC_OFFSET) as *mut u32;
        // SAFETY: an object word points at a live object whose refcount is at RC_OFFSET.
        unsafe { *rc = (*rc).wrapping_add(1) };
    }
}

/// Drops a reference to `v` if it is a heap object, freeing it when that was the last one.
/// The stack must end at `sp` and be consistent (the helper sees it via `frame.stack_top`).
#[inline(always)]
unsafe fn decref(frame: *mut FrameHead, sp: *mut u64, v: u64) {
    if is_obj(v) {
        let obj = obj_ptr(v);
        let rc = obj.wrapping_add(RC_OFFSET) as *mut u32;
        // SAFETY: `v` owned a reference to a live object; the frame is the VM's.
        unsafe {
            let n = (*rc).wrapping_sub(1);
            *rc = n;
            if n == 0 {
                cold_path();
                (*frame).stack_top = sp;
                dealloc_fn()(obj);
            }
        }
    }
}

/// Declares a stencil: `stencil!(NAME(frame, sp, vm) { body })` becomes
/// `#[no_mangle] pub unsafe extern "C" fn NAME(frame, sp, vm) -> u64 { unsafe { body } }`.
macro_rules! stencil {
    ($(#[$doc:meta])* $name:ident($frame:ident, $sp:ident, $vm:ident) $body:block) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// Only as JIT code: `frame` is the VM frame being run, `sp` one past the top of its
        /// value stack, `vm` the VM; the holes are patched.
        #[unsafe(no_mangle)]
        #[allow(unused_variables)]
        pub unsafe extern "C" fn $name($frame: *mut FrameHead, $sp: *mut u64, $vm: *mut u8) -> u64 {
            // SAFETY: the caller's contract above.
            unsafe { $body }
        }
    };
}

// --- Generic -------------------------------------------------------------------------------

stencil! {
    /// Any instruction without a stencil of its own: runs it in the interpreter through
    /// `jit_tier0_step`. Continues when it went on to the next instruction, returns
    /// `STATUS_EXIT` (resume at `frame.ip`) after a jump, and passes `STATUS_RETURN` and
    /// `STATUS_ERROR` up.
    TIER0(frame, sp, vm) {
        (*frame).stack_top = sp;
        (*frame).ip = ip();
        let status = tier0_step_fn()(frame, vm);
        if status as u64 != STATUS_EXIT {
            return status as u64;
        }
        let sp = (*frame).stack_top;
        if (*frame).ip == next_ip() {
            JIT_CONTINUE(frame, sp, vm)
        } else {
            STATUS_EXIT
        }
    }
}

stencil! {
    /// The side exit of one instruction (its `JIT_IP`): every `JIT_EXIT` hole of that
    /// instruction's stencil points at one of these. Publishes the stack and the instruction
    /// index and returns `STATUS_EXIT`, so the interpreter re-runs the instruction.
    EXIT(frame, sp, vm) {
        (*frame).stack_top = sp;
        (*frame).ip = ip();
        STATUS_EXIT
    }
}

stencil! {
    /// A specialized op implemented by a VM helper ([`HelperFn`], address `JIT_OPERAND`):
    /// continues, jumps, or side-exits as the helper says. `frame.stack_top` and `frame.ip`
    /// (this instruction) are published for the helper.
    HELPER(frame, sp, vm) {
        (*frame).stack_top = sp;
        (*frame).ip = ip();
        let helper = core::mem::transmute::<usize, HelperFn>(operand() as usize);
        let r = helper(frame, sp, vm, oparg());
        if r == 0 {
            return JIT_EXIT(frame, sp, vm);
        }
        let nsp = (r & !(HELPER_JUMP | HELPER_RAISE)) as *mut u64;
        if r & HELPER_RAISE != 0 {
            return JIT_EXIT(frame, nsp, vm);
        }
        if r & HELPER_JUMP != 0 {
            return JIT_TARGET(frame, nsp, vm);
        }
        JIT_CONTINUE(frame, nsp, vm)
    }
}

stencil! {
    /// Does nothing (NOP, and RESUME, which JIT code is never entered at).
    NOP(frame, sp, vm) {
        JIT_CONTINUE(frame, sp, vm)
    }
}

stencil! {
    /// Pushes UNDEF (the empty `self` slot of a call).
    PUSH_NULL(frame, sp, vm) {
        *sp = UNDEF_BITS;
        JIT_CONTINUE(frame, sp.add(1), vm)
    }
}

stencil! {
    /// Pushes another reference to the `oparg`-th value from the top.
    COPY(frame, sp, vm) {
        let v = *sp.sub(oparg() as usize);
        incref(v);
        *sp = v;
        JIT_CONTINUE(frame, sp.add(1), vm)
    }
}

stencil! {
    /// Swaps the top with the `oparg`-th value from the top.
    SWAP(frame, sp, vm) {
        let a = sp.sub(1);
        let b = sp.sub(oparg() as usize);
        let t = *a;
        *a = *b;
        *b = t;
        JIT_CONTINUE(frame, sp, vm)
    }
}

stencil! {
    /// `a is b` (`oparg` 1: `is not`).
    IS_OP(frame, sp, vm) {
        let a = *sp.sub(2);
        let b = *sp.sub(1);
        let same = (a == b) as u64 ^ (oparg() & 1);
        *sp.sub(2) = FALSE_BITS + same;
        let sp = sp.sub(1);
        decref2(frame, sp, a, b);
        JIT_CONTINUE(frame, sp, vm)
    }
}

/// Pops; jumps when the value is (`$none` true) or is not None.
macro_rules! pop_jump_if_none {
    ($frame:ident, $sp:ident, $vm:ident, $none:expr) => {{
        let v = *$sp.sub(1);
        let sp = $sp.sub(1);
        decref($frame, sp, v);
        if (v == NONE_BITS) == $none {
            JIT_TARGET($frame, sp, $vm)
        } else {
            JIT_CONTINUE($frame, sp, $vm)
        }
    }};
}

stencil! {
    /// Pops; jumps to `JIT_TARGET` if the value is None.
    POP_JUMP_IF_NONE(frame, sp, vm) {
        pop_jump_if_none!(frame, sp, vm, true)
    }
}

stencil! {
    /// Pops; jumps to `JIT_TARGET` unless the value is None.
    POP_JUMP_IF_NOT_NONE(frame, sp, vm) {
        pop_jump_if_none!(frame, sp, vm, false)
    }
}

// --- Locals, constants, stack -------------------------------------------------------------

stencil! {
    /// Pushes local `oparg`; side-exits if it is unbound (the interpreter raises).
    LOAD_FAST(frame, sp, vm) {
        let v = *(*frame).fast.add(oparg() as usize);
        if v == UNDEF_BITS {
            return JIT_EXIT(frame, sp, vm);
        }
        incref(v);
        *sp = v;
        JIT_CONTINUE(frame, sp.add(1), vm)
    }
}

stencil! {
    /// Pops into local `oparg`, dropping its old value.
    STORE_FAST(frame, sp, vm) {
        let sp = sp.sub(1);
        let slot = (*frame).fast.add(oparg() as usize);
        let old = *slot;
        *slot = *sp;
        decref(frame, sp, old);
        JIT_CONTINUE(frame, sp, vm)
    }
}

stencil! {
    /// Pushes the constant whose value word is `JIT_OPERAND` (the code object keeps it alive;
    /// the push adds a reference).
    LOAD_CONST(frame, sp, vm) {
        let v = operand();
        incref(v);
        *sp = v;
        JIT_CONTINUE(frame, sp.add(1), vm)
    }
}

stencil! {
    /// Pops and drops the top of the stack.
    POP_TOP(frame, sp, vm) {
        let sp = sp.sub(1);
        decref(frame, sp, *sp);
        JIT_CONTINUE(frame, sp, vm)
    }
}

// --- Control flow ---------------------------------------------------------------------------

stencil! {
    /// Jumps to `JIT_TARGET`.
    JUMP_FORWARD(frame, sp, vm) {
        JIT_TARGET(frame, sp, vm)
    }
}

stencil! {
    /// Jumps back to `JIT_TARGET` (a loop header), unless the byte at address `JIT_OPERAND`
    /// (the VM's "periodic work pending" flag: a collection, a signal) is non-zero: then it
    /// side-exits, and the interpreter's JUMP_BACKWARD does that work.
    JUMP_BACKWARD(frame, sp, vm) {
        if *(operand() as *const u8) != 0 {
            return JIT_EXIT(frame, sp, vm);
        }
        JIT_TARGET(frame, sp, vm)
    }
}

/// The body of a conditional jump: pops, jumps to `JIT_TARGET` if the value's truth is
/// `$jump_if`, else continues. Bools, `None`, small ints and floats (none of them
/// refcounted) are decided here; anything else side-exits (the interpreter calls `__bool__`/`__len__`).
/// Written so that the only conditional exit is one `jcc JIT_EXIT` and the code ends with the
/// droppable `jmp JIT_CONTINUE`.
macro_rules! pop_jump_if {
    ($frame:ident, $sp:ident, $vm:ident, $jump_if:expr) => {{
        // Heap objects and the other immediates side-exit; bools, None, ints, floats stay.
        let Some(truth) = truth(*$sp.sub(1)) else {
            return JIT_EXIT($frame, $sp, $vm);
        };
        if truth == $jump_if {
            JIT_TARGET($frame, $sp.sub(1), $vm)
        } else {
            JIT_CONTINUE($frame, $sp.sub(1), $vm)
        }
    }};
}

/// The truth of `v` when the stencils can decide it (bools, `None`, small ints, floats);
/// `None` for heap objects and the other immediates. Branch-free: an int is true unless its
/// payload is 0, a float unless it is ±0.0 (every bit but the sign clear; NaN is true),
/// and the int mask is the float one shifted right by 15.
#[inline(always)]
fn truth(v: u64) -> Option<bool> {
    // None, False, True are NONE_BITS + 0, 1, 2.
    let imm = v.wrapping_sub(NONE_BITS);
    let t = tag(v);
    if (t == TAG_OBJ) | ((t == TAG_IMM) & (imm > 2)) {
        return None;
    }
    let mask = !(1u64 << 63) >> ((t == TAG_INT) as u32 * 15);
    let is_imm = (imm <= 2) as u8;
    let truth = is_imm & (imm == 2) as u8 | (1 - is_imm) & (v & mask != 0) as u8;
    Some(truth != 0)
}

/// `JUMP_IF_FALSE_OR_POP` / `JUMP_IF_TRUE_OR_POP`: when the top's truth is `$jump_if`,
/// jumps to `JIT_TARGET` keeping it; otherwise pops it (a value `truth` decides is never a
/// heap object, so the pop drops no reference). Other values side-exit.
macro_rules! jump_if_or_pop {
    ($frame:ident, $sp:ident, $vm:ident, $jump_if:expr) => {{
        match truth(*$sp.sub(1)) {
            None => JIT_EXIT($frame, $sp, $vm),
            Some(t) if t == $jump_if => JIT_TARGET($frame, $sp, $vm),
            Some(_) => JIT_CONTINUE($frame, $sp.sub(1), $vm),
        }
    }};
}

stencil! {
    /// Jumps to `JIT_TARGET`, keeping the top, if it is false; pops it otherwise (`a and b`).
    JUMP_IF_FALSE_OR_POP(frame, sp, vm) {
        jump_if_or_pop!(frame, sp, vm, false)
    }
}

stencil! {
    /// Jumps to `JIT_TARGET`, keeping the top, if it is true; pops it otherwise (`a or b`).
    JUMP_IF_TRUE_OR_POP(frame, sp, vm) {
        jump_if_or_pop!(frame, sp, vm, true)
    }
}

stencil! {
    /// Pops; jumps to `JIT_TARGET` if the value is false. Bools, `None`, small ints and
    /// floats are decided here; anything else side-exits.
    POP_JUMP_IF_FALSE(frame, sp, vm) {
        pop_jump_if!(frame, sp, vm, false)
    }
}

stencil! {
    /// Pops; jumps to `JIT_TARGET` if the value is true (see `POP_JUMP_IF_FALSE`).
    POP_JUMP_IF_TRUE(frame, sp, vm) {
        pop_jump_if!(frame, sp, vm, true)
    }
}

stencil! {
    /// Returns to the host with `STATUS_RETURN`; the return value stays on top of the stack
    /// (published in `frame.stack_top`), and `frame.ip` is the next instruction's index.
    RETURN_VALUE(frame, sp, vm) {
        (*frame).stack_top = sp;
        (*frame).ip = next_ip();
        STATUS_RETURN
    }
}

// --- Small-int arithmetic -----------------------------------------------------------------

/// The body of a small-int binary op: both operands small ints and the result in range, or a
/// side exit (the interpreter then takes the generic path, which overflows to a big int).
///
/// `$x` and `$y` are the operands *shifted left by 16* (payload in the top 48 bits), and `$op`
/// computes the result shifted the same way with a checked 64-bit operation: it overflows
/// exactly when the 48-bit result does, so the range check is the CPU's overflow flag.
macro_rules! int_binop {
    ($frame:ident, $sp:ident, $vm:ident, |$x:ident, $y:ident| $op:expr) => {{
        let a = *$sp.sub(2);
        let b = *$sp.sub(1);
        let ($x, $y) = ((a << 16) as i64, (b << 16) as i64);
        // Computed before the tag test (harmless on other values, and unused then), so that
        // one `jcc JIT_EXIT` covers both: a second, overflow-only branch would not become a
        // conditional tail call.
        let (r, overflow): (i64, bool) = $op;
        if !(is_small_int(a) & is_small_int(b)) | overflow {
            return JIT_EXIT($frame, $sp, $vm);
        }
        *$sp.sub(2) = box_shifted_int(r);
        JIT_CONTINUE($frame, $sp.sub(1), $vm)
    }};
}

/// The small-int word of a result computed shifted left by 16 (see `int_binop!`).
#[inline(always)]
fn box_shifted_int(r: i64) -> u64 {
    (r as u64 >> 16) | (TAG_INT << TAG_SHIFT)
}

stencil! {
    /// `a + b` on small ints.
    BINARY_OP_ADD_INT(frame, sp, vm) {
        int_binop!(frame, sp, vm, |x, y| x.overflowing_add(y))
    }
}

stencil! {
    /// `a - b` on small ints.
    BINARY_OP_SUBTRACT_INT(frame, sp, vm) {
        int_binop!(frame, sp, vm, |x, y| x.overflowing_sub(y))
    }
}

stencil! {
    /// `a * b` on small ints: `(a << 16) * b` is the product shifted left by 16.
    BINARY_OP_MULTIPLY_INT(frame, sp, vm) {
        int_binop!(frame, sp, vm, |x, y| x.overflowing_mul(y >> 16))
    }
}

/// The body of a small-int floor division or modulo, with Python's rounding towards
/// negative infinity: both operands small ints, the divisor non-zero and the result in
/// range, or one side exit. `$r` computes the result from the operands `$x`, `$d` and the
/// truncated quotient and remainder `$q`, `$m`.
macro_rules! int_divmod {
    ($frame:ident, $sp:ident, $vm:ident, |$x:ident, $d:ident, $q:ident, $m:ident| $r:expr) => {{
        let a = *$sp.sub(2);
        let b = *$sp.sub(1);
        // Sign-extended payloads (48-bit, so `x / -1` cannot overflow i64).
        let $x = ((a << 16) as i64) >> 16;
        let y = ((b << 16) as i64) >> 16;
        // Divide by 1 instead of 0 (the result is then unused); `checked_div` has no panic
        // path (it cannot fail here).
        let $d = if y == 0 { 1 } else { y };
        let $q = $x.checked_div($d).unwrap_or(0);
        let $m = $x.wrapping_sub($q.wrapping_mul($d));
        let r: i64 = $r;
        let bad = !(is_small_int(a) & is_small_int(b)) | (y == 0) | ((r << 16) >> 16 != r);
        if bad {
            return JIT_EXIT($frame, $sp, $vm);
        }
        *$sp.sub(2) = box_small_int(r);
        JIT_CONTINUE($frame, $sp.sub(1), $vm)
    }};
}

stencil! {
    /// `a // b` on small ints (side-exits on a zero divisor: the interpreter raises).
    BINARY_OP_FLOOR_DIVIDE_INT(frame, sp, vm) {
        int_divmod!(frame, sp, vm, |x, d, q, m| q - ((m != 0) & ((m ^ d) < 0)) as i64)
    }
}

stencil! {
    /// `a % b` on small ints; the result takes the divisor's sign.
    BINARY_OP_REMAINDER_INT(frame, sp, vm) {
        int_divmod!(frame, sp, vm, |x, d, q, m| m + if (m != 0) & ((m ^ d) < 0) { d } else { 0 })
    }
}

// --- Float arithmetic ---------------------------------------------------------------------

/// The `f64` of an unboxed float word.
#[inline(always)]
fn float_of(bits: u64) -> f64 {
    f64::from_bits(bits)
}

/// The `f64` of a small-int word: exact, since a small int has at most 48 bits (CPython's
/// `float + int` converts the int the same way, and exactly, below 2**53).
#[inline(always)]
fn int_as_f64(bits: u64) -> f64 {
    small_int_value(bits) as f64
}

/// The body of a float binary op (`$fop` on the operands' `f64`s): two unboxed floats, or a
/// float and a small int (converted exactly), give a float. Two small ints give the int
/// `$iop` computes (shifted as in `int_binop!`, with its overflow flag), so a site that
/// sees ints as well as floats stays in this form; an overflow, or anything else, side-exits.
/// Two floats take one test each.
macro_rules! float_binop {
    ($frame:ident, $sp:ident, $vm:ident, |$x:ident, $y:ident| $fop:expr, |$xi:ident, $yi:ident| $iop:expr) => {{
        let a = *$sp.sub(2);
        let b = *$sp.sub(1);
        let ($x, $y);
        if is_float(a) {
            $x = float_of(a);
            $y = match number(b) {
                Some(y) => y,
                None => return JIT_EXIT($frame, $sp, $vm),
            };
        } else if is_small_int(a) && is_float(b) {
            $x = int_as_f64(a);
            $y = float_of(b);
        } else if is_small_int(a) && is_small_int(b) {
            cold_path();
            let ($xi, $yi) = ((a << 16) as i64, (b << 16) as i64);
            let (r, overflow): (i64, bool) = $iop;
            if overflow {
                return JIT_EXIT($frame, $sp, $vm);
            }
            *$sp.sub(2) = box_shifted_int(r);
            return JIT_CONTINUE($frame, $sp.sub(1), $vm);
        } else {
            return JIT_EXIT($frame, $sp, $vm);
        }
        *$sp.sub(2) = box_float($fop);
        JIT_CONTINUE($frame, $sp.sub(1), $vm)
    }};
}

/// The `f64` of a float or small-int word, or `None` for anything else.
#[inline(always)]
fn number(bits: u64) -> Option<f64> {
    if is_float(bits) {
        Some(float_of(bits))
    } else if is_small_int(bits) {
        Some(int_as_f64(bits))
    } else {
        None
    }
}

stencil! {
    /// `a + b` on floats (or a float and a small int, or two small ints).
    BINARY_OP_ADD_FLOAT(frame, sp, vm) {
        float_binop!(frame, sp, vm, |x, y| x + y, |x, y| x.overflowing_add(y))
    }
}

stencil! {
    /// `a - b` on floats (or a float and a small int, or two small ints).
    BINARY_OP_SUBTRACT_FLOAT(frame, sp, vm) {
        float_binop!(frame, sp, vm, |x, y| x - y, |x, y| x.overflowing_sub(y))
    }
}

stencil! {
    /// `a * b` on floats (or a float and a small int, or two small ints).
    BINARY_OP_MULTIPLY_FLOAT(frame, sp, vm) {
        float_binop!(frame, sp, vm, |x, y| x * y, |x, y| x.overflowing_mul(y >> 16))
    }
}

stencil! {
    /// `a / b` on floats and small ints, in any mix (two small ints divide exactly as their
    /// floats do, as CPython's `int / int` for ints below 2**53); side-exits on division by
    /// zero (the interpreter raises).
    BINARY_OP_TRUE_DIVIDE_FLOAT(frame, sp, vm) {
        let a = *sp.sub(2);
        let b = *sp.sub(1);
        let (Some(x), Some(y)) = (number(a), number(b)) else {
            return JIT_EXIT(frame, sp, vm);
        };
        if y == 0.0 {
            return JIT_EXIT(frame, sp, vm);
        }
        *sp.sub(2) = box_float(x / y);
        JIT_CONTINUE(frame, sp.sub(1), vm)
    }
}

// --- Comparisons ----------------------------------------------------------------------------

/// For each COMPARE_OP argument (`<`, `<=`, `==`, `!=`, `>`, `>=`: 0..=5, one nibble each),
/// the set of outcomes that make it true: bit 0 less, bit 1 equal, bit 2 greater, bit 3
/// unordered (a NaN operand: only `!=` is true). Branch-free and without a data table.
const CMP_TRUE_OUTCOMES: u32 = 0x64D231;

/// The bool word of comparison `oparg` given which outcome happened.
#[inline(always)]
fn compare_result(lt: bool, eq: bool, gt: bool) -> u64 {
    let unordered = !(lt | eq | gt);
    let outcome = lt as u32 | (eq as u32) << 1 | (gt as u32) << 2 | (unordered as u32) << 3;
    let accept = CMP_TRUE_OUTCOMES.wrapping_shr(oparg() as u32 * 4) & 0xF;
    FALSE_BITS + (accept & outcome != 0) as u64
}

stencil! {
    /// Compares two small ints (`oparg`: 0 `<`, 1 `<=`, 2 `==`, 3 `!=`, 4 `>`, 5 `>=`).
    COMPARE_OP_INT(frame, sp, vm) {
        let a = *sp.sub(2);
        let b = *sp.sub(1);
        if !(is_small_int(a) && is_small_int(b)) {
            return JIT_EXIT(frame, sp, vm);
        }
        // Shifting both payloads to the top keeps their order and saves the sign extension.
        let (x, y) = ((a << 16) as i64, (b << 16) as i64);
        *sp.sub(2) = compare_result(x < y, x == y, x > y);
        JIT_CONTINUE(frame, sp.sub(1), vm)
    }
}

/// A `COMPARE_OP_INT` fused with the `POP_JUMP_IF_FALSE`/`POP_JUMP_IF_TRUE` after it: jumps
/// to `JIT_TARGET` if `x $cmp y` holds for the two small ints on top, else continues, popping
/// both either way; side-exits at the compare (operands untouched) on anything else. The
/// JIT picks the comparison that makes the branch (`a < b` then `POP_JUMP_IF_FALSE` jumps on
/// `>=`), so it is a compare and one conditional jump, with no bool in between.
macro_rules! compare_int_jump {
    ($frame:ident, $sp:ident, $vm:ident, $cmp:tt) => {{
        let a = *$sp.sub(2);
        let b = *$sp.sub(1);
        if !(is_small_int(a) & is_small_int(b)) {
            return JIT_EXIT($frame, $sp, $vm);
        }
        let (x, y) = ((a << 16) as i64, (b << 16) as i64);
        // Ends `jcc JIT_TARGET; jmp JIT_CONTINUE` once the build has flipped LLVM's
        // ending (see README.md, "Code layout"): the fall-through is the next instruction.
        if x $cmp y {
            JIT_TARGET($frame, $sp.sub(2), $vm)
        } else {
            JIT_CONTINUE($frame, $sp.sub(2), $vm)
        }
    }};
}

stencil! {
    /// `COMPARE_OP_INT` + `POP_JUMP_IF_*`, jumping when `x < y` (see `compare_int_jump!`).
    FUSED_COMPARE_INT_JUMP_LT(frame, sp, vm) {
        compare_int_jump!(frame, sp, vm, <)
    }
}

stencil! {
    /// `COMPARE_OP_INT` + `POP_JUMP_IF_*`, jumping when `x <= y`.
    FUSED_COMPARE_INT_JUMP_LE(frame, sp, vm) {
        compare_int_jump!(frame, sp, vm, <=)
    }
}

stencil! {
    /// `COMPARE_OP_INT` + `POP_JUMP_IF_*`, jumping when `x == y`.
    FUSED_COMPARE_INT_JUMP_EQ(frame, sp, vm) {
        compare_int_jump!(frame, sp, vm, ==)
    }
}

stencil! {
    /// `COMPARE_OP_INT` + `POP_JUMP_IF_*`, jumping when `x != y`.
    FUSED_COMPARE_INT_JUMP_NE(frame, sp, vm) {
        compare_int_jump!(frame, sp, vm, !=)
    }
}

stencil! {
    /// `COMPARE_OP_INT` + `POP_JUMP_IF_*`, jumping when `x > y`.
    FUSED_COMPARE_INT_JUMP_GT(frame, sp, vm) {
        compare_int_jump!(frame, sp, vm, >)
    }
}

stencil! {
    /// `COMPARE_OP_INT` + `POP_JUMP_IF_*`, jumping when `x >= y`.
    FUSED_COMPARE_INT_JUMP_GE(frame, sp, vm) {
        compare_int_jump!(frame, sp, vm, >=)
    }
}

stencil! {
    /// Compares floats and small ints in any mix (`oparg` as for `COMPARE_OP_INT`; a NaN is
    /// unordered). A small int converts exactly, so this is CPython's comparison.
    COMPARE_OP_FLOAT(frame, sp, vm) {
        let a = *sp.sub(2);
        let b = *sp.sub(1);
        let (Some(x), Some(y)) = (number(a), number(b)) else {
            return JIT_EXIT(frame, sp, vm);
        };
        *sp.sub(2) = compare_result(x < y, x == y, x > y);
        JIT_CONTINUE(frame, sp.sub(1), vm)
    }
}
