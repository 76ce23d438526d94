//! Showing JIT code to `perf`: a perf map (`/tmp/perf-<pid>.map`) and a jitdump
//! (`jit-<pid>.dump`), one entry per patched region: every instruction's stencil and every
//! side-exit stub, each named after what it runs:
//!
//! ```text
//! py::advance@nbody.py:74 BINARY_OP_MULTIPLY_FLOAT [jit]
//! ```
//!
//! Entries are written when a code object's JIT code has been made executable for good (it
//! is never re-protected, and the execute view of the arena chunk it is in was mapped before
//! any code was in it, so the kernel's `mmap` event for it never spans earlier code:
//! wasmtime#2018; see `code_memory`). A file that cannot be written costs one warning line
//! and nothing else: the program runs on.

pub mod jitdump;
mod sys;

use super::compile::{JitCode, Region, RegionKind};
use crate::code::Code;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use sys::{monotonic_ns, thread_id};

/// What to write (from `-X perf`, `-X jitdump`, `JITLENS_PERF`, `JITLENS_JITDUMP_DIR`).
#[derive(Clone, Debug, Default)]
pub struct PerfConfig {
    /// Write `/tmp/perf-<pid>.map`.
    pub map: bool,
    /// Write `jit-<pid>.dump`.
    pub jitdump: bool,
    /// The jitdump's directory (the current one when `None`).
    pub jitdump_dir: Option<PathBuf>,
}

/// The symbol of one region, as the perf map and the jitdump name it: the function, its
/// file and line, the op (under its specialized name) and how the region runs it.
///
/// `py::advance@nbody.py:74 BINARY_OP_MULTIPLY_FLOAT [jit]` is a fast stencil;
/// `… LOAD_ATTR helper-call [jit]` calls a runtime helper, `… tier0-step [jit]` runs the
/// instruction in the interpreter, and `… side-exit [jit]` is the stub that leaves JIT code
/// at that instruction (after the last instruction: `end side-exit`). A compare fused with
/// the branch after it is `… COMPARE_OP_INT+POP_JUMP_IF_FALSE [jit]`.
pub fn region_symbol(code: &Code, region: &Region) -> String {
    let qualname = crate::runtime::str::as_str(&code.qualname).unwrap_or("?");
    let file = Path::new(&*code.filename).file_name().map_or_else(
        || code.filename.to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let past_end = region.ip as usize >= code.instrs.len();
    let line = code.line_at(region.ip as usize);
    let what = match region.kind {
        RegionKind::Fast => "",
        RegionKind::Helper => " helper-call",
        RegionKind::Tier0 => " tier0-step",
        RegionKind::Exit => " side-exit",
    };
    let op = if past_end { "end" } else { region.op.name() };
    let fused = region
        .fused
        .map_or(String::new(), |f| format!("+{}", f.name()));
    format!("py::{qualname}@{file}:{line} {op}{fused}{what} [jit]")
}

/// An output file and the name to use in its warning.
struct Sink {
    path: PathBuf,
    what: &'static str,
    out: BufWriter<File>,
}

impl Sink {
    /// Writes `bytes` and flushes; on failure warns once and returns false (the caller
    /// drops the sink).
    fn write(&mut self, bytes: &[u8]) -> bool {
        match self.out.write_all(bytes).and_then(|()| self.out.flush()) {
            Ok(()) => true,
            Err(e) => {
                warn(self.what, &self.path, &e);
                false
            }
        }
    }
}

fn warn(what: &str, path: &Path, e: &io::Error) {
    eprintln!(
        "jitlens: warning: cannot write the {what} {}: {e}; running on without it",
        path.display()
    );
}

/// The perf map and jitdump writers of one run.
pub struct PerfOutput {
    pid: u32,
    map: Option<Sink>,
    dump: Option<Sink>,
    /// Keeps the dump's marker mapping for the whole run.
    _marker: Option<sys::Marker>,
    next_index: u64,
}

impl PerfOutput {
    /// Opens what `config` asks for; `None` if it asks for nothing. A file that cannot be
    /// created is reported on stderr (one line) and left out.
    pub fn open(config: &PerfConfig) -> Option<PerfOutput> {
        if !config.map && !config.jitdump {
            return None;
        }
        let pid = std::process::id();
        let map = if config.map {
            let path = PathBuf::from(format!("/tmp/perf-{pid}.map"));
            Self::create(&path, "perf map", false).map(|(s, _)| s)
        } else {
            None
        };
        let (dump, marker) = if config.jitdump {
            let dir = config
                .jitdump_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("."));
            let path = dir.join(format!("jit-{pid}.dump"));
            match Self::create(&path, "jitdump", true) {
                Some((mut sink, file)) => {
                    let header = jitdump::header(pid, monotonic_ns());
                    if !sink.write(&header) {
                        (None, None)
                    } else {
                        match sys::Marker::map(&file) {
                            Ok(m) => (Some(sink), Some(m)),
                            Err(e) => {
                                warn("jitdump", &path, &e);
                                (None, None)
                            }
                        }
                    }
                }
                None => (None, None),
            }
        } else {
            (None, None)
        };
        Some(PerfOutput {
            pid,
            map,
            dump,
            _marker: marker,
            next_index: 0,
        })
    }

    fn create(path: &Path, what: &'static str, readable: bool) -> Option<(Sink, File)> {
        let file = std::fs::OpenOptions::new()
            .read(readable)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path);
        match file.and_then(|f| Ok((f.try_clone()?, f))) {
            Ok((f, keep)) => Some((
                Sink {
                    path: path.to_path_buf(),
                    what,
                    out: BufWriter::new(f),
                },
                keep,
            )),
            Err(e) => {
                warn(what, path, &e);
                None
            }
        }
    }

    /// The jitdump's path, when one is being written.
    pub fn jitdump_path(&self) -> Option<&Path> {
        self.dump.as_ref().map(|s| s.path.as_path())
    }

    /// Describes a code object's JIT code, just made executable for good.
    pub fn code_loaded(&mut self, code: &Code, jc: &JitCode) {
        let base = jc.mem.addr();
        let bytes = jc.mem.as_slice();
        if let Some(map) = &mut self.map {
            let mut text = String::new();
            for r in jc.regions.iter().filter(|r| r.len > 0) {
                text.push_str(&format!(
                    "{:x} {:x} {}\n",
                    base + r.offset as u64,
                    r.len,
                    region_symbol(code, r)
                ));
            }
            if !map.write(text.as_bytes()) {
                self.map = None;
            }
        }
        if let Some(dump) = &mut self.dump {
            let tid = sys::thread_id();
            let mut out = Vec::new();
            for r in jc.regions.iter().filter(|r| r.len > 0) {
                let range = r.offset as usize..(r.offset + r.len) as usize;
                let Some(code_bytes) = bytes.get(range) else {
                    continue;
                };
                let name = region_symbol(code, r);
                let load = jitdump::CodeLoad {
                    addr: base + r.offset as u64,
                    code: code_bytes,
                    name: &name,
                    index: self.next_index,
                    file: &code.filename,
                    line: code.line_at(r.ip as usize),
                };
                self.next_index += 1;
                // The debug info goes first: perf inject attaches it to the next load.
                let now = monotonic_ns();
                jitdump::debug_info(&mut out, now, &load);
                jitdump::code_load(&mut out, now, self.pid, tid, &load);
            }
            if !dump.write(&out) {
                self.dump = None;
            }
        }
    }

    /// Ends the jitdump with `JIT_CODE_CLOSE` and flushes everything (at the end of the run).
    pub fn finish(&mut self) {
        if let Some(dump) = &mut self.dump {
            let mut out = Vec::new();
            jitdump::close(&mut out, monotonic_ns());
            if !dump.write(&out) {
                self.dump = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_costs_one_warning_and_disables_the_sink() {
        // /dev/full accepts the open and fails every write with ENOSPC.
        let Ok(f) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            return;
        };
        let mut sink = Sink {
            path: "/dev/full".into(),
            what: "perf map",
            out: BufWriter::new(f),
        };
        assert!(!sink.write(b"1000 10 py::f@a.py:1 NOP [jit]\n"));
    }

    #[test]
    fn an_unwritable_directory_gives_no_jitdump_and_no_panic() {
        let out = PerfOutput::open(&PerfConfig {
            map: false,
            jitdump: true,
            jitdump_dir: Some("/proc/no/such/dir".into()),
        })
        .expect("asked for output");
        assert!(out.jitdump_path().is_none());
    }
}
