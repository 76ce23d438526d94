//! A plain-text summary of a profile for people: where the time went, the hottest lines and
//! ops and what the JIT did.
//!
//! [`table`] is what `jitlens report` prints; [`summary`] is its short form, printed at the
//! end of `jitlens record`. Columns are aligned with spaces and no line ends in whitespace.
//! Each hot line shows its source text when the profiled file is still readable and
//! unchanged (its SHA-256 matches the profile's); a changed file is named in a note instead.

use super::{basename, file_basename, tier_name};
use crate::file::hash_source;
use crate::model::{Category, FileId, LineProfile, Profile};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Longest source text shown for a line, in characters.
const SOURCE_WIDTH: usize = 60;

/// Lays out rows as columns: each cell padded to its column's width (numbers, marked by
/// `right`, aligned right), two spaces between columns, the line's end trimmed.
fn columns(out: &mut String, indent: &str, rows: &[Vec<String>], right: &[bool]) {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; n];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::from(indent);
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i] - cell.chars().count();
            if right.get(i).copied().unwrap_or(false) {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// `part` as a share of all samples, e.g. ` 44.8%`.
fn pct(profile: &Profile, part: u64) -> String {
    format!("{:.1}%", profile.share(part))
}

/// A duration in milliseconds, in ms or s.
fn duration(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

/// The line's split between the tiers: `72% jit / 28% interp`, `100% interp`.
fn tier_split(line: &LineProfile) -> String {
    let jit = line.tier_samples(1);
    let interp = line.tier_samples(0);
    let total = jit + interp;
    if total == 0 {
        return "-".into();
    }
    let jit_pct = (100.0 * jit as f64 / total as f64).round() as u64;
    match (jit, interp) {
        (_, 0) => "100% jit".into(),
        (0, _) => "100% interp".into(),
        _ => format!("{jit_pct}% jit / {}% interp", 100 - jit_pct),
    }
}

/// The profiled files' lines, read once per file, for those still unchanged.
struct Sources {
    files: BTreeMap<FileId, Option<Vec<String>>>,
    changed: Vec<String>,
}

impl Sources {
    fn new() -> Sources {
        Sources {
            files: BTreeMap::new(),
            changed: Vec::new(),
        }
    }

    /// The text of one line (trimmed and shortened), if the file is readable and unchanged.
    fn line(&mut self, profile: &Profile, file: FileId, line: u32) -> String {
        let lines = self.files.entry(file).or_insert_with(|| {
            let f = profile.files.get(file as usize)?;
            let bytes = std::fs::read(&f.path).ok()?;
            if hash_source(&bytes) != f.sha256 {
                self.changed.push(f.path.clone());
                return None;
            }
            Some(
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .map(str::to_string)
                    .collect(),
            )
        });
        let text = lines
            .as_ref()
            .and_then(|l| l.get((line as usize).checked_sub(1)?))
            .map(|t| t.trim())
            .unwrap_or("");
        if text.chars().count() > SOURCE_WIDTH {
            let mut t: String = text.chars().take(SOURCE_WIDTH - 1).collect();
            t.push('…');
            t
        } else {
            text.to_string()
        }
    }
}

/// The header: program, duration, samples, sampler, JIT mode.
fn header(out: &mut String, p: &Profile) {
    let r = &p.run;
    let mut command = r.program.clone();
    for a in &r.args {
        command.push(' ');
        command.push_str(a);
    }
    let _ = writeln!(
        out,
        "{}",
        format!("jitlens profile of {command}").trim_end()
    );
    let lost = if r.lost_samples > 0 {
        format!(" ({} lost)", r.lost_samples)
    } else {
        String::new()
    };
    let mut rows = vec![
        vec![
            "duration".into(),
            format!("{}, exit code {}", duration(r.duration_ms), r.exit_code),
        ],
        vec![
            "samples".into(),
            format!(
                "{}{lost} at {} Hz, {} {}",
                r.samples, r.frequency_hz, r.sampler, r.event
            ),
        ],
        vec![
            "JIT".into(),
            format!(
                "{} (threshold {}), quickening {}",
                r.jit,
                r.jit_threshold,
                if r.specialize { "on" } else { "off" }
            ),
        ],
    ];
    if r.cpu_ms > 0.0 {
        // What the profiler cost the program's thread, beyond the sampling signal itself.
        rows.push(vec![
            "profiler".into(),
            format!(
                "{} of CPU folding samples and building the profile, {:.1}% of the run's {}",
                duration(r.profiler_cpu_ms),
                100.0 * r.profiler_cpu_ms / r.cpu_ms,
                duration(r.cpu_ms)
            ),
        ]);
    }
    columns(out, "  ", &rows, &[]);
}

/// Where the time went, per category.
fn categories(out: &mut String, p: &Profile) {
    let _ = writeln!(out, "\nWhere the time went");
    let by = p.by_category();
    let rows: Vec<Vec<String>> = Category::ALL
        .iter()
        .map(|&c| {
            let n = by.get(c);
            vec![c.name().into(), n.to_string(), pct(p, n)]
        })
        .collect();
    columns(out, "  ", &rows, &[false, true, true]);
}

/// The `max` hottest lines.
fn hot_lines(out: &mut String, p: &Profile, max: usize, sources: &mut Sources) {
    let mut lines: Vec<&LineProfile> = p.lines.iter().filter(|l| l.samples > 0).collect();
    lines.sort_by(|a, b| {
        b.samples
            .cmp(&a.samples)
            .then(a.file.cmp(&b.file))
            .then(a.line.cmp(&b.line))
    });
    let _ = writeln!(out, "\nHottest lines");
    if lines.is_empty() {
        let _ = writeln!(out, "  (no samples on any line)");
        return;
    }
    let mut rows = vec![vec![
        "share".to_string(),
        "line".into(),
        "function".into(),
        "hottest op".into(),
        "tiers".into(),
        "source".into(),
    ]];
    for l in lines.iter().take(max) {
        rows.push(vec![
            pct(p, l.samples),
            format!("{}:{}", file_basename(p, l.file), l.line),
            p.function(l.function).name.clone(),
            l.hottest_op().unwrap_or("-").to_string(),
            tier_split(l),
            sources.line(p, l.file, l.line),
        ]);
    }
    // No source column when no line has text (files moved, or profiled elsewhere).
    if rows[1..].iter().all(|r| r[5].is_empty()) {
        for r in &mut rows {
            r.pop();
        }
    }
    columns(out, "  ", &rows, &[true]);
}

/// The `max` hottest (op, tier) pairs over the whole run.
fn hot_ops(out: &mut String, p: &Profile, max: usize) {
    let mut by: BTreeMap<(&str, u8), u64> = BTreeMap::new();
    for l in &p.lines {
        for o in &l.ops {
            *by.entry((&o.op, o.tier)).or_default() += o.samples;
        }
    }
    let mut ops: Vec<((&str, u8), u64)> = by.into_iter().filter(|(_, n)| *n > 0).collect();
    ops.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let _ = writeln!(out, "\nHottest ops by tier");
    if ops.is_empty() {
        let _ = writeln!(out, "  (none)");
        return;
    }
    let mut rows = vec![vec![
        "share".to_string(),
        "samples".into(),
        "tier".into(),
        "op".into(),
    ]];
    for ((op, tier), n) in ops.into_iter().take(max) {
        rows.push(vec![
            pct(p, n),
            n.to_string(),
            tier_name(tier).into(),
            op.into(),
        ]);
    }
    columns(out, "  ", &rows, &[true, true]);
}

/// The JIT's totals and its top side-exit sites.
fn jit(out: &mut String, p: &Profile, max: usize) {
    let j = &p.jit;
    let _ = writeln!(out, "\nJIT");
    let rows = vec![
        vec![
            "compiled functions".to_string(),
            format!("{} ({} discarded)", j.compiled, j.discarded),
        ],
        vec![
            "compile time".into(),
            format!(
                "median {:.0} µs, max {:.0} µs",
                j.compile_us_median, j.compile_us_max
            ),
        ],
        vec![
            "code".into(),
            format!(
                "{} bytes from {} bytes of bytecode",
                j.code_bytes, j.bytecode_bytes
            ),
        ],
        vec![
            "entries".into(),
            format!("{} from calls, {} OSR", j.call_entries, j.osr_entries),
        ],
        vec!["side exits".into(), j.side_exits.to_string()],
    ];
    columns(out, "  ", &rows, &[]);

    let mut sites: Vec<_> = p.sites.iter().filter(|s| s.side_exits > 0).collect();
    sites.sort_by(|a, b| {
        b.side_exits
            .cmp(&a.side_exits)
            .then(a.function.cmp(&b.function))
            .then(a.ip.cmp(&b.ip))
    });
    if sites.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nTop side-exit sites");
    let mut rows = vec![vec![
        "exits".to_string(),
        "line".into(),
        "ip".into(),
        "function".into(),
        "op".into(),
    ]];
    for s in sites.into_iter().take(max) {
        let f = p.function(s.function);
        rows.push(vec![
            s.side_exits.to_string(),
            format!("{}:{}", file_basename(p, f.file), s.line),
            s.ip.to_string(),
            f.name.clone(),
            s.op.clone(),
        ]);
    }
    columns(out, "  ", &rows, &[true, false, true]);
}

/// Notes about files that changed since the run.
fn notes(out: &mut String, sources: &Sources) {
    for path in &sources.changed {
        let _ = writeln!(
            out,
            "\nnote: {} changed since the run; its source text is not shown",
            basename(path)
        );
    }
}

/// The short summary `jitlens record` prints when it ends: header, time per category, the
/// `max_lines` hottest lines and one line of JIT totals.
pub fn summary(profile: &Profile, max_lines: usize) -> String {
    let mut out = String::new();
    let mut sources = Sources::new();
    header(&mut out, profile);
    categories(&mut out, profile);
    hot_lines(&mut out, profile, max_lines, &mut sources);
    let j = &profile.jit;
    let _ = writeln!(
        out,
        "\nJIT: {} compiled, {} code bytes, {} side exits, {} OSR entries",
        j.compiled, j.code_bytes, j.side_exits, j.osr_entries
    );
    notes(&mut out, &sources);
    out
}

/// The full report `jitlens report` prints: header, time per category, the `max_lines`
/// hottest lines, the `max_lines` hottest ops by tier, the JIT's totals and its top
/// side-exit sites.
pub fn table(profile: &Profile, max_lines: usize) -> String {
    let mut out = String::new();
    let mut sources = Sources::new();
    header(&mut out, profile);
    categories(&mut out, profile);
    hot_lines(&mut out, profile, max_lines, &mut sources);
    hot_ops(&mut out, profile, max_lines);
    jit(&mut out, profile, max_lines);
    notes(&mut out, &sources);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    fn no_trailing_whitespace(text: &str) {
        for l in text.lines() {
            assert_eq!(l, l.trim_end(), "trailing whitespace in {l:?}");
        }
    }

    #[test]
    fn table_has_every_section_with_real_numbers() {
        let t = table(&fixture::nbody(), 10);
        no_trailing_whitespace(&t);
        let want_lines = [
            "jitlens profile of examples/nbody.py 1000",
            "  duration  935.5 ms, exit code 0",
            "  samples   920 at 1000 Hz, perf_event cpu-clock",
            "  JIT       on (threshold 1000), quickening on",
            "  profiler  4.2 ms of CPU folding samples and building the profile, 0.5% of the \
             run's 930.0 ms",
            "  interpreter  220  23.9%",
            "  jit          602  65.4%",
            "  helper        48   5.2%",
            "  gc            30   3.3%",
            "  other         20   2.2%",
            "  share  line         function  hottest op                tiers",
            "  65.2%  nbody.py:74  advance   BINARY_OP_MULTIPLY_FLOAT  83% jit / 17% interp",
            "  21.7%  nbody.py:75  advance   BINARY_OP_SUBTRACT_FLOAT  75% jit / 25% interp",
            "  10.9%  nbody.py:90  energy    CALL_BUILTIN_FAST         100% interp",
            "  share  samples  tier    op",
            "  44.8%      412  jit     BINARY_OP_MULTIPLY_FLOAT",
            "  10.9%      100  interp  BINARY_OP_MULTIPLY_FLOAT",
            "  compiled functions  2 (0 discarded)",
            "  compile time        median 220 µs, max 260 µs",
            "  code                5120 bytes from 1280 bytes of bytecode",
            "  entries             1000 from calls, 3 OSR",
            "  side exits          37",
            "  exits  line          ip  function  op",
            "     30  nbody.py:74   40  advance   BINARY_OP_MULTIPLY_FLOAT",
            "      7  nbody.py:104  12  main      CALL_PY_EXACT_ARGS",
        ];
        let lines: Vec<&str> = t.lines().collect();
        for w in want_lines {
            assert!(lines.contains(&w), "missing {w:?} in\n{t}");
        }
        // A site without side exits is not listed; the source file does not exist.
        assert!(!t.contains("BINARY_OP_SUBTRACT_FLOAT\n      0"), "{t}");
        assert!(!t.contains("note:"), "{t}");
    }

    #[test]
    fn source_text_shown_when_the_file_is_unchanged() {
        let dir = std::env::temp_dir().join(format!("jitlens-table-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("nbody.py");
        std::fs::write(&path, fixture::nbody_source()).unwrap();
        let mut p = fixture::nbody();
        p.files[0].path = path.to_string_lossy().into_owned();
        let t = table(&p, 10);
        no_trailing_whitespace(&t);
        assert!(
            t.contains("BINARY_OP_MULTIPLY_FLOAT  83% jit / 17% interp  dx = (x1 - x2) * mag\n"),
            "{t}"
        );
        assert!(
            t.contains("100% interp           e += m * sum(v * v for v in vs)\n"),
            "{t}"
        );

        std::fs::write(&path, "changed\n").unwrap();
        let t = table(&p, 10);
        assert!(!t.contains("dx = "), "{t}");
        assert!(
            t.contains("note: nbody.py changed since the run; its source text is not shown"),
            "{t}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn summary_is_short_and_limits_lines() {
        let s = summary(&fixture::nbody(), 1);
        no_trailing_whitespace(&s);
        assert!(s.contains("nbody.py:74"), "{s}");
        assert!(!s.contains("nbody.py:75"), "{s}");
        assert!(!s.contains("Hottest ops"), "{s}");
        assert!(
            s.contains("JIT: 2 compiled, 5120 code bytes, 37 side exits, 3 OSR entries"),
            "{s}"
        );
    }

    #[test]
    fn empty_profile_does_not_divide_by_zero() {
        let t = table(&Profile::new(crate::RunInfo::default()), 10);
        no_trailing_whitespace(&t);
        assert!(t.contains("(no samples on any line)"), "{t}");
        assert!(t.contains("  interpreter  0  0.0%"), "{t}");
    }
}
