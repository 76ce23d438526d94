//! Open documents: their text, edits applied in order, and where each current line came
//! from in the text the profile was matched against.
//!
//! A document keeps, per current line, its [`Origin`]: the line of the *baseline* text (the
//! text at `didOpen`, or the text when a profile that matches it was loaded) it still is,
//! or was until its own text was edited, or nothing for a new line. Profiled line `n` is
//! shown on the current line whose origin is `Same(n - 1)`; an `Edited` line shows its hint
//! marked stale; a profiled line that was deleted shows nothing. So a hint never lands on
//! a wrong line.
//!
//! **Ordering.** tower-lsp runs handlers concurrently, so edits are applied in the order of
//! their `version`, whatever order the handlers run in: [`Documents::change`] applies a
//! change synchronously under the caller's lock (no `.await` in between) and holds back a
//! change that arrives before its predecessor until the gap is filled (or a read needs the
//! text: then the held-back changes are applied in version order).

use std::collections::{BTreeMap, HashMap};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

/// Where a current line came from in the baseline text (0-based line numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The baseline line, with its text unchanged.
    Same(u32),
    /// Was this baseline line, but its own text has been edited since.
    Edited(u32),
    /// A line typed or pasted since the baseline.
    New,
}

/// One open document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The document's lines, without their line terminators.
    lines: Vec<String>,
    /// Per current line, where it came from.
    origins: Vec<Origin>,
    /// The terminator to rejoin the lines with (`"\n"` or `"\r\n"`, from the opened text).
    eol: &'static str,
    /// SHA-256 of the baseline text: the profile's [`jitlens_profiler::SourceFile::sha256`]
    /// must equal it for the origins to mean profiled lines.
    pub baseline_sha: String,
    /// The version of the last change applied.
    pub version: i32,
    /// Changes that arrived before their predecessor, by version.
    held_back: BTreeMap<i32, Vec<TextDocumentContentChangeEvent>>,
}

impl Document {
    /// A document opened with `text` at `version`; its text is the baseline.
    pub fn new(text: &str, version: i32) -> Document {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let lines = split_lines(text);
        let origins = (0..lines.len() as u32).map(Origin::Same).collect();
        Document {
            lines,
            origins,
            eol,
            baseline_sha: jitlens_profiler::hash_source(text.as_bytes()),
            version,
            held_back: BTreeMap::new(),
        }
    }

    /// Number of lines (an empty document has one, empty line).
    pub fn line_count(&self) -> u32 {
        self.lines.len() as u32
    }

    /// The text of a line (empty past the end).
    pub fn line(&self, line: u32) -> &str {
        self.lines.get(line as usize).map_or("", |s| s.as_str())
    }

    /// The length of a line in UTF-16 code units: the position of its end.
    pub fn line_len_utf16(&self, line: u32) -> u32 {
        utf16_len(self.line(line))
    }

    /// Where a current line came from ([`Origin::New`] past the end).
    pub fn origin(&self, line: u32) -> Origin {
        self.origins
            .get(line as usize)
            .copied()
            .unwrap_or(Origin::New)
    }

    /// The current line of each baseline line that is still there unchanged or edited:
    /// baseline line → (current line, edited?). For the few lines a diagnostic names.
    pub fn current_lines(&self) -> HashMap<u32, (u32, bool)> {
        let mut map = HashMap::new();
        for (cur, o) in self.origins.iter().enumerate() {
            match *o {
                Origin::Same(b) => {
                    map.insert(b, (cur as u32, false));
                }
                Origin::Edited(b) => {
                    map.insert(b, (cur as u32, true));
                }
                Origin::New => {}
            }
        }
        map
    }

    /// The whole text, as it would be saved.
    pub fn text(&self) -> String {
        self.lines.join(self.eol)
    }

    /// Makes the current text the baseline (every line `Same` as itself).
    pub fn rebaseline(&mut self, sha: String) {
        self.origins = (0..self.lines.len() as u32).map(Origin::Same).collect();
        self.baseline_sha = sha;
    }

    /// Applies the changes of one `didChange` in version order: applies them now if they
    /// follow the last applied version, else holds them back until their predecessor comes.
    /// A version at or below the last applied one is applied at once too (a client that
    /// reuses versions still gets its edits applied in arrival order).
    pub fn change(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        if version > self.version.saturating_add(1) {
            self.held_back.insert(version, changes);
            // Never hold back without bound: a client may skip versions.
            if self.held_back.len() > 64 {
                self.flush_held_back();
            }
            return;
        }
        self.apply_all(changes);
        self.version = self.version.max(version);
        while let Some(entry) = self.held_back.first_entry() {
            if *entry.key() != self.version.saturating_add(1) {
                break;
            }
            let (v, changes) = entry.remove_entry();
            self.apply_all(changes);
            self.version = v;
        }
    }

    /// Applies every held-back change in version order: called before a read, when a gap
    /// in the versions means the client skipped some.
    pub fn flush_held_back(&mut self) {
        for (v, changes) in std::mem::take(&mut self.held_back) {
            self.apply_all(changes);
            self.version = self.version.max(v);
        }
    }

    fn apply_all(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for c in changes {
            match c.range {
                Some(range) => self.apply_edit(range, &c.text),
                None => self.replace_all(&c.text),
            }
        }
    }

    /// Replaces the whole text: lines equal at the start and the end keep their origins,
    /// the rest become new.
    fn replace_all(&mut self, text: &str) {
        let new_lines = split_lines(text);
        let prefix = self
            .lines
            .iter()
            .zip(&new_lines)
            .take_while(|(a, b)| a == b)
            .count();
        let max_suffix = self.lines.len().min(new_lines.len()) - prefix;
        let suffix = self
            .lines
            .iter()
            .rev()
            .zip(new_lines.iter().rev())
            .take(max_suffix)
            .take_while(|(a, b)| a == b)
            .count();
        let mut origins = Vec::with_capacity(new_lines.len());
        origins.extend_from_slice(&self.origins[..prefix]);
        origins.resize(new_lines.len() - suffix, Origin::New);
        origins.extend_from_slice(&self.origins[self.origins.len() - suffix..]);
        self.lines = new_lines;
        self.origins = origins;
    }

    /// Replaces `range` (clamped to the document) with `text`.
    fn apply_edit(&mut self, range: Range, text: &str) {
        let (start, end) =
            if (range.end.line, range.end.character) < (range.start.line, range.start.character) {
                (range.end, range.start)
            } else {
                (range.start, range.end)
            };
        let last = self.lines.len() - 1;
        let clamp = |p: Position, lines: &[String]| -> (usize, usize) {
            if p.line as usize > last {
                (last, lines[last].len())
            } else {
                let l = p.line as usize;
                (l, byte_offset(&lines[l], p.character))
            }
        };
        let (sl, sc) = clamp(start, &self.lines);
        let (el, ec) = clamp(end, &self.lines);
        let (sc, ec) = if sl == el && ec < sc {
            (sc, sc)
        } else {
            (sc, ec)
        };
        let pieces = split_lines(text);
        if pieces.len() == 1 && pieces[0].is_empty() && sl == el && sc == ec {
            return;
        }
        let old_first = &self.lines[sl];
        let old_last = &self.lines[el];
        let prefix = &old_first[..sc];
        let suffix = &old_last[ec..];
        let k = pieces.len() - 1;
        let mut new_lines = Vec::with_capacity(pieces.len());
        let mut new_origins = Vec::with_capacity(pieces.len());
        let (o_first, o_last) = (self.origins[sl], self.origins[el]);
        // A result line keeps an old line's origin when it is that whole line, untouched.
        let first_whole = sc == old_first.len();
        let last_whole = ec == 0;
        let mut claimed_first = false;
        let mut claimed_last = false;
        for (i, piece) in pieces.iter().enumerate() {
            let mut line = String::new();
            if i == 0 {
                line.push_str(prefix);
            }
            line.push_str(piece);
            if i == k {
                line.push_str(suffix);
            }
            let is_first = i == 0;
            let is_last = i == k;
            let origin = if piece.is_empty()
                && is_first
                && first_whole
                && (!is_last || suffix.is_empty())
                && !claimed_first
            {
                claimed_first = true;
                o_first
            } else if piece.is_empty()
                && is_last
                && last_whole
                && (!is_first || prefix.is_empty())
                && !claimed_last
                && !(sl == el && claimed_first)
            {
                claimed_last = true;
                o_last
            } else {
                Origin::New
            };
            new_lines.push(line);
            new_origins.push(origin);
        }
        // Lines whose own text changed: the first and last result lines, when they did not
        // keep an origin, are the edited old first and last lines.
        let edited = |o: Origin| match o {
            Origin::Same(b) | Origin::Edited(b) => Origin::Edited(b),
            Origin::New => Origin::New,
        };
        let first_kept = claimed_first || (sl == el && claimed_last);
        if !first_kept && new_origins[0] == Origin::New {
            new_origins[0] = edited(o_first);
        }
        let last_kept = claimed_last || (sl == el && claimed_first);
        if sl != el && !last_kept && new_origins[k] == Origin::New && k > 0 {
            new_origins[k] = edited(o_last);
        }
        self.lines.splice(sl..=el, new_lines);
        self.origins.splice(sl..=el, new_origins);
    }
}

/// Splits text into lines at `\n`, `\r\n` and `\r`; always at least one line.
fn split_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => lines.push(std::mem::take(&mut cur)),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut cur));
            }
            c => cur.push(c),
        }
    }
    lines.push(cur);
    lines
}

fn utf16_len(s: &str) -> u32 {
    s.chars().map(|c| c.len_utf16() as u32).sum()
}

/// The byte offset of a UTF-16 column in a line, clamped to the line's end (and to a char
/// boundary when the column falls inside a surrogate pair).
fn byte_offset(line: &str, utf16_col: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units >= utf16_col {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    line.len()
}

/// The open documents, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    docs: HashMap<Uri, Document>,
}

impl Documents {
    /// Opens (or reopens) a document.
    pub fn open(&mut self, uri: Uri, text: &str, version: i32) {
        self.docs.insert(uri, Document::new(text, version));
    }

    /// Applies a `didChange` (see [`Document::change`]); a change to a document that is not
    /// open is ignored.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        if let Some(d) = self.docs.get_mut(uri) {
            d.change(version, changes);
        }
    }

    /// Closes a document.
    pub fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri);
    }

    /// An open document, with every change that has arrived applied.
    pub fn get(&mut self, uri: &Uri) -> Option<&Document> {
        let d = self.docs.get_mut(uri)?;
        if !d.held_back.is_empty() {
            d.flush_held_back();
        }
        Some(d)
    }

    /// Every open document, for rematching after a profile reload.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Uri, &mut Document)> {
        self.docs.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn doc() -> Document {
        Document::new("a = 1\nb = 2\nc = 3\nd = 4\n", 1)
    }

    fn origins(d: &Document) -> Vec<Origin> {
        (0..d.line_count()).map(|l| d.origin(l)).collect()
    }

    use Origin::*;

    #[test]
    fn enter_at_end_of_line_inserts_a_new_line_below() {
        let mut d = doc();
        d.change(2, vec![edit(0, 5, 0, 5, "\n")]);
        assert_eq!(d.text(), "a = 1\n\nb = 2\nc = 3\nd = 4\n");
        assert_eq!(
            origins(&d),
            [Same(0), New, Same(1), Same(2), Same(3), Same(4)]
        );
    }

    #[test]
    fn lines_inserted_above_shift_the_lines_below() {
        let mut d = doc();
        d.change(2, vec![edit(1, 0, 1, 0, "x = 0\ny = 0\n")]);
        assert_eq!(d.line(3), "b = 2");
        assert_eq!(origins(&d)[..5], [Same(0), New, New, Same(1), Same(2)]);
    }

    #[test]
    fn deleting_lines_removes_them_and_shifts_up() {
        let mut d = doc();
        d.change(2, vec![edit(0, 0, 2, 0, "")]);
        assert_eq!(d.text(), "c = 3\nd = 4\n");
        assert_eq!(origins(&d), [Same(2), Same(3), Same(4)]);
        // Deleting from the end of line 0 through the end of line 1 joins nothing away.
        let mut d = doc();
        d.change(2, vec![edit(0, 5, 1, 5, "")]);
        assert_eq!(d.text(), "a = 1\nc = 3\nd = 4\n");
        assert_eq!(origins(&d)[..3], [Same(0), Same(2), Same(3)]);
    }

    #[test]
    fn a_line_whose_text_changed_is_edited() {
        let mut d = doc();
        d.change(2, vec![edit(1, 4, 1, 5, "20")]);
        assert_eq!(d.line(1), "b = 20");
        assert_eq!(origins(&d)[..3], [Same(0), Edited(1), Same(2)]);
        // Splitting a line in the middle: the first half is the edited line.
        d.change(3, vec![edit(2, 1, 2, 1, "\n")]);
        assert_eq!(origins(&d)[..4], [Same(0), Edited(1), Edited(2), New]);
    }

    #[test]
    fn changes_apply_in_version_order_whatever_order_they_arrive_in() {
        let mut d = doc();
        d.change(3, vec![edit(0, 0, 0, 0, "B")]);
        assert_eq!(d.line(0), "a = 1", "held back until version 2 comes");
        d.change(2, vec![edit(0, 0, 0, 0, "A")]);
        assert_eq!(d.line(0), "BAa = 1");
        assert_eq!(d.version, 3);
    }

    #[test]
    fn a_gap_in_versions_is_flushed_on_read() {
        let mut docs = Documents::default();
        let uri: Uri = "file:///t.py".parse().unwrap();
        docs.open(uri.clone(), "x\n", 1);
        docs.change(&uri, 5, vec![edit(0, 1, 0, 1, "y")]);
        assert_eq!(docs.get(&uri).unwrap().line(0), "xy");
    }

    #[test]
    fn full_replacement_keeps_equal_prefix_and_suffix_lines() {
        let mut d = doc();
        d.change(
            2,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "a = 1\nnew\nc = 3\nd = 4\n".into(),
            }],
        );
        assert_eq!(origins(&d), [Same(0), New, Same(2), Same(3), Same(4)]);
    }

    #[test]
    fn out_of_range_and_non_ascii_positions_are_clamped() {
        let mut d = Document::new("é😀x\n", 1);
        // Column 3 is after the emoji (é = 1 unit, 😀 = 2 units).
        d.change(2, vec![edit(0, 3, 0, 3, "!")]);
        assert_eq!(d.line(0), "é😀!x");
        assert_eq!(d.line_len_utf16(0), 5);
        d.change(3, vec![edit(99, 99, 120, 0, "\nend")]);
        assert_eq!(d.text(), "é😀!x\n\nend");
        // A reversed range is applied as if it were in order.
        d.change(4, vec![edit(0, 1, 0, 0, "")]);
        assert_eq!(d.line(0), "😀!x");
    }
}
