//! jitlens-compiler: Python source → jitlens bytecode, as plain data.
//!
//! Data flows source → `ruff_python_parser` (AST) → symbol tables ([`symtable`]) → code
//! generation ([`codegen`]) → [`CodeUnit`] (instructions, constants, names, positions,
//! exception table). The output holds no VM values: `jitlens-vm` loads it onto its heap. The
//! op table in [`bytecode`] is the contract between this crate and the interpreter;
//! `docs/bytecode.md` describes each op.

pub mod bytecode;
pub mod codegen;
pub mod dis;
pub mod error;
pub mod future;
mod parse_errors;
pub mod source;
pub mod symtable;
pub mod unit;
pub mod verify;

pub use dis::dis;
pub use error::{CompileError, CompileErrorKind};
pub use unit::{CodeUnit, Const};

/// Compiles the module `source` (read from `filename`) into its module code object
/// (name `<module>`, flags `CO_MODULE`).
pub fn compile(source: &str, filename: &str) -> Result<CodeUnit, CompileError> {
    let map = source::SourceMap::new(source);
    if let Some(at) = source.find('\0') {
        // CPython shows the line up to the NUL, without a caret.
        let mut e = CompileError::at(
            CompileErrorKind::SyntaxError,
            "source code cannot contain null bytes".to_string(),
            &map,
            filename,
            ruff_text_size::TextRange::empty(ruff_text_size::TextSize::new(at as u32)),
        );
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        e.source_line = source[line_start..at].to_string();
        e.col = 0;
        e.end_col = 0;
        return Err(e);
    }
    if let Some(e) = parse_errors::nesting_error(source, &map, filename) {
        return Err(e);
    }
    let parsed = ruff_python_parser::parse_module(source)
        .map_err(|e| parse_errors::convert(&e, &map, filename))?;
    let module = parsed.into_syntax();
    let table = symtable::SymbolTable::build(&module.body, &map, filename)?;
    codegen::compile_module(&module.body, &table, &map, filename)
}
