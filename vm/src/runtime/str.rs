//! `str` values: construction, interning, hashing, access.

use crate::object::{self, StrObj};
use crate::types::types;
use crate::value::Value;
use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;

/// The interner's map: FxHash (identifiers are short and trusted).
type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

thread_local! {
    // Values in thread-locals are never dropped: the thread's other locals (the collector's
    // table) may already be gone when these would be destroyed.
    static INTERNED: RefCell<FxMap<Box<str>, ManuallyDrop<Value>>> = RefCell::new(FxMap::default());
}

/// A new str.
pub fn new_str(s: &str) -> Value {
    from_string(s.into())
}

/// A new str taking a `String`.
pub fn from_string(s: String) -> Value {
    let nchars = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    };
    object::alloc(
        &types().str,
        StrObj {
            s: s.into_boxed_str(),
            hash: Cell::new(-1),
            nchars,
            interned: Cell::new(false),
        },
    )
}

/// Slots of the lookaside cache in front of the intern table, indexed by the text's address:
/// the runtime interns the same string literals (`"__init__"`, `"__add__"`, …) on hot paths.
const LOOKASIDE: usize = 256;

thread_local! {
    static INTERN_LOOKASIDE: [Cell<(usize, u64)>; LOOKASIDE] =
        const { [const { Cell::new((0, 0)) }; LOOKASIDE] };
}

/// The interned str for `s` (identifiers, attribute names, constants): one object per text.
pub fn intern(s: &str) -> Value {
    let addr = s.as_ptr() as usize;
    let slot = (addr >> 3) % LOOKASIDE;
    let (key, bits) = INTERN_LOOKASIDE.with(|c| c[slot].get());
    if key == addr && bits != 0 {
        // SAFETY: `bits` is the word of an interned str, which the intern table keeps alive
        // for the whole run (its entries are never dropped); the clone takes a new reference.
        let v = std::mem::ManuallyDrop::new(unsafe { Value::from_bits(bits) });
        // Another text may since live at the same address: compare the contents.
        if as_str(&v) == Some(s) {
            return (*v).clone();
        }
    }
    let v = INTERNED.with(|m| {
        if let Some(v) = m.borrow().get(s) {
            return (**v).clone();
        }
        let v = new_str(s);
        v.downcast::<StrObj>().unwrap().interned.set(true);
        m.borrow_mut()
            .insert(s.into(), ManuallyDrop::new(v.clone()));
        v
    });
    INTERN_LOOKASIDE.with(|c| c[slot].set((addr, v.bits())));
    v
}

/// The text of a str value (exact str or str subclass payload).
#[inline]
pub fn as_str(v: &Value) -> Option<&str> {
    v.downcast::<StrObj>().map(|s| &*s.s)
}

/// FNV-1a-style 64-bit hash of a str (CPython randomises str hashes per process; ours are
/// fixed, which is one of the orders CPython could produce).
pub fn hash_bytes(b: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &c in b {
        h ^= c as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    let h = (h ^ (h >> 29)) as i64;
    if h == -1 { -2 } else { h }
}

/// The (cached) hash of a str object.
#[inline]
pub fn str_hash(s: &StrObj) -> i64 {
    let h = s.hash.get();
    if h != -1 {
        return h;
    }
    let h = hash_bytes(s.s.as_bytes());
    s.hash.set(h);
    h
}

/// Hash of a str value (must be a str).
#[inline]
pub fn hash_of(v: &Value) -> i64 {
    str_hash(v.downcast::<StrObj>().expect("str"))
}

/// The `i`-th character (by character index) of `s`.
pub fn char_at(s: &StrObj, i: usize) -> Option<char> {
    if s.is_ascii() {
        s.s.as_bytes().get(i).map(|&b| b as char)
    } else {
        s.s.chars().nth(i)
    }
}

/// Byte offset of character index `i` (clamped to the end).
pub fn byte_offset(s: &StrObj, i: usize) -> usize {
    if s.is_ascii() {
        i.min(s.s.len())
    } else {
        s.s.char_indices().nth(i).map_or(s.s.len(), |(b, _)| b)
    }
}

/// A one-character str (cached for ASCII).
pub fn from_char(c: char) -> Value {
    thread_local! {
        static ASCII: RefCell<Vec<ManuallyDrop<Value>>> = const { RefCell::new(Vec::new()) };
    }
    if c.is_ascii() {
        return ASCII.with(|a| {
            let mut a = a.borrow_mut();
            if a.is_empty() {
                *a = (0u8..128)
                    .map(|b| ManuallyDrop::new(new_str(&(b as char).to_string())))
                    .collect();
            }
            (*a[c as usize]).clone()
        });
    }
    new_str(c.encode_utf8(&mut [0; 4]))
}
