//! The `jitlens.profileFile` command: runs `jitlens record -o PROFILE [--freq HZ]
//! [-X jit=MODE] FILE` with progress notifications, then reloads the profile and refreshes
//! the editor.
//!
//! Its argument is the file's URI, or an object `{"uri": …, "frequency": HZ, "jit":
//! "on"|"off"|"always"}` (both optional). Options go before FILE: everything after it is
//! the program's. The binary is the `jitlensPath` setting, else the server's own executable
//! (the server runs as `jitlens lsp`). A failing record is an LSP error carrying its stderr.

use crate::server::{Server, lock};
use std::borrow::Cow;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, NumberOrString, Uri};

/// JSON-RPC's "request failed" (LSP 3.17): the request was valid but failed.
const REQUEST_FAILED: i64 = -32803;

/// The JIT modes `jitlens record -X jit=` takes.
const JIT_MODES: [&str; 3] = ["on", "off", "always"];

/// What the command's argument asks for.
#[derive(Debug, PartialEq)]
struct Request {
    file: PathBuf,
    frequency: Option<u32>,
    jit: Option<String>,
}

/// Reads the argument: a URI string, or an object with a `uri` field and optional
/// `frequency` (a positive integer, samples per second) and `jit` (a mode).
fn request(params: &ExecuteCommandParams) -> Result<Request> {
    let arg = params.arguments.first();
    let uri = arg
        .and_then(|a| a.as_str().or_else(|| a.get("uri").and_then(|u| u.as_str())))
        .ok_or_else(|| Error::invalid_params("jitlens.profileFile takes the file's URI"))?;
    let uri: Uri = uri
        .parse()
        .map_err(|_| Error::invalid_params(format!("not a URI: {uri}")))?;
    let file = uri
        .to_file_path()
        .map(|p| p.into_owned())
        .filter(|p| p.is_absolute())
        .ok_or_else(|| Error::invalid_params(format!("not a file URI: {}", uri.as_str())))?;
    let frequency = match arg.and_then(|a| a.get("frequency")) {
        None | Some(serde_json::Value::Null) => None,
        Some(f) => Some(
            f.as_u64()
                .filter(|&f| f > 0)
                .and_then(|f| u32::try_from(f).ok())
                .ok_or_else(|| {
                    Error::invalid_params(format!(
                        "frequency must be a positive whole number of samples per second, not {f}"
                    ))
                })?,
        ),
    };
    let jit = match arg.and_then(|a| a.get("jit")) {
        None | Some(serde_json::Value::Null) => None,
        Some(j) => Some(
            j.as_str()
                .filter(|j| JIT_MODES.contains(j))
                .map(str::to_string)
                .ok_or_else(|| {
                    Error::invalid_params(format!("jit must be on, off or always, not {j}"))
                })?,
        ),
    };
    Ok(Request {
        file,
        frequency,
        jit,
    })
}

/// The arguments of `jitlens` for a request writing to `out`.
fn record_args(req: &Request, out: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["record".into(), "-o".into(), out.into()];
    if let Some(f) = req.frequency {
        args.push("--freq".into());
        args.push(f.to_string().into());
    }
    if let Some(j) = &req.jit {
        args.push("-X".into());
        args.push(format!("jit={j}").into());
    }
    args.push(req.file.clone().into());
    args
}

fn failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: Cow::Owned(message),
        data: None,
    }
}

/// Runs the command (see the module comment).
pub async fn profile_file(
    server: &Server,
    params: ExecuteCommandParams,
) -> Result<Option<serde_json::Value>> {
    let req = request(&params)?;
    let file = req.file.clone();
    let exe = match lock(&server.state.settings).jitlens_path.clone() {
        Some(p) => PathBuf::from(p),
        None => std::env::current_exe()
            .map_err(|e| failed(format!("cannot find the jitlens binary: {e}")))?,
    };
    let out = lock(&server.state.profiles).path().to_path_buf();
    let root = lock(&server.state.root).clone();
    let support = *lock(&server.state.support);

    let client = &server.client;
    let token = match params.work_done_progress_params.work_done_token {
        Some(t) => Some(t),
        None if support.work_done_progress => {
            static NEXT: AtomicU64 = AtomicU64::new(1);
            let t = NumberOrString::String(format!(
                "jitlens-record-{}",
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            client
                .create_work_done_progress(t.clone())
                .await
                .ok()
                .map(|()| t)
        }
        None => None,
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let progress = match token {
        Some(t) => Some(
            client
                .progress(t, "jitlens record")
                .with_message(format!("profiling {name}"))
                .begin()
                .await,
        ),
        None => None,
    };
    let result = tokio::process::Command::new(&exe)
        .args(record_args(&req, &out))
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await;
    let outcome = match result {
        Err(e) => Err(failed(format!("cannot run {}: {e}", exe.display()))),
        Ok(o) if !o.status.success() => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            Err(failed(format!(
                "jitlens record {} failed ({}): {}",
                file.display(),
                o.status,
                stderr.trim_end()
            )))
        }
        Ok(_) => Ok(()),
    };
    if let Some(p) = progress {
        let msg = match &outcome {
            Ok(()) => format!("profiled {name}"),
            Err(_) => format!("profiling {name} failed"),
        };
        p.finish_with_message(msg).await;
    }
    outcome?;
    server.reload_if_changed().await;
    Ok(Some(
        serde_json::json!({ "profile": out.to_string_lossy() }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(arg: serde_json::Value) -> ExecuteCommandParams {
        ExecuteCommandParams {
            command: crate::lens::PROFILE_FILE.into(),
            arguments: vec![arg],
            work_done_progress_params: Default::default(),
        }
    }

    fn args(arg: serde_json::Value) -> Result<Vec<String>> {
        let req = request(&params(arg))?;
        Ok(record_args(&req, Path::new("/w/.jitlens/profile.json"))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect())
    }

    #[test]
    fn options_go_before_the_file() {
        assert_eq!(
            args(serde_json::json!("file:///w/hot.py")).unwrap(),
            ["record", "-o", "/w/.jitlens/profile.json", "/w/hot.py"]
        );
        assert_eq!(
            args(
                serde_json::json!({"uri": "file:///w/hot.py", "frequency": 2000, "jit": "always"})
            )
            .unwrap(),
            [
                "record",
                "-o",
                "/w/.jitlens/profile.json",
                "--freq",
                "2000",
                "-X",
                "jit=always",
                "/w/hot.py"
            ]
        );
        assert_eq!(
            args(serde_json::json!({"uri": "file:///w/hot.py", "frequency": null})).unwrap(),
            ["record", "-o", "/w/.jitlens/profile.json", "/w/hot.py"]
        );
    }

    #[test]
    fn bad_options_are_invalid_params() {
        for (arg, says) in [
            (
                serde_json::json!({"uri": "file:///w/a.py", "frequency": 0}),
                "frequency",
            ),
            (
                serde_json::json!({"uri": "file:///w/a.py", "frequency": "fast"}),
                "frequency",
            ),
            (
                serde_json::json!({"uri": "file:///w/a.py", "jit": "maybe"}),
                "jit must be",
            ),
            (serde_json::json!({"frequency": 10}), "URI"),
        ] {
            let e = args(arg.clone()).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidParams, "{arg}");
            assert!(e.message.contains(says), "{arg}: {}", e.message);
        }
    }
}
