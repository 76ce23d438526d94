//! jitlens-compiler: Python source → jitlens bytecode, as plain data.
//!
//! Data flows source → `ruff_python_parser` (AST) → symbol tables → code generation →
//! [`CodeUnit`] (instructions, constants, names, positions, exception table). The output
//! holds no VM values: `jitlens-vm` loads it onto its heap. The op table in [`bytecode`] is
//! the contract between this crate and the interpreter; `docs/bytecode.md` describes each op.

pub mod bytecode;
pub mod unit;

pub use unit::{CodeUnit, Const};
