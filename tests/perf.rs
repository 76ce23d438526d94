//! jitlens under the real `perf`: `perf record -g`, then `perf inject --jit` and
//! `perf report` (the jitdump flow), and the perf map alone. A program that spends its time
//! in one float loop must show that loop's line as the hottest line of JIT code, with one of
//! its float ops, named with the line, as its hottest symbol; nearly every sample in JIT
//! code must have a symbol; and call chains must run from JIT code through the interpreter
//! to the VM's entry (`Vm::run_main`) and the thread's root.
//!
//! Where `perf` is missing or not allowed to sample, each test prints why it is skipped.

use linux_perf_data::jitdump::{JitDumpReader, JitDumpRecord};
use std::path::{Path, PathBuf};
use std::process::Command;

const PROGRAM: &str = "\
def work(n):
    x = 0.0
    y = 1.5
    i = 0
    while i < n:
        x = x * 0.999 + y * 1.0001
        i += 1
    return x

def main():
    t = 0.0
    for _ in range(10):
        t += work(1500000)
    print(round(t, 3))

main()
";

/// The line of `x = x * 0.999 + y * 1.0001`.
const HOT_LINE: &str = "floop.py:6";

fn jitlens_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jitlens"))
}

/// Why `perf` cannot be used here, if it cannot.
fn perf_unavailable() -> Option<String> {
    let version = Command::new("perf").arg("--version").output();
    match version {
        Ok(o) if o.status.success() => {}
        _ => return Some("perf is not installed (Debian: apt-get install linux-perf)".into()),
    }
    let dir = scratch("probe");
    let probe = Command::new("perf")
        .args(["record", "-q", "-e", "cpu-clock", "-o"])
        .arg(dir.join("probe.data"))
        .arg("true")
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match probe {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "perf cannot sample here (kernel.perf_event_paranoid = {}): {}",
            std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
                .unwrap_or_default()
                .trim(),
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Some(format!("perf cannot run: {e}")),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jitlens-perf-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `perf record -k 1 -e cpu-clock -g jitlens run -X OPT floop.py` in `dir`.
fn record(dir: &Path, xopt: &str) {
    std::fs::write(dir.join("floop.py"), PROGRAM).unwrap();
    let out = run(Command::new("perf")
        .current_dir(dir)
        .args([
            "record",
            "-q",
            "-k",
            "1",
            "-e",
            "cpu-clock",
            "-g",
            "-o",
            "perf.data",
        ])
        .arg(jitlens_bin())
        .args(["run", "-X", xopt, "floop.py"]));
    assert_eq!(out.trim(), "15001.5", "the program's output is unchanged");
}

/// One sample of `perf script`: the pid, then its call chain, leaf first, as
/// (address, symbol, dso).
struct Sample {
    pid: u32,
    chain: Vec<(u64, String, String)>,
}

fn script(dir: &Path, data: &str) -> Vec<Sample> {
    let text = run(Command::new("perf").current_dir(dir).args([
        "script",
        "-i",
        data,
        "-F",
        "pid,ip,sym,dso",
    ]));
    let mut samples = Vec::new();
    for block in text.split("\n\n") {
        let mut lines = block.lines().filter(|l| !l.trim().is_empty());
        let Some(head) = lines.next() else { continue };
        let Ok(pid) = head.trim().parse::<u32>() else {
            continue;
        };
        let chain = lines
            .filter_map(|l| {
                let l = l.trim();
                let (addr, rest) = l.split_once(' ')?;
                let addr = u64::from_str_radix(addr, 16).ok()?;
                let (sym, dso) = rest.rsplit_once(" (")?;
                Some((addr, sym.to_string(), dso.trim_end_matches(')').to_string()))
            })
            .collect();
        samples.push(Sample { pid, chain });
    }
    samples
}

/// The address range of the JIT code, from the perf map of process `pid`.
fn jit_range(map: &str) -> (u64, u64) {
    let mut lo = u64::MAX;
    let mut hi = 0;
    for line in map.lines() {
        let mut parts = line.split(' ');
        let start = u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
        let size = u64::from_str_radix(parts.next().unwrap(), 16).unwrap();
        lo = lo.min(start);
        hi = hi.max(start + size);
    }
    (lo, hi)
}

/// The symbols of `perf report --sort symbol`, hottest first, with their shares (%).
fn report_symbols(dir: &Path, data: &str) -> Vec<(f64, String)> {
    let text = run(Command::new("perf").current_dir(dir).args([
        "report",
        "-i",
        data,
        "--stdio",
        "--no-children",
        "--sort",
        "symbol",
        "-g",
        "none",
    ]));
    text.lines()
        .filter_map(|l| {
            // "    31.39%  [.] py::work@floop.py:6 BINARY_OP_ADD_FLOAT [jit]      -      -"
            let (pct, rest) = l.trim_start().split_once("%  ")?;
            let pct: f64 = pct.parse().ok()?;
            let sym = rest.split_once("] ").map_or(rest, |(_, s)| s);
            let sym = match sym.find("[jit]") {
                Some(end) => sym[..end + "[jit]".len()].to_string(),
                None => sym.trim().to_string(),
            };
            Some((pct, sym))
        })
        .collect()
}

/// The hot loop's line must be the hottest line of JIT code (its symbols' shares summed:
/// one op of the loop's test can take more samples than any one float op on this CPU), and
/// its hottest symbol must be one of its float ops.
fn check_hot_line(dir: &Path, data: &str) {
    let symbols = report_symbols(dir, data);
    let mut lines: Vec<(String, f64)> = Vec::new();
    for (pct, sym) in &symbols {
        let Some(line) = sym
            .strip_prefix("py::work@")
            .and_then(|s| s.split_once(' '))
            .map(|(l, _)| l.to_string())
        else {
            continue;
        };
        match lines.iter_mut().find(|(l, _)| *l == line) {
            Some((_, total)) => *total += pct,
            None => lines.push((line, *pct)),
        }
    }
    lines.sort_by(|a, b| b.1.total_cmp(&a.1));
    assert_eq!(
        lines.first().map(|(l, _)| l.as_str()),
        Some(HOT_LINE),
        "hottest lines: {lines:?}"
    );
    let hot = symbols
        .iter()
        .find(|(_, s)| s.starts_with(&format!("py::work@{HOT_LINE} ")))
        .map(|(_, s)| s.as_str())
        .unwrap_or("");
    assert!(
        hot.starts_with(&format!("py::work@{HOT_LINE} BINARY_OP_"))
            && hot.ends_with("_FLOAT [jit]"),
        "hottest symbol of {HOT_LINE}: {hot}"
    );
}

/// Checks the samples that fall in JIT code: at least 90% have a symbol, and at least 90%
/// have a call chain up to the VM's entry and the thread's root.
///
/// A sample is in JIT code when its leaf is in an injected JIT image (`jitted-*.so`), in
/// perf's `[JIT]` pseudo-map, or at an address inside `range` (perf prints unmapped
/// addresses as they are).
fn check_jit_samples(
    samples: &[Sample],
    range: (u64, u64),
    symbolized: impl Fn(&str, &str) -> bool,
) {
    let in_jit: Vec<&Sample> = samples
        .iter()
        .filter(|s| {
            s.chain.first().is_some_and(|(addr, _, dso)| {
                dso.contains("jitted-")
                    || dso.starts_with("[JIT]")
                    || (range.0 <= *addr && *addr < range.1)
            })
        })
        .collect();
    assert!(
        in_jit.len() > 50,
        "only {} samples in JIT code",
        in_jit.len()
    );
    let named = in_jit
        .iter()
        .filter(|s| symbolized(&s.chain[0].1, &s.chain[0].2))
        .count();
    assert!(
        named * 10 >= in_jit.len() * 9,
        "{named} of {} JIT samples symbolized",
        in_jit.len()
    );
    let reach = in_jit
        .iter()
        .filter(|s| {
            s.chain.iter().any(|f| f.1.contains("Vm::run_main"))
                && s.chain.iter().any(|f| f.1.contains("start_thread"))
        })
        .count();
    assert!(
        reach * 10 >= in_jit.len() * 9,
        "{reach} of {} JIT samples unwind to Vm::run_main and start_thread",
        in_jit.len()
    );
}

#[test]
fn jitdump_flow_names_the_hot_jit_op_and_unwinds_through_it() {
    if let Some(why) = perf_unavailable() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = scratch("jitdump");
    record(&dir, "jitdump");
    run(Command::new("perf").current_dir(&dir).args([
        "inject",
        "--jit",
        "-i",
        "perf.data",
        "-o",
        "perf.jit.data",
    ]));
    check_hot_line(&dir, "perf.jit.data");
    let samples = script(&dir, "perf.jit.data");
    let pid = samples
        .iter()
        .find(|s| s.chain.iter().any(|f| f.2.contains("jitted-")))
        .expect("a sample in injected JIT code")
        .pid;
    // The dump is named after the process that wrote it.
    let dump = dir.join(format!("jit-{pid}.dump"));
    assert!(dump.exists(), "no {}", dump.display());
    // The JIT's extent, from the dump's loads.
    let mut reader = JitDumpReader::new(std::fs::File::open(&dump).unwrap()).unwrap();
    let mut lo = u64::MAX;
    let mut hi = 0;
    while let Some(raw) = reader.next_record().unwrap() {
        if let JitDumpRecord::CodeLoad(l) = raw.parse().unwrap() {
            lo = lo.min(l.code_addr);
            hi = hi.max(l.code_addr + l.code_bytes.len() as u64);
        }
    }
    check_jit_samples(&samples, (lo, hi), |sym, dso| {
        dso.contains("jitted-") && sym.starts_with("py::")
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn perf_map_flow_works_without_inject() {
    if let Some(why) = perf_unavailable() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = scratch("map");
    record(&dir, "perf");
    let samples = script(&dir, "perf.data");
    let pid = samples
        .iter()
        .find(|s| s.chain.iter().any(|f| f.1.starts_with("py::")))
        .expect("a sample with a perf-map symbol")
        .pid;
    let map_path = PathBuf::from(format!("/tmp/perf-{pid}.map"));
    let map = std::fs::read_to_string(&map_path).expect("the perf map");
    assert!(
        map.lines()
            .all(|l| l.contains(" py::") && l.ends_with("[jit]"))
    );
    check_hot_line(&dir, "perf.data");
    check_jit_samples(&samples, jit_range(&map), |sym, _| sym.starts_with("py::"));
    let _ = std::fs::remove_file(map_path);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts `jitlens run ARGS` in `dir` with `envs`, output captured.
fn spawn_jitlens(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> std::process::Child {
    Command::new(jitlens_bin())
        .current_dir(dir)
        .arg("run")
        .args(args)
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn jitlens")
}

const SMALL: &str = "def f(n):\n    t = 0.5\n    for i in range(n):\n        t = t * 1.5 - i\n    return t\nprint(f(30000) < 0)\n";

#[test]
fn two_processes_at_once_each_write_their_own_files() {
    let dir = scratch("two");
    std::fs::write(dir.join("p.py"), SMALL).unwrap();
    let args = ["-X", "perf", "-X", "jitdump", "p.py"];
    let a = spawn_jitlens(&dir, &args, &[]);
    let b = spawn_jitlens(&dir, &args, &[]);
    for child in [a, b] {
        let pid = child.id();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stdout), "True\n");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let map = PathBuf::from(format!("/tmp/perf-{pid}.map"));
        let text = std::fs::read_to_string(&map).expect("own perf map");
        assert!(text.contains("py::f@p.py:4 "), "{text}");
        let dump = dir.join(format!("jit-{pid}.dump"));
        let reader = JitDumpReader::new(std::fs::File::open(&dump).unwrap()).unwrap();
        assert_eq!(reader.header().pid, pid);
        let _ = std::fs::remove_file(map);
    }
    let dumps = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".dump")
        })
        .count();
    assert_eq!(dumps, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_dump_directory_costs_one_warning_line_and_nothing_else() {
    let dir = scratch("unwritable");
    std::fs::write(dir.join("p.py"), SMALL).unwrap();
    let child = spawn_jitlens(
        &dir,
        &["p.py"],
        &[
            ("JITLENS_PERF", "jitdump"),
            ("JITLENS_JITDUMP_DIR", "/proc/no/such/dir"),
        ],
    );
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "True\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("jitlens: warning: cannot write the jitdump /proc/no/such/dir/jit-"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
