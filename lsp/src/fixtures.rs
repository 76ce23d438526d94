//! A small profile built in code, for the unit tests of hints, hover, lens and diagnostics.

use crate::documents::Document;
use crate::index::IndexedProfile;
use jitlens_profiler::*;

/// The fixture file's path in the profile.
pub const PATH: &str = "/nonexistent/jitlens-fixture/hot.py";

/// The fixture source (0-based line numbers in the comments of the tests).
pub const SOURCE: &str = "def mul(n):
    total = 1.0
    for i in range(n):
        total *= 1.01
    return total

def main():
    y = mul(10000)
    print(y)
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

/// The fixture profile: 1000 samples, `mul` compiled and hot, `main` interpreted.
pub fn profile() -> Profile {
    let mut p = Profile::new(RunInfo {
        program: "hot.py".into(),
        samples: 1000,
        duration_ms: 100.0,
        jit: "on".into(),
        jit_threshold: 1000,
        ..RunInfo::default()
    });
    p.files.push(SourceFile {
        path: PATH.into(),
        sha256: hash_source(SOURCE.as_bytes()),
        line_count: 10,
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
        f("<module>", 1, 5, None),
        f(
            "mul",
            1,
            920,
            Some(FunctionJit {
                compiled_at_ms: 12.5,
                compile_us: 45.0,
                code_bytes: 1234,
                bytecode_bytes: 60,
                compiles: 1,
                discarded: false,
            }),
        ),
        f("main", 7, 50, None),
    ];
    let line = |line, function, ops: Vec<OpSamples>| LineProfile {
        file: 0,
        line,
        function,
        samples: ops.iter().map(|o| o.samples).sum(),
        ops,
    };
    use Category::*;
    p.lines = vec![
        line(
            3,
            1,
            vec![
                op("FOR_ITER_RANGE", 1, Jit, 90),
                op("FOR_ITER_RANGE", 0, Interpreter, 30),
            ],
        ),
        line(
            4,
            1,
            vec![
                op("BINARY_OP_MULTIPLY_FLOAT", 1, Jit, 700),
                op("STORE_FAST", 1, Jit, 100),
            ],
        ),
        line(8, 2, vec![op("CALL_PY_EXACT_ARGS", 0, Interpreter, 50)]),
        line(10, 0, vec![op("CALL", 0, Interpreter, 5)]),
    ];
    p.sites = vec![
        Site {
            function: 1,
            ip: 10,
            line: 4,
            family: "BINARY_OP".into(),
            op: "BINARY_OP_MULTIPLY_FLOAT".into(),
            executions: 5000,
            attempts: 1,
            successes: 1,
            misses: 0,
            deopts: 0,
            side_exits: 250,
        },
        Site {
            function: 2,
            ip: 4,
            line: 8,
            family: "CALL".into(),
            op: "CALL".into(),
            executions: 300,
            attempts: 5,
            successes: 3,
            misses: 200,
            deopts: 3,
            side_exits: 0,
        },
    ];
    p
}

/// The fixture profile indexed, and the fixture source opened as a document.
pub fn indexed_with_doc() -> (IndexedProfile, Document) {
    (IndexedProfile::new(profile()), Document::new(SOURCE, 1))
}
