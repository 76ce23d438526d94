//! The ABI shared by the stencils and the VM.
//!
//! This one file is compiled twice, as a `#[path]` module:
//!
//! * as module `abi` of the `#![no_std]` stencil crate (`vm/stencils/lib.rs`, compiled by
//!   `vm/build.rs` into an object file whose functions become the stencils), and
//! * as module `jitlens_vm::jit::abi` of the VM (`#[path = "../../stencils/abi.rs"]` in
//!   `vm/src/jit/mod.rs`),
//!
//! so both sides agree on the value encoding, the frame head's layout, the status codes and
//! the helper signatures by construction. It must stay `no_std`-clean (only `core`). Include
//! it with `#[path] mod`, not `include!` (whose input cannot carry these `//!` docs).
//! `vm/stencils/README.md` describes the ABI as a whole.

use core::mem::{offset_of, size_of};

/// Bit position of the tag in a NaN-boxed value word.
pub const TAG_SHIFT: u32 = 48;
/// Tag of a small int (48-bit two's-complement payload).
pub const TAG_INT: u64 = 0x7FF9;
/// Tag of a pointer to a heap object (48-bit address payload).
pub const TAG_OBJ: u64 = 0x7FFA;
/// Tag of an immediate (`None`, `False`, `True`, …, "undefined").
pub const TAG_IMM: u64 = 0x7FFB;
/// Mask of the 48-bit payload.
pub const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;

/// `None`.
pub const NONE_BITS: u64 = TAG_IMM << TAG_SHIFT;
/// `False`.
pub const FALSE_BITS: u64 = NONE_BITS | 1;
/// `True`.
pub const TRUE_BITS: u64 = NONE_BITS | 2;
/// The "undefined" marker of an unbound local.
pub const UNDEF_BITS: u64 = NONE_BITS | 5;
/// The one NaN the VM produces (`f64::NAN.to_bits()`); every float result whose value is a
/// NaN is stored as exactly these bits, so a NaN can never look like a tagged value.
pub const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

/// Smallest small int.
pub const SMALL_INT_MIN: i64 = -(1 << 47);
/// Largest small int.
pub const SMALL_INT_MAX: i64 = (1 << 47) - 1;

/// Byte offset of the `u32` reference count in every heap object.
pub const RC_OFFSET: usize = 0;

/// What JIT code returns to the host (the `u64` result of a stencil chain), and what the
/// `jit_tier0_step` helper returns to the `TIER0` stencil.
///
/// Side exit: leave tier 1 and resume the interpreter at `frame.ip` with the value stack
/// ending at `frame.stack_top`. Returned by the host's exit routine (`JIT_EXIT`, normally
/// the `EXIT` stencil). From `jit_tier0_step`: "the instruction ran; continue at
/// `frame.ip`".
pub const STATUS_EXIT: u64 = 0;
/// The frame returned: its return value is the top of the stack ending at
/// `frame.stack_top` (`RETURN_VALUE` leaves it there; the host pops it).
pub const STATUS_RETURN: u64 = 1;
/// An exception was raised (only `jit_tier0_step` raises; the VM holds the exception).
pub const STATUS_ERROR: u64 = 2;

/// The head of every VM frame, shared by both tiers. The VM's frame type starts with this
/// (`#[repr(C)]`, first field), so a `*mut FrameHead` is a pointer to the VM frame.
///
/// JIT code keeps the stack pointer in a register (`sp`, one past the top value) and writes
/// `stack_top` and `ip` back only when it leaves tier 1 or calls the interpreter.
#[repr(C)]
pub struct FrameHead {
    /// The frame's local variables (fast locals), one value word each.
    pub fast: *mut u64,
    /// The bottom of the value stack.
    pub stack_base: *mut u64,
    /// One past the top of the value stack (valid at every exit from JIT code).
    pub stack_top: *mut u64,
    /// Index of the next instruction to run.
    pub ip: usize,
}

const _: () = assert!(size_of::<FrameHead>() == 32);
const _: () = assert!(offset_of!(FrameHead, fast) == 0);
const _: () = assert!(offset_of!(FrameHead, stack_base) == 8);
const _: () = assert!(offset_of!(FrameHead, stack_top) == 16);
const _: () = assert!(offset_of!(FrameHead, ip) == 24);

/// Every stencil, and so every piece of JIT code, has this signature: `frame`, `sp` (one past
/// the top of the value stack), and the VM (opaque to the stencils; passed through to
/// helpers). It returns one of the `STATUS_*` codes.
pub type StencilFn = unsafe extern "C" fn(frame: *mut FrameHead, sp: *mut u64, vm: *mut u8) -> u64;

/// The helper behind hole `jit_dealloc`: frees a heap object whose reference count reached
/// zero. `frame.stack_top` is up to date when it is called; `frame.ip` is not.
pub type DeallocFn = unsafe extern "C" fn(obj: *mut u8);

/// The helper behind hole `jit_tier0_step`: runs the one instruction at `frame.ip` in the
/// interpreter (the stack ends at `frame.stack_top`), updates `frame.stack_top` and
/// `frame.ip`, and returns `STATUS_EXIT` (done: continue at `frame.ip`), `STATUS_RETURN` or
/// `STATUS_ERROR`.
pub type Tier0StepFn = unsafe extern "C" fn(frame: *mut FrameHead, vm: *mut u8) -> i64;

/// An op helper, called by the `HELPER` stencil (its address is that instruction's
/// `JIT_OPERAND`): runs one specialized op on the raw stack (`sp` one past the top;
/// `frame.stack_top` is published), with the instruction's argument. Returns 0 when its
/// guard failed, with the stack untouched (the stencil side-exits); otherwise the new stack
/// pointer, with bit 0 set when the instruction jumps to its target ([`HELPER_JUMP`]) or
/// bit 1 when it raised ([`HELPER_RAISE`]).
pub type HelperFn =
    unsafe extern "C" fn(frame: *mut FrameHead, sp: *mut u64, vm: *mut u8, oparg: u64) -> u64;

/// Bit 0 of a helper's result: take the jump.
pub const HELPER_JUMP: u64 = 1;

/// Bit 1 of a helper's result: the op raised (the VM holds the exception); leave JIT code
/// at this instruction with the stack as returned, and the interpreter raises it there.
pub const HELPER_RAISE: u64 = 2;

/// The tag (top 16 bits) of a value word.
#[inline(always)]
pub const fn tag(bits: u64) -> u64 {
    bits >> TAG_SHIFT
}

/// True for a small int.
#[inline(always)]
pub const fn is_small_int(bits: u64) -> bool {
    tag(bits) == TAG_INT
}

/// True for a pointer to a heap object.
#[inline(always)]
pub const fn is_obj(bits: u64) -> bool {
    tag(bits) == TAG_OBJ
}

/// True for an unboxed float: anything whose tag is not one of the three value tags.
#[inline(always)]
pub const fn is_float(bits: u64) -> bool {
    tag(bits).wrapping_sub(TAG_INT) > TAG_IMM - TAG_INT
}

/// The integer in a small-int word (sign-extends the 48-bit payload).
#[inline(always)]
pub const fn small_int_value(bits: u64) -> i64 {
    ((bits << 16) as i64) >> 16
}

/// True if `i` fits in a small int.
#[inline(always)]
pub const fn fits_small(i: i64) -> bool {
    // Adding 2^47 maps the small range onto 0 .. 2^48.
    (i.wrapping_add(1 << 47) as u64) < (1 << 48)
}

/// The small-int word of `i` (which must satisfy [`fits_small`]).
#[inline(always)]
pub const fn box_small_int(i: i64) -> u64 {
    (TAG_INT << TAG_SHIFT) | (i as u64 & PAYLOAD_MASK)
}

/// The value word of a float, with every NaN canonicalised to [`CANONICAL_NAN`].
#[inline(always)]
pub fn box_float(x: f64) -> u64 {
    if x.is_nan() {
        CANONICAL_NAN
    } else {
        x.to_bits()
    }
}

/// The heap object address in an object word.
#[inline(always)]
pub const fn obj_ptr(bits: u64) -> *mut u8 {
    (bits & PAYLOAD_MASK) as *mut u8
}
