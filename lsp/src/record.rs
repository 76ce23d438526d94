//! The `jitlens.profileFile` command: runs `jitlens record FILE -o PROFILE` with progress
//! notifications, then reloads the profile and refreshes the editor.
//!
//! The binary is the `jitlensPath` setting, else the server's own executable (the server
//! runs as `jitlens lsp`). A failing record is an LSP error carrying its stderr.

use crate::server::{Server, lock};
use std::borrow::Cow;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, NumberOrString, Uri};

/// JSON-RPC's "request failed" (LSP 3.17): the request was valid but failed.
const REQUEST_FAILED: i64 = -32803;

/// The file argument: a URI string, or an object with a `uri` field.
fn file_argument(params: &ExecuteCommandParams) -> Result<PathBuf> {
    let arg = params.arguments.first();
    let uri = arg
        .and_then(|a| a.as_str().or_else(|| a.get("uri").and_then(|u| u.as_str())))
        .ok_or_else(|| Error::invalid_params("jitlens.profileFile takes the file's URI"))?;
    let uri: Uri = uri
        .parse()
        .map_err(|_| Error::invalid_params(format!("not a URI: {uri}")))?;
    uri.to_file_path()
        .map(|p| p.into_owned())
        .filter(|p| p.is_absolute())
        .ok_or_else(|| Error::invalid_params(format!("not a file URI: {}", uri.as_str())))
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
    let file = file_argument(&params)?;
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
        .arg("record")
        .arg(&file)
        .arg("-o")
        .arg(&out)
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
