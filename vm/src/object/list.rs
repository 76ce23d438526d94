//! `list`: a growable vector of values behind a small safe API.

use super::{Kind, ObjData, Slot};
use crate::value::Value;
use std::cell::UnsafeCell;

/// `list` (and the storage of list-subclass instances).
#[derive(Default)]
pub struct ListObj {
    items: UnsafeCell<Vec<Value>>,
    /// Attribute dict of subclass instances (a dict) or UNDEF.
    pub dict: Slot,
}

impl ObjData for ListObj {
    const KIND: Kind = Kind::List;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        unsafe { (*self.items.get()).iter().for_each(&mut *f) };
        self.dict.visit(f);
    }
    fn clear(&self) {
        drop(self.take());
        self.dict.take();
    }
}

impl ListObj {
    /// A list holding `items`.
    pub fn new(items: Vec<Value>) -> ListObj {
        ListObj {
            items: UnsafeCell::new(items),
            dict: Slot::new(Value::UNDEF),
        }
    }

    /// Runs `f` on the vector. `f` must not run Python code (dropping values is fine:
    /// freeing never runs Python code, and the caller holds a reference to this list).
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut Vec<Value>) -> R) -> R {
        // SAFETY: single-threaded; by contract `f` cannot reach this list again.
        unsafe { f(&mut *self.items.get()) }
    }

    /// Number of items.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.with(|v| v.len())
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new reference to item `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<Value> {
        self.with(|v| v.get(i).cloned())
    }

    /// Replaces item `i` (which must exist); the old value is dropped after the write.
    #[inline(always)]
    pub fn set(&self, i: usize, x: Value) {
        let old = self.with(|v| std::mem::replace(&mut v[i], x));
        drop(old);
    }

    /// Appends.
    #[inline(always)]
    pub fn push(&self, x: Value) {
        self.with(|v| v.push(x))
    }

    /// Removes the last item.
    pub fn pop(&self) -> Option<Value> {
        self.with(|v| v.pop())
    }

    /// A copy of the items (new references).
    pub fn snapshot(&self) -> Vec<Value> {
        self.with(|v| v.clone())
    }

    /// Takes the items out, leaving the list empty.
    pub fn take(&self) -> Vec<Value> {
        self.with(std::mem::take)
    }

    /// Replaces all items; the old ones are dropped after the write.
    pub fn replace(&self, items: Vec<Value>) {
        let old = self.with(|v| std::mem::replace(v, items));
        drop(old);
    }
}
