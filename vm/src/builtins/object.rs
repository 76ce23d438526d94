//! Methods of the builtin `object` type family.

use crate::Vm;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {}
