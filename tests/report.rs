//! `jitlens report` as a user sees it: every format on a profile file the test writes, and
//! the bad inputs (truncated, corrupt, newer schema, missing), which must fail with
//! `jitlens: FILE: problem` and exit code 1, never a panic.
//!
//! Each case runs the real binary in a scratch directory, so file names in messages are the
//! short relative names.

use jitlens_profiler::{
    Category, Function, FunctionJit, LineProfile, OpSamples, Profile, RunInfo, SourceFile,
    StackFrame, StackSample, hash_source, save,
};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Text in stderr that means jitlens itself failed.
const CRASH_MARKERS: &[&str] = &["panicked", "RUST_BACKTRACE", "internal error"];

/// The profiled program.
const HOT_PY: &str = "def hot(n):\n    t = 0\n    for i in range(n):\n        t += i * i\n    return t\n\nhot(10 ** 6)\n";

/// A fresh directory under the temp dir, removed on drop.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("jitlens-report-{}-{tag}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir }
    }

    /// A scratch dir holding `hot.py` and its profile `prof.json`.
    fn with_profile(tag: &str) -> Scratch {
        let s = Scratch::new(tag);
        fs::write(s.dir.join("hot.py"), HOT_PY).expect("write hot.py");
        save(&profile(&s.dir.join("hot.py")), &s.dir.join("prof.json")).expect("save profile");
        s
    }

    fn read(&self, name: &str) -> Vec<u8> {
        fs::read(self.dir.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A profile of `hot.py`: 100 samples, 90 on line 4 (70 in JIT code, 20 interpreted), 10
/// on line 7 at module level.
fn profile(source: &Path) -> Profile {
    let mut p = Profile::new(RunInfo {
        program: "hot.py".into(),
        cwd: "/tmp".into(),
        duration_ms: 104.0,
        sampler: "itimer".into(),
        event: "cpu-clock".into(),
        frequency_hz: 1000,
        samples: 100,
        jit: "on".into(),
        jit_threshold: 1000,
        specialize: true,
        jitlens_version: "0.1.0".into(),
        ..RunInfo::default()
    });
    p.files.push(SourceFile {
        path: source.to_string_lossy().into_owned(),
        sha256: hash_source(HOT_PY.as_bytes()),
        line_count: 7,
    });
    p.functions.push(Function {
        name: "<module>".into(),
        file: 0,
        line: 1,
        self_samples: 10,
        total_samples: 100,
        jit: None,
    });
    p.functions.push(Function {
        name: "hot".into(),
        file: 0,
        line: 1,
        self_samples: 90,
        total_samples: 90,
        jit: Some(FunctionJit {
            compiled_at_ms: 3.0,
            compile_us: 150.0,
            code_bytes: 2048,
            bytecode_bytes: 96,
            compiles: 1,
            discarded: false,
        }),
    });
    let ops = |list: &[(&str, u8, Category, u64)]| -> Vec<OpSamples> {
        list.iter()
            .map(|&(op, tier, category, samples)| OpSamples {
                op: op.into(),
                tier,
                category,
                native: None,
                samples,
            })
            .collect()
    };
    let line4 = ops(&[
        ("BINARY_OP_MULTIPLY_INT", 1, Category::Jit, 70),
        ("BINARY_OP_MULTIPLY_INT", 0, Category::Interpreter, 20),
    ]);
    let line7 = ops(&[("CALL_PY_EXACT_ARGS", 0, Category::Interpreter, 10)]);
    for (frames, o) in line4
        .iter()
        .map(|o| (vec![(0, 7), (1, 4)], o))
        .chain(line7.iter().map(|o| (vec![(0, 7)], o)))
    {
        p.stacks.push(StackSample {
            frames: frames
                .into_iter()
                .map(|(function, line)| StackFrame { function, line })
                .collect(),
            op: o.op.clone(),
            tier: o.tier,
            category: o.category,
            native: None,
            samples: o.samples,
        });
    }
    p.lines.push(LineProfile {
        file: 0,
        line: 4,
        function: 1,
        samples: 90,
        ops: line4,
    });
    p.lines.push(LineProfile {
        file: 0,
        line: 7,
        function: 0,
        samples: 10,
        ops: line7,
    });
    p.jit.compiled = 1;
    p.jit.code_bytes = 2048;
    p
}

/// `jitlens ARGS...` in `cwd`, stdout and stderr captured.
fn jitlens(cwd: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_jitlens"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("spawn jitlens");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for m in CRASH_MARKERS {
        assert!(!stderr.contains(m), "jitlens {args:?} crashed: {stderr}");
    }
    assert!(out.status.code().is_some(), "jitlens {args:?} was killed");
    out
}

/// Runs a command that must succeed with an empty stderr; returns its stdout.
fn ok(cwd: &Path, args: &[&str]) -> Vec<u8> {
    let out = jitlens(cwd, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "jitlens {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "jitlens {args:?}");
    out.stdout
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 output")
}

#[test]
fn table_is_the_default() {
    let s = Scratch::with_profile("table");
    let t = text(ok(&s.dir, &["report", "prof.json"]));
    assert_eq!(
        t,
        text(ok(&s.dir, &["report", "prof.json", "--format", "table"]))
    );
    for want in [
        "jitlens profile of hot.py\n",
        "  samples   100 at 1000 Hz, itimer cpu-clock\n",
        "  interpreter  30  30.0%\n",
        "  jit          70  70.0%\n",
        "  90.0%  hot.py:4  hot       BINARY_OP_MULTIPLY_INT  78% jit / 22% interp  t += i * i\n",
        "  10.0%  hot.py:7  <module>  CALL_PY_EXACT_ARGS      100% interp           hot(10 ** 6)\n",
    ] {
        assert!(t.contains(want), "missing {want:?} in\n{t}");
    }
    for l in t.lines() {
        assert_eq!(l, l.trim_end(), "trailing whitespace");
    }
}

#[test]
fn collapsed_is_folded_stacks() {
    let s = Scratch::with_profile("collapsed");
    let t = text(ok(
        &s.dir,
        &["report", "prof.json", "--format", "collapsed"],
    ));
    assert_eq!(
        t,
        "<module> (hot.py:7);CALL_PY_EXACT_ARGS [interp] 10\n\
         <module> (hot.py:7);hot (hot.py:4);BINARY_OP_MULTIPLY_INT [interp] 20\n\
         <module> (hot.py:7);hot (hot.py:4);BINARY_OP_MULTIPLY_INT [jit] 70\n"
    );
}

#[test]
fn flamegraph_is_well_formed_svg_with_the_hot_function() {
    let s = Scratch::with_profile("flamegraph");
    assert!(
        ok(
            &s.dir,
            &[
                "report",
                "prof.json",
                "--format",
                "flamegraph",
                "-o",
                "fg.svg"
            ]
        )
        .is_empty()
    );
    let svg = text(s.read("fg.svg"));
    let opt = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&svg, opt)
        .unwrap_or_else(|e| panic!("not well-formed: {e}"));
    assert!(doc.root_element().has_tag_name("svg"));
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("hot (hot.py:4) (90 samples")),
        "{titles:?}"
    );
    assert!(
        svg.contains("jitlens: hot.py"),
        "the title names the program"
    );
    // Also to stdout.
    assert_eq!(
        text(ok(
            &s.dir,
            &["report", "prof.json", "--format", "flamegraph"]
        )),
        svg
    );
}

#[test]
fn pprof_raw_and_gzipped() {
    let s = Scratch::with_profile("pprof");
    ok(
        &s.dir,
        &["report", "prof.json", "--format", "pprof", "-o", "p.pb"],
    );
    let raw = s.read("p.pb");
    // Field 1 (sample_type), length-delimited, comes first.
    assert_eq!(raw.first(), Some(&0x0a), "{raw:?}");
    // Stdout is a pipe here, so the binary is written to it.
    assert_eq!(
        ok(&s.dir, &["report", "prof.json", "--format", "pprof"]),
        raw
    );
    for name in ["hot", "<module>", "BINARY_OP_MULTIPLY_INT", "tier", "jit"] {
        assert!(
            raw.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} not in the string table"
        );
    }
    ok(
        &s.dir,
        &[
            "report",
            "prof.json",
            "--format",
            "pprof",
            "--gzip",
            "-o",
            "p.pb.x",
        ],
    );
    ok(
        &s.dir,
        &["report", "prof.json", "--format", "pprof", "-o", "p.pb.gz"],
    );
    for name in ["p.pb.x", "p.pb.gz"] {
        assert_eq!(&s.read(name)[..2], &[0x1f, 0x8b], "{name} is gzipped");
    }
}

#[test]
fn json_is_the_profile() {
    let s = Scratch::with_profile("json");
    let t = text(ok(&s.dir, &["report", "prof.json", "--format", "json"]));
    assert!(
        t.starts_with("{\n  \"format\": \"jitlens-profile\",\n"),
        "{t}"
    );
    let back = jitlens_profiler::parse(Path::new("stdout"), &t).expect("parses back");
    let orig = jitlens_profiler::load(&s.dir.join("prof.json")).expect("loads");
    assert_eq!(back, orig);
}

/// Runs `jitlens report prof.json` on `contents`; asserts exit 1 and that stderr is one
/// line starting with `want`.
fn bad(tag: &str, contents: Option<&str>, want: &str) {
    let s = Scratch::new(tag);
    if let Some(c) = contents {
        fs::write(s.dir.join("prof.json"), c).expect("write");
    }
    let out = jitlens(&s.dir, &["report", "prof.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{tag}: {stderr}");
    assert!(
        stderr.starts_with(want),
        "{tag}: {stderr:?} should start with {want:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "{tag}: {stderr}");
    assert!(out.stdout.is_empty(), "{tag}: nothing on stdout");
}

#[test]
fn bad_profiles_are_named_with_their_problem() {
    let good = serde_json_text();
    bad(
        "truncated",
        Some(&good[..good.len() / 2]),
        "jitlens: prof.json: the profile is truncated",
    );
    bad(
        "corrupt",
        Some(&good.replacen("\"lines\":[", "\"lines\":[}", 1)),
        "jitlens: prof.json:1:",
    );
    let newer = good.replacen("\"version\":1", "\"version\":7", 1);
    assert_ne!(newer, good);
    bad(
        "newer",
        Some(&newer),
        "jitlens: prof.json: the profile has schema version 7, but this jitlens reads versions up to 1",
    );
    bad(
        "missing",
        None,
        "jitlens: prof.json: No such file or directory",
    );
    bad(
        "foreign",
        Some("{\"hello\": 1}"),
        "jitlens: prof.json: not a jitlens profile",
    );
}

/// The profile as `save` writes it (compact JSON).
fn serde_json_text() -> String {
    let s = Scratch::with_profile("text");
    text(s.read("prof.json"))
}

#[test]
fn help_explains_every_format() {
    let s = Scratch::new("help");
    let t = text(ok(&s.dir, &["report", "--help"]));
    for f in [
        "table",
        "collapsed",
        "flamegraph",
        "pprof",
        "json",
        "-o, --output <OUT>",
    ] {
        assert!(t.contains(f), "{f} missing from\n{t}");
    }
}

#[test]
fn unknown_format_is_a_usage_error() {
    let s = Scratch::with_profile("usage");
    let out = jitlens(&s.dir, &["report", "prof.json", "--format", "svg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'svg'"));
}

#[test]
fn a_profile_without_samples_has_a_table_but_no_flame_graph() {
    let s = Scratch::new("empty");
    save(&Profile::new(RunInfo::default()), &s.dir.join("prof.json")).expect("save");
    let t = text(ok(&s.dir, &["report", "prof.json"]));
    assert!(t.contains("(no samples on any line)"), "{t}");
    assert_eq!(
        text(ok(&s.dir, &["report", "prof.json", "-f", "collapsed"])),
        ""
    );
    let out = jitlens(&s.dir, &["report", "prof.json", "-f", "flamegraph"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "jitlens: prof.json: cannot draw a flame graph: the profile has no samples\n"
    );
}
