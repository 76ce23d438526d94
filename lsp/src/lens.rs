//! Code lens on each `def` line: the function's share of samples, whether and when it
//! reached tier 1, its compile time and its code size (or that it has no samples at all). A
//! document that is not the profiled text gets one lens on its first line that says so and
//! offers to profile again.

use crate::documents::Document;
use crate::hints::{STALE, matches};
use crate::index::{FileIndex, IndexedProfile};
use tower_lsp_server::ls_types::{CodeLens, Command, Position, Range, Uri};

/// The command that profiles a file again ([`crate::record`]).
pub const PROFILE_FILE: &str = "jitlens.profileFile";

/// The lens text of one function.
pub fn function_label(ip: &IndexedProfile, f: &jitlens_profiler::Function) -> String {
    let share = ip.profile.share(f.total_samples);
    let tier = match &f.jit {
        None => "tier 0 only (never compiled)".to_string(),
        Some(j) => {
            let mut s = format!(
                "tier 1 at {:.1} ms · compiled in {:.0} µs · {} bytes",
                j.compiled_at_ms, j.compile_us, j.code_bytes
            );
            if j.compiles > 1 {
                s.push_str(&format!(" · {} compiles", j.compiles));
            }
            if j.discarded {
                s.push_str(" · code discarded");
            }
            s
        }
    };
    format!("jitlens: {share:.1}% of samples · {tier}")
}

/// The lenses of a document.
pub fn code_lenses(
    ip: &IndexedProfile,
    fi: &FileIndex,
    doc: &Document,
    uri: &Uri,
) -> Vec<CodeLens> {
    let at = |line: u32| Range::new(Position::new(line, 0), Position::new(line, 0));
    if !matches(fi, doc) {
        return vec![CodeLens {
            range: at(0),
            command: Some(Command {
                title: "jitlens: the profile is stale (this file changed since it was recorded) \
                        · profile again"
                    .into(),
                command: PROFILE_FILE.into(),
                arguments: Some(vec![serde_json::Value::String(uri.as_str().to_string())]),
            }),
            data: None,
        }];
    }
    let current = doc.current_lines();
    let mut lenses = Vec::new();
    for &fid in &fi.functions {
        let f = ip.profile.function(fid);
        if f.name == "<module>" || f.line == 0 {
            continue;
        }
        let Some(&(line, edited)) = current.get(&(f.line - 1)) else {
            continue;
        };
        let mut title = function_label(ip, f);
        if edited {
            title.push_str(STALE);
        }
        // An empty command id: a label, not a button.
        lenses.push(CodeLens {
            range: at(line),
            command: Some(Command {
                title,
                command: String::new(),
                arguments: None,
            }),
            data: None,
        });
    }
    // Every other `def` ran too briefly to be sampled, or never ran.
    let covered: std::collections::HashSet<u32> =
        lenses.iter().map(|l| l.range.start.line).collect();
    for line in 0..doc.line_count() {
        let text = doc.line(line).trim_start();
        let is_def = text.starts_with("def ") || text.starts_with("async def ");
        if is_def && !covered.contains(&line) {
            lenses.push(CodeLens {
                range: at(line),
                command: Some(Command {
                    title: NO_SAMPLES.into(),
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            });
        }
    }
    lenses.sort_by_key(|l| l.range.start.line);
    lenses
}

/// The lens of a `def` whose function has no samples in the profile.
pub const NO_SAMPLES: &str = "jitlens: no samples (too brief to be sampled, or never ran)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn def_lines_get_share_tier_compile_time_and_size() {
        let (ip, doc) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let uri: Uri = "file:///x.py".parse().unwrap();
        let l: Vec<_> = code_lenses(&ip, fi, &doc, &uri)
            .into_iter()
            .map(|l| (l.range.start.line, l.command.unwrap().title))
            .collect();
        assert_eq!(
            l,
            [
                (
                    0,
                    "jitlens: 92.0% of samples · tier 1 at 12.5 ms · compiled in 45 µs · 1234 bytes"
                        .to_string()
                ),
                (6, "jitlens: 5.0% of samples · tier 0 only (never compiled)".to_string()),
            ]
        );
    }

    #[test]
    fn a_def_with_no_samples_says_so() {
        // The profiled text with one more function, which never ran.
        let text = format!("{}def extra():\n    pass\n", fixtures::SOURCE);
        let mut p = fixtures::profile();
        p.files[0].sha256 = jitlens_profiler::hash_source(text.as_bytes());
        let ip = IndexedProfile::new(p);
        let fi = ip.file(fixtures::PATH).unwrap();
        let doc = Document::new(&text, 1);
        let uri: Uri = "file:///x.py".parse().unwrap();
        let l: Vec<_> = code_lenses(&ip, fi, &doc, &uri)
            .into_iter()
            .map(|l| (l.range.start.line, l.command.unwrap().title))
            .collect();
        assert_eq!(l.len(), 3, "{l:?}");
        let extra = fixtures::SOURCE.lines().count() as u32;
        assert_eq!(l[2], (extra, NO_SAMPLES.to_string()));
    }

    #[test]
    fn a_stale_document_gets_one_lens_offering_to_profile_again() {
        let (ip, _) = fixtures::indexed_with_doc();
        let fi = ip.file(fixtures::PATH).unwrap();
        let doc = Document::new("def mul(n):\n    pass\n", 1);
        let uri: Uri = "file:///x.py".parse().unwrap();
        let l = code_lenses(&ip, fi, &doc, &uri);
        assert_eq!(l.len(), 1);
        let c = l[0].command.as_ref().unwrap();
        assert_eq!(c.command, PROFILE_FILE);
        assert!(c.title.contains("stale"), "{}", c.title);
    }
}
