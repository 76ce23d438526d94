//! Tier 1: the copy-and-patch JIT.
//!
//! The stencil pipeline: the ABI the stencils and the VM share ([`abi`]), the stencil table
//! `vm/build.rs` builds from the templates in `vm/stencils/` ([`stencils`], [`holes`]),
//! patching ([`stencils::patch`]), and memory for JIT code ([`code_memory`]). On top of it,
//! [`compile`] turns a code object into JIT code (one stencil per instruction, laid out in
//! bytecode order), and [`runtime`] decides when to compile and runs the code: entering from
//! the interpreter, side exits back to it, and the helpers JIT code calls. [`perf`] shows the
//! code to `perf` (perf map, jitdump).
//!
//! `abi` and `holes` are the very files the build compiles (`#[path]` modules), so both sides
//! of the ABI and both sides of the table format agree by construction.
#![warn(missing_docs)]

#[path = "../../stencils/abi.rs"]
pub mod abi;
pub mod code_memory;
pub mod compile;
mod helpers;
#[path = "../../stencils/holes.rs"]
pub mod holes;
pub mod perf;
pub mod runtime;
pub mod stencils;

/// The build's checker, compiled here too so its rules are unit-tested.
#[cfg(test)]
#[path = "../../stencils/check.rs"]
mod check;
#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod exec_tests;
#[cfg(test)]
mod perf_tests;
#[cfg(test)]
mod run_tests;
