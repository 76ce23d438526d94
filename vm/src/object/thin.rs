//! Arrays behind a single word: an instance's inline attribute values and its `__slots__`
//! values.
//!
//! Every instance carries both fields, and most leave one of them empty, so each costs one
//! word instead of a `Vec`'s three or a `Box<[_]>`'s two. That keeps a plain instance in
//! glibc's 64-byte chunk. [`Values`] keeps its length and capacity in the heap block, next
//! to the items, so reading item `i` costs the same one dependent load as through a `Vec`;
//! [`Slots`] never changes length and keeps it in the pointer's spare top bits.

use super::Slot;
use crate::value::Value;
use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::cell::Cell;
use std::ops::Deref;
use std::ptr::{self, NonNull};

/// The block's head; the items follow it.
#[repr(C)]
struct Head {
    len: u32,
    cap: u32,
}

/// Bytes of the head (the items' alignment, 8, divides it).
const HEAD: usize = std::mem::size_of::<Head>();

/// The layout of a block of `cap` items of 8 bytes.
fn layout(cap: usize) -> Layout {
    Layout::from_size_align(HEAD + cap * 8, 8).expect("a small block")
}

/// A fresh block for `cap` items, with `len` 0.
fn new_block(cap: usize) -> NonNull<Head> {
    let l = layout(cap);
    // SAFETY: the layout has a non-zero size (it includes the head).
    let p = unsafe { alloc(l) } as *mut Head;
    let Some(p) = NonNull::new(p) else {
        handle_alloc_error(l)
    };
    // SAFETY: `p` is a fresh allocation big enough for the head.
    unsafe {
        p.as_ptr().write(Head {
            len: 0,
            cap: cap as u32,
        })
    };
    p
}

/// The items of the block at `h`.
///
/// # Safety
/// `h` is a live block.
unsafe fn items<T>(h: NonNull<Head>) -> *mut T {
    // SAFETY: the items start right after the head, inside the block.
    unsafe { (h.as_ptr() as *mut u8).add(HEAD) as *mut T }
}

/// A growable array of values (an instance's inline attribute values). Single-threaded
/// interior mutability, like [`Slot`]: every method takes `&self`, and none hands out a
/// reference into the block.
#[derive(Default)]
pub struct Values(Cell<Option<NonNull<Head>>>);

impl Values {
    /// Number of values.
    #[inline(always)]
    pub fn len(&self) -> usize {
        match self.0.get() {
            // SAFETY: a non-null pointer is a live block owned by `self`.
            Some(h) => unsafe { (*h.as_ptr()).len as usize },
            None => 0,
        }
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// A new reference to value `i`, if there is one.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<Value> {
        let h = self.0.get()?;
        // SAFETY: a live block; items below `len` are initialised values, and the reference
        // lives only for the clone.
        unsafe {
            if i >= (*h.as_ptr()).len as usize {
                return None;
            }
            Some((*items::<Value>(h).add(i)).clone())
        }
    }
    /// Replaces value `i` (which exists); the old value is dropped after the write.
    #[inline(always)]
    pub fn set(&self, i: usize, v: Value) {
        let h = self.0.get().expect("an existing value");
        // SAFETY: a live block and `i < len` (checked); the old value is read out before the
        // new one is written, and dropped only after, so a destructor sees a whole array.
        let old = unsafe {
            assert!(i < (*h.as_ptr()).len as usize, "value index out of range");
            let p = items::<Value>(h).add(i);
            let old = ptr::read(p);
            ptr::write(p, v);
            old
        };
        drop(old);
    }
    /// Appends a value; the first one reserves room for `expect` values in all.
    #[inline]
    pub fn push(&self, v: Value, expect: usize) {
        let h = match self.0.get() {
            None => {
                let h = new_block(expect.max(1));
                self.0.set(Some(h));
                h
            }
            // SAFETY: a live block.
            Some(h) if unsafe { (*h.as_ptr()).len == (*h.as_ptr()).cap } => self.grow(h),
            Some(h) => h,
        };
        // SAFETY: a live block with `len < cap`: the slot at `len` is allocated and free.
        unsafe {
            let head = h.as_ptr();
            items::<Value>(h).add((*head).len as usize).write(v);
            (*head).len += 1;
        }
    }
    /// Moves the values into a block twice the size; returns it.
    #[cold]
    fn grow(&self, h: NonNull<Head>) -> NonNull<Head> {
        // SAFETY: `h` is a live block; its `len` initialised items move (bitwise) into the
        // new block, which then owns them, and the old block is freed without dropping them.
        unsafe {
            let (len, cap) = ((*h.as_ptr()).len as usize, (*h.as_ptr()).cap as usize);
            let n = new_block(cap * 2);
            ptr::copy_nonoverlapping(items::<Value>(h), items::<Value>(n), len);
            (*n.as_ptr()).len = len as u32;
            dealloc(h.as_ptr() as *mut u8, layout(cap));
            self.0.set(Some(n));
            n
        }
    }
    /// Takes every value out, leaving none.
    pub fn take_all(&self) -> Vec<Value> {
        let Some(h) = self.0.take() else {
            return Vec::new();
        };
        // SAFETY: the block is detached from `self` first, so nothing else can reach it;
        // each initialised item is read out once, then the block is freed.
        unsafe {
            let (len, cap) = ((*h.as_ptr()).len as usize, (*h.as_ptr()).cap as usize);
            let out = (0..len)
                .map(|i| ptr::read(items::<Value>(h).add(i)))
                .collect();
            dealloc(h.as_ptr() as *mut u8, layout(cap));
            out
        }
    }
    /// Calls `f` with each value (for traversal).
    pub fn visit(&self, f: &mut dyn FnMut(&Value)) {
        if let Some(h) = self.0.get() {
            // SAFETY: the collector does not mutate while traversing; items below `len` are
            // initialised.
            unsafe {
                for i in 0..(*h.as_ptr()).len as usize {
                    f(&*items::<Value>(h).add(i));
                }
            }
        }
    }
}

impl Drop for Values {
    fn drop(&mut self) {
        drop(self.take_all());
    }
}

/// A fixed-size array of slots (an instance's `__slots__` values), empty when the class
/// has none: a boxed slice whose length rides in the pointer's top 16 bits (user-space
/// addresses have 48), so the block holds only the slots.
pub struct Slots(u64);

/// Bits of the address in a [`Slots`] word.
const ADDR_BITS: u32 = 48;

impl Slots {
    /// `n` unset slots.
    pub fn new(n: usize) -> Slots {
        assert!(n < 1 << (64 - ADDR_BITS), "too many __slots__");
        if n == 0 {
            return Slots(0);
        }
        let b: Box<[Slot]> = (0..n).map(|_| Slot::default()).collect();
        let p = Box::into_raw(b) as *mut Slot as u64;
        assert!(p >> ADDR_BITS == 0, "a heap address above 48 bits");
        Slots(p | (n as u64) << ADDR_BITS)
    }

    /// The boxed slice's address and length.
    #[inline(always)]
    fn parts(&self) -> (*mut Slot, usize) {
        (
            (self.0 & ((1 << ADDR_BITS) - 1)) as *mut Slot,
            (self.0 >> ADDR_BITS) as usize,
        )
    }
}

impl Deref for Slots {
    type Target = [Slot];
    #[inline(always)]
    fn deref(&self) -> &[Slot] {
        let (p, n) = self.parts();
        if n == 0 {
            return &[];
        }
        // SAFETY: a boxed slice of `n` slots owned by `self` (made in `new`); slots are
        // mutated only through their own cells.
        unsafe { std::slice::from_raw_parts(p, n) }
    }
}

impl Drop for Slots {
    fn drop(&mut self) {
        let (p, n) = self.parts();
        if n != 0 {
            // SAFETY: the boxed slice `new` made, owned by `self` and dropped once.
            drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(p, n)) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_grow_replace_and_move_out() {
        let v = Values::default();
        assert_eq!(v.len(), 0);
        assert!(v.get(0).is_none());
        for i in 0..10 {
            v.push(Value::small_int(i), 2);
        }
        assert_eq!(v.len(), 10);
        v.set(3, Value::small_int(30));
        assert_eq!(v.get(3).and_then(|x| x.as_small_int()), Some(30));
        assert!(v.get(10).is_none());
        let mut seen = 0;
        v.visit(&mut |_| seen += 1);
        assert_eq!(seen, 10);
        let all = v.take_all();
        assert_eq!(all.len(), 10);
        assert_eq!(all[9].as_small_int(), Some(9));
        assert!(v.is_empty());
    }

    #[test]
    fn slots_are_a_slice_of_unset_slots() {
        assert!(Slots::new(0).is_empty());
        let s = Slots::new(3);
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|x| x.is_undef()));
        s[1].set(Value::small_int(7));
        assert_eq!(s[1].get().as_small_int(), Some(7));
    }
}
