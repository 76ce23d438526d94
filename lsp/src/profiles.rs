//! Finding, loading and watching the profile.
//!
//! The profile is one file: `.jitlens/profile.json` under the workspace root (where
//! `jitlens record` writes by default), or the `profile` setting (relative to the root, or
//! absolute). The server polls its modification stamp every [`POLL_INTERVAL`]; a new stamp
//! means a reload. A missing or corrupt profile is not an error for the editor: the server
//! logs why and answers with nothing until a good profile appears.

use crate::index::IndexedProfile;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Where `jitlens record` writes inside a workspace, relative to its root.
pub const DEFAULT_PROFILE: &str = ".jitlens/profile.json";

/// How often the profile's stamp is checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Hints are shown for lines with at least this share of samples (percent).
pub const DEFAULT_THRESHOLD: f64 = 1.0;

/// The settings a client can give, in `initializationOptions` or in
/// `workspace/didChangeConfiguration` (either flat or under a `jitlens` key).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The profile file, relative to the workspace root or absolute.
    pub profile: Option<String>,
    /// The hint threshold in percent of samples.
    pub hint_threshold: Option<f64>,
    /// The `jitlens` binary that `jitlens.profileFile` runs.
    pub jitlens_path: Option<String>,
}

impl Settings {
    /// Reads settings from a JSON value; anything unreadable counts as no setting.
    pub fn from_json(v: &serde_json::Value) -> Settings {
        let v = v.get("jitlens").unwrap_or(v);
        serde_json::from_value(v.clone()).unwrap_or_default()
    }

    /// `other`'s settings where it has them, else these.
    pub fn merged(&self, other: &Settings) -> Settings {
        Settings {
            profile: other.profile.clone().or_else(|| self.profile.clone()),
            hint_threshold: other.hint_threshold.or(self.hint_threshold),
            jitlens_path: other
                .jitlens_path
                .clone()
                .or_else(|| self.jitlens_path.clone()),
        }
    }

    /// The hint threshold (finite, non-negative).
    pub fn threshold(&self) -> f64 {
        match self.hint_threshold {
            Some(t) if t.is_finite() && t >= 0.0 => t,
            _ => DEFAULT_THRESHOLD,
        }
    }

    /// The profile's path under `root`.
    pub fn profile_path(&self, root: &Path) -> PathBuf {
        root.join(self.profile.as_deref().unwrap_or(DEFAULT_PROFILE))
    }
}

/// What identifies one version of the profile file on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

/// The stamp of a file, or `None` if it does not exist (or cannot be read).
pub fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        modified: m.modified().ok(),
        len: m.len(),
        inode,
    })
}

/// Loads and indexes a profile; the error is a message for the log.
pub fn load(path: &Path) -> Result<IndexedProfile, String> {
    jitlens_profiler::load(path)
        .map(IndexedProfile::new)
        .map_err(|e| e.to_string())
}

/// The profile being shown, and where it comes from.
#[derive(Debug)]
pub struct Profiles {
    path: PathBuf,
    stamp: Option<Stamp>,
    current: Option<Arc<IndexedProfile>>,
}

/// What a reload did.
#[derive(Debug, PartialEq)]
pub enum Reload {
    /// A profile was loaded.
    Loaded,
    /// The file is gone: nothing is shown.
    Missing,
    /// The file could not be read as a profile: nothing is shown. The message says why.
    Failed(String),
}

impl Profiles {
    /// No profile loaded yet, from `path`.
    pub fn new(path: PathBuf) -> Profiles {
        Profiles {
            path,
            stamp: None,
            current: None,
        }
    }

    /// The profile file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The loaded profile, if any.
    pub fn current(&self) -> Option<Arc<IndexedProfile>> {
        self.current.clone()
    }

    /// Points at another file; the next [`Profiles::reload_if_changed`] loads it.
    pub fn set_path(&mut self, path: PathBuf) {
        if path != self.path {
            self.path = path;
            self.stamp = None;
            self.current = None;
        }
    }

    /// Whether the file's stamp differs from the loaded one (a file that stays missing is
    /// not a change).
    pub fn changed(&self) -> Option<Option<Stamp>> {
        let now = stamp(&self.path);
        (now != self.stamp || (now.is_none() && self.current.is_some())).then_some(now)
    }

    /// Installs the result of loading the file at stamp `at` (if the path is still `path`).
    pub fn install(
        &mut self,
        path: &Path,
        at: Option<Stamp>,
        loaded: Result<IndexedProfile, String>,
    ) -> Option<Reload> {
        if path != self.path {
            return None;
        }
        self.stamp = at;
        Some(match (at, loaded) {
            (None, _) => {
                self.current = None;
                Reload::Missing
            }
            (Some(_), Ok(p)) => {
                self.current = Some(Arc::new(p));
                Reload::Loaded
            }
            (Some(_), Err(e)) => {
                self.current = None;
                Reload::Failed(e)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_flat_or_nested_and_merge() {
        let a = Settings::from_json(&serde_json::json!({"profile": "p.json", "hintThreshold": 2}));
        assert_eq!(a.profile.as_deref(), Some("p.json"));
        assert_eq!(a.threshold(), 2.0);
        let b = Settings::from_json(&serde_json::json!({"jitlens": {"hintThreshold": -1}}));
        assert_eq!(b.threshold(), DEFAULT_THRESHOLD);
        let m = a.merged(&b);
        assert_eq!(m.profile.as_deref(), Some("p.json"));
        assert_eq!(
            Settings::from_json(&serde_json::json!([1, 2])),
            Settings::default()
        );
        assert_eq!(
            Settings::default().profile_path(Path::new("/w")),
            PathBuf::from("/w/.jitlens/profile.json")
        );
        assert_eq!(
            Settings::from_json(&serde_json::json!({"profile": "/abs/p.json"}))
                .profile_path(Path::new("/w")),
            PathBuf::from("/abs/p.json")
        );
    }

    #[test]
    fn missing_corrupt_then_good_profile() {
        let dir = std::env::temp_dir().join(format!("jitlens-lsp-profiles-{}", std::process::id()));
        let path = dir.join("p.json");
        let _ = std::fs::remove_dir_all(&dir);
        let mut ps = Profiles::new(path.clone());
        assert_eq!(ps.changed(), None, "missing and never loaded: no change");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, "{ not json").unwrap();
        let at = ps.changed().expect("appeared");
        let r = ps.install(&path, at, load(&path)).unwrap();
        assert!(
            matches!(&r, Reload::Failed(m) if m.contains("corrupt")),
            "{r:?}"
        );
        assert!(ps.current().is_none());
        assert_eq!(ps.changed(), None);
        jitlens_profiler::save(&crate::fixtures::profile(), &path).unwrap();
        let at = ps.changed().expect("rewritten");
        assert_eq!(ps.install(&path, at, load(&path)), Some(Reload::Loaded));
        assert!(ps.current().is_some());
        std::fs::remove_file(&path).unwrap();
        let at = ps.changed().expect("removed");
        assert_eq!(ps.install(&path, at, load(&path)), Some(Reload::Missing));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
