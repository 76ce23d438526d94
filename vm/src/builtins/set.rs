//! Methods of the builtin `set` type family.

use crate::Vm;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {}
