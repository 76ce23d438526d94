//! What is hot in a profile, as the lists the views show: ops, lines and JIT events, each
//! sortable, plus the tier split and the timeline per category.
//!
//! Built once per snapshot ([`Digest::new`]), so drawing a frame only walks short lists.

use jitlens_profiler::{Category, CategoryCounts, FileId, FunctionId, JitEventKind, Profile};
use std::collections::HashMap;

/// One row of the hot ops table: the samples of one op on one line, in one tier and
/// category.
#[derive(Clone, Debug, PartialEq)]
pub struct HotOp {
    /// The op, under its specialized name.
    pub op: String,
    /// The function the line belongs to.
    pub function: FunctionId,
    /// The file of the line.
    pub file: FileId,
    /// The line.
    pub line: u32,
    /// 0 for the interpreter, 1 for JIT code (for a helper or the GC: the caller's tier).
    pub tier: u8,
    /// Where the time went.
    pub category: Category,
    /// Sample count.
    pub samples: u64,
}

impl HotOp {
    /// What identifies the row across snapshots (to keep it selected as counts change).
    pub fn key(&self) -> (String, FunctionId, u32, u8, Category) {
        (
            self.op.clone(),
            self.function,
            self.line,
            self.tier,
            self.category,
        )
    }
}

/// How the hot ops table is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OpsSort {
    /// Most samples first.
    #[default]
    Share,
    /// By op name.
    Op,
    /// By function name, then line.
    Function,
    /// JIT code first, then the interpreter, helpers and GC; most samples first within each.
    Tier,
}

/// How the hot lines are sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LinesSort {
    /// Most samples first.
    #[default]
    Share,
    /// By file and line number.
    Location,
}

/// How the JIT events are sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JitSort {
    /// In time order, newest last.
    #[default]
    Time,
    /// Longest compile first.
    CompileTime,
    /// Largest code first.
    Bytes,
}

impl OpsSort {
    /// The next order `s` switches to.
    pub fn next(self) -> OpsSort {
        match self {
            OpsSort::Share => OpsSort::Op,
            OpsSort::Op => OpsSort::Function,
            OpsSort::Function => OpsSort::Tier,
            OpsSort::Tier => OpsSort::Share,
        }
    }

    /// The name the tab bar shows.
    pub fn name(self) -> &'static str {
        match self {
            OpsSort::Share => "share",
            OpsSort::Op => "op",
            OpsSort::Function => "function",
            OpsSort::Tier => "tier",
        }
    }
}

impl LinesSort {
    /// The next order `s` switches to.
    pub fn next(self) -> LinesSort {
        match self {
            LinesSort::Share => LinesSort::Location,
            LinesSort::Location => LinesSort::Share,
        }
    }

    /// The name the tab bar shows.
    pub fn name(self) -> &'static str {
        match self {
            LinesSort::Share => "share",
            LinesSort::Location => "line",
        }
    }
}

impl JitSort {
    /// The next order `s` switches to.
    pub fn next(self) -> JitSort {
        match self {
            JitSort::Time => JitSort::CompileTime,
            JitSort::CompileTime => JitSort::Bytes,
            JitSort::Bytes => JitSort::Time,
        }
    }

    /// The name the tab bar shows.
    pub fn name(self) -> &'static str {
        match self {
            JitSort::Time => "time",
            JitSort::CompileTime => "compile µs",
            JitSort::Bytes => "bytes",
        }
    }
}

/// The short tier label of the views: `interp`, `JIT`, `helper·T1`, `GC·T0`, `other`.
pub fn tier_label(tier: u8, category: Category) -> String {
    match category {
        Category::Interpreter => "interp".to_string(),
        Category::Jit => "JIT".to_string(),
        Category::Helper => format!("helper·T{tier}"),
        Category::Gc => format!("GC·T{tier}"),
        Category::Other => "other".to_string(),
    }
}

/// A profile's lists, sorted for the views.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Digest {
    /// Every (line, op, tier, category) with samples.
    pub ops: Vec<HotOp>,
    /// Indices into [`Profile::lines`].
    pub lines: Vec<usize>,
    /// Indices into [`Profile::jit_events`].
    pub jit: Vec<usize>,
    /// Side exits per function (summed over its sites).
    pub side_exits: HashMap<FunctionId, u64>,
    /// Samples per category over the run.
    pub by_category: CategoryCounts,
}

impl Digest {
    /// Sorts the profile's ops, lines and JIT events in the given orders.
    pub fn new(p: &Profile, ops_sort: OpsSort, lines_sort: LinesSort, jit_sort: JitSort) -> Self {
        let mut d = Digest {
            by_category: p.by_category(),
            ..Digest::default()
        };
        for l in &p.lines {
            for o in &l.ops {
                if o.samples > 0 {
                    d.ops.push(HotOp {
                        op: o.op.clone(),
                        function: l.function,
                        file: l.file,
                        line: l.line,
                        tier: o.tier,
                        category: o.category,
                        samples: o.samples,
                    });
                }
            }
        }
        for s in &p.sites {
            *d.side_exits.entry(s.function).or_default() += s.side_exits;
        }
        d.lines = (0..p.lines.len()).collect();
        d.jit = (0..p.jit_events.len()).collect();
        d.sort(p, ops_sort, lines_sort, jit_sort);
        d
    }

    /// Re-sorts the lists (after `s`).
    pub fn sort(&mut self, p: &Profile, ops_sort: OpsSort, lines_sort: LinesSort, js: JitSort) {
        let name = |f: FunctionId| p.function(f).name.as_str();
        let by_samples = |a: &HotOp, b: &HotOp| b.samples.cmp(&a.samples);
        let loc = |a: &HotOp, b: &HotOp| (a.file, a.line, &a.op).cmp(&(b.file, b.line, &b.op));
        let tier_rank = |o: &HotOp| match o.category {
            Category::Jit => 0,
            Category::Interpreter => 1,
            Category::Helper => 2,
            Category::Gc => 3,
            Category::Other => 4,
        };
        match ops_sort {
            OpsSort::Share => self.ops.sort_by(|a, b| by_samples(a, b).then(loc(a, b))),
            OpsSort::Op => self
                .ops
                .sort_by(|a, b| a.op.cmp(&b.op).then(by_samples(a, b)).then(loc(a, b))),
            OpsSort::Function => self.ops.sort_by(|a, b| {
                name(a.function)
                    .cmp(name(b.function))
                    .then(loc(a, b))
                    .then(a.tier.cmp(&b.tier))
            }),
            OpsSort::Tier => self.ops.sort_by(|a, b| {
                tier_rank(a)
                    .cmp(&tier_rank(b))
                    .then(by_samples(a, b))
                    .then(loc(a, b))
            }),
        }
        let lines = &p.lines;
        match lines_sort {
            LinesSort::Share => self.lines.sort_by(|&a, &b| {
                let (la, lb) = (&lines[a], &lines[b]);
                lb.samples
                    .cmp(&la.samples)
                    .then((la.file, la.line).cmp(&(lb.file, lb.line)))
            }),
            LinesSort::Location => self.lines.sort_by(|&a, &b| {
                let (la, lb) = (&lines[a], &lines[b]);
                (la.file, la.line).cmp(&(lb.file, lb.line))
            }),
        }
        let ev = &p.jit_events;
        match js {
            JitSort::Time => self
                .jit
                .sort_by(|&a, &b| ev[a].time_ms.total_cmp(&ev[b].time_ms).then(a.cmp(&b))),
            JitSort::CompileTime => self.jit.sort_by(|&a, &b| {
                ev[b]
                    .compile_us
                    .total_cmp(&ev[a].compile_us)
                    .then(a.cmp(&b))
            }),
            JitSort::Bytes => self
                .jit
                .sort_by(|&a, &b| ev[b].code_bytes.cmp(&ev[a].code_bytes).then(a.cmp(&b))),
        }
    }
}

/// The name of a JIT event kind in the log.
pub fn event_name(kind: JitEventKind) -> &'static str {
    match kind {
        JitEventKind::Compiled => "compiled",
        JitEventKind::Discarded => "discarded",
        JitEventKind::Rejected => "rejected",
    }
}

/// The timeline of one category squeezed into `width` columns: consecutive buckets are
/// summed so that the whole run fits.
pub fn timeline_columns(p: &Profile, c: Category, width: usize) -> Vec<u64> {
    let buckets = &p.timeline.buckets;
    if width == 0 || buckets.is_empty() {
        return Vec::new();
    }
    let per = buckets.len().div_ceil(width);
    buckets
        .chunks(per)
        .map(|chunk| chunk.iter().map(|b| b.get(c)).sum())
        .collect()
}

/// The largest column over the four tiers the sparkline shows (one scale for all rows).
pub fn timeline_max(p: &Profile, width: usize) -> u64 {
    [
        Category::Interpreter,
        Category::Jit,
        Category::Helper,
        Category::Gc,
    ]
    .iter()
    .flat_map(|&c| timeline_columns(p, c, width))
    .max()
    .unwrap_or(0)
}
