//! The `LanguageServer` implementation: a thin layer that takes the state's locks, calls the
//! pure functions of [`crate::hints`], [`crate::hover`], [`crate::lens`] and
//! [`crate::diagnostics`], and talks to the client.
//!
//! Locks are `std::sync::Mutex`es, taken one at a time and never held across an `.await`;
//! a document change is applied before the handler's first `.await`, so edits are applied
//! in the order tower-lsp starts the handlers (and [`crate::documents`] reorders by version
//! in any case).

use crate::documents::Documents;
use crate::index::{FileIndex, IndexedProfile};
use crate::profiles::{self, POLL_INTERVAL, Profiles, Reload, Settings};
use crate::{diagnostics, hints, hover, lens, record};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// How long a refresh request may wait for the client's answer.
const REFRESH_TIMEOUT: Duration = Duration::from_secs(10);

/// Locks a mutex; a poisoned one (a panic elsewhere) still holds usable data.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the client said it supports.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ClientSupport {
    pub inlay_hint_refresh: bool,
    pub code_lens_refresh: bool,
    pub work_done_progress: bool,
}

/// The server's state, shared by every handler.
#[derive(Debug)]
pub(crate) struct State {
    pub docs: Mutex<Documents>,
    pub profiles: Mutex<Profiles>,
    pub settings: Mutex<Settings>,
    pub root: Mutex<PathBuf>,
    pub support: Mutex<ClientSupport>,
    /// What the load during `initialize` found, logged at `initialized`.
    pub init_status: Mutex<Option<(MessageType, String)>>,
}

/// The language server.
#[derive(Debug)]
pub struct Server {
    pub(crate) client: Client,
    pub(crate) state: Arc<State>,
}

impl Server {
    /// A server that talks to `client`.
    pub fn new(client: Client) -> Server {
        let root = std::env::current_dir().unwrap_or_default();
        let profile = Settings::default().profile_path(&root);
        Server {
            client,
            state: Arc::new(State {
                docs: Mutex::new(Documents::default()),
                profiles: Mutex::new(Profiles::new(profile)),
                settings: Mutex::new(Settings::default()),
                root: Mutex::new(root),
                support: Mutex::new(ClientSupport::default()),
                init_status: Mutex::new(None),
            }),
        }
    }
}

/// The profile's index of a document's file, if the profile has it.
fn file_of(ip: &IndexedProfile, uri: &Uri) -> Option<Arc<FileIndex>> {
    let path = uri.to_file_path()?;
    let s = path.to_string_lossy();
    if let Some(fi) = ip.file(&s) {
        return Some(fi.clone());
    }
    let canon = std::fs::canonicalize(&path).ok()?;
    ip.file(&canon.to_string_lossy()).cloned()
}

impl State {
    fn profile(&self) -> Option<Arc<IndexedProfile>> {
        lock(&self.profiles).current()
    }

    /// Runs `f` on an open document and its file's index, if both exist.
    fn with_doc<R>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&IndexedProfile, &FileIndex, &crate::documents::Document) -> R,
    ) -> Option<R> {
        let ip = self.profile()?;
        let fi = file_of(&ip, uri)?;
        let mut docs = lock(&self.docs);
        let doc = docs.get(uri)?;
        Some(f(&ip, &fi, doc))
    }

    fn diagnostics_of(&self, uri: &Uri) -> Vec<Diagnostic> {
        self.with_doc(uri, |_, fi, doc| diagnostics::diagnostics(fi, doc))
            .unwrap_or_default()
    }

    /// After a profile reload: documents whose text now is the profiled text take it as
    /// their baseline. Returns the diagnostics of every open document.
    fn rematch(&self) -> Vec<(Uri, Vec<Diagnostic>)> {
        let ip = self.profile();
        let mut docs = lock(&self.docs);
        let mut out = Vec::new();
        for (uri, doc) in docs.iter_mut() {
            let fi = ip.as_ref().and_then(|ip| file_of(ip, uri));
            let Some(fi) = fi else {
                out.push((uri.clone(), Vec::new()));
                continue;
            };
            if fi.sha256 != doc.baseline_sha {
                doc.flush_held_back();
                let sha = jitlens_profiler::hash_source(doc.text().as_bytes());
                if sha == fi.sha256 {
                    doc.rebaseline(sha);
                }
            }
            out.push((uri.clone(), diagnostics::diagnostics(&fi, doc)));
        }
        out
    }
}

impl Server {
    /// Reloads the profile if its file changed, without telling the client; returns what
    /// to log, or `None` if nothing changed.
    pub(crate) async fn reload_quietly(&self) -> Option<(MessageType, String)> {
        let (path, at) = {
            let ps = lock(&self.state.profiles);
            (ps.path().to_path_buf(), ps.changed()?)
        };
        let p = path.clone();
        let loaded = match at {
            Some(_) => tokio::task::spawn_blocking(move || profiles::load(&p))
                .await
                .unwrap_or_else(|e| Err(format!("loading failed: {e}"))),
            None => Err("missing".into()),
        };
        let outcome = lock(&self.state.profiles).install(&path, at, loaded)?;
        Some(match outcome {
            Reload::Loaded => (
                MessageType::INFO,
                format!("jitlens: loaded profile {}", path.display()),
            ),
            Reload::Missing => (
                MessageType::INFO,
                format!(
                    "jitlens: no profile at {} (run `jitlens record FILE` to make one)",
                    path.display()
                ),
            ),
            Reload::Failed(e) => (
                MessageType::WARNING,
                format!("jitlens: cannot use the profile: {e}"),
            ),
        })
    }

    /// Reloads the profile if its file changed; says so in the log, then republishes
    /// diagnostics and asks the client to refresh hints and lenses.
    pub(crate) async fn reload_if_changed(&self) {
        if let Some((typ, msg)) = self.reload_quietly().await {
            self.client.log_message(typ, msg).await;
            self.refresh().await;
        }
    }

    /// Republishes every open document's diagnostics and asks for fresh hints and lenses.
    pub(crate) async fn refresh(&self) {
        for (uri, diags) in self.state.rematch() {
            self.client.publish_diagnostics(uri, diags, None).await;
        }
        let support = *lock(&self.state.support);
        let client = self.client.clone();
        // Never wait on the client in the caller: it may answer late, or never.
        tokio::spawn(async move {
            if support.inlay_hint_refresh {
                let _ = tokio::time::timeout(REFRESH_TIMEOUT, client.inlay_hint_refresh()).await;
            }
            if support.code_lens_refresh {
                let _ = tokio::time::timeout(REFRESH_TIMEOUT, client.code_lens_refresh()).await;
            }
        });
    }

    fn apply_settings(&self, new: &Settings) {
        let merged = {
            let mut s = lock(&self.state.settings);
            *s = s.merged(new);
            s.clone()
        };
        let root = lock(&self.state.root).clone();
        lock(&self.state.profiles).set_path(merged.profile_path(&root));
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| &f.uri)
            .or(params.root_uri.as_ref())
            .and_then(|u| u.to_file_path().map(|p| p.into_owned()));
        if let Some(root) = root {
            *lock(&self.state.root) = root;
        }
        let caps = &params.capabilities;
        let ws = caps.workspace.as_ref();
        *lock(&self.state.support) = ClientSupport {
            inlay_hint_refresh: ws
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            code_lens_refresh: ws
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        };
        let settings = params
            .initialization_options
            .as_ref()
            .map(Settings::from_json)
            .unwrap_or_default();
        self.apply_settings(&settings);
        // Loaded before the answer, so the client's first requests see it; the log message
        // waits for `initialized` (notifications before it are not allowed).
        let status = self.reload_quietly().await;
        *lock(&self.state.init_status) = status;
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![lens::PROFILE_FILE.to_string()],
                    work_done_progress_options: WorkDoneProgressOptions {
                        work_done_progress: Some(true),
                    },
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "jitlens".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let status = lock(&self.state.init_status).take();
        let (typ, msg) = status.unwrap_or_else(|| {
            let path = lock(&self.state.profiles).path().display().to_string();
            (
                MessageType::INFO,
                format!("jitlens: no profile at {path} (run `jitlens record FILE` to make one)"),
            )
        });
        self.client.log_message(typ, msg).await;
        let me = Server {
            client: self.client.clone(),
            state: self.state.clone(),
        };
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(POLL_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                me.reload_if_changed().await;
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        lock(&self.state.docs).open(d.uri.clone(), &d.text, d.version);
        let diags = self.state.diagnostics_of(&d.uri);
        self.client.publish_diagnostics(d.uri, diags, None).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        // Applied before any `.await`: see the module comment.
        lock(&self.state.docs).change(&uri, params.text_document.version, params.content_changes);
        let diags = self.state.diagnostics_of(&uri);
        self.client.publish_diagnostics(uri, diags, None).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.state.docs).close(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&Settings::from_json(&params.settings));
        // A new path is picked up now; a new threshold needs fresh hints.
        self.reload_if_changed().await;
        self.refresh().await;
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let threshold = lock(&self.state.settings).threshold();
        Ok(self
            .state
            .with_doc(&params.text_document.uri, |_, fi, doc| {
                hints::inlay_hints(fi, doc, params.range, threshold)
            }))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        Ok(self
            .state
            .with_doc(&p.text_document.uri, |ip, fi, doc| {
                hover::hover(ip, fi, doc, p.position.line)
            })
            .flatten())
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        Ok(self
            .state
            .with_doc(&uri, |ip, fi, doc| lens::code_lenses(ip, fi, doc, &uri)))
    }

    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        if params.command != lens::PROFILE_FILE {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "unknown command '{}' (known: {})",
                params.command,
                lens::PROFILE_FILE
            )));
        }
        record::profile_file(self, params).await
    }
}
