//! Reading and writing profile files, with errors that name the file and the problem.

use crate::model::{FORMAT, Profile, VERSION};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a profile could not be read or written.
#[derive(Debug)]
pub struct ProfileError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub kind: ProfileErrorKind,
}

/// The kinds of [`ProfileError`].
#[derive(Debug)]
pub enum ProfileErrorKind {
    /// The file could not be opened, read or written.
    Io(std::io::Error),
    /// The JSON ends early (an interrupted write).
    Truncated,
    /// The bytes are not valid JSON, or a field has the wrong type.
    Corrupt {
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// Valid JSON, but not a jitlens profile (no `"format": "jitlens-profile"`).
    NotAProfile,
    /// Written by a newer jitlens with a schema this build does not know.
    NewerVersion {
        /// The file's schema version.
        found: u32,
    },
    /// Well-formed, but refers to a file or function that is not in it.
    Inconsistent(String),
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.kind {
            ProfileErrorKind::Io(e) => write!(f, "{p}: {e}"),
            ProfileErrorKind::Truncated => write!(
                f,
                "{p}: the profile is truncated (the JSON ends early; was the write interrupted?)"
            ),
            ProfileErrorKind::Corrupt {
                line,
                column,
                message,
            } => write!(f, "{p}:{line}:{column}: the profile is corrupt: {message}"),
            ProfileErrorKind::NotAProfile => {
                write!(
                    f,
                    "{p}: not a jitlens profile (no \"format\": \"{FORMAT}\")"
                )
            }
            ProfileErrorKind::NewerVersion { found } => write!(
                f,
                "{p}: the profile has schema version {found}, but this jitlens reads versions up \
                 to {VERSION}; upgrade jitlens"
            ),
            ProfileErrorKind::Inconsistent(what) => {
                write!(f, "{p}: the profile is inconsistent: {what}")
            }
        }
    }
}

impl std::error::Error for ProfileError {}

/// SHA-256 of a source file's bytes, lowercase hex: the hash [`crate::SourceFile::sha256`]
/// holds.
pub fn hash_source(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Parses a profile from its JSON text. `path` is only used in errors.
pub fn parse(path: &Path, text: &str) -> Result<Profile, ProfileError> {
    let err = |kind| ProfileError {
        path: path.to_path_buf(),
        kind,
    };
    let json_err = |e: serde_json::Error| {
        if e.is_eof() {
            err(ProfileErrorKind::Truncated)
        } else {
            err(ProfileErrorKind::Corrupt {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })
        }
    };
    // Check the format and version before the fields: a newer schema may have changed them.
    let value: serde_json::Value = serde_json::from_str(text).map_err(json_err)?;
    if value.get("format").and_then(|v| v.as_str()) != Some(FORMAT) {
        return Err(err(ProfileErrorKind::NotAProfile));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version > VERSION as u64 {
        return Err(err(ProfileErrorKind::NewerVersion {
            found: version.min(u32::MAX as u64) as u32,
        }));
    }
    let profile: Profile = serde_json::from_str(text).map_err(json_err)?;
    validate(&profile).map_err(|m| err(ProfileErrorKind::Inconsistent(m)))?;
    Ok(profile)
}

/// Reads a profile file.
pub fn load(path: &Path) -> Result<Profile, ProfileError> {
    let text = std::fs::read_to_string(path).map_err(|e| ProfileError {
        path: path.to_path_buf(),
        kind: ProfileErrorKind::Io(e),
    })?;
    parse(path, &text)
}

/// Writes a profile file atomically: to a temporary file beside it, then renamed, so a
/// reader (the language server watches the file) never sees half a profile. A path that
/// is not a regular file (`/dev/null`, a FIFO) is written in place instead.
pub fn save(profile: &Profile, path: &Path) -> Result<(), ProfileError> {
    let io = |e| ProfileError {
        path: path.to_path_buf(),
        kind: ProfileErrorKind::Io(e),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // The profile as JSON and a newline, through a buffer; the file comes back unsynced.
    let write_json = |file: std::fs::File| -> std::io::Result<std::fs::File> {
        let mut f = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut f, profile)?;
        f.write_all(b"\n")?;
        f.into_inner().map_err(|e| e.into_error())
    };
    // A device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in
    // place: renaming a temporary file over it would replace the device node itself.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new().write(true).open(path);
        return file.and_then(write_json).map(drop).map_err(io);
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let write = || -> std::io::Result<()> {
        write_json(std::fs::File::create(&tmp)?)?.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Checks that every index in the profile points at something.
fn validate(p: &Profile) -> Result<(), String> {
    let nf = p.files.len() as u32;
    let nfun = p.functions.len() as u32;
    for (i, f) in p.functions.iter().enumerate() {
        if f.file >= nf {
            return Err(format!("function {i} ({}) names file {}", f.name, f.file));
        }
    }
    for l in &p.lines {
        if l.file >= nf || l.function >= nfun {
            return Err(format!(
                "line {} names file {} and function {}",
                l.line, l.file, l.function
            ));
        }
    }
    for s in &p.stacks {
        if let Some(fr) = s.frames.iter().find(|fr| fr.function >= nfun) {
            return Err(format!("a stack names function {}", fr.function));
        }
    }
    for e in &p.jit_events {
        if e.function >= nfun {
            return Err(format!("a JIT event names function {}", e.function));
        }
    }
    for s in &p.sites {
        if s.function >= nfun {
            return Err(format!("a site names function {}", s.function));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn sample() -> Profile {
        let mut p = Profile::new(RunInfo {
            program: "hot.py".into(),
            samples: 10,
            ..RunInfo::default()
        });
        p.files.push(SourceFile {
            path: "/tmp/hot.py".into(),
            sha256: hash_source(b"x = 1\n"),
            line_count: 1,
        });
        p.functions.push(Function {
            name: "<module>".into(),
            file: 0,
            line: 1,
            self_samples: 10,
            total_samples: 10,
            jit: None,
        });
        p.lines.push(LineProfile {
            file: 0,
            line: 1,
            function: 0,
            samples: 10,
            ops: vec![OpSamples {
                op: "STORE_NAME".into(),
                tier: 0,
                category: Category::Interpreter,
                native: None,
                samples: 10,
            }],
        });
        p
    }

    #[test]
    fn round_trips() {
        let p = sample();
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(parse(Path::new("p.json"), &text).unwrap(), p);
    }

    #[test]
    fn hash_is_sha256() {
        assert_eq!(
            hash_source(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn truncated_corrupt_newer_and_foreign_files_are_named() {
        let text = serde_json::to_string(&sample()).unwrap();
        let path = Path::new("prof.json");
        let e = parse(path, &text[..text.len() / 2]).unwrap_err();
        assert!(matches!(e.kind, ProfileErrorKind::Truncated), "{e}");
        assert!(e.to_string().starts_with("prof.json: "), "{e}");

        let e = parse(path, &text.replace("\"lines\":[", "\"lines\":[}")).unwrap_err();
        assert!(
            matches!(e.kind, ProfileErrorKind::Corrupt { line: 1, .. }),
            "{e}"
        );

        let newer = text.replace("\"version\":1", "\"version\":99");
        let e = parse(path, &newer).unwrap_err();
        assert!(e.to_string().contains("schema version 99"), "{e}");

        let e = parse(path, "{\"hello\": 1}").unwrap_err();
        assert!(matches!(e.kind, ProfileErrorKind::NotAProfile), "{e}");

        let bad = text.replace("\"function\":0", "\"function\":7");
        let e = parse(path, &bad).unwrap_err();
        assert!(matches!(e.kind, ProfileErrorKind::Inconsistent(_)), "{e}");
    }

    #[test]
    fn save_then_load() {
        let dir = std::env::temp_dir().join(format!("jitlens-profile-{}", std::process::id()));
        let path = dir.join("sub/p.json");
        save(&sample(), &path).unwrap();
        assert_eq!(load(&path).unwrap(), sample());
        let e = load(&dir.join("missing.json")).unwrap_err();
        assert!(matches!(e.kind, ProfileErrorKind::Io(_)), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    #[cfg(feature = "sampler")]
    fn saving_to_a_fifo_writes_through_it_and_leaves_it_a_fifo() {
        use std::os::unix::fs::FileTypeExt;
        let dir = std::env::temp_dir().join(format!("jitlens-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("p.fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path and creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        save(&sample(), &fifo).unwrap();
        let text = reader.join().unwrap();
        assert_eq!(parse(&fifo, &text).unwrap(), sample());
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "{kind:?}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
