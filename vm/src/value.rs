//! `Value`: the NaN-boxed 64-bit word every Python value is held in.
//!
//! Layout (the top 16 bits decide):
//!
//! | top 16 bits       | meaning                                               |
//! |-------------------|-------------------------------------------------------|
//! | `0x7FF9`          | small int, 48-bit two's complement payload            |
//! | `0x7FFA`          | pointer to a heap object ([`crate::object::Header`])  |
//! | `0x7FFB`          | immediate: `None`, `False`, `True`, `NotImplemented`, `Ellipsis`, "undefined" |
//! | anything else     | an `f64`, stored as its own bits                      |
//!
//! Every NaN the VM produces has top bits `0x7FF8` or `0xFFF8`, so float arithmetic never
//! collides with a tag; NaNs of unknown origin go through [`Value::float`], which
//! canonicalises them.
//!
//! **Ownership.** A `Value` that points at a heap object owns one reference: `Clone`
//! increments the object's reference count and `Drop` decrements it (freeing the object at
//! zero). Floats, small ints and immediates cost nothing to copy or drop. Reference cycles are
//! reclaimed by [`crate::object::gc`].

use crate::object::{self, Header};
use std::fmt;
use std::mem::ManuallyDrop;

const TAG_SHIFT: u32 = 48;
const TAG_INT: u64 = 0x7FF9;
const TAG_OBJ: u64 = 0x7FFA;
const TAG_IMM: u64 = 0x7FFB;
const NONE_BITS: u64 = TAG_IMM << TAG_SHIFT;
const FALSE_BITS: u64 = NONE_BITS | 1;
const TRUE_BITS: u64 = NONE_BITS | 2;
const UNDEF_BITS: u64 = NONE_BITS | 5;
const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;

/// Smallest int held inline.
pub const SMALL_INT_MIN: i64 = -(1 << 47);
/// Largest int held inline.
pub const SMALL_INT_MAX: i64 = (1 << 47) - 1;

/// A Python value: an unboxed float, a small int, an immediate, or an owned heap reference.
#[repr(transparent)]
pub struct Value(u64);

impl Value {
    /// `None`.
    pub const NONE: Value = Value(TAG_IMM << TAG_SHIFT);
    /// `False`.
    pub const FALSE: Value = Value((TAG_IMM << TAG_SHIFT) | 1);
    /// `True`.
    pub const TRUE: Value = Value((TAG_IMM << TAG_SHIFT) | 2);
    /// `NotImplemented`.
    pub const NOT_IMPLEMENTED: Value = Value((TAG_IMM << TAG_SHIFT) | 3);
    /// `Ellipsis` (`...`).
    pub const ELLIPSIS: Value = Value((TAG_IMM << TAG_SHIFT) | 4);
    /// Not a Python value: an unbound local, an empty cell, an empty call slot.
    pub const UNDEF: Value = Value((TAG_IMM << TAG_SHIFT) | 5);

    /// The raw 64-bit word (for the JIT and the signal handler). Does not transfer ownership.
    #[inline(always)]
    pub const fn bits(&self) -> u64 {
        self.0
    }

    #[inline(always)]
    const fn tag(&self) -> u64 {
        self.0 >> TAG_SHIFT
    }

    /// Boxes a float, canonicalising NaN payloads.
    #[inline(always)]
    pub fn float(x: f64) -> Value {
        if x.is_nan() {
            Value(f64::NAN.to_bits())
        } else {
            Value(x.to_bits())
        }
    }

    /// True for an unboxed float.
    #[inline(always)]
    pub const fn is_float(&self) -> bool {
        self.tag().wrapping_sub(TAG_INT) > (TAG_IMM - TAG_INT)
    }

    /// The float, if this is one.
    #[inline(always)]
    pub fn as_float(&self) -> Option<f64> {
        if self.is_float() {
            Some(f64::from_bits(self.0))
        } else {
            None
        }
    }

    /// True if `i` fits inline.
    #[inline(always)]
    pub const fn fits_small(i: i64) -> bool {
        i >= SMALL_INT_MIN && i <= SMALL_INT_MAX
    }

    /// A small int; the caller checked [`Value::fits_small`].
    #[inline(always)]
    pub const fn small_int(i: i64) -> Value {
        debug_assert!(Self::fits_small(i));
        Value((TAG_INT << TAG_SHIFT) | (i as u64 & PAYLOAD_MASK))
    }

    /// True for an inline int (not a bool, not a big int).
    #[inline(always)]
    pub const fn is_small_int(&self) -> bool {
        self.tag() == TAG_INT
    }

    /// The inline int; meaningful only if [`Value::is_small_int`].
    #[inline(always)]
    pub const fn small_int_unchecked(&self) -> i64 {
        ((self.0 << 16) as i64) >> 16
    }

    /// The inline int, if this is one.
    #[inline(always)]
    pub const fn as_small_int(&self) -> Option<i64> {
        if self.is_small_int() {
            Some(self.small_int_unchecked())
        } else {
            None
        }
    }

    /// `True` or `False`.
    #[inline(always)]
    pub const fn bool(b: bool) -> Value {
        if b { Value::TRUE } else { Value::FALSE }
    }

    /// True for `True` and `False`.
    #[inline(always)]
    pub const fn is_bool(&self) -> bool {
        self.0 == TRUE_BITS || self.0 == FALSE_BITS
    }

    /// True for `None`.
    #[inline(always)]
    pub const fn is_none(&self) -> bool {
        self.0 == NONE_BITS
    }

    /// True for the "undefined" marker.
    #[inline(always)]
    pub const fn is_undef(&self) -> bool {
        self.0 == UNDEF_BITS
    }

    /// True for a heap object reference.
    #[inline(always)]
    pub const fn is_obj(&self) -> bool {
        self.tag() == TAG_OBJ
    }

    /// Takes ownership of one reference to the object at `p`.
    ///
    /// # Safety
    /// `p` must point at a live object header whose count includes a reference for the new
    /// value.
    #[inline(always)]
    pub unsafe fn from_header_owned(p: *const Header) -> Value {
        Value((TAG_OBJ << TAG_SHIFT) | p as u64)
    }

    /// The header of a heap object; the caller checked [`Value::is_obj`].
    #[inline(always)]
    pub fn header_ptr(&self) -> *const Header {
        (self.0 & PAYLOAD_MASK) as *const Header
    }

    /// The header of a heap object, if this is one.
    #[inline(always)]
    pub fn header(&self) -> Option<&Header> {
        if self.is_obj() {
            // SAFETY: an object value owns a reference, so the header is alive at least as long
            // as `self` is borrowed.
            Some(unsafe { &*self.header_ptr() })
        } else {
            None
        }
    }

    /// Python's `is`: same object or same immediate. Floats compare by bits and ints by value,
    /// which is this runtime's definition of identity for unboxed numbers.
    #[inline(always)]
    pub fn is(&self, other: &Value) -> bool {
        self.0 == other.0
    }

    /// Gives up ownership without decrementing; the caller takes over the reference.
    #[inline(always)]
    pub fn into_bits(self) -> u64 {
        let me = ManuallyDrop::new(self);
        me.0
    }

    /// Rebuilds a value from [`Value::into_bits`].
    ///
    /// # Safety
    /// `bits` must come from [`Value::into_bits`] and be used once.
    #[inline(always)]
    pub unsafe fn from_bits(bits: u64) -> Value {
        Value(bits)
    }

    /// A new reference to the same value, from a raw word that is kept alive elsewhere.
    ///
    /// # Safety
    /// `bits` must be a valid value word whose object (if any) is alive.
    #[inline(always)]
    pub unsafe fn clone_from_bits(bits: u64) -> Value {
        let v = ManuallyDrop::new(Value(bits));
        (*v).clone()
    }
}

impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        if self.is_obj() {
            object::incref(self.header_ptr());
        }
        Value(self.0)
    }
}

impl Drop for Value {
    #[inline(always)]
    fn drop(&mut self) {
        if self.is_obj() {
            object::decref(self.header_ptr());
        }
    }
}

impl PartialEq for Value {
    /// Identity (`is`), not Python equality.
    fn eq(&self, other: &Value) -> bool {
        self.0 == other.0
    }
}

impl Eq for Value {}

impl Default for Value {
    fn default() -> Value {
        Value::UNDEF
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(x) = self.as_float() {
            write!(f, "Float({x})")
        } else if let Some(i) = self.as_small_int() {
            write!(f, "Int({i})")
        } else if let Some(h) = self.header() {
            write!(f, "Obj({:?}@{:#x})", h.kind, self.0 & PAYLOAD_MASK)
        } else {
            let name = match self.0 & 0xF {
                0 => "None",
                1 => "False",
                2 => "True",
                3 => "NotImplemented",
                4 => "Ellipsis",
                5 => "<undef>",
                _ => "<bad immediate>",
            };
            f.write_str(name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_trip_including_nans_and_infinities() {
        for x in [
            0.0,
            -0.0,
            1.5,
            -1e308,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ] {
            let v = Value::float(x);
            assert!(v.is_float());
            assert_eq!(v.as_float().unwrap().to_bits(), x.to_bits());
        }
        assert!(Value::float(f64::from_bits(0x7FFA_0000_0000_0001)).is_float());
        assert!(Value::float(-f64::NAN).is_float());
    }

    #[test]
    fn small_ints_sign_extend() {
        for i in [0, 1, -1, SMALL_INT_MAX, SMALL_INT_MIN, 123_456_789_012] {
            let v = Value::small_int(i);
            assert!(v.is_small_int() && !v.is_float() && !v.is_obj());
            assert_eq!(v.as_small_int(), Some(i));
        }
        assert!(!Value::fits_small(SMALL_INT_MAX + 1));
    }

    #[test]
    fn immediates_are_distinct() {
        let all = [
            Value::NONE,
            Value::TRUE,
            Value::FALSE,
            Value::UNDEF,
            Value::ELLIPSIS,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(!a.is_float() && !a.is_small_int() && !a.is_obj());
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
