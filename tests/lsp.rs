//! `jitlens lsp` end to end: the real binary, spoken to over stdio by a small JSON-RPC
//! client (Content-Length framing), in a scratch workspace with a profile written by the
//! profile model.
//!
//! Every wait has a timeout, so a hung server fails the test instead of blocking it. The
//! client answers the server's requests (refreshes, progress tokens) with `null` and keeps
//! them, and every notification, for the assertions.

use jitlens_profiler::*;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Generous: the machine is shared.
const TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// A scratch workspace with a profile
// ---------------------------------------------------------------------------------------------

struct Workspace {
    dir: PathBuf,
}

impl Workspace {
    fn new(tag: &str) -> Workspace {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "jitlens-lsp-{}-{tag}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The profile names files by their canonical path.
        let dir = std::fs::canonicalize(&dir).unwrap();
        Workspace { dir }
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn profile_path(&self) -> PathBuf {
        self.dir.join(".jitlens/profile.json")
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.dir.join(name).display())
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const HOT_PY: &str = "def mul(n):
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

/// A profile of `source` at `path`: 1000 samples, `hot` samples on line 4 (1-based) in
/// tier 1, 120 on line 3 split between tiers, 50 on line 8 in tier 0, a side-exiting site
/// on line 4.
fn hot_profile(path: &Path, source: &str, hot: u64) -> Profile {
    let mut p = Profile::new(RunInfo {
        program: "hot.py".into(),
        samples: 1000,
        duration_ms: 100.0,
        jit: "on".into(),
        jit_threshold: 1000,
        ..RunInfo::default()
    });
    p.files.push(SourceFile {
        path: path.to_string_lossy().into_owned(),
        sha256: hash_source(source.as_bytes()),
        line_count: source.lines().count() as u32,
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
        f("<module>", 1, 0, None),
        f(
            "mul",
            1,
            120 + hot,
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
        line(4, 1, vec![op("BINARY_OP_MULTIPLY_FLOAT", 1, Jit, hot)]),
        line(8, 2, vec![op("CALL_PY_EXACT_ARGS", 0, Interpreter, 50)]),
    ];
    p.sites = vec![Site {
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
        side_exits: 2500,
    }];
    p
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Requests the server sent us (answered with null).
    server_requests: Vec<Value>,
    /// Notifications the server sent us.
    notifications: Vec<Value>,
    /// Responses not yet asked for.
    responses: VecDeque<Value>,
}

/// Reads Content-Length framed messages until EOF.
fn read_messages(stdout: impl Read, tx: std::sync::mpsc::Sender<Value>) {
    let mut r = BufReader::new(stdout);
    loop {
        let mut len = None;
        loop {
            let mut line = String::new();
            match r.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                len = v.trim().parse::<usize>().ok();
            }
        }
        let Some(len) = len else { return };
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let v: Value = serde_json::from_slice(&body).expect("the server sent invalid JSON");
        if tx.send(v).is_err() {
            return;
        }
    }
}

impl Client {
    fn start(ws: &Workspace) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jitlens"))
            .arg("lsp")
            .current_dir(&ws.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn jitlens lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || read_messages(stdout, tx));
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            server_requests: Vec::new(),
            notifications: Vec::new(),
            responses: VecDeque::new(),
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, v: &Value) {
        self.send_raw(v.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request_id(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Takes the next message, answering server requests; `None` on timeout.
    fn pump(&mut self, deadline: Instant) -> Option<()> {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = match self.rx.recv_timeout(left) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its stdout"),
        };
        match (v.get("method"), v.get("id")) {
            (Some(_), Some(id)) => {
                let id = id.clone();
                self.server_requests.push(v);
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            (Some(_), None) => self.notifications.push(v),
            (None, _) => self.responses.push_back(v),
        }
        Some(())
    }

    /// The whole response to request `id`.
    fn response(&mut self, id: Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.responses.iter().position(|r| r["id"] == id) {
                return self.responses.remove(i).unwrap();
            }
            self.pump(deadline)
                .unwrap_or_else(|| panic!("no response to request {id} in {TIMEOUT:?}"));
        }
    }

    /// The result of a request (panics on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_id(method, params);
        let r = self.response(json!(id));
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Waits until `pred` holds for a notification or server request received since
    /// `from` (an index into the combined log); returns it.
    fn wait_for(&mut self, what: &str, mut pred: impl FnMut(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen_n = 0;
        let mut seen_r = 0;
        loop {
            if let Some(v) = self.notifications[seen_n..].iter().find(|v| pred(v)) {
                return v.clone();
            }
            seen_n = self.notifications.len();
            if let Some(v) = self.server_requests[seen_r..].iter().find(|v| pred(v)) {
                return v.clone();
            }
            seen_r = self.server_requests.len();
            self.pump(deadline)
                .unwrap_or_else(|| panic!("timed out waiting for {what}"));
        }
    }

    /// Forgets what was received so far (so a later wait sees only new messages).
    fn clear_log(&mut self) {
        self.notifications.clear();
        self.server_requests.clear();
    }

    fn initialize(&mut self, ws: &Workspace, options: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": format!("file://{}", ws.dir.display()),
                "initializationOptions": options,
                "capabilities": {
                    "workspace": {
                        "inlayHint": {"refreshSupport": true},
                        "codeLens": {"refreshSupport": true}
                    },
                    "window": {"workDoneProgress": true}
                }
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    fn hints(&mut self, uri: &str, lines: u32) -> Vec<(u64, u64, String)> {
        let r = self.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}}),
        );
        r.as_array()
            .map(|a| {
                a.iter()
                    .map(|h| {
                        (
                            h["position"]["line"].as_u64().unwrap(),
                            h["position"]["character"].as_u64().unwrap(),
                            h["label"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "jitlens lsp exited with {status}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "jitlens lsp did not exit after `exit`"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> Value {
    json!({"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
           "text": text})
}

fn is_diagnostics_for<'a>(uri: &'a str) -> impl FnMut(&Value) -> bool + 'a {
    move |v| v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
}

/// A workspace with hot.py and its profile, and a server initialized on it with hot.py open.
fn started(tag: &str) -> (Workspace, Client, String) {
    let ws = Workspace::new(tag);
    let path = ws.file("hot.py", HOT_PY);
    save(&hot_profile(&path, HOT_PY, 800), &ws.profile_path()).unwrap();
    let mut c = Client::start(&ws);
    c.initialize(&ws, json!({}));
    let uri = ws.uri("hot.py");
    c.open(&uri, HOT_PY);
    (ws, c, uri)
}

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

#[test]
fn initialize_open_hints_hover_lens_and_diagnostics() {
    let ws = Workspace::new("basic");
    let path = ws.file("hot.py", HOT_PY);
    save(&hot_profile(&path, HOT_PY, 800), &ws.profile_path()).unwrap();
    let mut c = Client::start(&ws);
    let init = c.initialize(&ws, json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["inlayHintProvider"], true, "{init}");
    assert_eq!(caps["hoverProvider"], true, "{init}");
    assert_eq!(
        caps["textDocumentSync"]["change"], 2,
        "incremental sync: {init}"
    );
    assert_eq!(
        caps["executeCommandProvider"]["commands"][0],
        "jitlens.profileFile"
    );
    let log = c.wait_for("the load message", |v| v["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("loaded profile"),
        "{log}"
    );

    let uri = ws.uri("hot.py");
    c.open(&uri, HOT_PY);
    let d = c.wait_for("diagnostics", is_diagnostics_for(&uri));
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    let codes: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(codes, [(3, "side-exits"), (7, "stayed-in-tier-0")], "{d}");
    assert_eq!(diags[0]["severity"], 3, "information: {d}");
    assert!(diags[0]["message"].as_str().unwrap().contains("2500 times"));

    assert_eq!(
        c.hints(&uri, 10),
        [
            (
                2,
                22,
                "12.0% FOR_ITER_RANGE · jit 75% / interp 25%".to_string()
            ),
            (3, 21, "80.0% BINARY_OP_MULTIPLY_FLOAT · jit".to_string()),
            (7, 18, "5.0% CALL_PY_EXACT_ARGS · interp".to_string()),
        ]
    );
    // A range request gets the hints of its lines only.
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 3, "character": 0}, "end": {"line": 4, "character": 0}}}),
    );
    assert_eq!(r.as_array().unwrap().len(), 1, "{r}");

    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 4}}),
    );
    let md = h["contents"]["value"].as_str().unwrap();
    assert_eq!(h["contents"]["kind"], "markdown");
    assert!(
        md.contains("**80.0%** of samples (800 of 1000) · in `mul`"),
        "{md}"
    );
    assert!(
        md.contains("| `BINARY_OP_MULTIPLY_FLOAT` | jit | jit | 100.0% | 800 |"),
        "{md}"
    );
    assert!(md.contains("| 1/1 | 0 | 0 | 2500 |"), "{md}");
    // A cold line has no hover.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(h, Value::Null);

    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let titles: Vec<_> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["command"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            (
                0,
                "jitlens: 92.0% of samples · tier 1 at 12.5 ms · compiled in 45 µs · 1234 bytes"
            ),
            (6, "jitlens: 5.0% of samples · tier 0 only (never compiled)"),
        ]
    );
    c.shutdown();
}

#[test]
fn a_profile_change_triggers_refresh_and_new_hints() {
    let (ws, mut c, uri) = started("refresh");
    assert_eq!(
        c.hints(&uri, 10)[1].2,
        "80.0% BINARY_OP_MULTIPLY_FLOAT · jit"
    );
    c.clear_log();
    let path = ws.dir.join("hot.py");
    save(&hot_profile(&path, HOT_PY, 300), &ws.profile_path()).unwrap();
    c.wait_for("an inlay hint refresh", |v| {
        v["method"] == "workspace/inlayHint/refresh"
    });
    c.wait_for("a code lens refresh", |v| {
        v["method"] == "workspace/codeLens/refresh"
    });
    assert_eq!(
        c.hints(&uri, 10)[1].2,
        "30.0% BINARY_OP_MULTIPLY_FLOAT · jit"
    );
}

#[test]
fn edits_shift_hints_and_an_edited_hot_line_is_stale() {
    let (_ws, mut c, uri) = started("shift");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [edit(0, 0, 0, 0, "import math\n\n")]}),
    );
    let h = c.hints(&uri, 20);
    assert_eq!(
        h.iter().map(|h| h.0).collect::<Vec<_>>(),
        [4, 5, 9],
        "{h:?}"
    );
    // Editing the hot line itself: its hint stays on it, marked stale.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [edit(5, 21, 5, 21, "  # faster?")]}),
    );
    let h = c.hints(&uri, 20);
    assert_eq!(
        h[1],
        (
            5,
            32,
            "80.0% BINARY_OP_MULTIPLY_FLOAT · jit (stale)".to_string()
        )
    );
    // Deleting the loop's lines removes their hints; the line below moves up.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4},
               "contentChanges": [edit(4, 0, 6, 0, "")]}),
    );
    let h = c.hints(&uri, 20);
    assert_eq!(h, [(7, 18, "5.0% CALL_PY_EXACT_ARGS · interp".to_string())]);
    // The hover follows the shift too.
    let hv = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 0}}),
    );
    assert!(
        hv["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("CALL_PY_EXACT_ARGS")
    );
}

#[test]
fn a_file_changed_since_the_profile_gets_no_hints_and_a_stale_lens() {
    let (_ws, mut c, _) = started("stale");
    let uri2 = _ws.uri("hot.py");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri2}}),
    );
    let changed = HOT_PY.replace("1.01", "1.02");
    c.open(&uri2, &changed);
    assert_eq!(c.hints(&uri2, 10), []);
    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri2}}),
    );
    let l = &lenses.as_array().unwrap()[0];
    assert!(
        l["command"]["title"].as_str().unwrap().contains("stale"),
        "{l}"
    );
    assert_eq!(l["command"]["command"], "jitlens.profileFile");
    let d = c.wait_for("diagnostics", |v| {
        v["method"] == "textDocument/publishDiagnostics"
            && v["params"]["uri"] == uri2.as_str()
            && v["params"]["diagnostics"]
                .as_array()
                .is_some_and(|a| a.is_empty())
    });
    assert_eq!(d["params"]["diagnostics"], json!([]));
}

#[test]
fn malformed_json_unknown_methods_and_unopened_files_get_errors_or_nothing() {
    let (_ws, mut c, uri) = started("bad");
    c.send_raw(b"{this is not json");
    let r = c.response(Value::Null);
    assert_eq!(r["error"]["code"], -32700, "parse error: {r}");
    // Valid JSON that is not a message; a request whose method is not a string.
    c.send_raw(b"[1, 2, 3]");
    let r = c.response(Value::Null);
    assert_eq!(r["error"]["code"], -32600, "invalid request: {r}");
    c.send_raw(br#"{"jsonrpc": "2.0", "id": 99, "method": 5}"#);
    let r = c.response(json!(99));
    assert_eq!(r["error"]["code"], -32600, "invalid request: {r}");
    // A header block without Content-Length is skipped.
    c.stdin
        .as_mut()
        .unwrap()
        .write_all(b"X-Nonsense: 1\r\n\r\n")
        .unwrap();
    let id = c.request_id("jitlens/noSuchMethod", json!({}));
    let r = c.response(json!(id));
    assert_eq!(r["error"]["code"], -32601, "method not found: {r}");
    // A known method with nonsense params is invalid params, not a crash.
    let id = c.request_id("textDocument/inlayHint", json!({"textDocument": 7}));
    let r = c.response(json!(id));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let unopened = _ws.uri("nowhere.py");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": unopened}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r, Value::Null, "hover on an unopened file");
    assert_eq!(c.hints(&unopened, 10), []);
    let r = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": unopened}}),
    );
    assert_eq!(r, Value::Null);
    // A change to an unopened document and an out-of-range edit are ignored or clamped.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": unopened, "version": 2}, "contentChanges": [edit(0, 0, 0, 0, "x")]}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [edit(900, 5, 1000, 0, "\n# end")]}),
    );
    let id = c.request_id(
        "workspace/executeCommand",
        json!({"command": "jitlens.profileFile", "arguments": [42]}),
    );
    let r = c.response(json!(id));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Still serving.
    assert_eq!(c.hints(&uri, 20).len(), 3);
    c.shutdown();
}

#[test]
fn a_missing_then_corrupt_then_good_profile() {
    let ws = Workspace::new("corrupt");
    let path = ws.file("hot.py", HOT_PY);
    let mut c = Client::start(&ws);
    c.initialize(&ws, json!({}));
    let log = c.wait_for("a log message", |v| v["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no profile at"),
        "{log}"
    );
    let uri = ws.uri("hot.py");
    c.open(&uri, HOT_PY);
    assert_eq!(c.hints(&uri, 10), []);

    std::fs::create_dir_all(ws.profile_path().parent().unwrap()).unwrap();
    std::fs::write(
        ws.profile_path(),
        "{\"format\": \"jitlens-profile\", \"version\": 1, \"run\": [",
    )
    .unwrap();
    let log = c.wait_for("a complaint", |v| {
        v["method"] == "window/logMessage"
            && v["params"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("cannot use the profile")
    });
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("truncated"),
        "{log}"
    );
    assert_eq!(c.hints(&uri, 10), []);

    c.clear_log();
    save(&hot_profile(&path, HOT_PY, 800), &ws.profile_path()).unwrap();
    c.wait_for("a refresh", |v| {
        v["method"] == "workspace/inlayHint/refresh"
    });
    assert_eq!(c.hints(&uri, 10).len(), 3);
    c.shutdown();
}

#[test]
fn the_profile_setting_chooses_another_file() {
    let ws = Workspace::new("setting");
    let path = ws.file("hot.py", HOT_PY);
    save(&hot_profile(&path, HOT_PY, 800), &ws.dir.join("other.json")).unwrap();
    let mut c = Client::start(&ws);
    c.initialize(&ws, json!({"profile": "other.json"}));
    let uri = ws.uri("hot.py");
    c.open(&uri, HOT_PY);
    assert_eq!(c.hints(&uri, 10).len(), 3);
    // didChangeConfiguration: a higher threshold, then a profile that is not there.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"jitlens": {"hintThreshold": 10}}}),
    );
    assert_eq!(c.hints(&uri, 10).len(), 2);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"jitlens": {"profile": "missing.json"}}}),
    );
    assert_eq!(c.hints(&uri, 10), []);
}

#[test]
fn a_50000_line_file_and_200_rapid_edits() {
    let ws = Workspace::new("big");
    let mut src = String::new();
    for i in 0..50_000 {
        src.push_str(&format!("x{i} = {i} * 2\n"));
    }
    let path = ws.file("big.py", &src);
    let mut p = hot_profile(&path, &src, 800);
    // Hot lines far down the file.
    for (l, line) in p.lines.iter_mut().zip([30_000u32, 40_000, 49_999]) {
        l.line = line;
    }
    save(&p, &ws.profile_path()).unwrap();
    let mut c = Client::start(&ws);
    c.initialize(&ws, json!({}));
    let uri = ws.uri("big.py");
    c.open(&uri, &src);
    let h = c.hints(&uri, 50_001);
    assert_eq!(
        h.iter().map(|h| h.0).collect::<Vec<_>>(),
        [29_999, 39_999, 49_998]
    );
    // 200 edits as fast as they can be written, each adding a line at the top; versions in
    // order. The next request must see all of them.
    for v in 0..200 {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v + 2},
                   "contentChanges": [edit(0, 0, 0, 0, &format!("# edit {v}\n"))]}),
        );
    }
    let h = c.hints(&uri, 50_201);
    assert_eq!(
        h.iter().map(|h| h.0).collect::<Vec<_>>(),
        [30_199, 40_199, 50_198]
    );
    assert_eq!(h[0].1, "x29999 = 29999 * 2".len() as u64);
    c.shutdown();
}

#[test]
fn profile_file_runs_record_with_progress_then_refreshes() {
    let ws = Workspace::new("record");
    let path = ws.file("hot.py", HOT_PY);
    let fixture = ws.dir.join("fixture.json");
    save(&hot_profile(&path, HOT_PY, 600), &fixture).unwrap();
    // A stand-in for `jitlens record -o OUT FILE`: copies the fixture to OUT, or fails.
    let script = ws.file(
        "fake-jitlens",
        &format!(
            "#!/bin/sh\n[ \"$1\" = record ] && [ \"$2\" = -o ] && [ $# = 4 ] || exit 9\n\
             case \"$4\" in *fail*) echo \"Traceback: boom in $4\" >&2; exit 1;; esac\n\
             mkdir -p \"$(dirname \"$3\")\" && cp '{}' \"$3\"\n",
            fixture.display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut c = Client::start(&ws);
    c.initialize(&ws, json!({"jitlensPath": script}));
    let uri = ws.uri("hot.py");
    c.open(&uri, HOT_PY);
    assert_eq!(c.hints(&uri, 10), []);
    c.clear_log();
    let r = c.request(
        "workspace/executeCommand",
        json!({"command": "jitlens.profileFile", "arguments": [uri]}),
    );
    assert_eq!(
        r["profile"],
        ws.profile_path().to_string_lossy().as_ref(),
        "{r}"
    );
    let create = c.wait_for("a progress token", |v| {
        v["method"] == "window/workDoneProgress/create"
    });
    let token = create["params"]["token"].clone();
    let is_progress = |kind: &'static str| {
        let token = token.clone();
        move |v: &Value| {
            v["method"] == "$/progress"
                && v["params"]["token"] == token
                && v["params"]["value"]["kind"] == kind
        }
    };
    let begin = c.wait_for("progress begin", is_progress("begin"));
    assert_eq!(begin["params"]["value"]["title"], "jitlens record");
    let end = c.wait_for("progress end", is_progress("end"));
    assert_eq!(end["params"]["value"]["message"], "profiled hot.py");
    c.wait_for("a refresh", |v| {
        v["method"] == "workspace/inlayHint/refresh"
    });
    assert_eq!(
        c.hints(&uri, 10)[1].2,
        "60.0% BINARY_OP_MULTIPLY_FLOAT · jit"
    );

    // A failing record is an error carrying its stderr; progress still ends.
    let bad = ws.uri("fail.py");
    c.clear_log();
    let id = c.request_id(
        "workspace/executeCommand",
        json!({"command": "jitlens.profileFile", "arguments": [bad]}),
    );
    let r = c.response(json!(id));
    assert_eq!(r["error"]["code"], -32803, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Traceback: boom in"),
        "{r}"
    );
    c.wait_for("progress end", |v| {
        v["method"] == "$/progress" && v["params"]["value"]["kind"] == "end"
    });
    c.shutdown();
}
