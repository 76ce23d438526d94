//! The `math` module.

use crate::value::Value;
use crate::{PyResult, Vm};

/// Builds the module namespace.
pub fn build(_vm: &mut Vm, _d: &Value) -> PyResult<()> {
    Ok(())
}
