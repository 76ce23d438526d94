//! Inlay hints: at the end of each hot line, its share, its hottest op and its tier, e.g.
//! `18.2% BINARY_OP_MULTIPLY_FLOAT · jit`.
//!
//! A pure function of the file's index and the document: the labels are built when the
//! profile is loaded ([`crate::index`]), so a request only walks the lines of its range.

use crate::documents::{Document, Origin};
use crate::index::FileIndex;
use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, Position, Range};

/// The suffix of a hint whose line was edited since the profile.
pub const STALE: &str = " (stale)";

/// Whether the document's baseline is the text the profile was recorded from.
pub fn matches(fi: &FileIndex, doc: &Document) -> bool {
    fi.sha256 == doc.baseline_sha
}

/// The hints for the current lines in `range` whose profiled line has at least
/// `threshold` percent of the samples. None when the document is not the profiled text
/// (its hash differs and no edit trail links them): a hint is never shown on a wrong line.
pub fn inlay_hints(fi: &FileIndex, doc: &Document, range: Range, threshold: f64) -> Vec<InlayHint> {
    if !matches(fi, doc) || doc.line_count() == 0 {
        return Vec::new();
    }
    let first = range.start.line.min(range.end.line);
    let last = range
        .end
        .line
        .max(range.start.line)
        .min(doc.line_count() - 1);
    let mut hints = Vec::new();
    for cur in first..=last {
        let (base, stale) = match doc.origin(cur) {
            Origin::Same(b) => (b, false),
            Origin::Edited(b) => (b, true),
            Origin::New => continue,
        };
        let Some(summary) = fi.line(base + 1) else {
            continue;
        };
        if summary.share < threshold {
            continue;
        }
        let mut label = summary.label.clone();
        if stale {
            label.push_str(STALE);
        }
        hints.push(InlayHint {
            position: Position::new(cur, doc.line_len_utf16(cur)),
            label: InlayHintLabel::String(label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

    fn whole(doc: &Document) -> Range {
        Range::new(Position::new(0, 0), Position::new(doc.line_count(), 0))
    }

    fn labels(h: &[InlayHint]) -> Vec<(u32, u32, String)> {
        h.iter()
            .map(|h| match &h.label {
                InlayHintLabel::String(s) => (h.position.line, h.position.character, s.clone()),
                InlayHintLabel::LabelParts(_) => panic!("label parts"),
            })
            .collect()
    }

    #[test]
    fn hot_lines_get_share_op_and_tier_with_the_split() {
        let (ip, doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let h = inlay_hints(fi, &doc, whole(&doc), 1.0);
        assert_eq!(
            labels(&h),
            [
                (
                    2,
                    22,
                    "12.0% FOR_ITER_RANGE · jit 75% / interp 25%".to_string()
                ),
                (3, 21, "80.0% BINARY_OP_MULTIPLY_FLOAT · jit".to_string()),
                (7, 18, "5.0% CALL_PY_EXACT_ARGS · interp".to_string()),
            ]
        );
        // The 0.5% line shows once the threshold is lower; a range limits the lines.
        let h = inlay_hints(fi, &doc, whole(&doc), 0.1);
        assert_eq!(h.len(), 4);
        let r = Range::new(Position::new(3, 0), Position::new(3, 5));
        assert_eq!(labels(&inlay_hints(fi, &doc, r, 1.0)).len(), 1);
    }

    #[test]
    fn hints_follow_inserted_lines_and_mark_edited_ones_stale() {
        let (ip, mut doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let ins = |l, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l, 0), Position::new(l, 0))),
            range_length: None,
            text: text.into(),
        };
        doc.change(2, vec![ins(0, "# one\n# two\n")]);
        doc.change(3, vec![ins(5, "x")]);
        let h = labels(&inlay_hints(fi, &doc, whole(&doc), 1.0));
        assert_eq!(h[0].0, 4);
        assert_eq!(
            h[1],
            (5, 22, "80.0% BINARY_OP_MULTIPLY_FLOAT · jit (stale)".into())
        );
        assert_eq!(h[2].0, 9);
    }

    #[test]
    fn a_document_that_is_not_the_profiled_text_gets_no_hints() {
        let (ip, _) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let doc = Document::new("something else\n", 1);
        assert!(inlay_hints(fi, &doc, whole(&doc), 0.0).is_empty());
    }
}
