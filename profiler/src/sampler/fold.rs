//! Attribution: turning raw samples into (line, op, tier, category) counts and Python
//! stacks. Runs on the VM's thread at safe points, where the code objects and the JIT code
//! map can be read.
//!
//! - A pc in JIT code names its region exactly: code object, instruction, op, tier 1.
//! - A pc elsewhere is named by [`Symbolizer`]; the native return addresses then decide the
//!   tier: the first one inside JIT code (a helper called from tier 1, which also gives the
//!   exact instruction) or inside the interpreter (tier 0: the frame's `lasti`).
//! - The category: JIT code → `jit`; the garbage collector anywhere below the anchor →
//!   `gc`; the interpreter's own code → `interpreter`; other VM or library code called from
//!   Python → `helper` (named); no Python frame → `other`.

use super::signal::RawSample;
use super::symbols::{Part, Symbolizer};
use crate::model::{Category, CategoryCounts};
use jitlens_vm::Vm;
use jitlens_vm::code::Code;
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// JIT regions a sample's native stack is expected to hold at most (more only grow a
/// buffer).
const MAX_CHAIN: usize = super::signal::MAX_NATIVE_DEPTH + 2;

/// Width of a timeline bucket.
pub const BUCKET_NS: u64 = 100_000_000;

/// A JIT region, flattened from the VM's code map.
struct JitRegion {
    start: u64,
    end: u64,
    code: usize,
    ip: u32,
    op: &'static str,
}

/// What one (line, op, tier, category, native) key counts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OpKey {
    /// The op's name (specialized).
    pub op: &'static str,
    /// 0 or 1.
    pub tier: u8,
    /// Where the time went.
    pub category: Category,
    /// The native function, for helpers and the GC.
    pub native: Option<Rc<str>>,
}

/// Samples folded so far.
#[derive(Default)]
pub struct Aggregate {
    /// Per (code object, line): the samples by op key.
    pub lines: HashMap<(usize, u32), HashMap<OpKey, u64>>,
    /// Per stack (root first: (code object, line)) and leaf op key.
    pub stacks: HashMap<(Vec<(usize, u32)>, OpKey), u64>,
    /// Samples with no Python frame.
    pub unattributed: CategoryCounts,
    /// Per bucket of [`BUCKET_NS`].
    pub timeline: Vec<CategoryCounts>,
    /// Samples folded.
    pub samples: u64,
}

/// The fold's state: lookups into the VM, and the aggregate.
pub struct Folder {
    /// Code objects by `Rc::as_ptr`.
    pub codes: HashMap<usize, Rc<Code>>,
    /// The JIT regions, by start address.
    jit: Vec<JitRegion>,
    /// How many of the VM's compiled code objects `jit` holds the regions of.
    jit_codes_seen: usize,
    symbols: Symbolizer,
    /// Buffers reused from sample to sample: the JIT regions on a sample's native stack,
    /// and its Python stack (handed to the aggregate only when the stack is new).
    chain_buf: Vec<(usize, u32, &'static str)>,
    stack_buf: Vec<(usize, u32)>,
    /// `CLOCK_MONOTONIC` at the start of recording.
    pub start_ns: u64,
    /// What was folded.
    pub agg: Aggregate,
}

impl Folder {
    /// A fold starting at `start_ns`.
    ///
    /// Its tables are sized up front, before the program runs, for what a typical run
    /// fills. Growing one later asks glibc for a block of a kilobyte or more, which makes it
    /// first consolidate every small block the program has freed: on float.py that was one
    /// pause of 13–14 ms (1.4% of the run) that `jitlens run` never pays.
    pub fn new(start_ns: u64) -> Folder {
        let mut codes = HashMap::default();
        codes.reserve(256);
        let mut agg = Aggregate::default();
        agg.lines.reserve(1024);
        agg.stacks.reserve(2048);
        // A minute of timeline.
        agg.timeline.reserve((60_000_000_000 / BUCKET_NS) as usize);
        Folder {
            codes,
            jit: Vec::with_capacity(1024),
            jit_codes_seen: 0,
            symbols: Symbolizer::new(),
            chain_buf: Vec::with_capacity(MAX_CHAIN),
            stack_buf: Vec::with_capacity(jitlens_vm::sampling::MAX_PY_DEPTH),
            start_ns,
            agg,
        }
    }

    /// Refreshes the code objects and the JIT code map from the VM, when they changed.
    /// Compiled code objects are only ever added: the regions of new ones are appended.
    fn refresh(&mut self, vm: &Vm, need_code: bool) {
        let compiled = vm.jit_codes.len();
        if compiled > self.jit_codes_seen {
            let first = self.jit_codes_seen;
            self.jit_codes_seen = compiled;
            self.jit.extend(
                vm.jit_regions_from(first)
                    .filter(|r| r.len > 0)
                    .map(|r| JitRegion {
                        start: r.start,
                        end: r.start + r.len as u64,
                        code: Rc::as_ptr(&r.code) as usize,
                        ip: r.ip,
                        op: r.op.name(),
                    }),
            );
            // Unstable: sorts in place, where the stable sort would allocate a buffer.
            self.jit.sort_unstable_by_key(|r| r.start);
            for (code, _) in &vm.jit_codes[first..] {
                self.codes.insert(Rc::as_ptr(code) as usize, code.clone());
            }
        }
        if need_code {
            for c in vm.code_objects() {
                self.codes.insert(Rc::as_ptr(&c) as usize, c);
            }
        }
    }

    fn region(&self, pc: u64) -> Option<&JitRegion> {
        let i = self.jit.partition_point(|r| r.start <= pc).checked_sub(1)?;
        let r = &self.jit[i];
        (pc < r.end).then_some(r)
    }

    /// Folds one sample.
    pub fn fold(&mut self, vm: &Vm, s: &RawSample) {
        self.agg.samples += 1;
        let frames = &s.py.frames[..s.py.depth as usize];
        let need_code = frames.iter().any(|f| !self.codes.contains_key(&f.code));
        if need_code || self.jit_codes_seen != vm.jit_codes.len() {
            self.refresh(vm, need_code);
        }
        // JIT regions on the native stack, innermost first (the pc's own region first).
        let mut jit_chain = std::mem::take(&mut self.chain_buf);
        jit_chain.clear();
        let leaf_region = self.region(s.pc).map(|r| (r.code, r.ip, r.op));
        if let Some(r) = leaf_region {
            jit_chain.push(r);
        }
        let mut anchor_tier: Option<u8> = leaf_region.map(|_| 1);
        let mut anchor_region = leaf_region;
        let mut gc = false;
        let mut profiler = false;
        let pc_info = if leaf_region.is_none() {
            Some(self.symbols.info(s.pc).clone())
        } else {
            None
        };
        if let Some(info) = &pc_info {
            gc |= info.part == Part::Gc;
            profiler |= info.part == Part::Profiler;
            if info.part == Part::Interpreter {
                anchor_tier = Some(0);
            } else if info.part == Part::Runtime {
                // A helper sampled in its prologue or epilogue: its return address into JIT
                // code is on top of the stack, not on the frame-pointer chain.
                let caller = s
                    .sp_words
                    .iter()
                    .find_map(|&w| self.region(w.wrapping_sub(1)).map(|r| (r.code, r.ip, r.op)));
                if let Some(r) = caller {
                    jit_chain.push(r);
                    anchor_tier = Some(1);
                    anchor_region = Some(r);
                }
            }
        }
        for &ret in s.native() {
            // A return address points just after the call: look up ret - 1.
            let at = ret.wrapping_sub(1);
            if let Some(r) = self.region(at) {
                let r = (r.code, r.ip, r.op);
                jit_chain.push(r);
                if anchor_tier.is_none() {
                    anchor_tier = Some(1);
                    anchor_region = Some(r);
                }
                continue;
            }
            let info = self.symbols.info(at);
            if info.part == Part::Other && info.name.is_none() {
                // Not code: a frame-pointer chain through code built without frame pointers
                // (a C library) can end in garbage. Trust nothing past it.
                break;
            }
            if anchor_tier.is_none() {
                gc |= info.part == Part::Gc;
                profiler |= info.part == Part::Profiler;
                if info.part == Part::Interpreter {
                    anchor_tier = Some(0);
                }
            }
        }
        let category = if leaf_region.is_some() {
            Category::Jit
        } else if profiler {
            // The profiler's own work at a safe point: not the program's time.
            Category::Other
        } else if gc {
            Category::Gc
        } else {
            match pc_info.as_ref().map(|i| i.part) {
                Some(Part::Interpreter) => Category::Interpreter,
                Some(Part::Runtime) | Some(Part::Gc) => Category::Helper,
                Some(Part::Profiler) => Category::Other,
                _ if anchor_tier.is_some() => Category::Helper,
                _ => Category::Other,
            }
        };
        let bucket = (s.time_ns.saturating_sub(self.start_ns) / BUCKET_NS) as usize;
        if self.agg.timeline.len() <= bucket {
            self.agg
                .timeline
                .resize(bucket + 1, CategoryCounts::default());
        }
        if frames.is_empty() {
            let c = if category == Category::Jit {
                Category::Jit
            } else {
                Category::Other
            };
            self.agg.unattributed.add(c, 1);
            self.agg.timeline[bucket].add(c, 1);
            self.chain_buf = jit_chain;
            return;
        }
        self.agg.timeline[bucket].add(category, 1);
        let native = match category {
            Category::Helper | Category::Gc | Category::Other => {
                pc_info.as_ref().and_then(|i| i.name.clone())
            }
            _ => None,
        };
        // The stack, innermost first, with JIT-running frames' instructions taken from the
        // JIT regions on the native stack (their `lasti` is stale).
        let mut stack = std::mem::take(&mut self.stack_buf);
        stack.clear();
        let mut j = 0;
        let mut leaf_ip = frames[0].ip;
        for (k, f) in frames.iter().enumerate() {
            let mut ip = f.ip;
            if j < jit_chain.len() && jit_chain[j].0 == f.code {
                ip = jit_chain[j].1;
                j += 1;
            }
            if k == 0 {
                leaf_ip = ip;
                if let Some(r) = anchor_region
                    && r.0 == f.code
                {
                    leaf_ip = r.1;
                    ip = r.1;
                }
            }
            let line = self
                .codes
                .get(&f.code)
                .map_or(0, |c| c.line_at(ip as usize));
            stack.push((f.code, line));
        }
        let tier = anchor_tier.unwrap_or(s.tier.min(1) as u8);
        let op = match anchor_region {
            Some(r) if r.0 == frames[0].code => r.2,
            _ => self
                .codes
                .get(&frames[0].code)
                .filter(|c| (leaf_ip as usize) < c.instrs.len())
                .map_or("?", |c| c.instr(leaf_ip as usize).0.name()),
        };
        let key = OpKey {
            op,
            tier,
            category,
            native,
        };
        *self
            .agg
            .lines
            .entry(stack[0])
            .or_default()
            .entry(key.clone())
            .or_default() += 1;
        stack.reverse();
        self.chain_buf = jit_chain;
        let stack_key = (stack, key);
        match self.agg.stacks.get_mut(&stack_key) {
            Some(n) => {
                *n += 1;
                self.stack_buf = stack_key.0;
            }
            None => {
                self.agg.stacks.insert(stack_key, 1);
            }
        }
    }
}
