//! Tier 1: the copy-and-patch JIT.
//!
//! What is here so far is the stencil pipeline: the ABI the stencils and the VM share
//! ([`abi`]), the stencil table `vm/build.rs` builds from the templates in `vm/stencils/`
//! ([`stencils`], [`holes`]), patching ([`stencils::patch`]), and memory for JIT code
//! ([`code_memory`]). Compiling a code object (choosing stencils, laying them out, patching
//! `JIT_CONTINUE`/`JIT_TARGET`/`JIT_EXIT`, entering and leaving) is built on top of these.
//!
//! `abi` and `holes` are the very files the build compiles (`#[path]` modules), so both sides
//! of the ABI and both sides of the table format agree by construction.
#![warn(missing_docs)]

#[path = "../../stencils/abi.rs"]
pub mod abi;
pub mod code_memory;
#[path = "../../stencils/holes.rs"]
pub mod holes;
pub mod stencils;

/// The build's checker, compiled here too so its rules are unit-tested.
#[cfg(test)]
#[path = "../../stencils/check.rs"]
mod check;
#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod exec_tests;
