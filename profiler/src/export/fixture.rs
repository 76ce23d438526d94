//! A profile built in code for the exporters' tests: an n-body run whose hot line
//! (`nbody.py:74`, in `advance`) ran mostly in JIT code, with a helper call, a GC pause in
//! `energy` and a few samples with no Python frame. 920 samples at 1000 Hz.

use crate::model::*;

/// The source of the fixture's `nbody.py` (lines 74, 75 and 90 are the sampled ones).
pub(crate) fn nbody_source() -> String {
    let mut lines: Vec<String> = (1..=120).map(|i| format!("# line {i}")).collect();
    lines[73] = "            dx = (x1 - x2) * mag".into();
    lines[74] = "            dy = y1 - y2".into();
    lines[89] = "        e += m * sum(v * v for v in vs)".into();
    lines.join("\n") + "\n"
}

fn op(op: &str, tier: u8, category: Category, native: Option<&str>, samples: u64) -> OpSamples {
    OpSamples {
        op: op.into(),
        tier,
        category,
        native: native.map(str::to_string),
        samples,
    }
}

fn stack(frames: &[(FunctionId, u32)], o: &OpSamples) -> StackSample {
    StackSample {
        frames: frames
            .iter()
            .map(|&(function, line)| StackFrame { function, line })
            .collect(),
        op: o.op.clone(),
        tier: o.tier,
        category: o.category,
        native: o.native.clone(),
        samples: o.samples,
    }
}

/// The fixture profile. Its file's path does not exist (tests that want source text
/// point it at a file they write).
pub(crate) fn nbody() -> Profile {
    let mut p = Profile::new(RunInfo {
        program: "examples/nbody.py".into(),
        args: vec!["1000".into()],
        cwd: "/work".into(),
        started_unix_ms: 1_700_000_000_000,
        duration_ms: 935.5,
        exit_code: 0,
        running: false,
        sampler: "perf_event".into(),
        event: "cpu-clock".into(),
        frequency_hz: 1000,
        samples: 920,
        lost_samples: 0,
        cpu_ms: 930.0,
        profiler_cpu_ms: 4.2,
        jit: "on".into(),
        jit_threshold: 1000,
        specialize: true,
        jitlens_version: "0.1.0".into(),
    });
    p.files.push(SourceFile {
        path: "/nonexistent/jitlens-fixture/nbody.py".into(),
        sha256: crate::hash_source(nbody_source().as_bytes()),
        line_count: 120,
    });
    let function = |name: &str, line, self_samples, total_samples, jit| Function {
        name: name.into(),
        file: 0,
        line,
        self_samples,
        total_samples,
        jit,
    };
    let compiled = |at, us, bytes| {
        Some(FunctionJit {
            compiled_at_ms: at,
            compile_us: us,
            code_bytes: bytes,
            bytecode_bytes: bytes / 4,
            compiles: 1,
            discarded: false,
        })
    };
    p.functions = vec![
        function("<module>", 1, 0, 900, None),
        function("main", 100, 0, 900, compiled(12.0, 180.0, 1024)),
        function("advance", 60, 800, 800, compiled(10.5, 260.0, 4096)),
        function("energy", 85, 100, 100, None),
    ];

    let l74 = vec![
        op("BINARY_OP_MULTIPLY_FLOAT", 1, Category::Jit, None, 412),
        op(
            "BINARY_OP_MULTIPLY_FLOAT",
            0,
            Category::Interpreter,
            None,
            100,
        ),
        op(
            "LOAD_ATTR_INSTANCE_VALUE",
            1,
            Category::Helper,
            Some("jitlens_vm::runtime::dict::lookup"),
            48,
        ),
        op("LOAD_FAST", 1, Category::Jit, None, 40),
    ];
    let l75 = vec![
        op("BINARY_OP_SUBTRACT_FLOAT", 1, Category::Jit, None, 150),
        op(
            "BINARY_OP_SUBTRACT_FLOAT",
            0,
            Category::Interpreter,
            None,
            50,
        ),
    ];
    let l90 = vec![
        op("CALL_BUILTIN_FAST", 0, Category::Interpreter, None, 70),
        op("CALL_BUILTIN_FAST", 0, Category::Gc, None, 30),
    ];
    for o in &l74 {
        p.stacks.push(stack(&[(0, 110), (1, 104), (2, 74)], o));
    }
    for o in &l75 {
        p.stacks.push(stack(&[(0, 110), (1, 104), (2, 75)], o));
    }
    for o in &l90 {
        p.stacks.push(stack(&[(0, 110), (1, 106), (3, 90)], o));
    }
    let line = |line, function, ops: Vec<OpSamples>| LineProfile {
        file: 0,
        line,
        function,
        samples: ops.iter().map(|o| o.samples).sum(),
        ops,
    };
    p.lines = vec![line(74, 2, l74), line(75, 2, l75), line(90, 3, l90)];
    p.unattributed.other = 20;

    p.timeline = Timeline {
        bucket_ms: 500.0,
        buckets: vec![
            CategoryCounts {
                interpreter: 200,
                jit: 250,
                helper: 20,
                gc: 10,
                other: 20,
            },
            CategoryCounts {
                interpreter: 20,
                jit: 352,
                helper: 28,
                gc: 20,
                other: 0,
            },
        ],
    };
    p.jit_events = vec![
        JitEvent {
            time_ms: 10.5,
            kind: JitEventKind::Compiled,
            function: 2,
            compile_us: 260.0,
            code_bytes: 4096,
            detail: None,
        },
        JitEvent {
            time_ms: 12.0,
            kind: JitEventKind::Compiled,
            function: 1,
            compile_us: 180.0,
            code_bytes: 1024,
            detail: None,
        },
    ];
    let site = |function, ip, line, family: &str, op: &str, side_exits| Site {
        function,
        ip,
        line,
        family: family.into(),
        op: op.into(),
        executions: 5000,
        attempts: 1,
        successes: 1,
        misses: 3,
        deopts: 0,
        side_exits,
    };
    p.sites = vec![
        site(2, 40, 74, "BINARY_OP", "BINARY_OP_MULTIPLY_FLOAT", 30),
        site(1, 12, 104, "CALL", "CALL_PY_EXACT_ARGS", 7),
        site(2, 44, 75, "BINARY_OP", "BINARY_OP_SUBTRACT_FLOAT", 0),
    ];
    p.families = vec![FamilyStats {
        family: "BINARY_OP".into(),
        executions: 10_000,
        attempts: 2,
        successes: 2,
        misses: 6,
        deopts: 0,
    }];
    p.jit = JitSummary {
        compiled: 2,
        compile_us_median: 220.0,
        compile_us_max: 260.0,
        code_bytes: 5120,
        bytecode_bytes: 1280,
        call_entries: 1000,
        osr_entries: 3,
        side_exits: 37,
        discarded: 0,
    };
    p
}
