//! Methods of the builtin `list` type family.

use crate::Vm;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {}
