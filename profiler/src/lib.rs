//! jitlens' profiler.
//!
//! - [`model`]: the [`Profile`], the versioned JSON every surface reads (`report`, the
//!   language server, the dashboard). Depend on this crate with `default-features = false`
//!   to get the model alone.
//! - [`file`]: reading and writing profile files, with errors that name the file and the
//!   problem.
//! - `sampler` (feature `sampler`): the in-process sampler and attribution, which turn a
//!   run of the VM into a profile.
//! - [`export`] (feature `export`, on by default): the formats of `jitlens report`: text
//!   table, folded stacks, SVG flame graph, pprof.

#[cfg(feature = "export")]
pub mod export;
pub mod file;
pub mod model;
#[cfg(feature = "sampler")]
pub mod sampler;

pub use file::{ProfileError, ProfileErrorKind, hash_source, load, parse, save};
pub use model::*;
