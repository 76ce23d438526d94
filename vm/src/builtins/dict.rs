//! Methods of the builtin `dict` type family.

use crate::Vm;

/// Registers the methods.
pub fn init(_vm: &mut Vm) {}
