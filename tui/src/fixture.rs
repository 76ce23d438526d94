//! A small profile built in code, for the unit tests of the state and the snapshot tests
//! of the views.

use jitlens_profiler::*;

/// The fixture file's path in the profile (nothing is read from it: tests give the source
/// with `App::set_source`).
pub const PATH: &str = "/nonexistent/jitlens-top-fixture/hot.py";

/// The fixture source.
pub const SOURCE: &str = "def mul(n):
    total = 1.0
    for i in range(n):
        total *= 1.000001
    return total

def main():
    for k in range(5):
        print(k, mul(200000))

main()
";

fn op(op: &str, tier: u8, category: Category, samples: u64) -> OpSamples {
    OpSamples {
        op: op.into(),
        tier,
        category,
        native: None,
        samples,
    }
}

/// The fixture profile, scaled: `scale` 1 is the finished run (1000 samples, 1.6 s),
/// smaller scales are earlier live snapshots. `mul` is compiled and hot, `main` was
/// compiled then discarded.
pub fn profile_at(scale: f64) -> Profile {
    let n = |x: u64| (x as f64 * scale).round() as u64;
    use Category::*;
    let lines = vec![
        (
            4,
            1,
            vec![
                op("BINARY_OP_MULTIPLY_FLOAT", 1, Jit, n(520)),
                op("BINARY_OP_MULTIPLY_FLOAT", 0, Interpreter, n(80)),
                op("BINARY_OP_MULTIPLY_FLOAT", 1, Helper, n(40)),
            ],
        ),
        (
            3,
            1,
            vec![
                op("FOR_ITER_RANGE", 1, Jit, n(180)),
                op("FOR_ITER_RANGE", 0, Interpreter, n(40)),
            ],
        ),
        (
            9,
            2,
            vec![
                op("CALL_PY_EXACT_ARGS", 0, Interpreter, n(50)),
                op("CALL_BUILTIN_FAST", 0, Helper, n(30)),
                op("CALL_BUILTIN_FAST", 0, Gc, n(20)),
            ],
        ),
        (2, 1, vec![op("LOAD_CONST", 0, Interpreter, n(15))]),
        (5, 1, vec![op("RETURN_VALUE", 1, Jit, n(10))]),
        (11, 0, vec![op("CALL", 0, Interpreter, n(5))]),
    ];
    let lines: Vec<LineProfile> = lines
        .into_iter()
        .map(
            |(line, function, ops): (u32, u32, Vec<OpSamples>)| LineProfile {
                file: 0,
                line,
                function,
                samples: ops.iter().map(|o| o.samples).sum(),
                ops,
            },
        )
        .collect();
    let unattributed = CategoryCounts {
        other: n(10),
        ..CategoryCounts::default()
    };
    let samples = lines.iter().map(|l| l.samples).sum::<u64>() + unattributed.total();
    let mut p = Profile::new(RunInfo {
        program: "hot.py".into(),
        cwd: "/nonexistent/jitlens-top-fixture".into(),
        duration_ms: 1600.0 * scale,
        exit_code: 0,
        running: scale < 1.0,
        sampler: "itimer".into(),
        event: "cpu-clock".into(),
        frequency_hz: 1000,
        samples,
        jit: "on".into(),
        jit_threshold: 1000,
        specialize: true,
        ..RunInfo::default()
    });
    p.files.push(SourceFile {
        path: PATH.into(),
        sha256: hash_source(SOURCE.as_bytes()),
        line_count: 11,
    });
    let f = |name: &str, line, s, jit| Function {
        name: name.into(),
        file: 0,
        line,
        self_samples: s,
        total_samples: s,
        jit,
    };
    p.functions = vec![
        f("<module>", 1, n(5), None),
        f(
            "mul",
            1,
            n(885),
            Some(FunctionJit {
                compiled_at_ms: 120.5,
                compile_us: 45.2,
                code_bytes: 1234,
                bytecode_bytes: 60,
                compiles: 1,
                discarded: false,
            }),
        ),
        f("main", 7, n(100), None),
    ];
    p.lines = lines;
    p.unattributed = unattributed;
    // 32 buckets of 50 ms: the interpreter first, then JIT code takes over from bucket 3.
    let buckets = (32.0 * scale).round() as usize;
    p.timeline = Timeline {
        bucket_ms: 50.0,
        buckets: (0..buckets)
            .map(|i| {
                let jit_on = i >= 3;
                CategoryCounts {
                    interpreter: if jit_on { 3 + (i as u64 % 3) } else { 30 },
                    jit: if jit_on { 22 + (i as u64 % 5) } else { 0 },
                    helper: 2 + (i as u64 % 2),
                    gc: u64::from(i % 8 == 0) * 4,
                    other: u64::from(i == 0) * 10,
                }
            })
            .collect(),
    };
    let event = |time_ms, kind, function, compile_us, code_bytes, detail: Option<&str>| JitEvent {
        time_ms,
        kind,
        function,
        compile_us,
        code_bytes,
        detail: detail.map(str::to_string),
    };
    p.jit_events = vec![
        event(120.5, JitEventKind::Compiled, 1, 45.2, 1234, None),
        event(310.0, JitEventKind::Compiled, 2, 88.9, 2048, None),
        event(
            640.2,
            JitEventKind::Discarded,
            2,
            0.0,
            0,
            Some("too many side exits"),
        ),
    ]
    .into_iter()
    .filter(|e| e.time_ms <= 1600.0 * scale)
    .collect();
    p.sites = vec![Site {
        function: 2,
        ip: 14,
        line: 9,
        family: "CALL".into(),
        op: "CALL_PY_EXACT_ARGS".into(),
        executions: 5,
        attempts: 1,
        successes: 1,
        misses: 0,
        deopts: 0,
        side_exits: n(37),
    }];
    p.jit = JitSummary {
        compiled: 2,
        compile_us_median: 67.0,
        compile_us_max: 88.9,
        code_bytes: 3282,
        bytecode_bytes: 140,
        call_entries: 6,
        osr_entries: 1,
        side_exits: n(37),
        discarded: 1,
    };
    p
}

/// The finished run.
pub fn profile() -> Profile {
    profile_at(1.0)
}
