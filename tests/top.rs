//! `jitlens top` end to end, in a real terminal: the binary runs inside `tmux` on a program
//! of ours (tests/top/busy.py), driven with send-keys and read with capture-pane.
//!
//! It checks that while the program runs the hot op and line appear and the counts grow,
//! that keys switch views, that the final state stays on screen after the program exits,
//! that `q` restores the terminal (same `stty` settings, the shell back, the alternate
//! screen left), that the program's whole output is printed after the dashboard closes,
//! and that `top` exits with the program's code; then that Ctrl-C interrupts the program and
//! keeps its final state on screen, and that `q` while it runs stops it without losing its
//! output. Without tmux each test prints why and passes.
//!
//! The run goes through the real `jitlens record --live`. [`RECORD_STANDIN`] can point
//! at tests/top/record-standin instead, a stand-in that writes made-up snapshots (for
//! working on the dashboard without the sampler).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The stand-in for `jitlens record --live`, relative to the crate root; `None` runs the
/// real `jitlens record`.
const RECORD_STANDIN: Option<&str> = None;

/// Generous: the machine is shared.
const TIMEOUT: Duration = Duration::from_secs(60);

/// How long busy.py runs, in seconds.
const RUN_SECONDS: &str = "4";

/// A tmux server of our own (its own socket), killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(tag: &str, width: u16, height: u16) -> Tmux {
        let t = Tmux {
            socket: format!("jitlens-top-test-{tag}-{}", std::process::id()),
        };
        let out = t
            .cmd()
            .args(["-f", "/dev/null", "new-session", "-d", "-s", "top"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .args(["sh"])
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    /// Types keys (tmux key names, e.g. `Tab`, `Enter`, `q`).
    fn keys(&self, keys: &[&str]) {
        let ok = self
            .cmd()
            .args(["send-keys", "-t", "top"])
            .args(keys)
            .status()
            .expect("tmux send-keys")
            .success();
        assert!(ok, "tmux send-keys {keys:?}");
    }

    /// Types a line of text and Enter.
    fn line(&self, text: &str) {
        let ok = self
            .cmd()
            .args(["send-keys", "-t", "top", "-l", text])
            .status()
            .expect("tmux send-keys")
            .success();
        assert!(ok);
        self.keys(&["Enter"]);
    }

    /// The visible screen.
    fn screen(&self) -> String {
        self.capture(&[])
    }

    /// The screen with all the scrollback above it.
    fn history(&self) -> String {
        self.capture(&["-S", "-"])
    }

    fn capture(&self, extra: &[&str]) -> String {
        let out = self
            .cmd()
            .args(["capture-pane", "-p", "-t", "top"])
            .args(extra)
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `ok`; fails with the screen after [`TIMEOUT`].
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

/// The sample count in the header (`… │ 1,234 samples │ …`).
fn samples(screen: &str) -> Option<u64> {
    let header = screen.lines().next()?;
    let before = header.split(" samples").next()?;
    let n = before.rsplit('│').next()?.trim().replace(',', "");
    n.parse().ok()
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

/// A scratch directory with busy.py in it, and a tmux of our own whose shell is in it.
struct Setup {
    tmux: Tmux,
    dir: PathBuf,
    /// `jitlens top`, quoted, with the environment that picks the recorder.
    top: String,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `None` (after printing why) when tmux is missing.
fn setup(tag: &str) -> Option<Setup> {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("skipped: tmux is not installed (apt-get install tmux)");
        return None;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("jitlens-top-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root.join("tests/top/busy.py"), dir.join("busy.py")).unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_jitlens"));
    let env = match RECORD_STANDIN {
        Some(standin) => format!(
            "JITLENS_TOP_RECORD={} JITLENS_STANDIN_VM={} ",
            shell_quote(&root.join(standin)),
            shell_quote(&bin)
        ),
        None => String::new(),
    };
    let tmux = Tmux::start(tag, 80, 24);
    tmux.line(&format!("cd {}", shell_quote(&dir)));
    Some(Setup {
        tmux,
        dir,
        top: format!("{env}{} top", shell_quote(&bin)),
    })
}

#[test]
fn the_dashboard_in_a_real_terminal() {
    let Some(setup) = setup("main") else { return };
    let (tmux, dir) = (&setup.tmux, &setup.dir);
    tmux.line(&format!(
        "stty -g > stty.before; {} -o prof.json busy.py {RUN_SECONDS}; \
         echo TOP-EXIT=$?; stty -g > stty.after",
        setup.top
    ));

    // While it runs: the hot op and its line, and counts that grow.
    let s = tmux.wait_for("the hot op while running", |s| {
        s.contains("● running") && s.contains("BINARY_OP_MULTIPLY_FLOAT") && s.contains("mul")
    });
    assert!(s.contains("busy.py"), "{s}");
    let first = samples(&s).unwrap_or_else(|| panic!("no sample count in:\n{s}"));
    let s = tmux.wait_for("the sample count to grow", |s| {
        s.contains("● running") && samples(s).is_some_and(|n| n > first)
    });
    assert!(s.contains("[Hot ops]"), "{s}");

    // Tab: hot lines, with the line's source text.
    tmux.keys(&["Tab"]);
    tmux.wait_for("the hot lines", |s| {
        s.contains("[Hot lines]") && s.contains("busy.py:11") && s.contains("total *= 1.000001")
    });
    // Tab: the JIT log shows mul compiled.
    tmux.keys(&["Tab"]);
    tmux.wait_for("the JIT events", |s| {
        s.contains("[JIT events]")
            && s.lines()
                .any(|l| l.contains("compiled") && l.contains("mul"))
    });
    // Tab: the program's output, while it runs.
    tmux.keys(&["Tab"]);
    tmux.wait_for("the output pane", |s| {
        s.contains("[Output") && s.contains("round ")
    });
    // Back to the ops, Enter: the source of mul with its heat gutter, the hot line marked.
    tmux.keys(&["Tab"]);
    tmux.wait_for("the ops again", |s| s.contains("[Hot ops]"));
    tmux.keys(&["Enter"]);
    let s = tmux.wait_for("the source view", |s| s.contains("Source: busy.py · mul"));
    let hot = s
        .lines()
        .find(|l| l.contains("11 │") && l.contains("total *= 1.000001"))
        .unwrap_or_else(|| panic!("no line 11 in the source view:\n{s}"));
    assert!(hot.contains('%') && hot.contains('█'), "{hot}");
    assert!(
        s.lines().any(|l| l.starts_with('▶')),
        "no selected line in the source view:\n{s}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("the ops after Esc", |s| s.contains("[Hot ops]"));
    // s: the ops sorted by op name; ?: help.
    tmux.keys(&["s"]);
    tmux.wait_for("the sort by op", |s| s.contains("sort: op"));
    tmux.keys(&["?"]);
    tmux.wait_for("the help", |s| s.contains("jitlens top: keys"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help closed", |s| !s.contains("jitlens top: keys"));

    // The program ends: the final state stays, with its exit status.
    let s = tmux.wait_for("the exit status", |s| s.contains("exited 3"));
    let last = samples(&s).expect("a sample count");
    std::thread::sleep(Duration::from_millis(1000));
    let s = tmux.screen();
    assert!(
        s.contains("exited 3") && s.contains("BINARY_OP_MULTIPLY_FLOAT"),
        "{s}"
    );
    assert_eq!(samples(&s), Some(last), "the final state changed:\n{s}");
    assert!(
        !s.contains("TOP-EXIT"),
        "the dashboard closed by itself:\n{s}"
    );

    // q: the dashboard closes, the terminal is as it was, the output is all there.
    tmux.keys(&["q"]);
    let s = tmux.wait_for("the shell after q", |s| s.contains("TOP-EXIT="));
    assert!(
        s.contains("TOP-EXIT=3"),
        "top's exit code is the program's:\n{s}"
    );
    assert!(
        !s.contains("jitlens top │"),
        "the dashboard is still on screen:\n{s}"
    );
    tmux.wait_for("stty saved", |_| dir.join("stty.after").exists());
    std::thread::sleep(Duration::from_millis(200));
    let before = std::fs::read_to_string(dir.join("stty.before")).unwrap();
    let after = std::fs::read_to_string(dir.join("stty.after")).unwrap();
    assert_eq!(before, after, "the terminal settings were not restored");

    let history = tmux.history();
    let done = history
        .lines()
        .find_map(|l| l.strip_prefix("done after "))
        .and_then(|l| l.strip_suffix(" rounds"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no 'done after N rounds' (stderr) in:\n{history}"));
    assert!(done > 0);
    let rounds: Vec<usize> = history
        .lines()
        .filter_map(|l| l.strip_prefix("round "))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .collect();
    // The scrollback keeps the last 2000 lines: the rounds in it must be the last ones,
    // in order, none missing.
    assert!(
        !rounds.is_empty(),
        "no program output after the dashboard:\n{history}"
    );
    let expected: Vec<usize> = (done - rounds.len()..done).collect();
    assert_eq!(rounds, expected, "program output lost or reordered");

    // -o: the final profile.
    let prof = std::fs::read_to_string(dir.join("prof.json")).expect("-o prof.json");
    let v: serde_json::Value = serde_json::from_str(&prof).expect("the profile is JSON");
    assert_eq!(v["format"], "jitlens-profile");
    assert_eq!(v["run"]["running"], false);
    assert_eq!(v["run"]["exit_code"], 3);
}

#[test]
fn ctrl_c_interrupts_the_program_and_keeps_the_final_state() {
    let Some(setup) = setup("ctrl-c") else { return };
    let tmux = &setup.tmux;
    tmux.line(&format!("{} busy.py 60; echo TOP-EXIT=$?", setup.top));
    tmux.wait_for("the first snapshot", |s| {
        s.contains("● running") && s.contains("BINARY_OP_MULTIPLY_FLOAT")
    });
    tmux.keys(&["C-c"]);
    let s = tmux.wait_for("the program to end", |s| {
        s.contains("exited") || s.contains("killed by signal")
    });
    assert!(!s.contains("TOP-EXIT"), "Ctrl-C closed the dashboard:\n{s}");
    std::thread::sleep(Duration::from_millis(600));
    let s = tmux.screen();
    assert!(
        s.contains("jitlens top │") && s.contains("BINARY_OP_MULTIPLY_FLOAT"),
        "{s}"
    );
    tmux.keys(&["q"]);
    let s = tmux.wait_for("the shell", |s| s.contains("TOP-EXIT="));
    assert!(
        !s.contains("TOP-EXIT=0"),
        "an interrupted run is not a success:\n{s}"
    );
    let all = tmux.history();
    assert!(all.contains("round "), "the output is printed:\n{all}");
}

#[test]
fn q_while_running_stops_the_program_and_keeps_its_output() {
    let Some(setup) = setup("q") else { return };
    let tmux = &setup.tmux;
    tmux.line(&format!(
        "{} -o prof.json busy.py 60; echo TOP-EXIT=$?",
        setup.top
    ));
    tmux.wait_for("the first snapshot", |s| {
        s.contains("● running") && s.contains("BINARY_OP_MULTIPLY_FLOAT")
    });
    let asked = Instant::now();
    tmux.keys(&["q"]);
    let s = tmux.wait_for("the shell", |s| s.contains("TOP-EXIT="));
    // Interrupted, killed after 2 s at worst: nowhere near the program's 60 s.
    assert!(
        asked.elapsed() < Duration::from_secs(20),
        "{:?}",
        asked.elapsed()
    );
    let all = tmux.history();
    assert!(all.contains("round "), "the output is printed:\n{all}");
    assert!(!s.contains("jitlens top │"), "{s}");
    // -o holds a finished profile (record's) or the last snapshot (top's).
    let prof = std::fs::read_to_string(setup.dir.join("prof.json")).expect("-o prof.json");
    assert!(prof.contains("\"jitlens-profile\""));
}

#[test]
fn without_a_terminal_top_says_so_and_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_jitlens"))
        .args(["top", "busy.py"])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/top"))
        .output()
        .expect("run jitlens top");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(out.stdout.is_empty());
}
