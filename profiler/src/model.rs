//! The profile: what `jitlens record` writes and what the report, the language server and
//! the dashboard read.
//!
//! A profile is versioned JSON ([`FORMAT`], [`VERSION`]); `docs/profile-format.md` documents
//! every field. Samples are counted per (file, line, op, tier, category), with Python
//! stacks for flame graphs, a timeline by category, the JIT's events and the VM's
//! specialization and side-exit counters. Files and functions are stored once and referred
//! to by index ([`FileId`], [`FunctionId`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The value of [`Profile::format`]: marks a file as a jitlens profile.
pub const FORMAT: &str = "jitlens-profile";

/// The schema version this build writes and the newest it reads.
pub const VERSION: u32 = 1;

/// Index into [`Profile::files`].
pub type FileId = u32;

/// Index into [`Profile::functions`].
pub type FunctionId = u32;

/// A whole profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The schema version ([`VERSION`] when written by this build).
    pub version: u32,
    /// How the program ran and how it was sampled.
    pub run: RunInfo,
    /// Every source file that has samples or functions, indexed by [`FileId`].
    pub files: Vec<SourceFile>,
    /// Every Python function (code object) that has samples or JIT events, indexed by
    /// [`FunctionId`].
    pub functions: Vec<Function>,
    /// Samples per source line, with their split by op, tier and category.
    pub lines: Vec<LineProfile>,
    /// Python stacks with their sample counts (root frame first), for flame graphs.
    pub stacks: Vec<StackSample>,
    /// Samples with no Python frame to charge (startup, compiling the program, shutdown),
    /// per category.
    pub unattributed: CategoryCounts,
    /// Samples over time, per category.
    pub timeline: Timeline,
    /// What the JIT did, in time order.
    pub jit_events: Vec<JitEvent>,
    /// Per-instruction specialization and side-exit counters, for instructions that ran
    /// often enough to matter.
    pub sites: Vec<Site>,
    /// The VM's counters by op family (what `-X stats` prints).
    pub families: Vec<FamilyStats>,
    /// The JIT's totals (what `-X stats` prints).
    pub jit: JitSummary,
}

/// How the program ran and how it was sampled.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The program's path as given on the command line.
    pub program: String,
    /// Its arguments (after the program path).
    pub args: Vec<String>,
    /// The working directory of the run.
    pub cwd: String,
    /// When the run started, in milliseconds since the Unix epoch.
    pub started_unix_ms: u64,
    /// Wall-clock duration of the run in milliseconds.
    pub duration_ms: f64,
    /// The program's exit code (meaningless while `running`).
    pub exit_code: i32,
    /// True in the snapshots `jitlens record --live` writes while the program still runs;
    /// false in a finished profile.
    #[serde(default)]
    pub running: bool,
    /// `perf_event` or `itimer`.
    pub sampler: String,
    /// The sampled event, e.g. `cpu-clock`.
    pub event: String,
    /// Requested samples per second.
    pub frequency_hz: u32,
    /// Samples taken.
    pub samples: u64,
    /// Samples lost (buffer full), not counted anywhere else.
    pub lost_samples: u64,
    /// CPU time of the program's thread while it was recorded, in milliseconds (0 in
    /// profiles written before it was kept).
    #[serde(default)]
    pub cpu_ms: f64,
    /// Of that, the profiler's own work at the VM's safe points and at the end: folding
    /// samples and building the profile (the signal handler, a few microseconds a sample,
    /// is not counted).
    #[serde(default)]
    pub profiler_cpu_ms: f64,
    /// The JIT mode: `off`, `on` or `always`.
    pub jit: String,
    /// The JIT's warm-up threshold.
    pub jit_threshold: u32,
    /// Whether quickening was on.
    pub specialize: bool,
    /// The jitlens version that wrote the profile.
    pub jitlens_version: String,
}

/// A source file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Absolute path.
    pub path: String,
    /// SHA-256 of the file's bytes when it was run, lowercase hex ([`crate::hash_source`]):
    /// a surface compares it with the file it shows to tell whether the profile is stale.
    pub sha256: String,
    /// Number of lines.
    pub line_count: u32,
}

/// Where a sample's time went.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The interpreter (tier 0) running an instruction.
    Interpreter,
    /// JIT code (tier 1) running an instruction.
    Jit,
    /// A runtime helper (a native function of the VM, such as a dict lookup), called from
    /// either tier; [`OpSamples::tier`] says which.
    Helper,
    /// The garbage collector.
    Gc,
    /// Anything else: startup, compilation, native code outside the VM.
    #[default]
    Other,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 5] = [
        Category::Interpreter,
        Category::Jit,
        Category::Helper,
        Category::Gc,
        Category::Other,
    ];

    /// The name used in JSON and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Category::Interpreter => "interpreter",
            Category::Jit => "jit",
            Category::Helper => "helper",
            Category::Gc => "gc",
            Category::Other => "other",
        }
    }
}

/// A Python function (one code object).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Function {
    /// Qualified name (`Class.method`, `<module>`).
    pub name: String,
    /// Its source file.
    pub file: FileId,
    /// The line of its `def` (1 for a module).
    pub line: u32,
    /// Samples whose innermost Python frame is this function.
    pub self_samples: u64,
    /// Samples with this function anywhere on the Python stack.
    pub total_samples: u64,
    /// Whether and how it reached tier 1; `None` if it was never compiled.
    pub jit: Option<FunctionJit>,
}

/// A function's life in tier 1.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionJit {
    /// When it was (first) compiled, in milliseconds since the run started.
    pub compiled_at_ms: f64,
    /// Time the (last) compile took, in microseconds.
    pub compile_us: f64,
    /// Machine-code bytes of the (last) compile.
    pub code_bytes: u32,
    /// Bytes of bytecode and inline caches that code came from.
    pub bytecode_bytes: u32,
    /// How many times it was compiled (recompiles follow a discard).
    pub compiles: u32,
    /// Whether its last code was discarded (too many side exits) and not replaced.
    pub discarded: bool,
}

/// The samples of one source line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineProfile {
    /// The file.
    pub file: FileId,
    /// 1-based line number.
    pub line: u32,
    /// The function the line belongs to.
    pub function: FunctionId,
    /// All samples on this line (innermost Python frame).
    pub samples: u64,
    /// The samples split by op, tier and category, most samples first.
    pub ops: Vec<OpSamples>,
}

/// Samples of one op on one line, in one tier and category.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpSamples {
    /// The op that was running, under its specialized name (`BINARY_OP_MULTIPLY_FLOAT`).
    pub op: String,
    /// 0 for the interpreter, 1 for JIT code. For a helper or the GC, the tier that called it.
    pub tier: u8,
    /// Where the time went.
    pub category: Category,
    /// The native function that was running, when the pc was outside JIT code and named
    /// (`jitlens_vm::runtime::dict::lookup`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<String>,
    /// Sample count.
    pub samples: u64,
}

/// One distinct Python stack and its samples.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StackSample {
    /// Frames, root (outermost) first.
    pub frames: Vec<StackFrame>,
    /// The op running in the innermost frame.
    pub op: String,
    /// The tier of the innermost frame.
    pub tier: u8,
    /// Where the time went.
    pub category: Category,
    /// The native function, as in [`OpSamples::native`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<String>,
    /// Sample count.
    pub samples: u64,
}

/// One frame of a Python stack.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct StackFrame {
    /// The function.
    pub function: FunctionId,
    /// The line executing in it.
    pub line: u32,
}

/// Samples over time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Width of a bucket in milliseconds.
    pub bucket_ms: f64,
    /// One entry per bucket from the start of the run.
    pub buckets: Vec<CategoryCounts>,
}

/// Sample counts per category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCounts {
    /// [`Category::Interpreter`].
    pub interpreter: u64,
    /// [`Category::Jit`].
    pub jit: u64,
    /// [`Category::Helper`].
    pub helper: u64,
    /// [`Category::Gc`].
    pub gc: u64,
    /// [`Category::Other`].
    pub other: u64,
}

impl CategoryCounts {
    /// The count of one category.
    pub fn get(&self, c: Category) -> u64 {
        match c {
            Category::Interpreter => self.interpreter,
            Category::Jit => self.jit,
            Category::Helper => self.helper,
            Category::Gc => self.gc,
            Category::Other => self.other,
        }
    }

    /// Adds `n` to one category.
    pub fn add(&mut self, c: Category, n: u64) {
        match c {
            Category::Interpreter => self.interpreter += n,
            Category::Jit => self.jit += n,
            Category::Helper => self.helper += n,
            Category::Gc => self.gc += n,
            Category::Other => self.other += n,
        }
    }

    /// The sum over all categories.
    pub fn total(&self) -> u64 {
        self.interpreter + self.jit + self.helper + self.gc + self.other
    }
}

/// Something the JIT did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JitEvent {
    /// Milliseconds since the run started.
    pub time_ms: f64,
    /// What happened.
    pub kind: JitEventKind,
    /// The function it happened to.
    pub function: FunctionId,
    /// Compile time in microseconds (0 for other kinds).
    pub compile_us: f64,
    /// Machine-code bytes (0 for other kinds).
    pub code_bytes: u32,
    /// A short explanation, e.g. why code was discarded or not compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Kinds of [`JitEvent`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JitEventKind {
    /// The function was compiled to tier 1.
    Compiled,
    /// Its code was discarded: it side-exited too often.
    Discarded,
    /// It was warm but not compiled (a generator, or not profitable).
    Rejected,
}

/// Counters of one instruction (a specialization site).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// The function.
    pub function: FunctionId,
    /// Instruction index in its bytecode.
    pub ip: u32,
    /// Source line.
    pub line: u32,
    /// Op family (`BINARY_OP`).
    pub family: String,
    /// The op at the end of the run (`BINARY_OP_ADD_INT`, or the family when generic).
    pub op: String,
    /// Times the instruction ran in the interpreter (when counted).
    pub executions: u64,
    /// Specialization attempts.
    pub attempts: u64,
    /// Successful specializations.
    pub successes: u64,
    /// Guard failures of the specialized form.
    pub misses: u64,
    /// Times it went back to the generic form.
    pub deopts: u64,
    /// Side exits from JIT code at this instruction.
    pub side_exits: u64,
}

/// Counters of one op family over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FamilyStats {
    /// Op family (`LOAD_ATTR`).
    pub family: String,
    /// Executions in the interpreter.
    pub executions: u64,
    /// Specialization attempts.
    pub attempts: u64,
    /// Successful specializations.
    pub successes: u64,
    /// Guard failures.
    pub misses: u64,
    /// Deopts back to the generic form.
    pub deopts: u64,
}

/// The JIT's totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JitSummary {
    /// Code objects compiled.
    pub compiled: u32,
    /// Median compile time in microseconds.
    pub compile_us_median: f64,
    /// Longest compile time in microseconds.
    pub compile_us_max: f64,
    /// Machine-code bytes in total.
    pub code_bytes: u64,
    /// Bytecode and cache bytes they came from.
    pub bytecode_bytes: u64,
    /// Entries into JIT code from a call.
    pub call_entries: u64,
    /// Entries at a loop header (on-stack replacement).
    pub osr_entries: u64,
    /// Side exits back to the interpreter.
    pub side_exits: u64,
    /// Code objects whose code was discarded.
    pub discarded: u32,
}

impl Profile {
    /// An empty profile of this schema version.
    pub fn new(run: RunInfo) -> Profile {
        Profile {
            format: FORMAT.to_string(),
            version: VERSION,
            run,
            files: Vec::new(),
            functions: Vec::new(),
            lines: Vec::new(),
            stacks: Vec::new(),
            unattributed: CategoryCounts::default(),
            timeline: Timeline::default(),
            jit_events: Vec::new(),
            sites: Vec::new(),
            families: Vec::new(),
            jit: JitSummary::default(),
        }
    }

    /// Samples per category over the whole run: the lines' plus the unattributed ones.
    pub fn by_category(&self) -> CategoryCounts {
        let mut c = self.unattributed;
        for l in &self.lines {
            for o in &l.ops {
                c.add(o.category, o.samples);
            }
        }
        c
    }

    /// The file with this path (exact match), if the profile has it.
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| i as FileId)
    }

    /// The lines of one file, by line number.
    pub fn lines_of(&self, file: FileId) -> BTreeMap<u32, &LineProfile> {
        self.lines
            .iter()
            .filter(|l| l.file == file)
            .map(|l| (l.line, l))
            .collect()
    }

    /// The function record of an id (a default one for an id out of range, so a surface
    /// never panics on a damaged profile; [`crate::load`] rejects such profiles anyway).
    pub fn function(&self, id: FunctionId) -> &Function {
        static MISSING: Function = Function {
            name: String::new(),
            file: 0,
            line: 0,
            self_samples: 0,
            total_samples: 0,
            jit: None,
        };
        self.functions.get(id as usize).unwrap_or(&MISSING)
    }

    /// `part` as a percentage of all samples (0 when there are none).
    pub fn share(&self, part: u64) -> f64 {
        if self.run.samples == 0 {
            0.0
        } else {
            100.0 * part as f64 / self.run.samples as f64
        }
    }
}

impl LineProfile {
    /// Samples on this line in one tier (0 or 1), over every category.
    pub fn tier_samples(&self, tier: u8) -> u64 {
        self.ops
            .iter()
            .filter(|o| o.tier == tier)
            .map(|o| o.samples)
            .sum()
    }

    /// The op with the most samples on this line (summed over tiers and categories).
    pub fn hottest_op(&self) -> Option<&str> {
        let mut by_op: BTreeMap<&str, u64> = BTreeMap::new();
        for o in &self.ops {
            *by_op.entry(&o.op).or_default() += o.samples;
        }
        by_op
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(op, _)| op)
    }
}
