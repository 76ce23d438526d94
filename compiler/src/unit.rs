//! The compiler's output: plain Rust data, independent of the VM's heap.
//!
//! `Vm::load_unit` turns a [`CodeUnit`] into a heap code object, interning names and
//! boxing constants.

use crate::bytecode::{ExcEntry, Position};
use num_bigint::BigInt;

/// A constant in a code unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// `...`.
    Ellipsis,
    /// An int of any size.
    Int(BigInt),
    /// A float.
    Float(f64),
    /// A complex literal's imaginary part (`2j`); unsupported at run time for now.
    Imag(f64),
    /// A str.
    Str(String),
    /// A bytes literal.
    Bytes(Vec<u8>),
    /// A tuple of constants (keyword-name tuples of CALL_KW, folded tuples).
    Tuple(Vec<Const>),
    /// A nested code object (function, lambda, class body, comprehension).
    Code(Box<CodeUnit>),
}

/// A compiled code object, before loading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeUnit {
    /// `co_name`.
    pub name: String,
    /// `co_qualname`.
    pub qualname: String,
    /// Source file name as given.
    pub filename: String,
    /// Line of the `def`/`class` (1 for modules).
    pub first_line: u32,
    /// Positional parameters, including positional-only.
    pub argcount: u32,
    /// Positional-only parameters.
    pub posonlyargcount: u32,
    /// Keyword-only parameters.
    pub kwonlyargcount: u32,
    /// `CO_*` flags from [`crate::bytecode`].
    pub flags: u32,
    /// Local names: parameters first (positional, keyword-only, `*args`, `**kwargs`), then
    /// other locals.
    pub varnames: Vec<String>,
    /// Cell variable names (locals captured by inner scopes).
    pub cellvars: Vec<String>,
    /// Free variable names (taken from enclosing scopes).
    pub freevars: Vec<String>,
    /// Per cell variable, the parameter index it is initialised from, if it is a parameter.
    pub cell2arg: Vec<Option<u32>>,
    /// Constants.
    pub consts: Vec<Const>,
    /// Names for global/attribute/import ops.
    pub names: Vec<String>,
    /// Instruction words ([`crate::bytecode::encode`]), including CACHE words.
    pub instrs: Vec<u32>,
    /// One position per instruction word.
    pub positions: Vec<Position>,
    /// Exception table.
    pub exc_table: Vec<ExcEntry>,
    /// Maximum value-stack depth.
    pub max_stack: u32,
    /// Docstring.
    pub doc: Option<String>,
}
