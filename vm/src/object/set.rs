//! `set` / `frozenset`: a port of the open-addressing table of CPython 3.11's
//! `Objects/setobject.c` (linear probes of 9, then perturbation; resize at 60% fill), so that
//! iteration order, `repr` and `pop()` match CPython exactly.
//!
//! As in `dict.rs`, Python equality is a callback run with no borrow of the table alive; a
//! probe restarts when the table changed meanwhile.

use super::{Kind, ObjData};
use crate::PyResult;
use crate::object::dict::{KeyEq, fast_eq};
use crate::value::Value;
use std::cell::{Cell, UnsafeCell};

const MINSIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// One slot: unused (`key` UNDEF, `hash` 0), dummy (`key` UNDEF, `hash` -1) or live.
#[derive(Clone)]
struct SetEntry {
    hash: i64,
    key: Value,
}

impl SetEntry {
    fn unused() -> SetEntry {
        SetEntry {
            hash: 0,
            key: Value::UNDEF,
        }
    }
    fn is_unused(&self) -> bool {
        self.key.is_undef() && self.hash == 0
    }
    fn is_live(&self) -> bool {
        !self.key.is_undef()
    }
}

/// The table.
#[derive(Clone)]
pub struct SetTable {
    table: Vec<SetEntry>,
    fill: usize,
    used: usize,
    finger: usize,
    /// Bumped by every structural change.
    pub version: u64,
}

impl Default for SetTable {
    fn default() -> SetTable {
        SetTable {
            table: vec![SetEntry::unused(); MINSIZE],
            fill: 0,
            used: 0,
            finger: 0,
            version: 0,
        }
    }
}

enum Look {
    Found(usize),
    /// Absent: the unused slot reached and the last dummy seen on the way.
    Absent {
        unused: usize,
        freeslot: Option<usize>,
    },
    /// An equal hash needing Python equality at entry `at`.
    Ask {
        at: usize,
    },
}

impl SetTable {
    /// Live items.
    pub fn len(&self) -> usize {
        self.used
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    fn mask(&self) -> usize {
        self.table.len() - 1
    }

    /// Probes for `key`; `skip_until` resumes after an `Ask` answered "unequal" at that slot.
    fn look(
        &self,
        key: &Value,
        hash: i64,
        resume: Option<(usize, usize, u64, Option<usize>)>,
    ) -> Look {
        let mask = self.mask();
        // State: current base index i, the offset inside the linear run, perturb, freeslot.
        let (mut i, mut off, mut perturb, mut freeslot) =
            resume.unwrap_or(((hash as u64 as usize) & mask, 0, hash as u64, None));
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            while off <= probes {
                let j = i + off;
                let e = &self.table[j];
                if e.is_unused() {
                    return Look::Absent {
                        unused: j,
                        freeslot,
                    };
                }
                if e.hash == hash && e.is_live() {
                    match fast_eq(&e.key, key) {
                        Some(true) => return Look::Found(j),
                        Some(false) => {}
                        None => return Look::Ask { at: j },
                    }
                } else if e.hash == -1 && !e.is_live() {
                    freeslot = Some(j);
                }
                off += 1;
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
            off = 0;
        }
    }

    fn insert_clean(table: &mut [SetEntry], key: Value, hash: i64) {
        let mask = table.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            if table[i].key.is_undef() {
                table[i] = SetEntry { hash, key };
                return;
            }
            if i + LINEAR_PROBES <= mask {
                for j in 1..=LINEAR_PROBES {
                    if table[i + j].key.is_undef() {
                        table[i + j] = SetEntry { hash, key };
                        return;
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    fn resize(&mut self, minused: usize) {
        let mut newsize = MINSIZE;
        while newsize <= minused {
            newsize <<= 1;
        }
        if newsize == self.table.len() && self.fill == self.used && newsize == MINSIZE {
            return;
        }
        let old = std::mem::replace(&mut self.table, vec![SetEntry::unused(); newsize]);
        self.fill = self.used;
        for e in old {
            if e.is_live() {
                SetTable::insert_clean(&mut self.table, e.key, e.hash);
            }
        }
        self.version += 1;
    }

    fn add_at(&mut self, look: Look, key: Value, hash: i64) {
        match look {
            Look::Absent {
                unused,
                freeslot: Some(f),
            } => {
                let _ = unused;
                self.table[f] = SetEntry { hash, key };
                self.used += 1;
                self.version += 1;
            }
            Look::Absent {
                unused,
                freeslot: None,
            } => {
                self.table[unused] = SetEntry { hash, key };
                self.fill += 1;
                self.used += 1;
                self.version += 1;
                if self.fill * 5 >= self.mask() * 3 {
                    self.resize(if self.used > 50000 {
                        self.used * 2
                    } else {
                        self.used * 4
                    });
                }
            }
            _ => unreachable!("add_at is called only for absent keys"),
        }
    }

    /// Adds a key known to compare natively (or known absent); true if it was new.
    pub fn add_fast(&mut self, key: Value, hash: i64) -> bool {
        match self.look(&key, hash, None) {
            Look::Found(_) => false,
            l @ Look::Absent { .. } => {
                self.add_at(l, key, hash);
                true
            }
            Look::Ask { .. } => {
                // Treat as unequal: continue to the end of the probe sequence.
                let mut resume = self.resume_after_ask(&key, hash);
                loop {
                    match self.look(&key, hash, Some(resume)) {
                        Look::Found(_) => return false,
                        l @ Look::Absent { .. } => {
                            self.add_at(l, key, hash);
                            return true;
                        }
                        Look::Ask { at } => resume = self.resume_from(at, &key, hash),
                    }
                }
            }
        }
    }

    /// Recomputes the probe state just after slot `at` on `key`'s probe sequence.
    fn resume_from(
        &self,
        at: usize,
        _key: &Value,
        hash: i64,
    ) -> (usize, usize, u64, Option<usize>) {
        let mask = self.mask();
        let mut i = (hash as u64 as usize) & mask;
        let mut perturb = hash as u64;
        let mut freeslot = None;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for off in 0..=probes {
                let j = i + off;
                let e = &self.table[j];
                if e.hash == -1 && !e.is_live() {
                    freeslot = Some(j);
                }
                if j == at {
                    return (i, off + 1, perturb, freeslot);
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    fn resume_after_ask(&self, key: &Value, hash: i64) -> (usize, usize, u64, Option<usize>) {
        match self.look(key, hash, None) {
            Look::Ask { at } => self.resume_from(at, key, hash),
            _ => unreachable!(),
        }
    }

    /// True if `key` (natively comparable) is present.
    pub fn contains_fast(&self, key: &Value, hash: i64) -> Option<bool> {
        match self.look(key, hash, None) {
            Look::Found(_) => Some(true),
            Look::Absent { .. } => Some(false),
            Look::Ask { .. } => None,
        }
    }

    /// Live (hash, key) pairs in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &Value)> {
        self.table
            .iter()
            .filter(|e| e.is_live())
            .map(|e| (e.hash, &e.key))
    }

    /// Number of slots (for iterators that walk slot positions).
    pub fn slots(&self) -> usize {
        self.table.len()
    }

    /// The live key at slot `i`, if any.
    pub fn key_at(&self, i: usize) -> Option<&Value> {
        self.table.get(i).filter(|e| e.is_live()).map(|e| &e.key)
    }

    /// Removes the entry at slot `i` (live); returns its key.
    fn remove_slot(&mut self, i: usize) -> Value {
        let k = std::mem::take(&mut self.table[i].key);
        self.table[i].hash = -1;
        self.used -= 1;
        self.version += 1;
        k
    }

    /// `set.pop()`'s choice, as CPython makes it.
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.finger & mask;
        while !self.table[i].is_live() {
            i += 1;
            if i > mask {
                i = 0;
            }
        }
        self.finger = i + 1;
        Some(self.remove_slot(i))
    }

    /// Empties the table; returns the old entries' keys for the caller to drop.
    pub fn take_all(&mut self) -> Vec<Value> {
        let old = std::mem::replace(&mut self.table, vec![SetEntry::unused(); MINSIZE]);
        self.fill = 0;
        self.used = 0;
        self.version += 1;
        old.into_iter()
            .filter(|e| e.is_live())
            .map(|e| e.key)
            .collect()
    }

    /// Presizes before merging `n` more items, as `set_merge`/`set_update_internal` do.
    pub fn presize_for_merge(&mut self, n: usize) {
        if (self.fill + n) * 5 >= self.mask() * 3 {
            self.resize((self.used + n) * 2);
        }
    }

    /// Copies `other` into this empty table the way `set_merge` does (same layout when the
    /// sizes match and there are no dummies, else clean inserts in slot order).
    pub fn merge_into_empty(&mut self, other: &SetTable) {
        debug_assert!(self.fill == 0);
        self.presize_for_merge(other.used);
        if self.table.len() == other.table.len() && other.fill == other.used {
            self.table = other.table.clone();
            self.fill = other.fill;
            self.used = other.used;
        } else {
            for e in other.table.iter().filter(|e| e.is_live()) {
                SetTable::insert_clean(&mut self.table, e.key.clone(), e.hash);
            }
            self.fill = other.used;
            self.used = other.used;
        }
        self.version += 1;
    }

    /// CPython's frozenset hash of the live entries.
    pub fn frozenset_hash(&self) -> i64 {
        fn shuffle(h: u64) -> u64 {
            ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
        }
        let mut hash: u64 = 0;
        for e in self.table.iter().filter(|e| e.is_live()) {
            hash ^= shuffle(e.hash as u64);
        }
        // CPython xors every slot and then cancels the unused and dummy ones: the same as
        // xoring the live entries only.
        hash ^= (self.used as u64 + 1).wrapping_mul(1927868237);
        hash ^= (hash >> 11) ^ (hash >> 25);
        hash = hash.wrapping_mul(69069).wrapping_add(907133923);
        let h = hash as i64;
        if h == -1 { 590923713 } else { h }
    }
}

/// `set` or `frozenset` (which one is the class's business; `frozen` mirrors it).
pub struct SetObj {
    table: UnsafeCell<SetTable>,
    /// True for frozenset.
    pub frozen: bool,
    /// Cached frozenset hash (-1 until computed).
    pub hash: Cell<i64>,
}

impl ObjData for SetObj {
    const KIND: Kind = Kind::Set;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        unsafe { (*self.table.get()).iter().for_each(|(_, k)| f(k)) }
    }
    fn clear(&self) {
        drop(self.with(|t| t.take_all()));
    }
}

impl SetObj {
    /// An empty set or frozenset.
    pub fn new(frozen: bool) -> SetObj {
        SetObj {
            table: UnsafeCell::new(SetTable::default()),
            frozen,
            hash: Cell::new(-1),
        }
    }

    /// Runs `f` on the table. `f` must not run Python code.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut SetTable) -> R) -> R {
        // SAFETY: single-threaded; by contract `f` cannot reach this set again.
        unsafe { f(&mut *self.table.get()) }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.with(|t| t.len())
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Finds `key`'s slot (Ok) or reports it absent (Err), calling `eq` outside any borrow.
    fn find(&self, key: &Value, hash: i64, eq: KeyEq) -> PyResult<Result<usize, ()>> {
        'restart: loop {
            let version = self.with(|t| t.version);
            let mut look = self.with(|t| t.look(key, hash, None));
            loop {
                match look {
                    Look::Found(i) => return Ok(Ok(i)),
                    Look::Absent { .. } => return Ok(Err(())),
                    Look::Ask { at } => {
                        let other = self.with(|t| t.table[at].key.clone());
                        let same = eq(&other, key)?;
                        if self.with(|t| t.version) != version {
                            continue 'restart;
                        }
                        if same {
                            return Ok(Ok(at));
                        }
                        look = self.with(|t| {
                            let r = t.resume_from(at, key, hash);
                            t.look(key, hash, Some(r))
                        });
                    }
                }
            }
        }
    }

    /// Membership.
    pub fn contains(&self, key: &Value, hash: i64, eq: KeyEq) -> PyResult<bool> {
        Ok(self.find(key, hash, eq)?.is_ok())
    }

    /// Adds `key`; true if it was new.
    pub fn add(&self, key: Value, hash: i64, eq: KeyEq) -> PyResult<bool> {
        'restart: loop {
            let version = self.with(|t| t.version);
            let mut look = self.with(|t| t.look(&key, hash, None));
            loop {
                match look {
                    Look::Found(_) => return Ok(false),
                    l @ Look::Absent { .. } => {
                        self.with(|t| t.add_at(l, key, hash));
                        return Ok(true);
                    }
                    Look::Ask { at } => {
                        let other = self.with(|t| t.table[at].key.clone());
                        let same = eq(&other, &key)?;
                        if self.with(|t| t.version) != version {
                            continue 'restart;
                        }
                        if same {
                            return Ok(false);
                        }
                        look = self.with(|t| {
                            let r = t.resume_from(at, &key, hash);
                            t.look(&key, hash, Some(r))
                        });
                    }
                }
            }
        }
    }

    /// Removes `key`; true if it was present.
    pub fn discard(&self, key: &Value, hash: i64, eq: KeyEq) -> PyResult<bool> {
        match self.find(key, hash, eq)? {
            Ok(i) => {
                let k = self.with(|t| t.remove_slot(i));
                drop(k);
                Ok(true)
            }
            Err(()) => Ok(false),
        }
    }

    /// New references to the keys in iteration order.
    pub fn keys(&self) -> Vec<Value> {
        self.with(|t| t.iter().map(|(_, k)| k.clone()).collect())
    }

    /// New references to (hash, key) in iteration order.
    pub fn entries(&self) -> Vec<(i64, Value)> {
        self.with(|t| t.iter().map(|(h, k)| (h, k.clone())).collect())
    }
}
