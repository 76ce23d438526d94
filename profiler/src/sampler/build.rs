//! Building a [`Profile`] from the fold's aggregate and the VM's own counters
//! (specialization, side exits, JIT compiles).

use super::fold::{BUCKET_NS, Folder, OpKey};
use crate::model::*;
use jitlens_vm::Vm;
use jitlens_vm::code::Code;
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::rc::Rc;

/// Files and functions, numbered as they are first met.
struct Tables<'a> {
    vm: &'a Vm,
    cwd: &'a Path,
    files: Vec<SourceFile>,
    file_ids: HashMap<Rc<str>, FileId>,
    functions: Vec<Function>,
    function_ids: HashMap<usize, FunctionId>,
}

impl Tables<'_> {
    fn file(&mut self, name: &Rc<str>) -> FileId {
        if let Some(&id) = self.file_ids.get(name) {
            return id;
        }
        let source = self
            .vm
            .sources
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| std::borrow::Cow::Borrowed(s.as_str()));
        let is_real = !name.starts_with('<');
        let path = if is_real {
            let p = self.cwd.join(&**name);
            std::fs::canonicalize(&p)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        } else {
            name.to_string()
        };
        let text = source.or_else(|| {
            is_real
                .then(|| {
                    std::fs::read_to_string(&path)
                        .ok()
                        .map(std::borrow::Cow::Owned)
                })
                .flatten()
        });
        let id = self.files.len() as FileId;
        self.files.push(SourceFile {
            path,
            sha256: text
                .as_deref()
                .map(|t| crate::hash_source(t.as_bytes()))
                .unwrap_or_default(),
            line_count: text.as_deref().map_or(0, |t| t.lines().count() as u32),
        });
        self.file_ids.insert(name.clone(), id);
        id
    }

    fn function(&mut self, code_ptr: usize, codes: &HashMap<usize, Rc<Code>>) -> FunctionId {
        if let Some(&id) = self.function_ids.get(&code_ptr) {
            return id;
        }
        let (name, file, line) = match codes.get(&code_ptr) {
            Some(c) => {
                let file = self.file(&c.filename);
                (
                    jitlens_vm::runtime::str::as_str(&c.qualname)
                        .unwrap_or("?")
                        .to_string(),
                    file,
                    c.first_line,
                )
            }
            None => {
                let unknown: Rc<str> = Rc::from("<unknown>");
                ("<unknown code>".to_string(), self.file(&unknown), 0)
            }
        };
        let id = self.functions.len() as FunctionId;
        self.functions.push(Function {
            name,
            file,
            line,
            ..Function::default()
        });
        self.function_ids.insert(code_ptr, id);
        id
    }
}

fn op_samples(key: &OpKey, samples: u64) -> OpSamples {
    OpSamples {
        op: key.op.to_string(),
        tier: key.tier,
        category: key.category,
        native: key.native.as_deref().map(str::to_string),
        samples,
    }
}

/// The profile of what `folder` has folded so far, with the VM's counters as they are now.
pub fn profile(vm: &Vm, folder: &Folder, mut run: RunInfo) -> Profile {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut t = Tables {
        vm,
        cwd: &cwd,
        files: Vec::new(),
        file_ids: HashMap::default(),
        functions: Vec::new(),
        function_ids: HashMap::default(),
    };
    let agg = &folder.agg;
    run.samples = agg.samples;

    // Lines, hottest first.
    let mut lines: Vec<LineProfile> = Vec::new();
    let mut line_keys: Vec<_> = agg.lines.iter().collect();
    line_keys.sort_by(|a, b| {
        let sa: u64 = a.1.values().sum();
        let sb: u64 = b.1.values().sum();
        sb.cmp(&sa).then(a.0.cmp(b.0))
    });
    for (&(code, line), ops) in line_keys {
        let function = t.function(code, &folder.codes);
        let file = t.functions[function as usize].file;
        let mut ops: Vec<OpSamples> = ops.iter().map(|(k, &n)| op_samples(k, n)).collect();
        ops.sort_by(|a, b| {
            b.samples
                .cmp(&a.samples)
                .then_with(|| a.op.cmp(&b.op))
                .then(a.tier.cmp(&b.tier))
        });
        let samples = ops.iter().map(|o| o.samples).sum();
        t.functions[function as usize].self_samples += samples;
        lines.push(LineProfile {
            file,
            line,
            function,
            samples,
            ops,
        });
    }

    // Stacks, and each function's inclusive samples.
    let mut stacks: Vec<StackSample> = Vec::new();
    let mut stack_keys: Vec<_> = agg.stacks.iter().collect();
    stack_keys.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.0.cmp(&b.0.0)));
    for ((frames, key), &samples) in stack_keys {
        let frames: Vec<StackFrame> = frames
            .iter()
            .map(|&(code, line)| StackFrame {
                function: t.function(code, &folder.codes),
                line,
            })
            .collect();
        let mut seen: Vec<FunctionId> = frames.iter().map(|f| f.function).collect();
        seen.sort_unstable();
        seen.dedup();
        for f in seen {
            t.functions[f as usize].total_samples += samples;
        }
        let o = op_samples(key, samples);
        stacks.push(StackSample {
            frames,
            op: o.op,
            tier: o.tier,
            category: o.category,
            native: o.native,
            samples,
        });
    }

    // The JIT: every compile is an event and gives its function its tier-1 record.
    let mut jit_events = Vec::new();
    for e in &vm.jit_stats.compiled {
        let function = t.function(e.code, &folder.codes);
        let time_ms = e.at_ns as f64 / 1e6;
        jit_events.push(JitEvent {
            time_ms,
            kind: JitEventKind::Compiled,
            function,
            compile_us: e.micros,
            code_bytes: e.code_bytes as u32,
            detail: Some(format!(
                "{} fast stencils, {} tier-0 steps",
                e.fast, e.tier0
            )),
        });
        let f = &mut t.functions[function as usize];
        let j = f.jit.get_or_insert_with(|| FunctionJit {
            compiled_at_ms: time_ms,
            ..FunctionJit::default()
        });
        j.compile_us = e.micros;
        j.code_bytes = e.code_bytes as u32;
        j.bytecode_bytes = (e.bytecode_bytes + e.cache_bytes) as u32;
        j.compiles += 1;
    }

    // Sites: instructions of the profiled functions with any specialization or exit count.
    let mut sites = Vec::new();
    let codes: Vec<(FunctionId, Rc<Code>)> = t
        .function_ids
        .iter()
        .filter_map(|(&ptr, &id)| folder.codes.get(&ptr).map(|c| (id, c.clone())))
        .collect();
    for (function, code) in &codes {
        let ptr = Rc::as_ptr(code) as usize;
        for ins in vm.instructions(code) {
            let exits = vm
                .jit_stats
                .side_exits
                .get(&(ptr, ins.index as u32))
                .map_or(0, |e| e.2);
            let st = ins.stats;
            if st.attempts + st.successes + st.misses + st.deopts + exits == 0 {
                continue;
            }
            sites.push(Site {
                function: *function,
                ip: ins.index as u32,
                line: ins.line,
                family: ins.family.name().to_string(),
                op: ins.op.name().to_string(),
                executions: st.executions,
                attempts: st.attempts,
                successes: st.successes,
                misses: st.misses,
                deopts: st.deopts,
                side_exits: exits,
            });
        }
    }
    sites.sort_by_key(|s| (s.function, s.ip));

    let families = jitlens_vm::introspect::family_counters(vm)
        .into_iter()
        .map(|(name, f)| FamilyStats {
            family: name.to_string(),
            executions: f.generic + f.specialized,
            attempts: f.attempts,
            successes: f.successes,
            misses: f.misses,
            deopts: f.deopts,
        })
        .collect();

    let js = &vm.jit_stats;
    let mut micros: Vec<f64> = js.compiled.iter().map(|e| e.micros).collect();
    micros.sort_by(f64::total_cmp);
    let jit = JitSummary {
        compiled: js.compiled.len() as u32,
        compile_us_median: micros.get(micros.len() / 2).copied().unwrap_or(0.0),
        compile_us_max: micros.last().copied().unwrap_or(0.0),
        code_bytes: js.compiled.iter().map(|e| e.code_bytes as u64).sum(),
        bytecode_bytes: js
            .compiled
            .iter()
            .map(|e| (e.bytecode_bytes + e.cache_bytes) as u64)
            .sum(),
        call_entries: js.call_entries,
        osr_entries: js.osr_entries,
        side_exits: js.side_exits.values().map(|e| e.2).sum(),
        discarded: js.discarded as u32,
    };

    let mut p = Profile::new(run);
    p.files = t.files;
    p.functions = t.functions;
    p.lines = lines;
    p.stacks = stacks;
    p.unattributed = agg.unattributed;
    p.timeline = Timeline {
        bucket_ms: BUCKET_NS as f64 / 1e6,
        buckets: agg.timeline.clone(),
    };
    p.jit_events = jit_events;
    p.sites = sites;
    p.families = families;
    p.jit = jit;
    p
}
