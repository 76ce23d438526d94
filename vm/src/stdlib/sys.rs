//! The `sys` module.

use crate::value::Value;
use crate::{PyResult, Vm};

/// Builds the module namespace.
pub fn build(_vm: &mut Vm, _d: &Value) -> PyResult<()> {
    Ok(())
}

/// A file object for the process's stdout.
pub fn stdout_file() -> Value {
    crate::object::alloc(
        &crate::types::types().file,
        crate::object::FileObj { target: crate::object::FileTarget::Stdout, name: "<stdout>".into(), closed: std::cell::Cell::new(false) },
    )
}
