//! A loaded profile indexed per source file and line, built once per load so that every
//! request is a lookup: the hint label of each sampled line, its sites, the functions of the
//! file and the JIT problems found in it.

use crate::diagnostics::{self, Finding};
use jitlens_profiler::{FileId, FunctionId, Profile};
use std::collections::HashMap;
use std::sync::Arc;

/// One sampled line, summarised.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSummary {
    /// Index into [`Profile::lines`].
    pub index: usize,
    /// The line's share of all samples, in percent.
    pub share: f64,
    /// The hint label, e.g. `18.2% BINARY_OP_MULTIPLY_FLOAT · jit`.
    pub label: String,
    /// Indexes into [`Profile::sites`] of the sites on this line.
    pub sites: Vec<usize>,
}

/// One source file of the profile.
#[derive(Clone, Debug, Default)]
pub struct FileIndex {
    /// Its id in the profile.
    pub file: FileId,
    /// SHA-256 of the file when it was profiled.
    pub sha256: String,
    /// Per profiled line (0-based: entry `n` is line `n + 1`), its summary if it has samples.
    pub lines: Vec<Option<LineSummary>>,
    /// The functions defined in the file.
    pub functions: Vec<FunctionId>,
    /// The JIT problems found in the file, on profiled lines.
    pub findings: Vec<Finding>,
}

impl FileIndex {
    /// The summary of a profiled line (1-based), if it has samples.
    pub fn line(&self, line: u32) -> Option<&LineSummary> {
        self.lines
            .get((line as usize).checked_sub(1)?)
            .and_then(|l| l.as_ref())
    }
}

/// A profile with its per-file index.
#[derive(Debug)]
pub struct IndexedProfile {
    /// The profile.
    pub profile: Profile,
    /// By absolute path (as recorded, and canonicalized when that differs).
    files: HashMap<String, Arc<FileIndex>>,
}

/// The tier mark of a hint: where a line's samples ran.
pub fn tier_mark(tier0: u64, tier1: u64) -> String {
    let total = tier0 + tier1;
    if total == 0 || tier0 == 0 {
        if tier1 > 0 {
            "jit".into()
        } else {
            "interp".into()
        }
    } else if tier1 == 0 {
        "interp".into()
    } else {
        let jit = (100.0 * tier1 as f64 / total as f64).round() as u64;
        format!("jit {jit}% / interp {}%", 100 - jit)
    }
}

impl IndexedProfile {
    /// Indexes a profile.
    pub fn new(profile: Profile) -> IndexedProfile {
        let mut by_file: Vec<FileIndex> = profile
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| FileIndex {
                file: i as FileId,
                sha256: f.sha256.clone(),
                ..FileIndex::default()
            })
            .collect();
        // Never trust line numbers for an allocation: a line beyond the file's length (or a
        // damaged count) only gets a slot if it has samples, bounded by the lines present.
        for (i, l) in profile.lines.iter().enumerate() {
            let Some(fi) = by_file.get_mut(l.file as usize) else {
                continue;
            };
            if l.line == 0 || l.samples == 0 {
                continue;
            }
            let slot = l.line as usize - 1;
            if slot >= fi.lines.len() {
                if slot > 10_000_000 {
                    continue;
                }
                fi.lines.resize(slot + 1, None);
            }
            let share = profile.share(l.samples);
            let op = l.hottest_op().unwrap_or("?");
            let label = format!(
                "{share:.1}% {op} · {}",
                tier_mark(l.tier_samples(0), l.tier_samples(1))
            );
            fi.lines[slot] = Some(LineSummary {
                index: i,
                share,
                label,
                sites: Vec::new(),
            });
        }
        for (i, s) in profile.sites.iter().enumerate() {
            let file = profile.function(s.function).file;
            if let Some(Some(l)) = by_file
                .get_mut(file as usize)
                .and_then(|fi| fi.lines.get_mut((s.line as usize).wrapping_sub(1)))
            {
                l.sites.push(i);
            }
        }
        for (i, f) in profile.functions.iter().enumerate() {
            if let Some(fi) = by_file.get_mut(f.file as usize) {
                fi.functions.push(i as FunctionId);
            }
        }
        for fi in &mut by_file {
            fi.findings = diagnostics::findings(&profile, fi);
        }
        let mut files = HashMap::new();
        for (f, fi) in profile.files.iter().zip(by_file) {
            let fi = Arc::new(fi);
            if let Ok(canon) = std::fs::canonicalize(&f.path) {
                let canon = canon.to_string_lossy().into_owned();
                if canon != f.path {
                    files.insert(canon, fi.clone());
                }
            }
            files.insert(f.path.clone(), fi);
        }
        IndexedProfile { profile, files }
    }

    /// The index of a file, by absolute path.
    pub fn file(&self, path: &str) -> Option<&Arc<FileIndex>> {
        self.files.get(path)
    }
}
