//! The stdio transport, with a guard in front of tower-lsp-server's reader.
//!
//! tower-lsp-server reads with tokio-util's `FramedRead`, which ends the stream after the
//! first frame its codec rejects, so one malformed message would end the session. The
//! guard reads the frames first: a frame whose body is not a JSON-RPC message is answered
//! here (parse error, or invalid request) and dropped; the others are passed on unchanged.
//! The server's output goes through one writer task, so the guard's answers never land in
//! the middle of one of its frames.

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Larger bodies are refused rather than buffered (a 50,000-line file is a few MB).
const MAX_BODY: usize = 256 << 20;

/// One framed message.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    f.extend_from_slice(body);
    f
}

/// The error answer to an undecodable body, or `None` if tower-lsp can decode it.
pub fn check(body: &[u8]) -> Option<Value> {
    let error = |code: i64, message: &str, id: Value| json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return Some(error(-32700, "Parse error", Value::Null)),
    };
    let decodes = serde_json::from_value::<Request>(value.clone()).is_ok()
        || serde_json::from_value::<Response>(value.clone()).is_ok();
    if decodes {
        return None;
    }
    // Answer a request with its id; a notification or garbage gets `id: null`.
    let id = value
        .get("id")
        .filter(|id| id.is_string() || id.is_i64() || id.is_u64())
        .cloned()
        .unwrap_or(Value::Null);
    Some(error(-32600, "Invalid request", id))
}

/// Reads frames from `input`; passes good ones to `to_server`, answers bad ones on `out`.
async fn guard(
    input: impl AsyncRead + Unpin,
    mut to_server: DuplexStream,
    out: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut r = BufReader::new(input);
    loop {
        let mut len: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            match r.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = line.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                len = value.trim().parse().ok();
            }
        }
        // A header block without a length: nothing to frame; look for the next header.
        let Some(len) = len else { continue };
        if len > MAX_BODY {
            return;
        }
        let mut body = vec![0; len];
        if r.read_exact(&mut body).await.is_err() {
            return;
        }
        match check(&body) {
            Some(answer) => {
                let _ = out.send(frame(answer.to_string().as_bytes()));
            }
            None => {
                if to_server.write_all(&frame(&body)).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Splits the server's output into frames and sends each whole to the writer.
async fn frames_of(from_server: DuplexStream, out: mpsc::UnboundedSender<Vec<u8>>) {
    let mut r = BufReader::new(from_server);
    loop {
        let mut head = Vec::new();
        let mut len = None;
        loop {
            let mut line = String::new();
            match r.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            head.extend_from_slice(line.as_bytes());
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Length:") {
                len = v.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; len.unwrap_or(0)];
        if r.read_exact(&mut body).await.is_err() {
            return;
        }
        head.extend_from_slice(&body);
        if out.send(head).is_err() {
            return;
        }
    }
}

async fn writer(mut output: impl AsyncWrite + Unpin, mut rx: mpsc::UnboundedReceiver<Vec<u8>>) {
    while let Some(f) = rx.recv().await {
        // The empty frame: the server is done; everything before it is written.
        if f.is_empty() {
            return;
        }
        if output.write_all(&f).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
}

/// Serves `service` over `input`/`output` through the guard, until the input ends or the
/// client sends `exit`.
pub async fn serve<S>(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
    service: tower_lsp_server::LspService<S>,
    socket: tower_lsp_server::ClientSocket,
) where
    S: tower_lsp_server::LanguageServer,
{
    let (server_in, guard_out) = tokio::io::duplex(1 << 16);
    let (server_out, frames_in) = tokio::io::duplex(1 << 16);
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(guard(input, guard_out, tx.clone()));
    let frames = tokio::spawn(frames_of(frames_in, tx.clone()));
    let write = tokio::spawn(writer(output, rx));
    tower_lsp_server::Server::new(server_in, server_out, socket)
        .serve(service)
        .await;
    // The server has closed its output: once its last frame is queued, tell the writer to
    // stop after it. The guard may still be blocked on stdin; the runtime drops it.
    let _ = frames.await;
    let _ = tx.send(Vec::new());
    let _ = write.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bodies_get_the_right_error() {
        assert_eq!(check(b"{not json").unwrap()["error"]["code"], -32700);
        assert_eq!(check(b"\xff\xfe").unwrap()["error"]["code"], -32700);
        let r = check(br#"{"jsonrpc": "2.0", "id": 4, "method": 12}"#).unwrap();
        assert_eq!(
            (r["error"]["code"].as_i64(), r["id"].as_i64()),
            (Some(-32600), Some(4))
        );
        assert_eq!(check(b"[1, 2]").unwrap()["error"]["code"], -32600);
        assert!(check(br#"{"jsonrpc": "2.0", "id": 1, "method": "shutdown"}"#).is_none());
        assert!(check(br#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#).is_none());
        assert!(check(br#"{"jsonrpc": "2.0", "id": 1, "result": null}"#).is_none());
    }
}
