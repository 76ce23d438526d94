//! jitlens' language server: a profile's hot lines as inlay hints, with hover, code lens
//! and diagnostics, for any LSP editor (`jitlens lsp`, on stdio).
//!
//! It reads the profile model only (`jitlens-profiler` without its sampler): the VM is not
//! linked in. Modules:
//!
//! - [`server`]: the `LanguageServer` implementation, thin;
//! - [`documents`]: open documents, edits applied in order, line origins for shifting hints;
//! - [`profiles`]: settings, finding, loading and watching the profile;
//! - [`index`]: a loaded profile indexed per file and line;
//! - [`hints`], [`hover`], [`lens`], [`diagnostics`]: pure functions from the index and a
//!   document to LSP answers;
//! - [`record`]: the `jitlens.profileFile` command;
//! - [`transport`]: stdio, with a guard that answers malformed messages instead of letting
//!   them end the session.

#![forbid(unsafe_code)]

pub mod diagnostics;
pub mod documents;
#[cfg(test)]
mod fixtures;
pub mod hints;
pub mod hover;
pub mod index;
pub mod lens;
pub mod profiles;
pub mod record;
pub mod server;
pub mod transport;

/// Serves LSP on stdin/stdout until the client sends `exit` or closes stdin. Returns the
/// process exit code.
pub fn run_stdio() -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jitlens lsp: cannot start the async runtime: {e}");
            return 70;
        }
    };
    runtime.block_on(async {
        let (service, socket) = tower_lsp_server::LspService::new(server::Server::new);
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
    });
    // The profile watcher never ends by itself; a blocking load in flight is not waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    0
}
