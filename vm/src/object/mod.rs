//! Heap objects: the header every object starts with, allocation, reference counting and
//! deallocation. This module and its children hold the VM's object-internal `unsafe`.
//!
//! Every heap object is an [`Obj<T>`]: a [`Header`] followed by the kind's data `T`. A
//! [`Value`] that [`Value::is_obj`] points at the header and owns one reference.
//!
//! **Memory model.** Objects are reference counted (like CPython): `Value`'s `Clone` and
//! `Drop` adjust the count and an object is freed when it reaches zero. Containers are also
//! registered with the cycle collector ([`gc`]), which finds groups of objects kept alive only
//! by references among themselves and clears them. Freeing never runs Python code.
//!
//! **Mutation.** The VM is single-threaded. Mutable object state lives in `UnsafeCell`s and
//! is reached only through the small accessor methods of each kind, which never hold a Rust
//! reference into an object across a call that could run Python code (see `dict.rs` for how
//! lookups that call `__eq__` revalidate the table afterwards).

pub mod data;
pub mod dict;
pub mod finalize;
mod freelist;
pub mod gc;
pub mod list;
pub mod set;
mod thin;

pub use data::*;
pub use dict::{DictObj, DictTable};
pub use list::ListObj;
pub use set::{SetObj, SetTable};
pub use thin::{Slots, Values};

use crate::value::Value;
use std::cell::{Cell, RefCell};

/// The Rust layout of a heap object. The Python class is in the header; several classes
/// share a kind (every user class's instances are `Instance`, a `list` subclass's are `List`).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Kind {
    Str,
    Int,
    Tuple,
    List,
    Dict,
    Set,
    Function,
    Code,
    Class,
    Instance,
    Exception,
    Method,
    Builtin,
    Cell,
    Generator,
    Range,
    Slice,
    Module,
    Iter,
    Property,
    ClassMethod,
    StaticMethod,
    Super,
    Deque,
    SlotDescr,
    File,
    Native,
}

/// The first words of every heap object.
#[repr(C)]
pub struct Header {
    /// Reference count.
    pub rc: Cell<u32>,
    /// Index in the cycle collector's table, or [`gc::UNTRACKED`].
    pub gc_idx: Cell<u32>,
    /// The object's Python class (a `Class` object); owns a reference, except for the class
    /// objects created before `type` existed.
    pub cls: Cell<*const Header>,
    /// Rust layout.
    pub kind: Kind,
    /// Scratch byte for the cycle collector.
    pub gc_flags: Cell<u8>,
    /// Scratch count for the cycle collector.
    pub gc_refs: Cell<i32>,
}

/// A heap object of layout `T`.
#[repr(C)]
pub struct Obj<T> {
    /// The common header.
    pub hdr: Header,
    /// The kind's data.
    pub data: T,
}

/// Implemented by every object layout.
pub trait ObjData: Sized + 'static {
    /// The layout's kind.
    const KIND: Kind;
    /// Whether the cycle collector tracks objects of this layout (they can hold references).
    const TRACKED: bool;
    /// Calls `f` on every value the object references (for the cycle collector).
    fn traverse(&self, _f: &mut dyn FnMut(&Value)) {}
    /// Drops the object's references, to break a cycle. The object stays valid but empty.
    fn clear(&self) {}
}

/// Increments a reference count.
#[inline(always)]
pub(crate) fn incref(p: *const Header) {
    // SAFETY: callers pass headers of live objects (from a `Value` they hold).
    let h = unsafe { &*p };
    h.rc.set(h.rc.get() + 1);
}

/// Decrements a reference count, freeing the object at zero.
#[inline(always)]
pub(crate) fn decref(p: *const Header) {
    // SAFETY: callers pass headers of live objects whose reference they give up.
    let h = unsafe { &*p };
    let n = h.rc.get() - 1;
    h.rc.set(n);
    if n == 0 {
        dealloc(p);
    }
}

impl Header {
    /// The data of this object's class, borrowed for as long as the object is.
    #[inline(always)]
    pub fn class_data(&self) -> Option<&ClassObj> {
        let p = self.cls.get();
        // SAFETY: an object holds a reference to its class, so the class outlives the
        // borrow of the object; the kind is checked before the cast.
        unsafe {
            if p.is_null() || (*p).kind != Kind::Class {
                return None;
            }
            Some(&(*(p as *const Obj<ClassObj>)).data)
        }
    }
}

/// Makes `cls` the class of the heap object `obj` (`obj.__class__ = cls`; the caller
/// checked that the layouts agree). The header's reference moves to the new class.
pub fn set_class(obj: &Value, cls: &Value) {
    let (Some(h), true) = (obj.header(), cls.is_obj()) else {
        return;
    };
    let new = cls.header_ptr();
    incref(new);
    let old = h.cls.replace(new);
    decref(old);
}

/// Allocates a heap object of class `cls` holding `data`.
pub fn alloc<T: ObjData>(cls: &Value, data: T) -> Value {
    debug_assert!(cls.is_obj());
    incref(cls.header_ptr());
    alloc_raw(cls.header_ptr(), data)
}

/// Allocates with a raw class pointer whose reference the object takes over (or null).
pub(crate) fn alloc_raw<T: ObjData>(cls: *const Header, data: T) -> Value {
    let obj = Obj {
        hdr: Header {
            rc: Cell::new(1),
            gc_idx: Cell::new(gc::UNTRACKED),
            cls: Cell::new(cls),
            kind: T::KIND,
            gc_flags: Cell::new(0),
            gc_refs: Cell::new(0),
        },
        data,
    };
    let layout = std::alloc::Layout::new::<Obj<T>>();
    let p = if freelist::fits(layout) {
        let p = freelist::alloc_block(layout) as *mut Obj<T>;
        // SAFETY: the block is fresh or free, and large and aligned enough for `Obj<T>`.
        unsafe { p.write(obj) };
        p as *const Header
    } else {
        Box::into_raw(Box::new(obj)) as *const Header
    };
    if T::TRACKED {
        gc::track(p);
    }
    // SAFETY: `p` is a fresh object with count 1, handed to the new value.
    unsafe { Value::from_header_owned(p) }
}

impl Value {
    /// The object's data if it has layout `T`.
    #[inline(always)]
    pub fn downcast<T: ObjData>(&self) -> Option<&T> {
        if self.is_obj() {
            let p = self.header_ptr();
            // SAFETY: the header is alive while `self` is borrowed; the kind check makes the
            // cast to `Obj<T>` valid (each kind has exactly one layout).
            unsafe {
                if (*p).kind == T::KIND {
                    return Some(&(*(p as *const Obj<T>)).data);
                }
            }
        }
        None
    }

    /// The object's kind, if it is a heap object.
    #[inline(always)]
    pub fn kind(&self) -> Option<Kind> {
        self.header().map(|h| h.kind)
    }
}

/// A layout's traversal function.
type TraverseFn = unsafe fn(*const Header, &mut dyn FnMut(&Value));

/// Per-layout operations, indexed by [`Kind`].
struct VTable {
    drop: unsafe fn(*const Header),
    traverse: TraverseFn,
    clear: unsafe fn(*const Header),
}

/// # Safety
/// `p` must be a header of an `Obj<T>` with count zero, not referenced anywhere.
unsafe fn drop_obj<T: ObjData>(p: *const Header) {
    let layout = std::alloc::Layout::new::<Obj<T>>();
    if freelist::fits(layout) {
        // SAFETY: by the contract, `p` is an `Obj<T>` that `alloc_raw` wrote into a free-list
        // block; it is dropped once and its block given back.
        unsafe { std::ptr::drop_in_place(p as *mut Obj<T>) };
        freelist::free_block(p as *mut u8, layout);
    } else {
        // SAFETY: by the contract, `p` came from `Box::into_raw` of an `Obj<T>` in
        // `alloc_raw`.
        drop(unsafe { Box::from_raw(p as *mut Obj<T>) });
    }
}

/// # Safety
/// `p` must be a live `Obj<T>`.
unsafe fn traverse_obj<T: ObjData>(p: *const Header, f: &mut dyn FnMut(&Value)) {
    // SAFETY: by the contract.
    unsafe { &(*(p as *const Obj<T>)).data }.traverse(f)
}

/// # Safety
/// `p` must be a live `Obj<T>`.
unsafe fn clear_obj<T: ObjData>(p: *const Header) {
    // SAFETY: by the contract.
    unsafe { &(*(p as *const Obj<T>)).data }.clear()
}

macro_rules! vtables {
    ($($kind:ident => $ty:ty),* $(,)?) => {
        static VTABLES: &[VTable] = &[$(VTable {
            drop: drop_obj::<$ty>,
            traverse: traverse_obj::<$ty>,
            clear: clear_obj::<$ty>,
        }),*];
        const _: () = { $(assert!(<$ty as ObjData>::KIND as usize == Kind::$kind as usize);)* };
    };
}

vtables! {
    Str => StrObj,
    Int => IntObj,
    Tuple => TupleObj,
    List => ListObj,
    Dict => DictObj,
    Set => SetObj,
    Function => FuncObj,
    Code => CodeObj,
    Class => ClassObj,
    Instance => InstanceObj,
    Exception => ExcObj,
    Method => MethodObj,
    Builtin => BuiltinObj,
    Cell => CellObj,
    Generator => GenObj,
    Range => RangeObj,
    Slice => SliceObj,
    Module => ModuleObj,
    Iter => IterObj,
    Property => PropertyObj,
    ClassMethod => ClassMethodObj,
    StaticMethod => StaticMethodObj,
    Super => SuperObj,
    Deque => DequeObj,
    SlotDescr => SlotDescrObj,
    File => FileObj,
    Native => NativeObj,
}

/// Calls `f` on every value an object references.
pub(crate) fn traverse(p: *const Header, f: &mut dyn FnMut(&Value)) {
    // SAFETY: `p` is a live object; the vtable entry matches its kind.
    unsafe { (VTABLES[(*p).kind as usize].traverse)(p, f) }
}

/// Breaks an object's references.
pub(crate) fn clear(p: *const Header) {
    // SAFETY: as for `traverse`.
    unsafe { (VTABLES[(*p).kind as usize].clear)(p) }
}

/// Deallocations nested deeper than this are queued, so freeing a long chain of objects
/// never overflows the Rust stack (CPython's "trashcan").
const MAX_DEALLOC_DEPTH: u32 = 64;

thread_local! {
    static DEALLOC_DEPTH: Cell<u32> = const { Cell::new(0) };
    static DEALLOC_PENDING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Frees the object at `p`, whose reference count reached zero (the JIT's `jit_dealloc`).
#[cold]
pub(crate) fn dealloc(p: *const Header) {
    let depth = DEALLOC_DEPTH.with(|d| d.get());
    if depth >= MAX_DEALLOC_DEPTH {
        DEALLOC_PENDING.with(|q| q.borrow_mut().push(p as usize));
        return;
    }
    DEALLOC_DEPTH.with(|d| d.set(depth + 1));
    free_one(p);
    if depth == 0 {
        while let Some(q) = DEALLOC_PENDING.with(|q| q.borrow_mut().pop()) {
            free_one(q as *const Header);
        }
    }
    DEALLOC_DEPTH.with(|d| d.set(depth));
}

fn free_one(p: *const Header) {
    // SAFETY: `p`'s count reached zero: nothing else refers to it. We untrack it, then drop
    // its box (which drops its fields' references), then release its class.
    unsafe {
        let h = &*p;
        if h.gc_idx.get() != gc::UNTRACKED {
            gc::untrack(p);
        }
        let cls = h.cls.get();
        (VTABLES[h.kind as usize].drop)(p);
        if !cls.is_null() {
            decref(cls);
        }
    }
}
