//! `dict`: an insertion-ordered hash table (CPython's compact layout: a sparse index table
//! over a dense entry vector), so iteration order is insertion order, as in CPython.
//!
//! Comparing keys may run Python code (`__eq__`), and that code may mutate the very dict
//! being searched. The table therefore never calls into Python itself: [`DictObj`]'s methods
//! take the full equality as a callback, call it with no borrow of the table alive, and
//! restart the probe when the table's `version` changed meanwhile.

use super::{Kind, ObjData, Slot, StrObj, TupleObj};
use crate::PyResult;
use crate::value::Value;
use std::cell::UnsafeCell;

const EMPTY: u32 = u32::MAX;
const DUMMY: u32 = u32::MAX - 1;

/// One key/value pair; a deleted entry has an UNDEF key.
pub struct Entry {
    /// The key's hash.
    pub hash: i64,
    /// The key (UNDEF once deleted).
    pub key: Value,
    /// The value.
    pub value: Value,
}

/// The table behind a dict.
#[derive(Default)]
pub struct DictTable {
    indices: Vec<u32>,
    entries: Vec<Entry>,
    used: u32,
    /// Bumped by every insertion of a new key, deletion and resize.
    pub version: u32,
}

/// What a probe found.
enum Probe {
    /// The key is at this entry.
    Found(usize),
    /// The key is absent; an insertion goes to this index slot.
    Missing(usize),
    /// An entry with an equal hash whose key needs Python equality; resume state follows.
    Ask {
        entry: usize,
        slot: usize,
        perturb: u64,
        free: usize,
    },
}

/// Equality that needs no Python code, or `None` when it does.
pub fn fast_eq(a: &Value, b: &Value) -> Option<bool> {
    if a.is(b) {
        return Some(true);
    }
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Some(x == y);
    }
    if let (Some(x), Some(y)) = (a.downcast::<StrObj>(), b.downcast::<StrObj>()) {
        return Some(x.s == y.s);
    }
    let num = |v: &Value| -> Option<f64> {
        if let Some(f) = v.as_float() {
            Some(f)
        } else if let Some(i) = v.as_small_int() {
            Some(i as f64)
        } else if v.is_bool() {
            Some(if v.is(&Value::TRUE) { 1.0 } else { 0.0 })
        } else {
            None
        }
    };
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        // Small ints convert to f64 exactly (they have 48 bits).
        return Some(x == y);
    }
    let a_str = a.downcast::<StrObj>().is_some();
    let b_str = b.downcast::<StrObj>().is_some();
    if (a_str && (b_str || num(b).is_some() || b.is_none()))
        || (b_str && (num(a).is_some() || a.is_none()))
    {
        return Some(false);
    }
    if a.is_none() || b.is_none() {
        if a.is_obj() || b.is_obj() {
            return None;
        }
        return Some(false);
    }
    if let (Some(x), Some(y)) = (a.downcast::<TupleObj>(), b.downcast::<TupleObj>())
        && a.header().unwrap().cls.get() == b.header().unwrap().cls.get()
    {
        if x.items.len() != y.items.len() {
            return Some(false);
        }
        for (p, q) in x.items.iter().zip(y.items.iter()) {
            match fast_eq(p, q) {
                Some(true) => {}
                other => return other,
            }
        }
        return Some(true);
    }
    if let (Some(x), Some(y)) = (a.downcast::<super::IntObj>(), b.downcast::<super::IntObj>()) {
        return Some(x.v == y.v);
    }
    None
}

impl DictTable {
    /// An empty table.
    pub fn new() -> DictTable {
        DictTable::default()
    }

    /// A table sized for `n` items.
    pub fn with_capacity(n: usize) -> DictTable {
        let mut t = DictTable::new();
        if n > 0 {
            t.entries.reserve(n);
            t.indices = vec![EMPTY; (n * 3 / 2 + 1).next_power_of_two().max(8)];
        }
        t
    }

    /// Live items.
    #[inline]
    pub fn len(&self) -> usize {
        self.used as usize
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// The entry vector, deleted entries included (their key is UNDEF).
    #[inline]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of entry positions (live or deleted); iteration goes `0..entry_count()`.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    fn probe(
        &self,
        hash: i64,
        key: &Value,
        mut slot: usize,
        mut perturb: u64,
        mut free: usize,
    ) -> Probe {
        let mask = self.indices.len() - 1;
        loop {
            match self.indices[slot] {
                EMPTY => return Probe::Missing(if free != usize::MAX { free } else { slot }),
                DUMMY => {
                    if free == usize::MAX {
                        free = slot;
                    }
                }
                ix => {
                    let e = &self.entries[ix as usize];
                    if e.key.is(key) {
                        return Probe::Found(ix as usize);
                    }
                    if e.hash == hash {
                        match fast_eq(&e.key, key) {
                            Some(true) => return Probe::Found(ix as usize),
                            Some(false) => {}
                            None => {
                                perturb >>= 5;
                                let next = (slot * 5 + 1 + perturb as usize) & mask;
                                return Probe::Ask {
                                    entry: ix as usize,
                                    slot: next,
                                    perturb,
                                    free,
                                };
                            }
                        }
                    }
                }
            }
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
    }

    fn start(&self, hash: i64) -> (usize, u64) {
        let mask = self.indices.len() - 1;
        ((hash as u64 as usize) & mask, hash as u64)
    }

    fn grow_if_needed(&mut self) {
        if self.indices.is_empty() || (self.entries.len() + 1) * 3 > self.indices.len() * 2 {
            self.rebuild((self.used as usize + 1) * 3);
        }
    }

    fn rebuild(&mut self, min_slots: usize) {
        let size = min_slots.next_power_of_two().max(8);
        self.entries.retain(|e| !e.key.is_undef());
        // Room for every entry the new index table admits (2/3 of its slots), so the
        // entry vector does not reallocate in between.
        self.entries
            .reserve(if size == 8 { 4 } else { size * 2 / 3 }.saturating_sub(self.entries.len()));
        self.indices = vec![EMPTY; size];
        let mask = size - 1;
        for (i, e) in self.entries.iter().enumerate() {
            let mut slot = (e.hash as u64 as usize) & mask;
            let mut perturb = e.hash as u64;
            while self.indices[slot] != EMPTY {
                perturb >>= 5;
                slot = (slot * 5 + 1 + perturb as usize) & mask;
            }
            self.indices[slot] = i as u32;
        }
        self.version = self.version.wrapping_add(1);
    }

    /// Lookup of a str key (an identifier, usually interned): identity first, then text.
    #[inline]
    pub fn get_str(&self, key: &Value, hash: i64) -> Option<&Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.indices.len() - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        loop {
            let ix = self.indices[slot];
            if ix == EMPTY {
                return None;
            }
            if ix != DUMMY {
                let e = &self.entries[ix as usize];
                if e.key.is(key) || (e.hash == hash && fast_eq(&e.key, key) == Some(true)) {
                    return Some(&e.value);
                }
            }
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
    }

    /// Lookup with fast equality only; `None` also when Python equality would be needed.
    /// Right for keys known to compare natively (strs, ints).
    #[inline]
    pub fn get_fast(&self, key: &Value, hash: i64) -> Option<&Value> {
        if self.used == 0 {
            return None;
        }
        let (slot, perturb) = self.start(hash);
        match self.probe(hash, key, slot, perturb, usize::MAX) {
            Probe::Found(i) => Some(&self.entries[i].value),
            _ => None,
        }
    }

    /// Index of the entry for `key`, with fast equality only.
    pub fn find_fast(&self, key: &Value, hash: i64) -> Option<usize> {
        if self.used == 0 {
            return None;
        }
        let (slot, perturb) = self.start(hash);
        match self.probe(hash, key, slot, perturb, usize::MAX) {
            Probe::Found(i) => Some(i),
            _ => None,
        }
    }

    /// Inserts or replaces, with fast equality only (keys known to compare natively).
    /// Returns the old value.
    pub fn insert_fast(&mut self, key: Value, hash: i64, value: Value) -> Option<Value> {
        self.grow_if_needed();
        let (slot, perturb) = self.start(hash);
        match self.probe(hash, &key, slot, perturb, usize::MAX) {
            Probe::Found(i) => Some(std::mem::replace(&mut self.entries[i].value, value)),
            Probe::Missing(s) => {
                self.put_new(s, key, hash, value);
                None
            }
            Probe::Ask { .. } => {
                // Not reached for natively comparable keys; such keys compare unequal.
                self.append_new(key, hash, value);
                None
            }
        }
    }

    fn put_new(&mut self, slot: usize, key: Value, hash: i64, value: Value) {
        self.indices[slot] = self.entries.len() as u32;
        self.entries.push(Entry { hash, key, value });
        self.used += 1;
        self.version = self.version.wrapping_add(1);
    }

    fn append_new(&mut self, key: Value, hash: i64, value: Value) {
        self.grow_if_needed();
        let mask = self.indices.len() - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        while self.indices[slot] < DUMMY {
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
        self.put_new(slot, key, hash, value);
    }

    /// Removes the entry at `i` (which is live); returns its key and value.
    pub fn remove_at(&mut self, i: usize) -> (Value, Value) {
        let hash = self.entries[i].hash;
        let mask = self.indices.len() - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        while self.indices[slot] != i as u32 {
            perturb >>= 5;
            slot = (slot * 5 + 1 + perturb as usize) & mask;
        }
        self.indices[slot] = DUMMY;
        self.used -= 1;
        self.version = self.version.wrapping_add(1);
        let e = &mut self.entries[i];
        let k = std::mem::take(&mut e.key);
        let v = std::mem::take(&mut e.value);
        if self.used == 0 {
            self.entries.clear();
            self.indices.iter_mut().for_each(|s| *s = EMPTY);
        }
        (k, v)
    }

    /// Removes everything; returns the old entries (to be dropped by the caller).
    pub fn take_all(&mut self) -> Vec<Entry> {
        self.indices.clear();
        self.used = 0;
        self.version = self.version.wrapping_add(1);
        std::mem::take(&mut self.entries)
    }

    /// Replaces the value of live entry `i`; returns the old one.
    pub fn set_value_at(&mut self, i: usize, v: Value) -> Value {
        std::mem::replace(&mut self.entries[i].value, v)
    }

    /// Live entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.key.is_undef())
    }

    /// Removes and returns the last inserted item.
    pub fn pop_last(&mut self) -> Option<(Value, Value)> {
        let i = self.entries.iter().rposition(|e| !e.key.is_undef())?;
        Some(self.remove_at(i))
    }
}

/// `dict` (and the storage of dict-subclass instances, and `defaultdict`).
#[derive(Default)]
pub struct DictObj {
    table: UnsafeCell<DictTable>,
    /// Attribute dict of subclass instances (a dict) or UNDEF.
    pub dict: Slot,
    /// `defaultdict.default_factory`, or UNDEF.
    pub default_factory: Slot,
}

impl ObjData for DictObj {
    const KIND: Kind = Kind::Dict;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        let t = unsafe { &*self.table.get() };
        for e in t.iter() {
            f(&e.key);
            f(&e.value);
        }
        self.dict.visit(f);
        self.default_factory.visit(f);
    }
    fn clear(&self) {
        drop(self.with(|t| t.take_all()));
        self.dict.take();
        self.default_factory.take();
    }
}

/// Full equality used by lookups: Python's `==` on two keys.
pub type KeyEq<'a> = &'a mut dyn FnMut(&Value, &Value) -> PyResult<bool>;

impl DictObj {
    /// A dict over `table`.
    pub fn new(table: DictTable) -> DictObj {
        DictObj {
            table: UnsafeCell::new(table),
            dict: Slot::default(),
            default_factory: Slot::default(),
        }
    }

    /// Runs `f` on the table. `f` must not run Python code.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut DictTable) -> R) -> R {
        // SAFETY: single-threaded; by contract `f` cannot reach this dict again.
        unsafe { f(&mut *self.table.get()) }
    }

    /// Number of items.
    #[inline]
    pub fn len(&self) -> usize {
        self.with(|t| t.len())
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Finds the entry index of `key`, calling `eq` (outside any borrow) for keys that need
    /// Python equality.
    pub fn find(&self, key: &Value, hash: i64, eq: KeyEq) -> PyResult<Result<usize, usize>> {
        'restart: loop {
            let (version, mut probe) = self.with(|t| {
                if t.indices.is_empty() {
                    return (t.version, None);
                }
                let (s, p) = t.start(hash);
                (t.version, Some(t.probe(hash, key, s, p, usize::MAX)))
            });
            loop {
                match probe {
                    None => return Ok(Err(usize::MAX)),
                    Some(Probe::Found(i)) => return Ok(Ok(i)),
                    Some(Probe::Missing(s)) => return Ok(Err(s)),
                    Some(Probe::Ask {
                        entry,
                        slot,
                        perturb,
                        free,
                    }) => {
                        let other = self.with(|t| t.entries[entry].key.clone());
                        let same = eq(&other, key)?;
                        if self.with(|t| t.version) != version {
                            continue 'restart;
                        }
                        if same {
                            return Ok(Ok(entry));
                        }
                        probe = Some(self.with(|t| t.probe(hash, key, slot, perturb, free)));
                    }
                }
            }
        }
    }

    /// A new reference to the value for `key`.
    pub fn get(&self, key: &Value, hash: i64, eq: KeyEq) -> PyResult<Option<Value>> {
        Ok(match self.find(key, hash, eq)? {
            Ok(i) => Some(self.with(|t| t.entries[i].value.clone())),
            Err(_) => None,
        })
    }

    /// Fast-path lookup for natively comparable keys (str, int).
    #[inline]
    pub fn get_fast(&self, key: &Value, hash: i64) -> Option<Value> {
        self.with(|t| t.get_fast(key, hash).cloned())
    }

    /// Lookup of a str key (see [`DictTable::get_str`]).
    #[inline]
    pub fn get_str(&self, key: &Value, hash: i64) -> Option<Value> {
        self.with(|t| t.get_str(key, hash).cloned())
    }

    /// Inserts or replaces `key`.
    pub fn insert(&self, key: Value, hash: i64, value: Value, eq: KeyEq) -> PyResult<()> {
        match self.find(&key, hash, eq)? {
            Ok(i) => {
                let old = self.with(|t| t.set_value_at(i, value));
                drop(old);
            }
            Err(_) => {
                // The probe found no equal key; insert it (recomputing the slot, since the
                // table may need to grow).
                self.with(|t| t.append_new(key, hash, value));
            }
        }
        Ok(())
    }

    /// Fast-path insert for natively comparable keys.
    #[inline]
    pub fn insert_fast(&self, key: Value, hash: i64, value: Value) {
        let old = self.with(|t| t.insert_fast(key, hash, value));
        drop(old);
    }

    /// Removes `key`; returns its value.
    pub fn remove(&self, key: &Value, hash: i64, eq: KeyEq) -> PyResult<Option<Value>> {
        Ok(match self.find(key, hash, eq)? {
            Ok(i) => {
                let (k, v) = self.with(|t| t.remove_at(i));
                drop(k);
                Some(v)
            }
            Err(_) => None,
        })
    }

    /// New references to all (key, value) pairs, in order.
    pub fn items(&self) -> Vec<(Value, Value)> {
        self.with(|t| t.iter().map(|e| (e.key.clone(), e.value.clone())).collect())
    }

    /// New references to the keys, in order.
    pub fn keys(&self) -> Vec<Value> {
        self.with(|t| t.iter().map(|e| e.key.clone()).collect())
    }

    /// New references to the values, in order.
    pub fn values(&self) -> Vec<Value> {
        self.with(|t| t.iter().map(|e| e.value.clone()).collect())
    }

    /// (key, value, hash) of entry position `i`, if live.
    pub fn entry_at(&self, i: usize) -> Option<(Value, Value, i64)> {
        self.with(|t| {
            t.entries.get(i).and_then(|e| {
                if e.key.is_undef() {
                    None
                } else {
                    Some((e.key.clone(), e.value.clone(), e.hash))
                }
            })
        })
    }

    /// Removes everything.
    pub fn clear_all(&self) {
        drop(self.with(|t| t.take_all()));
    }
}
