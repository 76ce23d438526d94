//! What the VM tells observers about its code: every code object of the program, and for
//! each instruction its op (as quickened now), family, specialization state, adaptive
//! counters and `-X stats` counters.
//!
//! This is the read side of tier 0 for the tools (`dis --specialized`, `-X stats`, and later
//! the profiler's attribution). It reads the live bytecode; nothing here changes state.

use crate::code::Code;
use crate::interp::specialize::SiteStats;
use crate::object::CodeObj;
use crate::vm::Vm;
use jitlens_compiler::bytecode::{ALL_OPS, Op, decode};
use std::rc::Rc;

/// Where an instruction stands in quickening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecState {
    /// An op with no specialized forms.
    Plain,
    /// A generic op that counts toward its next specialization attempt.
    Adaptive,
    /// A specialized form (guarded; deopts back to its family on repeated misses).
    Specialized,
}

impl SpecState {
    /// The word `dis --specialized` prints.
    pub fn label(self) -> &'static str {
        match self {
            SpecState::Plain => "",
            SpecState::Adaptive => "adaptive",
            SpecState::Specialized => "specialized",
        }
    }
}

/// One instruction as it is now.
#[derive(Clone, Debug)]
pub struct InstrInfo {
    /// Index of the instruction word.
    pub index: usize,
    /// The op now in the word (a specialized form once quickened).
    pub op: Op,
    /// The generic op of its family.
    pub family: Op,
    /// The argument.
    pub arg: u32,
    /// Source line.
    pub line: u32,
    /// Quickening state.
    pub state: SpecState,
    /// Adaptive counter (warm-up count for a generic op, miss count for a specialized one).
    pub counter: u32,
    /// Backoff exponent: the next warm-up lasts `WARMUP << backoff` executions, at most 4095
    /// (`specialize::warmup`).
    pub backoff: u32,
    /// Executions and quickening events (executions are counted only with `-X stats`).
    pub stats: SiteStats,
}

/// True for the generic ops that have specialized forms (derived from the op table).
pub fn specializes(op: Op) -> bool {
    ALL_OPS.iter().any(|&o| o != op && o.family() == op)
}

/// Every code object reachable from `root` (itself, then nested ones depth first).
pub fn code_tree(root: &Rc<Code>) -> Vec<Rc<Code>> {
    let mut out = Vec::new();
    let mut todo = vec![root.clone()];
    while let Some(c) = todo.pop() {
        for k in c.consts.iter().rev() {
            if let Some(co) = k.downcast::<CodeObj>() {
                todo.push(co.code.clone());
            }
        }
        out.push(c);
    }
    out
}

/// The specialization counters of every op family that has specialized forms and was
/// counted, by family name.
pub fn family_counters(vm: &Vm) -> Vec<(&'static str, crate::interp::specialize::FamilyStats)> {
    vm.spec_stats
        .families
        .iter()
        .zip(ALL_OPS.iter())
        .filter(|(f, op)| specializes(**op) && (f.generic + f.specialized + f.attempts) > 0)
        .map(|(f, op)| (op.name(), *f))
        .collect()
}

impl Vm {
    /// The program's code objects: the main module's code and every nested one, then those
    /// of every other module run so far (the standard library's Python parts).
    pub fn code_objects(&self) -> Vec<Rc<Code>> {
        let mut out = self.main_code.as_ref().map(code_tree).unwrap_or_default();
        for root in &self.loaded_code {
            if self.main_code.as_ref().is_some_and(|m| Rc::ptr_eq(m, root)) {
                continue;
            }
            out.extend(code_tree(root));
        }
        out
    }

    /// The instructions of `code` as they are now (cache words skipped).
    pub fn instructions(&self, code: &Code) -> Vec<InstrInfo> {
        let mut out = Vec::new();
        let mut ip = 0;
        while ip < code.instrs.len() {
            let (op, arg) = code.quickened_instr(ip);
            let family = op.family();
            let state = if family != op {
                SpecState::Specialized
            } else if specializes(op) {
                SpecState::Adaptive
            } else {
                SpecState::Plain
            };
            // LOAD_GLOBAL's cache holds a dict version and an entry index, not a counter.
            let adaptive_word = state != SpecState::Plain && family != Op::LOAD_GLOBAL;
            let (counter, backoff) = match code.instrs.get(ip + 1) {
                Some(w) if adaptive_word => {
                    let w = w.get();
                    debug_assert_eq!(decode(w).0, Op::CACHE as u8);
                    ((w >> 8) & 0xFFF, (w >> 20) & 0xF)
                }
                _ => (0, 0),
            };
            out.push(InstrInfo {
                index: ip,
                op,
                family,
                arg,
                line: code.line_at(ip),
                state,
                counter,
                backoff,
                stats: self.spec_stats.site(code, ip),
            });
            ip += 1 + op.cache_words() as usize;
        }
        out
    }

    /// `code`'s instructions as they are now (quickened forms included), with each
    /// specializable instruction's state and cache, then the same for nested code objects.
    pub fn dis_quickened(&self, code: &Rc<Code>) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        for c in code_tree(code) {
            let name = crate::runtime::str::as_str(&c.qualname).unwrap_or("?");
            let _ = writeln!(
                out,
                "Disassembly of <code object {name} at \"{}\", line {}> (quickened):",
                c.filename, c.first_line
            );
            let mut last_line = 0;
            for i in self.instructions(&c) {
                let line_col = if i.line != last_line {
                    last_line = i.line;
                    format!("{:>4}", i.line)
                } else {
                    "    ".to_string()
                };
                let cache = match i.state {
                    SpecState::Plain => String::new(),
                    _ if i.family == Op::LOAD_GLOBAL => match c.instrs[i.index + 2].get() {
                        0 => "empty".to_string(),
                        w => format!(
                            "entry={} in {}",
                            (w >> 1) - 1,
                            if w & 1 == 1 { "builtins" } else { "globals" }
                        ),
                    },
                    _ => format!("counter={} backoff={}", i.counter, i.backoff),
                };
                let _ = writeln!(
                    out,
                    "{line_col} {:>6} {:<28} {:>5}  {:<11} {cache}",
                    i.index,
                    i.op.name(),
                    i.arg,
                    i.state.label()
                );
            }
            out.push('\n');
        }
        out
    }

    /// The `-X stats` section on code objects: for the `max_codes` code objects that ran
    /// the most specializable instructions, their `per_code` hottest such instructions.
    pub fn hot_sites_report(&self, max_codes: usize, per_code: usize) -> String {
        use std::fmt::Write;
        let mut codes: Vec<(u64, Rc<Code>, Vec<InstrInfo>)> = self
            .code_objects()
            .into_iter()
            .map(|c| {
                let mut sites: Vec<InstrInfo> = self
                    .instructions(&c)
                    .into_iter()
                    .filter(|i| i.state != SpecState::Plain && i.stats.executions > 0)
                    .collect();
                sites.sort_by_key(|i| std::cmp::Reverse(i.stats.executions));
                let total = sites.iter().map(|i| i.stats.executions).sum();
                (total, c, sites)
            })
            .filter(|(total, _, _)| *total > 0)
            .collect();
        codes.sort_by_key(|(total, _, _)| std::cmp::Reverse(*total));
        // Code objects below 0.1% of all counted executions are noise in this report.
        let grand: u64 = codes.iter().map(|(t, _, _)| t).sum();
        codes.retain(|(t, _, _)| t * 1000 >= grand);
        let mut out =
            String::from("jitlens stats: hottest specializable instructions per code object\n");
        for (total, c, sites) in codes.iter().take(max_codes) {
            let name = crate::runtime::str::as_str(&c.qualname).unwrap_or("?");
            let _ = writeln!(
                out,
                "  {name} ({}:{}): {total} executions",
                c.filename, c.first_line
            );
            for i in sites.iter().take(per_code) {
                let s = &i.stats;
                let _ = writeln!(
                    out,
                    "    {:>5} line {:<5} {:<28} {:>12} execs  {:<11} attempts={} successes={} misses={} deopts={}",
                    i.index,
                    i.line,
                    i.op.name(),
                    s.executions,
                    i.state.label(),
                    s.attempts,
                    s.successes,
                    s.misses,
                    s.deopts
                );
            }
        }
        out
    }
}

/// One region of JIT code, as the perf map, jitdump and the profiler see it.
#[derive(Clone)]
pub struct JitRegionInfo {
    /// Start address.
    pub start: u64,
    /// Length in bytes.
    pub len: u32,
    /// The code object.
    pub code: Rc<Code>,
    /// Instruction index.
    pub ip: u32,
    /// The op the region runs (the instruction's op when it was compiled).
    pub op: Op,
    /// Fast stencil, helper call, tier-0 step or exit stub.
    pub kind: crate::jit::compile::RegionKind,
    /// Source line of the instruction.
    pub line: u32,
    /// The next instruction's op, when the same stencil runs it too (a compare's branch).
    pub fused: Option<Op>,
}

impl Vm {
    /// Every region of every compiled code object, in compile order (address ranges do not
    /// overlap; code stays mapped for the whole run).
    pub fn jit_code_map(&self) -> Vec<JitRegionInfo> {
        self.jit_regions_from(0).collect()
    }

    /// The regions of the code objects compiled `first`th and later (0-based, in compile
    /// order; compiled code objects are only ever added): what a reader that has seen the
    /// first `first` needs to catch up, without building the whole map again.
    pub fn jit_regions_from(&self, first: usize) -> impl Iterator<Item = JitRegionInfo> + '_ {
        self.jit_codes
            .get(first..)
            .unwrap_or_default()
            .iter()
            .flat_map(|(code, jc)| {
                let base = jc.mem.addr();
                jc.regions.iter().map(move |r| JitRegionInfo {
                    start: base + r.offset as u64,
                    len: r.len,
                    code: code.clone(),
                    ip: r.ip,
                    op: r.op,
                    kind: r.kind,
                    line: code.line_at(r.ip as usize),
                    fused: r.fused,
                })
            })
    }

    /// The machine code of a region (a copy of the live bytes).
    pub fn jit_region_bytes(&self, start: u64, len: u32) -> Option<Vec<u8>> {
        self.jit_codes.iter().find_map(|(_, jc)| {
            let base = jc.mem.addr();
            let off = start.checked_sub(base)? as usize;
            jc.mem
                .as_slice()
                .get(off..off + len as usize)
                .map(<[u8]>::to_vec)
        })
    }
}
