//! The `jitlens` command line and bad input, as a user sees them.
//!
//! Every case runs the real binary on a scratch file in `std::env::temp_dir()` and asserts on
//! its exit status, stdout and stderr. Where CPython 3.11 is the reference (syntax errors),
//! the test runs `python3` on the same file and compares; without a `python3` 3.11 it skips
//! only that comparison and still checks that jitlens fails cleanly.
//!
//! A crash is: death by a signal, or a Rust panic / stack overflow / internal error in stderr.
//! No case may crash, whatever the input.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Text in stderr that means jitlens itself failed, not the Python program.
const CRASH_MARKERS: &[&str] = &[
    "RUST_BACKTRACE",
    "panicked",
    "stack overflow",
    "overflowed its stack",
    "internal error",
    "fatal runtime error",
];

const TRACEBACK_HEADER: &str = "Traceback (most recent call last):";

/// Generous: the machine is shared and some cases are large.
const TIMEOUT: Duration = Duration::from_secs(180);

// ---------------------------------------------------------------------------------------------
// Scratch directories and running processes
// ---------------------------------------------------------------------------------------------

/// A fresh directory under the temp dir, removed on drop. Programs run with it as the current
/// directory, so file names in messages are the short relative names.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(tag: &str) -> Scratch {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "jitlens-cli-{}-{tag}-{n}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir }
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.join(name);
        fs::write(&path, contents).expect("write scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// What a finished process did.
struct Outcome {
    what: String,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Outcome {
    /// The exit code; `None` when a signal killed the process.
    fn code(&self) -> Option<i32> {
        self.status.code()
    }

    fn last_stderr_line(&self) -> &str {
        last_line(&self.stderr)
    }

    /// Everything about the run, for assertion messages.
    fn show(&self) -> String {
        format!(
            "{}\n  status: {}\n  stdout ({} bytes): {}\n  stderr: {}",
            self.what,
            self.status,
            self.stdout.len(),
            clip(&self.stdout),
            clip(&self.stderr)
        )
    }

    /// No signal death, no Rust panic, stack overflow or internal error.
    fn assert_no_crash(&self) {
        assert!(
            self.code().is_some(),
            "killed by a signal (crash):\n{}",
            self.show()
        );
        for marker in CRASH_MARKERS {
            assert!(
                !self.stderr.contains(marker),
                "stderr contains {marker:?} (jitlens crashed):\n{}",
                self.show()
            );
        }
        assert_ne!(
            self.code(),
            Some(70),
            "exit 70 is jitlens's internal-error code:\n{}",
            self.show()
        );
    }

    fn assert_code(&self, code: i32) {
        assert_eq!(
            self.code(),
            Some(code),
            "expected exit code {code}:\n{}",
            self.show()
        );
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 1500;
    if s.len() <= MAX {
        return format!("{s:?}");
    }
    let mut head = MAX / 2;
    while !s.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = s.len() - MAX / 2;
    while !s.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{:?} ... {:?}", &s[..head], &s[tail..])
}

fn last_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end()
}

fn read_all(mut r: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Waits for `child` with a deadline; kills it and fails the test on timeout.
fn wait_with_timeout(child: &mut Child, what: &str) -> ExitStatus {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match child.try_wait().expect("try_wait") {
            Some(status) => return status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what}: no exit within {TIMEOUT:?} (hang); killed");
            }
            None => thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn run_in(program: &Path, args: &[&str], cwd: &Path) -> std::io::Result<Outcome> {
    let what = format!(
        "$ cd {} && {} {}",
        cwd.display(),
        program.display(),
        args.iter()
            .map(|a| format!("{a:?}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let out = read_all(child.stdout.take().expect("stdout"));
    let err = read_all(child.stderr.take().expect("stderr"));
    let status = wait_with_timeout(&mut child, &what);
    Ok(Outcome {
        what,
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    })
}

fn jitlens_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jitlens"))
}

/// `jitlens ARGS...` in `cwd`.
fn jitlens(cwd: &Path, args: &[&str]) -> Outcome {
    run_in(&jitlens_bin(), args, cwd).expect("spawn jitlens")
}

/// `python3 ARGS...` in `cwd`, or `None` when there is no CPython 3.11 to compare with.
fn python311(cwd: &Path, args: &[&str]) -> Option<Outcome> {
    static IS_311: OnceLock<bool> = OnceLock::new();
    let ok = *IS_311.get_or_init(|| {
        let Ok(o) = run_in(
            Path::new("python3"),
            &["-c", "import sys; print(sys.version_info[:2] == (3, 11))"],
            &std::env::temp_dir(),
        ) else {
            eprintln!("note: no python3; CPython comparisons are skipped");
            return false;
        };
        let ok = o.stdout.trim() == "True";
        if !ok {
            eprintln!("note: python3 is not 3.11; CPython comparisons are skipped");
        }
        ok
    });
    if !ok {
        return None;
    }
    run_in(Path::new("python3"), args, cwd).ok()
}

/// Writes `source` to `NAME` in a fresh scratch dir and runs `jitlens run NAME ARGS...`.
fn run_source(name: &str, source: impl AsRef<[u8]>, args: &[&str]) -> (Scratch, Outcome) {
    let scratch = Scratch::new(name.trim_end_matches(".py"));
    scratch.write(name, source);
    let mut full = vec!["run", name];
    full.extend_from_slice(args);
    let out = jitlens(&scratch.dir, &full);
    (scratch, out)
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

#[test]
fn help_lists_the_commands() {
    let s = Scratch::new("help");
    let o = jitlens(&s.dir, &["--help"]);
    o.assert_no_crash();
    o.assert_code(0);
    for word in ["Usage", "run", "dis", "--help"] {
        assert!(
            o.stdout.contains(word),
            "`jitlens --help` should mention {word:?}:\n{}",
            o.show()
        );
    }
}

#[test]
fn run_help_describes_its_arguments_and_options() {
    let s = Scratch::new("runhelp");
    let o = jitlens(&s.dir, &["run", "--help"]);
    o.assert_no_crash();
    o.assert_code(0);
    for word in ["Usage", "run", "FILE", "ARGS", "-X", "stats"] {
        assert!(
            o.stdout.contains(word),
            "`jitlens run --help` should mention {word:?}:\n{}",
            o.show()
        );
    }
}

#[test]
fn dis_help_exits_0() {
    let s = Scratch::new("dishelp");
    let o = jitlens(&s.dir, &["dis", "--help"]);
    o.assert_no_crash();
    o.assert_code(0);
    assert!(o.stdout.contains("FILE"), "{}", o.show());
}

#[test]
fn version_exits_0() {
    let s = Scratch::new("version");
    let o = jitlens(&s.dir, &["--version"]);
    o.assert_no_crash();
    o.assert_code(0);
    assert!(o.stdout.starts_with("jitlens "), "{}", o.show());
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let s = Scratch::new("nosub");
    let o = jitlens(&s.dir, &[]);
    o.assert_no_crash();
    o.assert_code(2);
    assert!(
        o.stderr.contains("Usage"),
        "usage belongs on stderr:\n{}",
        o.show()
    );
    assert!(o.stdout.is_empty(), "nothing on stdout:\n{}", o.show());
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let s = Scratch::new("badsub");
    let o = jitlens(&s.dir, &["frobnicate"]);
    o.assert_no_crash();
    o.assert_code(2);
    assert!(o.stderr.contains("frobnicate"), "{}", o.show());
}

#[test]
fn run_without_a_file_is_a_usage_error() {
    let s = Scratch::new("nofile");
    let o = jitlens(&s.dir, &["run"]);
    o.assert_no_crash();
    o.assert_code(2);
    assert!(o.stderr.contains("Usage"), "{}", o.show());
}

#[test]
fn missing_file() {
    let s = Scratch::new("missing");
    let o = jitlens(&s.dir, &["run", "missing.py"]);
    o.assert_no_crash();
    o.assert_code(2);
    assert_eq!(
        o.stderr.trim_end(),
        "jitlens: can't open file 'missing.py': [Errno 2] No such file or directory",
        "{}",
        o.show()
    );
    assert!(o.stdout.is_empty(), "{}", o.show());
    // CPython says the same after its own name (and an absolute path).
    if let Some(py) = python311(&s.dir, &["missing.py"]) {
        py.assert_code(2);
        let tail = "missing.py': [Errno 2] No such file or directory";
        assert!(py.stderr.trim_end().ends_with(tail), "{}", py.show());
        assert!(o.stderr.trim_end().ends_with(tail));
    }
}

#[test]
fn dis_missing_file() {
    let s = Scratch::new("dismissing");
    let o = jitlens(&s.dir, &["dis", "missing.py"]);
    o.assert_no_crash();
    o.assert_code(2);
    assert_eq!(
        o.stderr.trim_end(),
        "jitlens: can't open file 'missing.py': [Errno 2] No such file or directory",
        "{}",
        o.show()
    );
}

/// One line on stderr that names the file, a non-zero exit, no crash.
fn assert_clear_one_line_error(o: &Outcome, name: &str) {
    o.assert_no_crash();
    assert!(
        matches!(o.code(), Some(c) if c != 0),
        "expected a non-zero exit:\n{}",
        o.show()
    );
    let lines: Vec<&str> = o.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr:\n{}", o.show());
    assert!(
        lines[0].contains(name),
        "the error should name {name:?}:\n{}",
        o.show()
    );
    assert!(o.stdout.is_empty(), "{}", o.show());
}

#[test]
fn directory_as_the_file() {
    let s = Scratch::new("dir");
    fs::create_dir(s.dir.join("pkg.py")).expect("mkdir");
    for cmd in ["run", "dis"] {
        let o = jitlens(&s.dir, &[cmd, "pkg.py"]);
        assert_clear_one_line_error(&o, "pkg.py");
        o.assert_code(2);
        assert!(o.stderr.contains("Is a directory"), "{}", o.show());
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new("noperm");
    let path = s.write("secret.py", "print('should not run')\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&path).is_ok() {
        // Root (or a capability) ignores file modes: nothing to test.
        eprintln!("note: running with privileges that bypass file modes; skipped");
        return;
    }
    for cmd in ["run", "dis"] {
        let o = jitlens(&s.dir, &[cmd, "secret.py"]);
        assert_clear_one_line_error(&o, "secret.py");
        o.assert_code(2);
        assert_eq!(
            o.stderr.trim_end(),
            "jitlens: can't open file 'secret.py': [Errno 13] Permission denied",
            "{}",
            o.show()
        );
    }
}

#[test]
fn non_utf8_file() {
    let (s, o) = run_source("latin.py", b"s = '\xff\xfe caf\xe9'\nprint(s)\n", &[]);
    assert_clear_one_line_error(&o, "latin.py");
    // CPython: exit 1 with a SyntaxError about the non-UTF-8 byte.
    o.assert_code(1);
    assert!(o.stderr.contains("UTF-8"), "{}", o.show());
    let d = jitlens(&s.dir, &["dis", "latin.py"]);
    assert_clear_one_line_error(&d, "latin.py");
}

#[test]
fn utf8_bom_and_crlf_run() {
    // CPython accepts a UTF-8 byte order mark, CRLF line ends and no final newline.
    let (_s, o) = run_source("bom.py", b"\xef\xbb\xbfx = 1\r\nprint(x)\r\nprint(2)", &[]);
    o.assert_no_crash();
    o.assert_code(0);
    assert_eq!(o.stdout, "1\n2\n", "{}", o.show());
    assert!(o.stderr.is_empty(), "{}", o.show());
}

#[test]
fn unknown_x_option() {
    let s = Scratch::new("xopt");
    s.write("prog.py", "print('ran')\n");
    let o = jitlens(&s.dir, &["run", "-X", "unknownoption", "prog.py"]);
    o.assert_no_crash();
    o.assert_code(2);
    assert!(
        o.stderr.contains("unknownoption"),
        "the message should name the option:\n{}",
        o.show()
    );
    assert!(
        o.stdout.is_empty(),
        "the program must not run:\n{}",
        o.show()
    );
}

#[test]
fn known_x_option_runs() {
    let s = Scratch::new("xstats");
    s.write("prog.py", "print('ran')\n");
    let o = jitlens(&s.dir, &["run", "-X", "stats", "prog.py"]);
    o.assert_no_crash();
    o.assert_code(0);
    assert_eq!(o.stdout, "ran\n", "{}", o.show());
}

const PRINT_ARGV: &str = "import sys\nprint(sys.argv)\n";

fn check_argv(args: &[&str], expected: &str) {
    let (s, o) = run_source("prog.py", PRINT_ARGV, args);
    o.assert_no_crash();
    o.assert_code(0);
    assert_eq!(o.stdout.trim_end(), expected, "{}", o.show());
    assert!(o.stderr.is_empty(), "{}", o.show());
    if let Some(py) = python311(&s.dir, &[&["prog.py"], args].concat()) {
        assert_eq!(o.stdout, py.stdout, "CPython:\n{}", py.show());
    }
}

#[test]
fn argv_is_file_then_args() {
    check_argv(&["a", "-b", "--c"], "['prog.py', 'a', '-b', '--c']");
}

#[test]
fn argv_options_after_the_file_belong_to_the_program() {
    check_argv(
        &["-v", "x y", "", "héllo", "-X", "stats", "--help", "--"],
        "['prog.py', '-v', 'x y', '', 'héllo', '-X', 'stats', '--help', '--']",
    );
    check_argv(&["a", "-X", "stats"], "['prog.py', 'a', '-X', 'stats']");
}

#[test]
fn argv_no_args() {
    check_argv(&[], "['prog.py']");
}

#[test]
fn argv_jitlens_options_right_after_the_file_belong_to_the_program() {
    check_argv(&["-X", "stats"], "['prog.py', '-X', 'stats']");
    check_argv(&["--help"], "['prog.py', '--help']");
    check_argv(&["-h", "-V"], "['prog.py', '-h', '-V']");
    check_argv(&["--", "x"], "['prog.py', '--', 'x']");
}

// ---------------------------------------------------------------------------------------------
// Syntax errors and odd sources
// ---------------------------------------------------------------------------------------------

/// The `N` in `  File "...NAME", line N`, if `line` has that form.
fn file_line_number(line: &str, name: &str) -> Option<u32> {
    let rest = line.strip_prefix("  File \"")?;
    let (file, rest) = rest.split_once("\", line ")?;
    if !(file == name || file.ends_with(&format!("/{name}"))) {
        return None;
    }
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn is_caret_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| c == '^' || c == '~') && t.contains('^')
}

/// `source` must give a syntax error in CPython's form, exit 1, and (with python3 3.11) the
/// same line number, source line, caret presence and last line as CPython.
fn check_syntax_error(source: &str) {
    let name = "x.py";
    let (s, o) = run_source(name, source, &[]);
    o.assert_no_crash();
    o.assert_code(1);
    assert!(o.stdout.is_empty(), "{}", o.show());
    let lines: Vec<&str> = o.stderr.lines().collect();
    let first = lines.first().copied().unwrap_or("");
    let lineno = file_line_number(first, name);
    assert!(
        lineno.is_some(),
        "stderr should start with `  File \"x.py\", line N`:\n{}",
        o.show()
    );
    let last = o.last_stderr_line();
    assert!(
        ["SyntaxError: ", "IndentationError: ", "TabError: "]
            .iter()
            .any(|p| last.starts_with(p)),
        "the last line should be `SyntaxError: ...`:\n{}",
        o.show()
    );
    assert!(
        !o.stderr.contains(TRACEBACK_HEADER),
        "a syntax error in the main file has no traceback header:\n{}",
        o.show()
    );

    let Some(py) = python311(&s.dir, &[name]) else {
        return;
    };
    assert_eq!(py.code(), Some(1), "CPython itself:\n{}", py.show());
    assert_eq!(
        last,
        py.last_stderr_line(),
        "last line differs from CPython's\n jitlens: {}\n CPython: {}",
        o.show(),
        py.show()
    );
    let py_lines: Vec<&str> = py.stderr.lines().collect();
    let py_lineno = py_lines.first().and_then(|l| file_line_number(l, name));
    assert_eq!(
        lineno,
        py_lineno,
        "line number differs from CPython's\n jitlens: {}\n CPython: {}",
        o.show(),
        py.show()
    );
    if py_lines.len() >= 3 {
        assert_eq!(
            lines.get(1).map(|l| l.trim()),
            Some(py_lines[1].trim()),
            "the quoted source line differs from CPython's\n jitlens: {}\n CPython: {}",
            o.show(),
            py.show()
        );
    }
    if py_lines.iter().any(|l| is_caret_line(l)) {
        assert!(
            lines.iter().any(|l| is_caret_line(l)),
            "CPython shows a caret, jitlens does not\n jitlens: {}\n CPython: {}",
            o.show(),
            py.show()
        );
    }
}

#[test]
fn syntax_invalid() {
    check_syntax_error("x = 1\nx = = 1\n");
}

#[test]
fn syntax_invalid_keyword_use() {
    check_syntax_error("def f():\n    pass\nclass = 3\n");
}

#[test]
fn syntax_unclosed_paren() {
    check_syntax_error("print('a'\nx = 2\n");
}

#[test]
fn syntax_unclosed_bracket_at_eof() {
    check_syntax_error("x = [1, 2,\n");
}

#[test]
fn syntax_expected_indented_block() {
    check_syntax_error("if True:\nprint(1)\n");
}

#[test]
fn syntax_unexpected_indent() {
    check_syntax_error("x = 1\n    y = 2\n");
}

#[test]
fn syntax_unindent_mismatch() {
    check_syntax_error("if 1:\n    x = 1\n  y = 2\n");
}

#[test]
#[ignore = "bug: mixed tabs/spaces give `IndentationError: unindent does not match any outer indentation level`; CPython 3.11: `TabError: inconsistent use of tabs and spaces in indentation`"]
fn syntax_inconsistent_tabs() {
    check_syntax_error("if 1:\n        x = 1\n\ty = 2\n");
}

#[test]
fn syntax_return_outside_function() {
    check_syntax_error("x = 1\nreturn x\n");
}

#[test]
fn syntax_unterminated_string() {
    check_syntax_error("x = 'abc\nprint(x)\n");
}

#[test]
fn syntax_unterminated_triple_quoted_string() {
    check_syntax_error("x = 1\ny = \"\"\"abc\n\nprint(y)\n");
}

#[test]
fn syntax_lone_close_paren() {
    check_syntax_error(")\n");
}

#[test]
fn syntax_mismatched_brackets() {
    check_syntax_error("x = [1, 2)\n");
}

#[test]
fn syntax_nul_byte() {
    check_syntax_error("print('x')\0\n");
}

/// `source` must run cleanly: exit 0, `expected` on stdout, nothing on stderr.
fn check_clean_run(name: &str, source: &str, expected: &str) {
    let (_s, o) = run_source(name, source, &[]);
    o.assert_no_crash();
    o.assert_code(0);
    assert_eq!(o.stdout, expected, "{}", o.show());
    assert!(o.stderr.is_empty(), "{}", o.show());
}

#[test]
fn empty_file_runs() {
    check_clean_run("empty.py", "", "");
}

#[test]
fn only_comments_runs() {
    check_clean_run(
        "comments.py",
        "# a comment\n\n   # indented comment\n#!/not/a/shebang\n# no final newline",
        "",
    );
}

#[test]
fn blank_lines_and_whitespace_run() {
    check_clean_run("blank.py", "\n\n   \n\t\n\\\n\n", "");
}

#[test]
fn no_final_newline_runs() {
    check_clean_run("nonl.py", "print(1)\nif 1:\n    print(2)", "1\n2\n");
}

#[test]
fn huge_flat_expression() {
    // CPython 3.11 gives `RecursionError: maximum recursion depth exceeded during
    // compilation` here; a correct result is better, a clean error is acceptable.
    let source = format!("x = 1{}\nprint(x)\n", "+1".repeat(99_999));
    let (_s, o) = run_source("huge.py", source, &[]);
    o.assert_no_crash();
    match o.code() {
        Some(0) => assert_eq!(o.stdout, "100000\n", "{}", o.show()),
        Some(1) => assert!(
            o.last_stderr_line().contains("Error"),
            "a clean error line expected:\n{}",
            o.show()
        ),
        _ => panic!("expected exit 0 or 1:\n{}", o.show()),
    }
}

fn nested_parens(depth: usize) -> String {
    format!("print({}1{})\n", "(".repeat(depth), ")".repeat(depth))
}

fn nested_brackets(depth: usize) -> String {
    format!(
        "x = {}{}\nprint(len(x))\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// No crash: either the program runs (printing `expected`) or a syntax error in CPython's form.
fn check_runs_or_syntax_error(name: &str, source: &str, expected: &str) {
    let (_s, o) = run_source(name, source, &[]);
    o.assert_no_crash();
    match o.code() {
        Some(0) => assert_eq!(o.stdout, expected, "{}", o.show()),
        Some(1) => {
            let first = o.stderr.lines().next().unwrap_or("");
            assert!(
                file_line_number(first, name).is_some(),
                "CPython's form expected:\n{}",
                o.show()
            );
            assert!(
                o.last_stderr_line().starts_with("SyntaxError: "),
                "{}",
                o.show()
            );
        }
        _ => panic!("expected exit 0 or 1:\n{}", o.show()),
    }
}

#[test]
fn nested_parens_1000_no_crash() {
    check_runs_or_syntax_error("parens.py", &nested_parens(1000), "1\n");
}

#[test]
fn nested_brackets_1000_no_crash() {
    check_runs_or_syntax_error("brackets.py", &nested_brackets(1000), "1\n");
}

#[test]
fn nested_parens_150_runs() {
    // Below CPython's limit of 200 levels: CPython runs it, so must jitlens.
    check_clean_run("parens150.py", &nested_parens(150), "1\n");
}

#[test]
fn nested_parens_1000_matches_cpython() {
    check_syntax_error(&nested_parens(1000));
}

#[test]
fn nested_brackets_1000_matches_cpython() {
    check_syntax_error(&nested_brackets(1000));
}

#[test]
fn nested_parens_million_no_crash() {
    check_runs_or_syntax_error("parens1m.py", &nested_parens(1_000_000), "1\n");
}

#[test]
fn nested_brackets_million_no_crash() {
    check_runs_or_syntax_error("brackets1m.py", &nested_brackets(1_000_000), "1\n");
}

#[test]
fn many_unary_minus_no_crash() {
    let source = format!("x = {}1\nprint(x)\n", "-".repeat(100_000));
    check_runs_or_syntax_error("unary.py", &source, "1\n");
}

// ---------------------------------------------------------------------------------------------
// Runtime errors and deep recursion
// ---------------------------------------------------------------------------------------------

/// An uncaught `RecursionError`: exit 1, a traceback, and a last line starting with
/// `RecursionError: maximum recursion depth exceeded`.
fn check_recursion_error(name: &str, source: &str) -> Outcome {
    let (_s, o) = run_source(name, source, &[]);
    o.assert_no_crash();
    o.assert_code(1);
    assert!(
        o.stderr.starts_with(TRACEBACK_HEADER),
        "a traceback expected:\n{}",
        o.show()
    );
    assert!(
        o.last_stderr_line()
            .starts_with("RecursionError: maximum recursion depth exceeded"),
        "{}",
        o.show()
    );
    o
}

#[test]
fn unbounded_recursion() {
    let o = check_recursion_error("rec.py", "def f(n):\n    return f(n + 1)\n\nf(0)\n");
    assert_eq!(
        o.last_stderr_line(),
        "RecursionError: maximum recursion depth exceeded",
        "{}",
        o.show()
    );
}

#[test]
fn recursion_through_repr() {
    check_recursion_error(
        "rec_repr.py",
        "class A:\n    def __repr__(self):\n        return repr(self)\n\nrepr(A())\n",
    );
}

#[test]
fn recursion_through_str_format() {
    check_recursion_error(
        "rec_str.py",
        "class A:\n    def __str__(self):\n        return f'<{self}>'\n\nprint(A())\n",
    );
}

#[test]
fn recursion_through_eq() {
    check_recursion_error(
        "rec_eq.py",
        "class B:\n    def __eq__(self, other):\n        return self == other\n\nB() == B()\n",
    );
}

#[test]
fn recursion_through_eq_in_list_search() {
    check_recursion_error(
        "rec_in.py",
        "class B:\n    def __eq__(self, other):\n        return self in [other]\n\nB() in [B()]\n",
    );
}

#[test]
fn recursion_through_sorted_key() {
    check_recursion_error(
        "rec_sorted.py",
        "def k(x):\n    return sorted([x, x], key=k)\n\nk(1)\n",
    );
}

#[test]
fn recursion_through_hash_and_getattr() {
    check_recursion_error(
        "rec_hash.py",
        "class H:\n    def __hash__(self):\n        return hash(self)\n\n{H(): 1}\n",
    );
    check_recursion_error(
        "rec_getattr.py",
        "class G:\n    def __getattr__(self, name):\n        return self.missing\n\nG().x\n",
    );
}

#[test]
fn deep_nested_list_repr_no_crash() {
    // CPython 3.11 raises RecursionError; a full repr is also acceptable.
    let source = "l = []\nfor _ in range(100000):\n    l = [l]\nprint(len(repr(l)))\n";
    let (_s, o) = run_source("nest_repr.py", source, &[]);
    o.assert_no_crash();
    match o.code() {
        Some(0) => assert_eq!(o.stdout, "200002\n", "{}", o.show()),
        _ => assert!(
            o.last_stderr_line()
                .starts_with("RecursionError: maximum recursion depth exceeded"),
            "{}",
            o.show()
        ),
    }
}

#[test]
fn deep_nested_list_eq_no_crash() {
    let source =
        "a = []\nb = []\nfor _ in range(1000000):\n    a = [a]\n    b = [b]\nprint(a == b)\n";
    let (_s, o) = run_source("nest_eq.py", source, &[]);
    o.assert_no_crash();
    match o.code() {
        Some(0) => assert_eq!(o.stdout, "True\n", "{}", o.show()),
        _ => assert!(
            o.last_stderr_line()
                .starts_with("RecursionError: maximum recursion depth exceeded"),
            "{}",
            o.show()
        ),
    }
}

#[test]
fn deep_nested_containers_are_freed_without_crash() {
    let source = "l = []\nfor _ in range(1000000):\n    l = [l]\nl = None\n\
                  d = {}\nfor _ in range(1000000):\n    d = {'k': d}\ndel d\nprint('ok')\n";
    check_clean_run("nest_free.py", source, "ok\n");
}

/// Works (printing `expected`) or raises RecursionError; never a crash.
fn check_deep_with_high_limit(name: &str, source: &str, expected: &str) {
    let (_s, o) = run_source(name, source, &[]);
    o.assert_no_crash();
    match o.code() {
        Some(0) => assert_eq!(o.stdout, expected, "{}", o.show()),
        Some(1) => assert!(
            o.last_stderr_line()
                .starts_with("RecursionError: maximum recursion depth exceeded"),
            "{}",
            o.show()
        ),
        _ => panic!("expected exit 0 or 1:\n{}", o.show()),
    }
}

#[test]
fn high_recursion_limit_python_frames() {
    check_deep_with_high_limit(
        "deep.py",
        "import sys\nsys.setrecursionlimit(100000)\n\
         def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\n\nprint(f(50000))\n",
        "50000\n",
    );
}

#[test]
fn high_recursion_limit_through_native_calls() {
    // CPython 3.11 itself segfaults on this one.
    check_deep_with_high_limit(
        "deep_sorted.py",
        "import sys\nsys.setrecursionlimit(100000)\n\
         def k(n):\n    return 0 if n == 0 else sorted([n], key=lambda m: k(m - 1))[0] + 1\n\n\
         print(k(50000))\n",
        "50000\n",
    );
    check_deep_with_high_limit(
        "deep_repr.py",
        "import sys\nsys.setrecursionlimit(100000)\n\
         class A:\n    def __init__(self, n):\n        self.n = n\n\
         \x20   def __repr__(self):\n        return '(' + (repr(A(self.n - 1)) if self.n else '') + ')'\n\n\
         print(len(repr(A(50000))))\n",
        "100002\n",
    );
}

#[test]
fn uncaught_exception() {
    let source = "print('before')\ndef f():\n    return 1 / 0\n\nf()\nprint('after')\n";
    let (s, o) = run_source("boom.py", source, &[]);
    o.assert_no_crash();
    o.assert_code(1);
    assert_eq!(
        o.stdout,
        "before\n",
        "output before the exception goes to stdout:\n{}",
        o.show()
    );
    assert!(
        o.stderr.starts_with(TRACEBACK_HEADER),
        "traceback on stderr:\n{}",
        o.show()
    );
    assert!(
        !o.stdout.contains("Traceback"),
        "no traceback on stdout:\n{}",
        o.show()
    );
    assert_eq!(
        o.last_stderr_line(),
        "ZeroDivisionError: division by zero",
        "{}",
        o.show()
    );
    for frame in [
        "  File \"boom.py\", line 5, in <module>",
        "  File \"boom.py\", line 3, in f",
    ] {
        assert!(
            o.stderr.lines().any(|l| l == frame),
            "missing frame {frame:?}:\n{}",
            o.show()
        );
    }
    if let Some(py) = python311(&s.dir, &["boom.py"]) {
        assert_eq!(o.stdout, py.stdout);
        assert_eq!(o.last_stderr_line(), py.last_stderr_line());
    }
}

#[test]
fn sys_exit_code_and_message() {
    let (_s, o) = run_source("exit.py", "import sys\nprint('out')\nsys.exit(3)\n", &[]);
    o.assert_no_crash();
    o.assert_code(3);
    assert_eq!(o.stdout, "out\n", "{}", o.show());
    let (_s, o) = run_source("exitmsg.py", "import sys\nsys.exit('bye')\n", &[]);
    o.assert_no_crash();
    o.assert_code(1);
    assert_eq!(o.stderr.trim_end(), "bye", "{}", o.show());
}

// ---------------------------------------------------------------------------------------------
// dis
// ---------------------------------------------------------------------------------------------

#[test]
fn dis_prints_every_code_object() {
    let s = Scratch::new("dis");
    s.write(
        "prog.py",
        "def f(a):\n    return a + 1\n\nclass C:\n    def m(self):\n        return 2\n\nprint(f(1))\n1 / 0\n",
    );
    let o = jitlens(&s.dir, &["dis", "prog.py"]);
    o.assert_no_crash();
    o.assert_code(0);
    assert!(
        o.stderr.is_empty(),
        "dis must not run the program:\n{}",
        o.show()
    );
    for needle in [
        "Disassembly of",
        "<module>",
        "code object f",
        "code object m",
        "LOAD_FAST",
        "LOAD_CONST",
        "RETURN_VALUE",
        "BINARY_OP",
    ] {
        assert!(
            o.stdout.contains(needle),
            "dis output should contain {needle:?}:\n{}",
            o.show()
        );
    }
    let headers = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("Disassembly of"))
        .count();
    assert!(
        headers >= 4,
        "module, f, C and C.m: {headers} headers:\n{}",
        o.show()
    );
    // Line numbers: a line-starting op reads `  2           1 LOAD_FAST ...` (line, offset,
    // op); the others `              2 LOAD_CONST ...` (offset, op).
    let op_lines: Vec<u32> = o
        .stdout
        .lines()
        .filter_map(|l| {
            let words: Vec<&str> = l.split_whitespace().filter(|w| *w != ">>").collect();
            let is_op = |w: &&str| w.chars().all(|c| c.is_ascii_uppercase() || c == '_');
            match words.as_slice() {
                [line, offset, op, ..] if offset.parse::<u32>().is_ok() && is_op(op) => {
                    line.parse().ok()
                }
                _ => None,
            }
        })
        .collect();
    for line in [1, 2, 4, 5, 6, 8, 9] {
        assert!(
            op_lines.contains(&line),
            "no op attributed to line {line} (lines seen: {op_lines:?}):\n{}",
            o.show()
        );
    }
    let return_line = o
        .stdout
        .lines()
        .find(|l| l.contains("LOAD_FAST"))
        .unwrap_or("");
    assert!(
        return_line.contains("(a)"),
        "LOAD_FAST should name the local:\n{}",
        o.show()
    );
}

#[test]
fn dis_syntax_error() {
    let s = Scratch::new("dissyntax");
    s.write("bad.py", "x = 1\nx = = 1\n");
    let o = jitlens(&s.dir, &["dis", "bad.py"]);
    o.assert_no_crash();
    o.assert_code(1);
    assert!(o.stdout.is_empty(), "{}", o.show());
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "  File \"bad.py\", line 2",
            "    x = = 1",
            "        ^",
            "SyntaxError: invalid syntax"
        ],
        "{}",
        o.show()
    );
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

#[test]
fn hundred_thousand_lines_all_arrive() {
    let (_s, o) = run_source("lines.py", "for i in range(100000):\n    print(i)\n", &[]);
    o.assert_no_crash();
    o.assert_code(0);
    assert!(o.stderr.is_empty(), "{}", o.show());
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 100_000, "{}", o.show());
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(*l, i.to_string(), "line {i}");
    }
    assert!(o.stdout.ends_with("99999\n"));
}

#[test]
fn stdout_and_stderr_are_separate_and_complete_before_a_crash_exit() {
    let source = "import sys\nfor i in range(50000):\n    print(i)\n\
                  sys.stderr.write('to stderr\\n')\nraise ValueError('late')\n";
    let (_s, o) = run_source("mixed.py", source, &[]);
    o.assert_no_crash();
    o.assert_code(1);
    assert_eq!(o.stdout.lines().count(), 50_000, "{}", o.show());
    assert!(o.stdout.ends_with("49999\n"), "{}", o.show());
    assert!(o.stderr.starts_with("to stderr\n"), "{}", o.show());
    assert_eq!(o.last_stderr_line(), "ValueError: late", "{}", o.show());
}

#[test]
fn stdout_closed_early_no_panic() {
    // `jitlens run many.py | head -1`
    let s = Scratch::new("pipe");
    s.write("many.py", "for i in range(10**7):\n    print(i)\n");
    let what = "jitlens run many.py | head -1";
    let mut child = Command::new(jitlens_bin())
        .args(["run", "many.py"])
        .current_dir(&s.dir)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn jitlens");
    let err = read_all(child.stderr.take().expect("stderr"));
    {
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        reader.read_line(&mut first).expect("read first line");
        assert_eq!(first, "0\n", "{what}");
        // Dropping the reader closes the pipe, as `head` does after one line.
    }
    let status = wait_with_timeout(&mut child, what);
    let o = Outcome {
        what: what.to_string(),
        status,
        stdout: String::new(),
        stderr: err.join().expect("stderr reader"),
    };
    // Death by SIGPIPE would be acceptable for a CLI tool; a Rust panic is not.
    for marker in CRASH_MARKERS {
        assert!(
            !o.stderr.contains(marker),
            "stderr contains {marker:?}:\n{}",
            o.show()
        );
    }
    assert_ne!(o.code(), Some(70), "{}", o.show());
}

// ---------------------------------------------------------------------------------------------
// Quickening
// ---------------------------------------------------------------------------------------------

const HOT_LOOP: &str = "def f(n):\n    t = 0\n    x = 0.5\n    for i in range(n):\n        t = t + i\n        x = x * 1.5\n    return t\nprint(f(1000))\n";

#[test]
fn dis_specialized_runs_the_program_and_shows_quickened_ops() {
    let scratch = Scratch::new("dis_spec");
    scratch.write("hot.py", HOT_LOOP);
    // The interpreter runs the loop (the JIT, under JITLENS_JIT=always, would compile it
    // before it quickens).
    let out = jitlens(
        &scratch.dir,
        &["dis", "--specialized", "-X", "jit=off", "hot.py"],
    );
    out.assert_no_crash();
    out.assert_code(0);
    assert!(out.stdout.starts_with("499500\n"), "{}", out.show());
    for op in [
        "BINARY_OP_ADD_INT",
        "BINARY_OP_MULTIPLY_FLOAT",
        "FOR_ITER_RANGE",
        "specialized",
    ] {
        assert!(out.stdout.contains(op), "missing {op}:\n{}", out.show());
    }
}

/// A local read as the second half of `LOAD_FAST__LOAD_FAST`, on a line of its own.
const PAIR_UNBOUND: &str = "def g(flag):\n    if flag:\n        q = 1\n    w = 5\n    return (w,\n            q)\n\nprint(g(True))\ng(False)\n";

#[test]
fn superinstructions_are_quickening_and_name_the_instruction_that_raised() {
    let scratch = Scratch::new("superinstr");
    scratch.write("pair.py", PAIR_UNBOUND);
    let on = jitlens(
        &scratch.dir,
        &["dis", "--specialized", "-X", "jit=off", "pair.py"],
    );
    on.assert_no_crash();
    on.assert_code(1);
    assert!(on.stdout.starts_with("(5, 1)\n"), "{}", on.show());
    for op in ["LOAD_FAST__LOAD_FAST", "STORE_FAST__LOAD_FAST"] {
        assert!(on.stdout.contains(op), "missing {op}:\n{}", on.show());
    }
    // The error comes from the pair's second half: the traceback names its line (6), not
    // the pair's first (5).
    assert!(on.stderr.contains("line 6, in g\n    q)"), "{}", on.show());
    assert!(
        on.stderr.ends_with(
            "UnboundLocalError: cannot access local variable 'q' where it is not associated with a value\n"
        ),
        "{}",
        on.show()
    );
    let off = jitlens(
        &scratch.dir,
        &[
            "dis",
            "--specialized",
            "-X",
            "jit=off",
            "-X",
            "specialize=off",
            "pair.py",
        ],
    );
    off.assert_code(1);
    assert!(!off.stdout.contains("__LOAD_FAST"), "{}", off.show());
    assert!(off.stderr.contains("line 6, in g"), "{}", off.show());
}

#[test]
fn stats_report_specialization_and_off_turns_it_off() {
    let (scratch, on) = run_source("stats_on.py", HOT_LOOP, &[]);
    drop(scratch);
    on.assert_code(0);
    let scratch = Scratch::new("stats");
    scratch.write("hot.py", HOT_LOOP);
    // Tier-0 counts: the JIT stays off (it would run the loop instead).
    let on = jitlens(
        &scratch.dir,
        &["run", "-X", "stats", "-X", "jit=off", "hot.py"],
    );
    on.assert_code(0);
    assert!(on.stderr.contains("BINARY_OP"), "{}", on.show());
    let off = jitlens(
        &scratch.dir,
        &[
            "run",
            "-X",
            "stats",
            "-X",
            "specialize=off",
            "-X",
            "jit=off",
            "hot.py",
        ],
    );
    off.assert_code(0);
    assert_eq!(on.stdout, off.stdout);
    let line = off
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("BINARY_OP"))
        .unwrap_or("");
    let specialized: u64 = line
        .split_whitespace()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    assert_eq!(specialized, 0, "{}", off.show());
}

#[test]
fn stencils_lists_the_jit_stencils_with_their_holes() {
    let scratch = Scratch::new("stencils");
    let out = jitlens(&scratch.dir, &["stencils"]);
    out.assert_code(0);
    for needle in [
        "TIER0",
        "EXIT",
        "LOAD_FAST",
        "BINARY_OP_ADD_INT",
        "COMPARE_OP_FLOAT",
        "RETURN_VALUE",
        "JIT_CONTINUE",
        "R_X86_64_PLT32",
        "jit_tier0_step",
    ] {
        assert!(
            out.stdout.contains(needle),
            "missing {needle}:\n{}",
            out.show()
        );
    }
    let only = jitlens(&scratch.dir, &["stencils", "float", "--bytes"]);
    only.assert_code(0);
    assert!(
        only.stdout.contains("BINARY_OP_ADD_FLOAT"),
        "{}",
        only.show()
    );
    assert!(!only.stdout.contains("\nLOAD_FAST "), "{}", only.show());
    let none = jitlens(&scratch.dir, &["stencils", "NO_SUCH_OP"]);
    none.assert_code(1);
    assert!(
        none.stderr.contains("no stencil matches"),
        "{}",
        none.show()
    );
}

/// While JIT code runs (inside a compiled loop), no mapping of the process is writable and
/// executable at once, and the JIT code itself is there as a read-execute map of shared
/// anonymous memory (the execute view of the code arena: `/dev/zero (deleted)`).
#[test]
fn jit_code_is_never_writable_and_executable() {
    let src = "def hot(n):\n    t = 0\n    for i in range(n):\n        t += i * 2\n        if i == n - 1:\n            with open('/proc/self/maps') as f:\n                maps = f.read()\n    return t, maps\nt, maps = hot(5000)\nrows = [l.split() for l in maps.splitlines()]\nwx = [r for r in rows if 'w' in r[1] and 'x' in r[1]]\nanon_rx = [r for r in rows if r[1] == 'r-xs' and r[5:6] == ['/dev/zero']]\nprint(t, len(wx), len(anon_rx) > 0)\n";
    let scratch = Scratch::new("wx");
    scratch.write("wx.py", src);
    let out = jitlens(&scratch.dir, &["run", "-X", "jit=always", "wx.py"]);
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "24995000 0 True", "{}", out.show());
}

#[test]
fn dis_jit_shows_machine_code_per_instruction() {
    let scratch = Scratch::new("disjit");
    scratch.write("hot.py", HOT_LOOP);
    let out = jitlens(
        &scratch.dir,
        &["dis", "--jit", "-X", "jit=always", "hot.py"],
    );
    out.assert_code(0);
    for needle in [
        "JIT code of <code object",
        "BINARY_OP",
        "fast,",
        "jmp",
        "side exit",
    ] {
        assert!(
            out.stdout.contains(needle),
            "missing {needle}:\n{}",
            out.show()
        );
    }
    let off = jitlens(&scratch.dir, &["dis", "--jit", "-X", "jit=off", "hot.py"]);
    off.assert_code(0);
    assert!(
        off.stdout.contains("No code object was compiled"),
        "{}",
        off.show()
    );
}

#[test]
fn jit_options_are_checked() {
    let scratch = Scratch::new("jitopts");
    scratch.write("p.py", "print(1)\n");
    for bad in ["jit=sometimes", "jit-threshold=-1", "jit-threshold=x"] {
        let out = jitlens(&scratch.dir, &["run", "-X", bad, "p.py"]);
        out.assert_code(2);
        assert!(out.stderr.contains("unknown -X option"), "{}", out.show());
    }
    for good in ["jit=off", "jit=on", "jit=always", "jit-threshold=0"] {
        let out = jitlens(&scratch.dir, &["run", "-X", good, "p.py"]);
        out.assert_code(0);
        assert_eq!(out.stdout, "1\n", "{}", out.show());
    }
}

/// Deep recursion in a traceback: three identical entries, then CPython's summary line.
#[test]
fn tracebacks_summarise_repeated_frames_like_cpython() {
    let src = "def r(n):\n    if n == 0: raise KeyError(n)\n    return r(n - 1)\nr(5)\n";
    let (_scratch, out) = run_source("rec.py", src, &[]);
    out.assert_code(1);
    assert_eq!(
        out.stderr.matches(", line 3, in r").count(),
        3,
        "{}",
        out.show()
    );
    assert!(
        out.stderr
            .contains("  [Previous line repeated 2 more times]\n"),
        "{}",
        out.show()
    );
    assert!(out.stderr.ends_with("KeyError: 0\n"), "{}", out.show());
}
