//! Exporters: the formats `jitlens report` writes from a [`Profile`](crate::Profile).
//!
//! - [`table`]: a plain-text summary for people (also printed at the end of `jitlens record`).
//! - [`collapsed`]: folded stacks, one `frame;frame;…;leaf count` line per stack, for
//!   flame-graph tools.
//! - [`flamegraph`]: an SVG flame graph (inferno), frames coloured by tier.
//! - [`pprof`]: the `perftools.profiles.Profile` protobuf that `go tool pprof`, Pyroscope,
//!   Parca and Grafana read.
//!
//! - [`json`]: the profile itself, pretty-printed (the file [`crate::save`] writes, with
//!   indentation).
//!
//! Every exporter is a pure function of the profile (the table also reads the profiled
//! source files, to show each hot line's text): the same profile gives the same bytes.

#![forbid(unsafe_code)]

pub mod collapsed;
pub mod flamegraph;
pub mod pprof;
pub mod table;

#[cfg(test)]
pub(crate) mod fixture;

use crate::model::{Category, FileId, Profile, StackSample};

/// The short name of a tier in reports and frame names: `jit` for tier 1, `interp` for
/// tier 0.
pub fn tier_name(tier: u8) -> &'static str {
    match tier {
        0 => "interp",
        1 => "jit",
        _ => "tier?",
    }
}

/// The last component of a path (`/src/nbody.py` → `nbody.py`).
pub(crate) fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The basename of a profile's file, or `?` for an id out of range.
pub(crate) fn file_basename(profile: &Profile, file: FileId) -> &str {
    profile
        .files
        .get(file as usize)
        .map(|f| basename(&f.path))
        .unwrap_or("?")
}

/// The extra leaf frame a stack gets below its op: the native function for a helper, the
/// GC or other native code (`[helper]`, `[gc]`, `[other]` when it has no name), nothing for
/// time spent in the interpreter or JIT code itself.
pub(crate) fn native_leaf(stack: &StackSample) -> Option<String> {
    match stack.category {
        Category::Interpreter | Category::Jit => None,
        c => Some(
            stack
                .native
                .clone()
                .unwrap_or_else(|| format!("[{}]", c.name())),
        ),
    }
}

/// The profile as pretty-printed JSON, ending in a newline: the schema of
/// `docs/profile-format.md`, readable by [`crate::load`].
pub fn json(profile: &Profile) -> std::io::Result<String> {
    let mut s = serde_json::to_string_pretty(profile)?;
    s.push('\n');
    Ok(s)
}

/// The root frame of samples that had no Python frame to charge.
pub(crate) const NO_PYTHON_FRAME: &str = "[no Python frame]";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips() {
        let p = fixture::nbody();
        let text = json(&p).unwrap();
        assert!(
            text.starts_with("{\n  \"format\": \"jitlens-profile\""),
            "{text}"
        );
        assert_eq!(
            crate::parse(std::path::Path::new("p.json"), &text).unwrap(),
            p
        );
    }
}
