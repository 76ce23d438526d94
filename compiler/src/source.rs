//! Source text bookkeeping: byte offsets → 1-based lines and 0-based character columns.

use crate::bytecode::Position;
use ruff_text_size::TextRange;

/// Line table of one source file.
pub struct SourceMap<'a> {
    src: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    /// Builds the line table of `src`.
    pub fn new(src: &'a str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        SourceMap { src, line_starts }
    }

    /// The source text.
    pub fn text(&self) -> &'a str {
        self.src
    }

    /// 0-based line index of byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line and 0-based character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        let li = self.line_index(offset);
        let start = self.line_starts[li];
        let col = self
            .src
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (li as u32 + 1, col as u32)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &'a str {
        let li = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(li) else {
            return "";
        };
        let end = self
            .line_starts
            .get(li + 1)
            .copied()
            .unwrap_or(self.src.len());
        self.src[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Number of lines.
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The instruction position of a source range.
    pub fn position(&self, range: TextRange) -> Position {
        let (line, col) = self.line_col(range.start().to_usize());
        let (end_line, end_col) = self.line_col(range.end().to_usize());
        Position {
            line,
            end_line,
            col,
            end_col,
        }
    }
}
