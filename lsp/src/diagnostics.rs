//! Diagnostics for JIT problems a user can act on, each saying what happened and what
//! usually causes it:
//!
//! - hot code that stayed in tier 0 (never compiled);
//! - a site that keeps side-exiting from JIT code, or keeps deopting to the generic form;
//! - a function that was compiled and then mostly ran in the interpreter.
//!
//! [`findings`] works on profiled lines when the profile is loaded; [`diagnostics`] maps
//! them onto the current lines of a document (skipping lines edited since).

use crate::documents::Document;
use crate::hints::matches;
use crate::index::FileIndex;
use jitlens_profiler::{FunctionId, JitEventKind, Profile};
use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Position, Range};

/// A function is hot enough to be worth a diagnostic from this share of samples (percent).
pub const HOT_SHARE: f64 = 5.0;
/// A site side-exits "often" from this many side exits.
pub const SIDE_EXITS_MIN: u64 = 100;
/// From this many side exits, the diagnostic is information rather than a hint.
pub const SIDE_EXITS_INFO: u64 = 1000;
/// A site "keeps deopting" from this many returns to the generic form.
pub const DEOPTS_MIN: u64 = 2;
/// A compiled function "mostly ran in the interpreter" above this share of its samples.
pub const INTERPRETED_SHARE: f64 = 50.0;

/// A JIT problem on a profiled line.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// 1-based profiled line.
    pub line: u32,
    /// Information or hint.
    pub severity: DiagnosticSeverity,
    /// A short stable code: `stayed-in-tier-0`, `side-exits`, `deopts`, `mostly-interpreted`.
    pub code: &'static str,
    /// What happened and what usually causes it.
    pub message: String,
}

/// Per function of the file: (tier-0 samples, tier-1 samples, hottest line, its samples).
fn function_tiers(p: &Profile, fi: &FileIndex) -> Vec<(FunctionId, u64, u64, u32)> {
    let mut out: Vec<(FunctionId, u64, u64, u32, u64)> = Vec::new();
    for s in fi.lines.iter().flatten() {
        let Some(l) = p.lines.get(s.index) else {
            continue;
        };
        let (t0, t1) = (l.tier_samples(0), l.tier_samples(1));
        match out.iter_mut().find(|e| e.0 == l.function) {
            Some(e) => {
                e.1 += t0;
                e.2 += t1;
                if l.samples > e.4 {
                    e.3 = l.line;
                    e.4 = l.samples;
                }
            }
            None => out.push((l.function, t0, t1, l.line, l.samples)),
        }
    }
    out.into_iter().map(|e| (e.0, e.1, e.2, e.3)).collect()
}

/// The JIT problems of one file of a profile.
pub fn findings(p: &Profile, fi: &FileIndex) -> Vec<Finding> {
    let mut out = Vec::new();
    for (fid, t0, t1, hottest) in function_tiers(p, fi) {
        let f = p.function(fid);
        let share = p.share(t0 + t1);
        if share < HOT_SHARE {
            continue;
        }
        let name = &f.name;
        match &f.jit {
            None if t1 == 0 => {
                let rejected = p
                    .jit_events
                    .iter()
                    .find(|e| e.function == fid && e.kind == JitEventKind::Rejected);
                let why = if let Some(d) = rejected.and_then(|e| e.detail.as_deref()) {
                    format!("the JIT rejected it: {d}")
                } else if p.run.jit == "off" {
                    "the JIT was off for this run (-X jit=off or JITLENS_JIT=0)".to_string()
                } else {
                    format!(
                        "usually it is a generator (not compiled), or its calls plus loop \
                         iterations stayed under the JIT threshold ({}); a loop at module level \
                         runs once: move it into a function",
                        p.run.jit_threshold
                    )
                };
                out.push(Finding {
                    line: hottest,
                    severity: DiagnosticSeverity::INFORMATION,
                    code: "stayed-in-tier-0",
                    message: format!(
                        "Hot code stayed in the interpreter: `{name}` has {share:.1}% of \
                         samples, all in tier 0, and was never compiled. Why: {why}."
                    ),
                });
            }
            Some(j) if 100.0 * t0 as f64 / (t0 + t1) as f64 > INTERPRETED_SHARE => {
                let why = if j.discarded {
                    "its code was discarded after too many side exits and not replaced".to_string()
                } else if p.run.duration_ms > 0.0 && j.compiled_at_ms > 0.5 * p.run.duration_ms {
                    format!(
                        "it was compiled late, at {:.1} ms of a {:.1} ms run",
                        j.compiled_at_ms, p.run.duration_ms
                    )
                } else {
                    "side exits keep sending it back to the interpreter, or its hot loop was \
                     already running when it was compiled and stayed in tier 0"
                        .to_string()
                };
                let t0_share = 100.0 * t0 as f64 / (t0 + t1) as f64;
                out.push(Finding {
                    line: if f.line > 0 { f.line } else { hottest },
                    severity: DiagnosticSeverity::INFORMATION,
                    code: "mostly-interpreted",
                    message: format!(
                        "`{name}` was compiled to tier 1 but {t0_share:.0}% of its samples ran \
                         in the interpreter. Why: {why}."
                    ),
                });
            }
            _ => {}
        }
    }
    for s in &p.sites {
        if p.function(s.function).file != fi.file {
            continue;
        }
        if s.side_exits >= SIDE_EXITS_MIN {
            out.push(Finding {
                line: s.line,
                severity: if s.side_exits >= SIDE_EXITS_INFO {
                    DiagnosticSeverity::INFORMATION
                } else {
                    DiagnosticSeverity::HINT
                },
                code: "side-exits",
                message: format!(
                    "`{}` left JIT code {} times here (side exits). Usually its guard fails: \
                     the values here are not always the type it was specialized for (ints and \
                     floats mixed, objects of different classes, a global that is rebound).",
                    s.op, s.side_exits
                ),
            });
        }
        if s.deopts >= DEOPTS_MIN {
            out.push(Finding {
                line: s.line,
                severity: DiagnosticSeverity::INFORMATION,
                code: "deopts",
                message: format!(
                    "`{}` went back to its generic form {} times ({} guard misses, {} of {} \
                     specializations succeeded). Usually the types seen here keep changing, \
                     so it cannot stay specialized.",
                    s.family, s.deopts, s.misses, s.successes, s.attempts
                ),
            });
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

/// The diagnostics of a document: its file's findings on their current lines. None for a
/// document that is not the profiled text, nor for lines edited since.
pub fn diagnostics(fi: &FileIndex, doc: &Document) -> Vec<Diagnostic> {
    if !matches(fi, doc) || fi.findings.is_empty() {
        return Vec::new();
    }
    let current = doc.current_lines();
    fi.findings
        .iter()
        .filter_map(|f| {
            let &(line, edited) = current.get(&f.line.checked_sub(1)?)?;
            if edited {
                return None;
            }
            Some(Diagnostic {
                range: Range::new(
                    Position::new(line, 0),
                    Position::new(line, doc.line_len_utf16(line)),
                ),
                severity: Some(f.severity),
                code: Some(NumberOrString::String(f.code.to_string())),
                source: Some("jitlens".into()),
                message: f.message.clone(),
                ..Diagnostic::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::index::IndexedProfile;
    use jitlens_profiler::FunctionJit;

    #[test]
    fn side_exits_deopts_and_interpreted_hot_code_are_found() {
        let (ip, doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let d = diagnostics(fi, &doc);
        let got: Vec<_> = d
            .iter()
            .map(|d| match &d.code {
                Some(NumberOrString::String(c)) => (d.range.start.line, c.as_str(), d.severity),
                _ => panic!("no code"),
            })
            .collect();
        assert_eq!(
            got,
            [
                (3, "side-exits", Some(DiagnosticSeverity::HINT)),
                (7, "stayed-in-tier-0", Some(DiagnosticSeverity::INFORMATION)),
                (7, "deopts", Some(DiagnosticSeverity::INFORMATION)),
            ]
        );
        assert!(d[0].message.contains("250 times"), "{}", d[0].message);
        assert!(d[1].message.contains("`main` has 5.0%"), "{}", d[1].message);
        assert!(
            d[1].message.contains("threshold (1000)"),
            "{}",
            d[1].message
        );
        assert!(
            d[2].message.contains("3 times (200 guard misses"),
            "{}",
            d[2].message
        );
        assert_eq!(d[0].range.end.character, 21);
    }

    #[test]
    fn compiled_then_interpreted_names_the_discard() {
        let mut p = fixtures::profile();
        p.functions[2].jit = Some(FunctionJit {
            compiled_at_ms: 1.0,
            discarded: true,
            ..FunctionJit::default()
        });
        let ip = IndexedProfile::new(p);
        let fi = ip.file(fixtures::PATH).unwrap();
        let f: Vec<_> = fi.findings.iter().map(|f| (f.line, f.code)).collect();
        assert_eq!(
            f,
            [(4, "side-exits"), (7, "mostly-interpreted"), (8, "deopts")]
        );
        assert!(fi.findings[1].message.contains("100% of its samples"));
        assert!(fi.findings[1].message.contains("discarded"));
    }

    #[test]
    fn edited_lines_lose_their_diagnostics() {
        let (ip, mut doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        doc.change(
            2,
            vec![tower_lsp_server::ls_types::TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(3, 8), Position::new(3, 8))),
                range_length: None,
                text: "#".into(),
            }],
        );
        let d = diagnostics(fi, &doc);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.range.start.line == 7));
    }
}
