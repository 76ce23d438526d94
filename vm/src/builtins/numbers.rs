//! Methods of the builtin `numbers` type family.

use crate::Vm;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {}
