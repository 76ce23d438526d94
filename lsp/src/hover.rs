//! Hover on a sampled line: a Markdown table of its ops by tier with share and samples, then
//! its specialization sites (hits, misses, deopts) and side exits.

use crate::documents::{Document, Origin};
use crate::hints::matches;
use crate::index::{FileIndex, IndexedProfile};
use std::fmt::Write as _;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

fn tier_name(tier: u8) -> &'static str {
    if tier == 0 { "interp" } else { "jit" }
}

/// The hover of current line `line`, if its profiled line has samples.
pub fn hover(ip: &IndexedProfile, fi: &FileIndex, doc: &Document, line: u32) -> Option<Hover> {
    if !matches(fi, doc) {
        return None;
    }
    let (base, stale) = match doc.origin(line) {
        Origin::Same(b) => (b, false),
        Origin::Edited(b) => (b, true),
        Origin::New => return None,
    };
    let summary = fi.line(base + 1)?;
    let p = &ip.profile;
    let lp = p.lines.get(summary.index)?;
    let func = p.function(lp.function);
    // Writing to a String cannot fail.
    let mut md = String::new();
    let _ = writeln!(
        md,
        "**jitlens** · line {} · **{:.1}%** of samples ({} of {}) · in `{}`",
        lp.line, summary.share, lp.samples, p.run.samples, func.name
    );
    if stale {
        md.push_str("\n*Stale: this line was edited since the profile was recorded.*\n");
    }
    md.push_str("\n| op | tier | category | share of line | samples |\n|---|---|---|---:|---:|\n");
    let mut ops: Vec<_> = lp.ops.iter().collect();
    ops.sort_by(|a, b| b.samples.cmp(&a.samples).then(a.tier.cmp(&b.tier)));
    for o in ops {
        let share = if lp.samples == 0 {
            0.0
        } else {
            100.0 * o.samples as f64 / lp.samples as f64
        };
        let category = match &o.native {
            Some(n) => format!("{} (`{n}`)", o.category.name()),
            None => o.category.name().to_string(),
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {category} | {share:.1}% | {} |",
            o.op,
            tier_name(o.tier),
            o.samples
        );
    }
    if !summary.sites.is_empty() {
        md.push_str(
            "\n| site | op now | specialized | misses | deopts | side exits |\n\
             |---|---|---:|---:|---:|---:|\n",
        );
        for &si in &summary.sites {
            let Some(s) = p.sites.get(si) else { continue };
            let _ = writeln!(
                md,
                "| `{}` @{} | `{}` | {}/{} | {} | {} | {} |",
                s.family, s.ip, s.op, s.successes, s.attempts, s.misses, s.deopts, s.side_exits
            );
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    fn text(h: Hover) -> String {
        match h.contents {
            HoverContents::Markup(m) => m.value,
            _ => panic!("not markup"),
        }
    }

    #[test]
    fn hover_shows_ops_by_tier_and_the_sites() {
        let (ip, doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let md = text(hover(&ip, fi, &doc, 3).expect("line 4 is hot"));
        assert!(
            md.starts_with("**jitlens** · line 4 · **80.0%** of samples (800 of 1000) · in `mul`"),
            "{md}"
        );
        assert!(
            md.contains("| `BINARY_OP_MULTIPLY_FLOAT` | jit | jit | 87.5% | 700 |"),
            "{md}"
        );
        assert!(
            md.contains("| `STORE_FAST` | jit | jit | 12.5% | 100 |"),
            "{md}"
        );
        assert!(
            md.contains("| `BINARY_OP` @10 | `BINARY_OP_MULTIPLY_FLOAT` | 1/1 | 0 | 0 | 250 |"),
            "{md}"
        );
        let md = text(hover(&ip, fi, &doc, 2).unwrap());
        assert!(
            md.contains("| `FOR_ITER_RANGE` | jit | jit | 75.0% | 90 |"),
            "{md}"
        );
        assert!(
            md.contains("| `FOR_ITER_RANGE` | interp | interpreter | 25.0% | 30 |"),
            "{md}"
        );
    }

    #[test]
    fn cold_lines_and_other_texts_have_no_hover() {
        let (ip, doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        assert!(hover(&ip, fi, &doc, 0).is_none());
        assert!(hover(&ip, fi, &doc, 999).is_none());
        let other = Document::new("x = 1\n", 1);
        assert!(hover(&ip, fi, &other, 3).is_none());
    }
}
