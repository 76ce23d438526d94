//! Compile errors and their CPython-style rendering.

use crate::source::SourceMap;
use ruff_text_size::TextRange;
use std::fmt;

/// What kind of error a [`CompileError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// A `SyntaxError`, from the parser or a compile-time check.
    SyntaxError,
    /// An `IndentationError` (a subclass of `SyntaxError`).
    IndentationError,
    /// Valid Python that jitlens does not support yet; rendered as a `SyntaxError`.
    Unsupported,
}

impl CompileErrorKind {
    /// The Python exception class name this error is reported as.
    pub fn class_name(self) -> &'static str {
        match self {
            CompileErrorKind::SyntaxError | CompileErrorKind::Unsupported => "SyntaxError",
            CompileErrorKind::IndentationError => "IndentationError",
        }
    }
}

/// A compile-time error with its source location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// The error's class.
    pub kind: CompileErrorKind,
    /// The message, as CPython words it (for `Unsupported`: `<construct> is not supported by
    /// jitlens yet`).
    pub message: String,
    /// Source file name.
    pub filename: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters (CPython's `offset`); 0 when unknown.
    pub col: u32,
    /// 1-based end column on the same line (CPython's `end_offset`); equal to `col` or 0 when
    /// the error marks a single point.
    pub end_col: u32,
    /// The text of the error line, without its line break.
    pub source_line: String,
}

impl CompileError {
    /// An error of `kind` covering `range` of the source.
    pub fn at(
        kind: CompileErrorKind,
        message: impl Into<String>,
        map: &SourceMap<'_>,
        filename: &str,
        range: TextRange,
    ) -> Self {
        let (line, col) = map.line_col(range.start().to_usize());
        let (end_line, end_col) = map.line_col(range.end().to_usize());
        let end_col = if end_line == line {
            end_col + 1
        } else {
            col + 1
        };
        CompileError {
            kind,
            message: message.into(),
            filename: filename.to_string(),
            line,
            col: col + 1,
            end_col,
            source_line: map.line_text(line).to_string(),
        }
    }

    /// A `SyntaxError` covering `range`.
    pub fn syntax(
        message: impl Into<String>,
        map: &SourceMap<'_>,
        filename: &str,
        range: TextRange,
    ) -> Self {
        Self::at(CompileErrorKind::SyntaxError, message, map, filename, range)
    }

    /// An `Unsupported` error for `construct` (e.g. "async functions") covering `range`.
    pub fn unsupported(
        construct: &str,
        map: &SourceMap<'_>,
        filename: &str,
        range: TextRange,
    ) -> Self {
        Self::at(
            CompileErrorKind::Unsupported,
            format!("{construct} is not supported by jitlens yet"),
            map,
            filename,
            range,
        )
    }

    /// The error as CPython 3.11's `traceback.format_exception_only` prints it (no trailing
    /// newline):
    ///
    /// ```text
    ///   File "x.py", line 3
    ///     x = = 1
    ///         ^
    /// SyntaxError: invalid syntax
    /// ```
    pub fn render(&self) -> String {
        let mut out = format!("  File \"{}\", line {}\n", self.filename, self.line);
        let rtext = self.source_line.trim_end_matches('\n');
        let ltext = rtext.trim_start_matches([' ', '\n', '\x0c']);
        let spaces = rtext.chars().count() - ltext.chars().count();
        if !rtext.is_empty() || self.col > 0 {
            out.push_str("    ");
            out.push_str(ltext);
            out.push('\n');
        }
        if self.col > 0 {
            let offset = self.col as i64;
            let mut end_offset = if self.end_col == 0 {
                offset
            } else {
                self.end_col as i64
            };
            if end_offset <= offset {
                end_offset = offset + 1;
            }
            let colno = offset - 1 - spaces as i64;
            let end_colno = end_offset - 1 - spaces as i64;
            if colno >= 0 {
                out.push_str("    ");
                for c in ltext.chars().take(colno as usize) {
                    out.push(if c.is_whitespace() { c } else { ' ' });
                }
                for _ in colno..end_colno {
                    out.push('^');
                }
                out.push('\n');
            }
        }
        out.push_str(self.kind.class_name());
        out.push_str(": ");
        out.push_str(&self.message);
        out
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for CompileError {}
