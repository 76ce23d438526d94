//! Future statements (`from __future__ import …`), as CPython's `future.c` finds them.
//!
//! Only the imports at the top of the module count (after an optional docstring and other
//! future imports). Of the features, only `annotations` changes code generation: annotations
//! are then stored as strings and never evaluated.

use crate::error::CompileError;
use crate::source::SourceMap;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// CPython's message for a future import that is not at the top of the file.
pub const LATE_FUTURE: &str = "from __future__ imports must occur at the beginning of the file";

/// Features that are accepted (all but `annotations` are no-ops in Python 3).
const KNOWN: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// The future features in effect for a module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Future {
    /// `from __future__ import annotations`: annotations are strings, never evaluated.
    pub annotations: bool,
    /// Line of the last future statement at the top of the module (CPython's `ff_lineno`);
    /// a future import on a later line is a syntax error.
    pub lineno: Option<u32>,
}

fn is_future_import(s: &Stmt) -> bool {
    matches!(s, Stmt::ImportFrom(i)
        if i.level == 0 && i.module.as_ref().is_some_and(|m| m.id.as_str() == "__future__"))
}

impl Future {
    /// Scans the top of module `body` for future statements.
    pub fn parse(
        body: &[Stmt],
        map: &SourceMap<'_>,
        filename: &str,
    ) -> Result<Future, CompileError> {
        let mut ff = Future::default();
        let mut rest = body;
        if let Some(Stmt::Expr(e)) = rest.first()
            && matches!(&*e.value, Expr::StringLiteral(_))
        {
            rest = &rest[1..];
        }
        let line = |s: &Stmt| map.line_col(s.start().to_usize()).0;
        let mut done = false;
        let mut prev_line = 0;
        for s in rest {
            let l = line(s);
            if done && l > prev_line {
                break;
            }
            prev_line = l;
            let Stmt::ImportFrom(i) = s else {
                done = true;
                continue;
            };
            if !is_future_import(s) {
                done = true;
                continue;
            }
            if done {
                // A future import after another statement on the same line: CPython reports
                // it one column to the left of the statement.
                let at = s.start().checked_sub(TextSize::from(1)).unwrap_or_default();
                return Err(CompileError::syntax(
                    LATE_FUTURE,
                    map,
                    filename,
                    TextRange::empty(at),
                ));
            }
            for alias in &i.names {
                let feature = alias.name.id.as_str();
                let msg = if feature == "braces" {
                    "not a chance".to_string()
                } else if KNOWN.contains(&feature) {
                    if feature == "annotations" {
                        ff.annotations = true;
                    }
                    continue;
                } else {
                    format!("future feature {feature} is not defined")
                };
                return Err(CompileError::syntax(
                    msg,
                    map,
                    filename,
                    TextRange::empty(s.start()),
                ));
            }
            ff.lineno = Some(l);
        }
        Ok(ff)
    }

    /// True if the future import `s` (on `line`) comes too late to be a future statement.
    pub fn is_late(&self, line: u32) -> bool {
        self.lineno.is_none_or(|l| line > l)
    }
}
