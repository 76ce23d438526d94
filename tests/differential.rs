//! Differential testing of the tiers: random programs must behave the same whatever the JIT.
//!
//! Each program of `tests/differential/gen.rs` is run by the real binary in four modes:
//! - `JITLENS_JIT=0`: the interpreter only (the reference);
//! - `JITLENS_JIT=always`: every code object compiled before it first runs (from generic,
//!   not yet quickened bytecode);
//! - `JITLENS_JIT=1 JITLENS_JIT_THRESHOLD=3`: code compiled in the middle of its loops and
//!   entered by OSR, but before quickening has specialized much (WARMUP is 8 executions), so
//!   mostly generic helpers;
//! - `JITLENS_JIT=1 JITLENS_JIT_THRESHOLD=50`: compiled mid-loop *after* quickening, so the
//!   JIT code has the specialized stencils (int/float fast paths, attribute and method
//!   caches) and the generated type changes make it side-exit (and, in the "churn"
//!   segments, be discarded and compiled again).
//!
//! Stdout, stderr and the exit code must be identical, and no mode may crash (signal, Rust
//! panic, exit code 70) or hang.
//!
//! Environment:
//! - `JITLENS_DIFF_COUNT=N`: how many programs (default 1000);
//! - `JITLENS_DIFF_SEED=S`: the base seed (decimal or 0x-hex; default below);
//! - `JITLENS_DIFF_START=I`: the index of the first program (to rerun one: `START=I COUNT=1`);
//! - `JITLENS_DIFF_DUMP=DIR`: also write every program to `DIR/pI.py` (e.g. to compare the
//!   interpreter with `python3` by hand; this test never runs `python3`).
//!
//! A failure prints, per failing program: its index and seeds, the path of a saved copy, a
//! command that reproduces it, the program, and the output of every mode.

#[path = "differential/gen.rs"]
mod pygen;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The base seed when `JITLENS_DIFF_SEED` is not set ("jitlens" in ASCII).
const DEFAULT_SEED: u64 = 0x006A_6974_6C65_6E73;

/// A run that takes longer than this is a hang (a program takes a few milliseconds).
const TIMEOUT: Duration = Duration::from_secs(30);

/// Text in stderr that means jitlens itself failed, not the Python program.
const CRASH_MARKERS: &[&str] = &[
    "RUST_BACKTRACE",
    "panicked",
    "stack overflow",
    "overflowed its stack",
    "internal error",
    "fatal runtime error",
];

/// A way of running jitlens: the environment that selects it, which is also how it is
/// spelled in messages and reproduction commands.
struct Mode {
    env: &'static [(&'static str, &'static str)],
}

impl Mode {
    /// `JITLENS_JIT=... [JITLENS_JIT_THRESHOLD=...]`.
    fn label(&self) -> String {
        self.env
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The reference mode first: the others are compared with it.
const MODES: [Mode; 4] = [
    Mode {
        env: &[("JITLENS_JIT", "0")],
    },
    Mode {
        env: &[("JITLENS_JIT", "always")],
    },
    Mode {
        env: &[("JITLENS_JIT", "1"), ("JITLENS_JIT_THRESHOLD", "3")],
    },
    Mode {
        env: &[("JITLENS_JIT", "1"), ("JITLENS_JIT_THRESHOLD", "50")],
    },
];

/// What one run of one program did.
struct Run {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    /// `exit 0`, `signal 11`, `timeout`.
    fn status_text(&self) -> String {
        match self.status {
            None => "timeout (killed)".to_string(),
            Some(s) => match s.code() {
                Some(c) => format!("exit {c}"),
                None => format!("killed by a signal ({s})"),
            },
        }
    }

    /// Why this run is a crash of jitlens, if it is one.
    fn crash(&self) -> Option<String> {
        match self.status {
            None => return Some(format!("no exit within {TIMEOUT:?} (hang)")),
            Some(s) if s.code().is_none() => return Some(format!("killed by a signal ({s})")),
            Some(s) if s.code() == Some(70) => {
                return Some("exit 70 (jitlens internal error)".to_string());
            }
            _ => {}
        }
        CRASH_MARKERS
            .iter()
            .find(|m| self.stderr.contains(*m))
            .map(|m| format!("stderr contains {m:?}"))
    }
}

/// A program that failed, with everything needed to report it.
struct Failure {
    index: u64,
    seed: u64,
    source: String,
    problems: Vec<String>,
    runs: Vec<Run>,
}

/// The tally of the reference mode over all programs.
#[derive(Default)]
struct Tally {
    /// Exit status of `JITLENS_JIT=0` → number of programs.
    codes: BTreeMap<String, usize>,
    /// Programs that exit 0 with something on stdout.
    ok_with_output: usize,
    ran: usize,
    /// The slowest `JITLENS_JIT=0` run: (time, index).
    slowest: (Duration, u64),
    failures: Vec<Failure>,
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Err(_) => default,
        Ok(s) => {
            let s = s.trim().replace('_', "");
            let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            };
            parsed.unwrap_or_else(|e| panic!("{name}={s:?}: not a number ({e})"))
        }
    }
}

/// A fresh directory under the temp dir, removed on drop.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("jitlens-diff-{}-{tag}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn jitlens_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jitlens"))
}

fn read_all(mut r: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Waits for `child`, killing it after [`TIMEOUT`]; `None` on timeout.
fn wait_with_timeout(child: &mut Child) -> Option<ExitStatus> {
    let deadline = Instant::now() + TIMEOUT;
    let mut nap = Duration::from_micros(200);
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(5));
    }
}

/// `jitlens run FILE` in `cwd` under `mode`.
fn run_mode(mode: &Mode, cwd: &Path, file: &str) -> Run {
    let mut cmd = Command::new(jitlens_bin());
    cmd.args(["run", file])
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .env_remove("JITLENS_JIT")
        .env_remove("JITLENS_JIT_THRESHOLD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in mode.env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn jitlens");
    let out = read_all(child.stdout.take().expect("stdout"));
    let err = read_all(child.stderr.take().expect("stderr"));
    let status = wait_with_timeout(&mut child);
    let elapsed = start.elapsed();
    Run {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        elapsed,
    }
}

/// The first line where `a` and `b` differ, for messages.
fn first_difference(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for i in 0..la.len().max(lb.len()) {
        let (x, y) = (la.get(i), lb.get(i));
        if x != y {
            return format!(
                "first difference at line {}: {:?} vs {:?}",
                i + 1,
                x.copied().unwrap_or("<none>"),
                y.copied().unwrap_or("<none>")
            );
        }
    }
    "they differ only in line endings or a trailing newline".to_string()
}

/// What is wrong with the runs of one program (empty when nothing).
fn problems(runs: &[Run]) -> Vec<String> {
    let mut out = Vec::new();
    for (mode, run) in MODES.iter().zip(runs) {
        if let Some(why) = run.crash() {
            out.push(format!("{}: jitlens crashed: {why}", mode.label()));
        }
    }
    let (base, reference) = (&runs[0], MODES[0].label());
    for (mode, run) in MODES.iter().zip(runs).skip(1) {
        let label = mode.label();
        if run.status.and_then(|s| s.code()) != base.status.and_then(|s| s.code()) {
            out.push(format!(
                "exit status: {label} gives {}, {reference} gives {}",
                run.status_text(),
                base.status_text()
            ));
        }
        if run.stdout != base.stdout {
            out.push(format!(
                "stdout of {label} differs from {reference}'s: {}",
                first_difference(&base.stdout, &run.stdout)
            ));
        }
        if run.stderr != base.stderr {
            out.push(format!(
                "stderr of {label} differs from {reference}'s: {}",
                first_difference(&base.stderr, &run.stderr)
            ));
        }
    }
    out
}

/// Generates program `index`, runs it in every mode, and records the result.
fn check_program(
    base_seed: u64,
    index: u64,
    scratch: &Path,
    dump: Option<&Path>,
    tally: &Mutex<Tally>,
) {
    let seed = pygen::program_seed(base_seed, index);
    let source = pygen::program(seed);
    let file = format!("p{index}.py");
    fs::write(scratch.join(&file), &source).expect("write program");
    if let Some(dir) = dump {
        fs::write(dir.join(&file), &source).expect("write dumped program");
    }
    let runs: Vec<Run> = MODES.iter().map(|m| run_mode(m, scratch, &file)).collect();
    let _ = fs::remove_file(scratch.join(&file));
    let found = problems(&runs);
    let mut t = tally.lock().expect("tally");
    let base = &runs[0];
    t.ran += 1;
    *t.codes.entry(base.status_text()).or_default() += 1;
    if base.status.and_then(|s| s.code()) == Some(0) && !base.stdout.is_empty() {
        t.ok_with_output += 1;
    }
    if base.elapsed > t.slowest.0 {
        t.slowest = (base.elapsed, index);
    }
    if !found.is_empty() {
        t.failures.push(Failure {
            index,
            seed,
            source,
            problems: found,
            runs,
        });
    }
}

/// Up to `max` bytes of `s` (cut at a char boundary), marked when cut.
fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n... ({} more bytes)", &s[..end], s.len() - end)
}

/// Saves a failing program where it stays, and describes the failure in full.
fn report(f: &Failure, base_seed: u64) -> String {
    let dir = std::env::temp_dir()
        .join("jitlens-diff-failures")
        .join(format!("seed{base_seed:#x}-{}", f.index));
    let file = format!("p{}.py", f.index);
    let saved = fs::create_dir_all(&dir)
        .and_then(|()| fs::write(dir.join(&file), &f.source))
        .map(|()| dir.join(&file).display().to_string())
        .unwrap_or_else(|e| format!("(could not save it in {}: {e})", dir.display()));
    // The mode to reproduce with: the first one named in a problem other than the reference.
    let culprit = MODES
        .iter()
        .skip(1)
        .find(|m| f.problems.iter().any(|p| p.contains(&m.label())))
        .unwrap_or(&MODES[0]);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "==== program #{} (base seed {base_seed:#x}, program seed {:#x}) ====",
        f.index, f.seed
    );
    for p in &f.problems {
        let _ = writeln!(s, "  - {p}");
    }
    let _ = writeln!(s, "saved as {saved}");
    let _ = writeln!(
        s,
        "reproduce: cd {} && {} {} run {file}",
        dir.display(),
        culprit.label(),
        jitlens_bin().display()
    );
    let _ = writeln!(
        s,
        "       or: JITLENS_DIFF_SEED={base_seed:#x} JITLENS_DIFF_START={} JITLENS_DIFF_COUNT=1 \
         CARGO_TARGET_DIR=/tmp/target-diff cargo test --release --test differential",
        f.index
    );
    let _ = writeln!(s, "---- program ----");
    for (n, line) in f.source.lines().enumerate() {
        let _ = writeln!(s, "{:4} | {line}", n + 1);
    }
    for (mode, run) in MODES.iter().zip(&f.runs) {
        let _ = writeln!(
            s,
            "---- {}: {} in {:?} ----",
            mode.label(),
            run.status_text(),
            run.elapsed
        );
        let _ = writeln!(s, "stdout:\n{}", clip(&run.stdout, 4000));
        let _ = writeln!(s, "stderr:\n{}", clip(&run.stderr, 4000));
    }
    s
}

#[test]
fn jit_modes_agree_on_random_programs() {
    let base_seed = env_u64("JITLENS_DIFF_SEED", DEFAULT_SEED);
    let count = env_u64("JITLENS_DIFF_COUNT", 1000);
    let start = env_u64("JITLENS_DIFF_START", 0);
    let dump = std::env::var_os("JITLENS_DIFF_DUMP").map(PathBuf::from);
    if let Some(dir) = &dump {
        fs::create_dir_all(dir).expect("create JITLENS_DIFF_DUMP dir");
    }
    let scratch = Scratch::new("run");
    // Runs are short and spend much of their time starting up; one more worker than cores
    // keeps the cores busy.
    let workers = thread::available_parallelism().map_or(2, |n| n.get()) + 1;
    let next = AtomicU64::new(start);
    let end = start + count;
    let tally = Mutex::new(Tally::default());
    let began = Instant::now();
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= end {
                        break;
                    }
                    check_program(base_seed, index, &scratch.dir, dump.as_deref(), &tally);
                }
            });
        }
    });
    let wall = began.elapsed();
    let mut t = tally.into_inner().expect("tally");
    t.failures.sort_by_key(|f| f.index);

    let mut summary = format!(
        "differential: {} programs (base seed {base_seed:#x}, indexes {start}..{end}) x {} modes in {:.1?}\n",
        t.ran,
        MODES.len(),
        wall
    );
    let _ = writeln!(summary, "  exit status with {}:", MODES[0].label());
    for (code, n) in &t.codes {
        let _ = writeln!(summary, "    {code}: {n}");
    }
    let _ = writeln!(
        summary,
        "  exit 0 with output: {} of {}; slowest run {:?} (program #{}); failing programs: {}",
        t.ok_with_output,
        t.ran,
        t.slowest.0,
        t.slowest.1,
        t.failures.len()
    );
    // Straight to the process's stderr, so the summary shows even when the test passes
    // (libtest captures only `print!`/`eprint!`).
    let _ = std::io::stderr().write_all(summary.as_bytes());

    if !t.failures.is_empty() {
        const SHOWN: usize = 5;
        let mut msg = String::new();
        for f in t.failures.iter().take(SHOWN) {
            msg.push_str(&report(f, base_seed));
            msg.push('\n');
        }
        if t.failures.len() > SHOWN {
            let rest: Vec<String> = t.failures[SHOWN..]
                .iter()
                .map(|f| f.index.to_string())
                .collect();
            let _ = writeln!(
                msg,
                "... and {} more failing programs: #{}",
                rest.len(),
                rest.join(", #")
            );
        }
        panic!(
            "{} of {} programs behave differently across JIT modes or crash:\n\n{msg}{summary}",
            t.failures.len(),
            t.ran
        );
    }
    // Too few programs (rerunning one with JITLENS_DIFF_COUNT=1) say nothing about the rate.
    assert!(
        t.ran < 50 || t.ok_with_output * 5 >= t.ran * 4,
        "only {} of {} programs exit 0 with output (at least 80% must): the generator makes \
         broken programs\n{summary}",
        t.ok_with_output,
        t.ran
    );
}

/// The same seed gives the same program; different indexes give different programs.
#[test]
fn generator_is_deterministic() {
    let a = pygen::program(pygen::program_seed(DEFAULT_SEED, 7));
    let b = pygen::program(pygen::program_seed(DEFAULT_SEED, 7));
    let c = pygen::program(pygen::program_seed(DEFAULT_SEED, 8));
    assert_eq!(a, b);
    assert_ne!(a, c);
    let mut rng = pygen::Rng::new(1);
    let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
    let mut again = pygen::Rng::new(1);
    assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
}
