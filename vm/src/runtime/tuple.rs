//! `tuple` construction and access.

use crate::object::{self, TupleObj};
use crate::types::types;
use crate::value::Value;

/// A new tuple.
pub fn new(items: Vec<Value>) -> Value {
    object::alloc(
        &types().tuple,
        TupleObj {
            items: items.into_boxed_slice(),
        },
    )
}

/// The items of a tuple value.
#[inline]
pub fn items(v: &Value) -> Option<&[Value]> {
    v.downcast::<TupleObj>().map(|t| &*t.items)
}

/// CPython's tuple hash (xxHash-based, 3.8+) over already computed item hashes.
pub fn hash_items(hashes: impl ExactSizeIterator<Item = i64>) -> i64 {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let len = hashes.len() as u64;
    let mut acc: u64 = P5;
    for h in hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add(len ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        return 1546275796;
    }
    acc as i64
}
