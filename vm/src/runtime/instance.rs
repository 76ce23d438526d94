//! Attribute storage of plain instances: inline values over the class's shared keys, and
//! the dict they turn into when one is needed.
//!
//! An instance starts with no dict. The attributes set on it go to [`Values`], in the
//! order of its class's [`SharedKeys`]: the first instance to set `x` then `y` records the
//! keys `x, y` on the class, and every later instance stores `x` at 0 and `y` at 1. That is
//! one allocation per instance and one load per attribute, instead of a dict object, its
//! entry table and its index table (CPython 3.11 does the same).
//!
//! The values stay a dense prefix of the keys. Anything that would break that (setting a
//! name out of order, deleting, more than [`MAX_KEYS`] names, a name that is not a str)
//! moves the values into a real dict for good, as does asking for `__dict__`, whose
//! identity and live view Python guarantees. The dict's entries then follow the keys'
//! order, so an entry index cached from the values stays right.

use crate::object::{self, ClassObj, DictObj, InstanceObj, StrObj};
use crate::runtime::str::{hash_of, intern};
use crate::types::types;
use crate::value::Value;

/// The most names a class keeps as shared keys; instances needing more get a dict.
pub const MAX_KEYS: usize = 30;

/// The index of `name` among the first `limit` keys of `c`.
///
/// Keys are interned strs, so for an interned `name` identity decides; any other str is
/// compared by text.
#[inline(always)]
pub fn key_index(c: &ClassObj, name: &Value, limit: usize) -> Option<usize> {
    let s = name.downcast::<StrObj>();
    let interned = s.is_some_and(|s| s.interned.get());
    if interned && !c.keys.may_hold_interned(name) {
        return None;
    }
    c.keys.with(|keys| {
        let keys = &keys[..limit.min(keys.len())];
        if let Some(i) = keys.iter().position(|k| k.is(name)) {
            return Some(i);
        }
        let s = s?;
        if interned {
            return None;
        }
        keys.iter()
            .position(|k| k.downcast::<StrObj>().is_some_and(|k| k.s == s.s))
    })
}

/// The dict of `inst`, if it has one.
#[inline(always)]
pub fn dict_of(inst: &InstanceObj) -> Option<&DictObj> {
    if inst.dict.is_undef() {
        return None;
    }
    let p = (inst.dict.bits() & ((1 << 48) - 1)) as *const object::Header;
    // SAFETY: a set dict slot holds a live dict for as long as the instance (which the
    // caller borrows) is alive; the kind is checked before the cast.
    unsafe {
        if (*p).kind != object::Kind::Dict {
            return None;
        }
        Some(&(*(p as *const object::Obj<DictObj>)).data)
    }
}

/// The instance attribute `name` of `inst` (class `c`), from its values or its dict.
#[inline]
pub fn get(inst: &InstanceObj, c: &ClassObj, name: &Value) -> Option<Value> {
    match dict_of(inst) {
        Some(d) => d.get_str(name, hash_of(name)),
        None => {
            let n = inst.values.len();
            if n == 0 {
                return None;
            }
            key_index(c, name, n).and_then(|i| inst.values.get(i))
        }
    }
}

/// True if `inst` has the instance attribute `name`.
#[inline]
pub fn has(inst: &InstanceObj, c: &ClassObj, name: &Value) -> bool {
    match dict_of(inst) {
        Some(d) => d.get_str(name, hash_of(name)).is_some(),
        None => {
            let n = inst.values.len();
            n != 0 && key_index(c, name, n).is_some()
        }
    }
}

/// Sets the instance attribute `name` of `inst` (class `c`, which gives instances a dict),
/// inline when the values can take it, otherwise in the dict.
#[inline]
pub fn set(inst: &InstanceObj, c: &ClassObj, name: &Value, v: Value) {
    if inst.dict.is_undef() {
        let n = inst.values.len();
        match key_index(c, name, usize::MAX) {
            Some(i) if i < n => return inst.values.set(i, v),
            Some(i) if i == n => return inst.values.push(v, c.keys.len()),
            None if c.keys.len() == n && n < MAX_KEYS => {
                // A str subclass's instance is not a `StrObj`: it goes to the dict.
                if let Some(s) = name.downcast::<StrObj>() {
                    let key = if s.interned.get() {
                        name.clone()
                    } else {
                        intern(&s.s)
                    };
                    c.keys.push(key);
                    return inst.values.push(v, n + 1);
                }
            }
            _ => {}
        }
    }
    let d = dict(inst, c);
    d.downcast::<DictObj>()
        .unwrap()
        .insert_fast(name.clone(), hash_of(name), v);
}

/// The dict of `inst` (class `c`), moving its inline values into a new one if needed.
pub fn dict(inst: &InstanceObj, c: &ClassObj) -> Value {
    if inst.dict.is_undef() {
        let vals = inst.values.take_all();
        let d = DictObj::default();
        c.keys.with(|keys| {
            for (k, v) in keys.iter().zip(vals) {
                d.insert_fast(k.clone(), hash_of(k), v);
            }
        });
        inst.dict.set(object::alloc(&types().dict, d));
    }
    inst.dict.get()
}

/// Moves the inline values of `inst` (class `c`) into a dict, if it has any: done before
/// the instance changes class, since the values are indexed by this class's keys.
pub fn detach_values(inst: &InstanceObj, c: &ClassObj) {
    if inst.dict.is_undef() && !inst.values.is_empty() {
        dict(inst, c);
    }
}

/// The flag of an `*_ATTR_INSTANCE_VALUE` index that names a dict entry; without it the
/// index is an inline value's. An instance in the other state misses.
pub const IN_DICT: usize = 1 << 23;

/// True if key `idx` of class `c` is `name` (an interned str, as code names are).
#[inline(always)]
fn key_is(c: &ClassObj, idx: usize, name: &Value) -> bool {
    c.keys.with(|k| k.get(idx).is_some_and(|k| k.is(name)))
}

/// `LOAD_ATTR_INSTANCE_VALUE`'s read, for a plain instance `inst` of class `c` (see
/// `specialize::plain_instance`): inline value `idx` if the class's key `idx` is `name`,
/// or with [`IN_DICT`] the dict's entry `idx` if that holds `name`. The check is on the
/// key, not the class, so one site serves every class whose instances set their
/// attributes in the same order (a base class's method called on its subclasses).
#[inline(always)]
pub fn load_at(inst: &InstanceObj, c: &ClassObj, idx: usize, name: &Value) -> Option<Value> {
    if idx & IN_DICT == 0 {
        if !inst.dict.is_undef() || !key_is(c, idx, name) {
            return None;
        }
        return inst.values.get(idx);
    }
    dict_of(inst)?.with(|t| {
        t.entries()
            .get(idx & !IN_DICT)
            .filter(|e| e.key.is(name))
            .map(|e| e.value.clone())
    })
}

/// True if [`store_at`] would store.
#[inline(always)]
pub fn can_store_at(inst: &InstanceObj, c: &ClassObj, idx: usize, name: &Value) -> bool {
    if idx & IN_DICT == 0 {
        return inst.dict.is_undef() && idx <= inst.values.len() && key_is(c, idx, name);
    }
    dict_of(inst).is_some_and(|d| {
        d.with(|t| {
            t.entries()
                .get(idx & !IN_DICT)
                .is_some_and(|e| e.key.is(name))
        })
    })
}

/// `STORE_ATTR_INSTANCE_VALUE`'s write, for a plain instance of class `c` that may take
/// stores: the same places as [`load_at`], and also the inline value that comes next
/// (keys never move, so that is where `name` goes). Hands `v` back when neither fits.
#[inline(always)]
pub fn store_at(
    inst: &InstanceObj,
    c: &ClassObj,
    idx: usize,
    name: &Value,
    v: Value,
) -> Result<(), Value> {
    if !can_store_at(inst, c, idx, name) {
        return Err(v);
    }
    if idx & IN_DICT == 0 {
        if idx < inst.values.len() {
            inst.values.set(idx, v);
        } else {
            inst.values.push(v, c.keys.len());
        }
    } else {
        let d = dict_of(inst).unwrap();
        drop(d.with(|t| t.set_value_at(idx & !IN_DICT, v)));
    }
    Ok(())
}
