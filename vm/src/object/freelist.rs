//! Free lists for small object blocks, like CPython's per-type free lists and pymalloc.
//!
//! Programs allocate and free objects in bursts (a tuple per loop trip, a generator per
//! comprehension, a slice per `a[i:j]`). glibc's per-thread cache keeps only 7 blocks of a
//! size; past that every free and malloc goes through its arena code, which showed up as
//! 10–16% of allocation-heavy programs. Here freed object blocks are kept, per size class
//! of 16 bytes, up to [`CAP`] per class, and handed out again before asking the system
//! allocator. Blocks are always allocated with their class's full size, so a block serves
//! any object of its class.
//!
//! The lists are thread-local (objects never leave their VM's thread). After the thread's
//! lists are destroyed (late thread-exit destructors), blocks go straight to the system.

use std::alloc::{Layout, alloc, dealloc, handle_alloc_error};
use std::cell::UnsafeCell;

/// Block sizes are rounded up to a multiple of this.
const GRAIN: usize = 16;
/// The largest block the lists keep, in bytes.
pub(crate) const MAX_SIZE: usize = 256;
const CLASSES: usize = MAX_SIZE / GRAIN;
/// Free blocks kept per size class.
const CAP: u32 = 512;
/// The alignment of every block (enough for every object layout; see `fits`).
const ALIGN: usize = 8;

/// A free block: its first word links to the next.
struct Block {
    next: *mut Block,
}

struct Lists {
    head: [*mut Block; CLASSES],
    len: [u32; CLASSES],
}

impl Drop for Lists {
    fn drop(&mut self) {
        for class in 0..CLASSES {
            let mut p = self.head[class];
            while !p.is_null() {
                // SAFETY: every block on list `class` was allocated by `alloc_block` with
                // `class_layout(class)` and is owned by the list alone.
                unsafe {
                    let next = (*p).next;
                    dealloc(p as *mut u8, class_layout(class));
                    p = next;
                }
            }
        }
    }
}

thread_local! {
    static LISTS: UnsafeCell<Lists> = const {
        UnsafeCell::new(Lists { head: [std::ptr::null_mut(); CLASSES], len: [0; CLASSES] })
    };
}

/// True if blocks for `layout` come from the lists.
#[inline(always)]
pub(crate) const fn fits(layout: Layout) -> bool {
    layout.size() <= MAX_SIZE && layout.align() <= ALIGN && layout.size() > 0
}

#[inline(always)]
const fn class_of(size: usize) -> usize {
    (size - 1) / GRAIN
}

#[inline(always)]
fn class_layout(class: usize) -> Layout {
    // SAFETY: the size is a nonzero multiple of 16 and the alignment a power of two.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRAIN, ALIGN) }
}

/// A block for an object of `layout`, which [`fits`].
#[inline(always)]
pub(crate) fn alloc_block(layout: Layout) -> *mut u8 {
    debug_assert!(fits(layout));
    let class = class_of(layout.size());
    let reused = LISTS
        .try_with(|l| {
            // SAFETY: the lists are only touched by these two leaf functions, which call
            // nothing that could reach them again, so this is the only reference.
            let l = unsafe { &mut *l.get() };
            let p = l.head[class];
            if !p.is_null() {
                // SAFETY: `p` is a free block owned by the list.
                l.head[class] = unsafe { (*p).next };
                l.len[class] -= 1;
            }
            p
        })
        .unwrap_or(std::ptr::null_mut());
    if !reused.is_null() {
        return reused as *mut u8;
    }
    let lay = class_layout(class);
    // SAFETY: the layout has a nonzero size.
    let p = unsafe { alloc(lay) };
    if p.is_null() {
        handle_alloc_error(lay);
    }
    p
}

/// Gives back a block [`alloc_block`] returned for `layout`; its object has been dropped.
#[inline(always)]
pub(crate) fn free_block(p: *mut u8, layout: Layout) {
    debug_assert!(fits(layout));
    let class = class_of(layout.size());
    let kept = LISTS
        .try_with(|l| {
            // SAFETY: as in `alloc_block`.
            let l = unsafe { &mut *l.get() };
            if l.len[class] >= CAP {
                return false;
            }
            let b = p as *mut Block;
            // SAFETY: the block is at least 16 bytes, 8-aligned, and no longer in use.
            unsafe { (*b).next = l.head[class] };
            l.head[class] = b;
            l.len[class] += 1;
            true
        })
        .unwrap_or(false);
    if !kept {
        // SAFETY: the block came from `alloc_block` with this class's layout.
        unsafe { dealloc(p, class_layout(class)) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_freed_block_is_handed_out_again_for_its_size_class() {
        let a = Layout::from_size_align(40, 8).unwrap();
        let b = Layout::from_size_align(48, 8).unwrap();
        let p = alloc_block(a);
        free_block(p, a);
        // 40 and 48 bytes share the 33..=48 class.
        assert_eq!(alloc_block(b), p);
        free_block(p, b);
        let q = alloc_block(Layout::from_size_align(64, 8).unwrap());
        assert_ne!(q, p);
        free_block(q, Layout::from_size_align(64, 8).unwrap());
        assert!(!fits(Layout::from_size_align(MAX_SIZE + 1, 8).unwrap()));
        assert!(!fits(Layout::from_size_align(32, 16).unwrap()));
    }
}
