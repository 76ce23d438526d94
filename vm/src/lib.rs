//! jitlens-vm: a Python virtual machine with a tiered engine.
//!
//! Data flows source → `jitlens_compiler` (parser, symbol tables, code generation; plain
//! data out) → [`code::Code`] (loaded onto the heap) → [`interp`] (frames and the tier-0
//! loop) over [`object`]s, with the language's semantics in [`runtime`] and the builtins and
//! standard modules in [`builtins`] and [`stdlib`].
//!
//! This crate knows nothing of the tools (profiler, LSP, dashboard): it publishes what they
//! need through [`ExecState`].

pub mod builtins;
pub mod code;
pub mod fmt;
pub mod interp;
pub mod introspect;
pub mod jit;
pub mod object;
pub mod runtime;
pub mod sampling;
pub mod stdlib;
pub mod types;
pub mod value;
mod vm;

pub use types::types;
pub use value::Value;
pub use vm::{ExecState, Exit, Options, PyErr, PyResult, Vm};

/// Size of the native stack the VM thread should get (deep recursion through dunders and
/// native callbacks needs more than the default 8 MiB).
pub const STACK_SIZE: usize = 512 << 20;
