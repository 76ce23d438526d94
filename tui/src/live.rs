//! The program under `jitlens record --live`: starting it, reading its snapshots and its
//! output as they come, interrupting and stopping it, and handing its output back.
//!
//! The child writes its stdout and stderr into two files of a scratch directory (not pipes:
//! a program that prints a lot never blocks on a full pipe, and the whole output is kept
//! without holding it in memory). Each refresh tick reads what is new in them and checks
//! the live profile's identity (inode, size, mtime: `save` replaces it by a rename), loading
//! it only when it changed.

use crate::app::{Event, Exit, Stream};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The environment variable that names the program run in place of `jitlens` itself
/// (`$JITLENS_TOP_RECORD record --live PATH … -- FILE ARGS`): the tests' stand-in for
/// `jitlens record`.
pub const RECORD_ENV: &str = "JITLENS_TOP_RECORD";

/// How to run the program.
#[derive(Clone, Debug, Default)]
pub struct LiveOptions {
    /// The program and its arguments.
    pub program: Vec<String>,
    /// `-o FILE`: where record saves the final profile.
    pub output: Option<PathBuf>,
    /// `--freq HZ`.
    pub freq: Option<u32>,
    /// `-X OPT`, each.
    pub xopts: Vec<String>,
}

/// Most bytes of output read per stream and tick, so a flood of output cannot stall the
/// display (the rest is read on the next ticks).
const READ_PER_TICK: u64 = 1 << 20;

/// The live profile file, read again only when it changed.
#[derive(Debug)]
pub struct LiveFile {
    path: PathBuf,
    seen: Option<(u64, u64, i64, i64)>,
}

impl LiveFile {
    /// A live file not read yet (it need not exist).
    pub fn new(path: PathBuf) -> LiveFile {
        LiveFile { path, seen: None }
    }

    /// The new snapshot, or why it could not be read, if the file changed (inode, size or
    /// mtime: `save` replaces it by a rename) since the last call; `None` if it did not or
    /// does not exist yet.
    pub fn poll(&mut self, at: Duration) -> Option<Event> {
        let meta = std::fs::metadata(&self.path).ok()?;
        let id = (meta.ino(), meta.size(), meta.mtime(), meta.mtime_nsec());
        if self.seen == Some(id) {
            return None;
        }
        self.seen = Some(id);
        Some(match jitlens_profiler::load(&self.path) {
            Ok(p) => Event::Snapshot {
                profile: Box::new(p),
                at,
            },
            Err(e) => Event::SnapshotError(format!("live snapshot unreadable: {e}")),
        })
    }
}

/// A running (or finished) `jitlens record --live`.
#[derive(Debug)]
pub struct LiveRun {
    child: Child,
    dir: PathBuf,
    live: LiveFile,
    outputs: [(PathBuf, File, u64); 2],
    exit: Option<Exit>,
    handed_back: bool,
}

impl LiveRun {
    /// Starts the program under `jitlens record --live` (the current executable, or
    /// `$JITLENS_TOP_RECORD`).
    pub fn spawn(opts: &LiveOptions) -> std::io::Result<LiveRun> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("jitlens-top-{}-{nanos:08x}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let result = Self::spawn_in(opts, &dir);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        result
    }

    fn spawn_in(opts: &LiveOptions, dir: &Path) -> std::io::Result<LiveRun> {
        let live = dir.join("live.json");
        let out_path = dir.join("stdout");
        let err_path = dir.join("stderr");
        let out = File::create(&out_path)?;
        let err = File::create(&err_path)?;
        let exe = match std::env::var_os(RECORD_ENV).filter(|v| !v.is_empty()) {
            Some(p) => PathBuf::from(p),
            None => std::env::current_exe()?,
        };
        let mut cmd = Command::new(&exe);
        cmd.arg("record").arg("--live").arg(&live);
        if let Some(o) = &opts.output {
            cmd.arg("-o").arg(o);
        }
        if let Some(hz) = opts.freq {
            cmd.arg("--freq").arg(hz.to_string());
        }
        for x in &opts.xopts {
            cmd.arg("-X").arg(x);
        }
        cmd.arg("--").args(&opts.program);
        // The terminal's input is the dashboard's keys, not the program's.
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        let child = cmd.spawn().map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot run {}: {e}", exe.display()))
        })?;
        Ok(LiveRun {
            child,
            dir: dir.to_path_buf(),
            live: LiveFile::new(live),
            outputs: [
                (out_path.clone(), File::open(&out_path)?, 0),
                (err_path.clone(), File::open(&err_path)?, 0),
            ],
            exit: None,
            handed_back: false,
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How the program ended, once it has.
    pub fn exit(&self) -> Option<Exit> {
        self.exit
    }

    /// What happened since the last call: new output, a new snapshot (or why it could not
    /// be read), and the exit, last, once the final snapshot and output are read.
    pub fn poll(&mut self, since_start: Duration) -> Vec<Event> {
        let mut events = Vec::new();
        let just_exited = self.exit.is_none() && self.reap();
        for (i, stream) in [Stream::Stdout, Stream::Stderr].into_iter().enumerate() {
            let limit = if just_exited { u64::MAX } else { READ_PER_TICK };
            let (_, file, pos) = &mut self.outputs[i];
            let mut bytes = Vec::new();
            if file.seek(SeekFrom::Start(*pos)).is_ok()
                && let Ok(n) = file.take(limit).read_to_end(&mut bytes)
                && n > 0
            {
                *pos += n as u64;
                events.push(Event::Output(stream, bytes));
            }
        }
        if let Some(ev) = self.live.poll(since_start) {
            events.push(ev);
        }
        if just_exited && let Some(exit) = self.exit {
            events.push(Event::Exited(exit));
        }
        events
    }

    /// Notes the exit if the child has ended; true the first time.
    fn reap(&mut self) -> bool {
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.exit = Some(match (status.code(), status.signal()) {
                    (Some(c), _) => Exit::Code(c),
                    (None, Some(s)) => Exit::Signal(s),
                    (None, None) => Exit::Code(1),
                });
                true
            }
            _ => false,
        }
    }

    /// Sends the child SIGINT, as Ctrl-C in a terminal would.
    pub fn interrupt(&self) {
        if self.exit.is_none() {
            send_sigint(self.child.id());
        }
    }

    /// Kills the child.
    pub fn kill(&mut self) {
        if self.exit.is_none() {
            let _ = self.child.kill();
        }
    }

    /// Stops the child: SIGINT, then a kill if it has not ended within `grace`; waits for it.
    pub fn stop(&mut self, grace: Duration) {
        if self.exit.is_some() || self.reap() {
            return;
        }
        self.interrupt();
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if self.reap() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        if let Ok(status) = self.child.wait() {
            self.exit = Some(match status.signal() {
                Some(s) => Exit::Signal(s),
                None => Exit::Code(status.code().unwrap_or(1)),
            });
        }
    }

    /// Writes the program's whole output to the real stdout and stderr (call after the
    /// terminal is restored), once.
    pub fn hand_back_output(&mut self) {
        if self.handed_back {
            return;
        }
        self.handed_back = true;
        for (i, (path, _, _)) in self.outputs.iter().enumerate() {
            if let Ok(mut f) = File::open(path) {
                let _ = if i == 0 {
                    let mut out = std::io::stdout().lock();
                    std::io::copy(&mut f, &mut out).and_then(|_| out.flush())
                } else {
                    let mut err = std::io::stderr().lock();
                    std::io::copy(&mut f, &mut err).and_then(|_| err.flush())
                };
            }
        }
    }
}

impl Drop for LiveRun {
    /// Never leaves the program running or its output unprinted, even on a panic.
    fn drop(&mut self) {
        if self.exit.is_none() && !self.reap() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.hand_back_output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Sends SIGINT to a process.
#[allow(unsafe_code)]
fn send_sigint(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) takes two integers and touches no memory of ours; `pid` is our own
    // child, not yet reaped (the caller checked), so the id cannot name another process.
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn the_live_file_is_read_when_it_changes_and_a_bad_one_is_reported() {
        let dir = std::env::temp_dir().join(format!("jitlens-tui-live-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("live.json");
        let mut live = LiveFile::new(path.clone());
        let t = Duration::from_millis(250);
        assert!(live.poll(t).is_none(), "no file yet");
        jitlens_profiler::save(&fixture::profile_at(0.5), &path).unwrap();
        match live.poll(t) {
            Some(Event::Snapshot { profile, .. }) => assert_eq!(profile.run.samples, 501),
            other => panic!("{other:?}"),
        }
        assert!(live.poll(t).is_none(), "unchanged");
        // Half a file (a writer that does not rename), then garbage: errors, not panics.
        let text = serde_json::to_string(&fixture::profile()).unwrap();
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        match live.poll(t) {
            Some(Event::SnapshotError(e)) => assert!(e.contains("truncated"), "{e}"),
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, b"\xff\x00 not json at all").unwrap();
        assert!(matches!(live.poll(t), Some(Event::SnapshotError(_))));
        jitlens_profiler::save(&fixture::profile(), &path).unwrap();
        match live.poll(t) {
            Some(Event::Snapshot { profile, .. }) => assert!(!profile.run.running),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
