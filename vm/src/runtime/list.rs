//! `list` construction.

use crate::object::{self, ListObj};
use crate::types::types;
use crate::value::Value;

/// A new list.
pub fn new(items: Vec<Value>) -> Value {
    object::alloc(&types().list, ListObj::new(items))
}
