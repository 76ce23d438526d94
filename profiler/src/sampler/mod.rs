//! The in-process sampler behind `jitlens record` and `jitlens top`.
//!
//! A cpu-clock perf event on the VM thread (or, where perf events are not allowed, an
//! interval timer) signals it about `frequency` times per second of CPU time. The
//! handler ([`signal`]) records the interrupted pc, the native return addresses and the
//! VM's published Python stack into a ring. At its next safe point the VM calls the
//! session's tick hook, which folds the ring ([`fold`]: attribution to line, op, tier and
//! category) and, for a live view, hands a snapshot [`Profile`] to a writer thread. At the
//! end, [`Session::finish`] folds the rest and builds the profile ([`build`]).

mod build;
mod fold;
mod signal;
mod symbols;

use crate::model::{Profile, RunInfo};
use fold::Folder;
use jitlens_vm::Vm;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

pub use signal::block_sigprof;

/// Which timer drives sampling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SamplerChoice {
    /// A perf event where allowed, else the interval timer (with a warning).
    Auto,
    /// A `perf_event_open` cpu-clock event; an error where not allowed.
    PerfEvent,
    /// A perf event that signals `SIGPROF` through its file descriptor, as on kernels
    /// without perf's `sigtrap` (older than 5.13); the fallback [`SamplerChoice::PerfEvent`]
    /// takes there, selectable to test it and to compare.
    PerfEventFd,
    /// `setitimer(ITIMER_PROF)`.
    Itimer,
}

/// How to sample.
#[derive(Clone, Debug)]
pub struct SamplerConfig {
    /// Samples per second of CPU time.
    pub frequency_hz: u32,
    /// Which timer.
    pub choice: SamplerChoice,
    /// Write a snapshot of the profile here every `live_interval` while the program runs.
    pub live: Option<PathBuf>,
    /// Time between live snapshots.
    pub live_interval: Duration,
}

impl Default for SamplerConfig {
    fn default() -> Self {
        SamplerConfig {
            frequency_hz: 1000,
            choice: SamplerChoice::Auto,
            live: None,
            live_interval: Duration::from_millis(200),
        }
    }
}

/// Writes live snapshots on a thread of its own, so the VM never waits for the disk.
struct LiveWriter {
    tx: std::sync::mpsc::SyncSender<Profile>,
    thread: std::thread::JoinHandle<()>,
    path: PathBuf,
}

impl LiveWriter {
    fn start(path: PathBuf) -> LiveWriter {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Profile>(1);
        let p = path.clone();
        let thread = std::thread::spawn(move || {
            signal::block_sigprof(true);
            jitlens_vm::interrupt::block_in_this_thread();
            let mut warned = false;
            for snapshot in rx {
                if let Err(e) = crate::save(&snapshot, &p)
                    && !warned
                {
                    eprintln!("jitlens: warning: {e}; the live view will not update");
                    warned = true;
                }
            }
        });
        LiveWriter { tx, thread, path }
    }
}

/// What the tick hook and the session share (both on the VM thread).
struct Shared {
    folder: Folder,
    ring: &'static signal::Ring,
    run: RunInfo,
    live: Option<LiveWriter>,
    live_interval: Duration,
    last_snapshot: Instant,
    started: Instant,
    /// The VM thread's CPU clock when recording started.
    cpu_started_ns: u64,
    /// CPU time spent folding and building profiles so far.
    own_ns: u64,
}

impl Shared {
    fn drain(&mut self, vm: &Vm) {
        let t0 = signal::thread_cpu_ns();
        let ring = self.ring;
        let folder = &mut self.folder;
        ring.drain(|s| folder.fold(vm, s));
        self.own_ns += signal::thread_cpu_ns().saturating_sub(t0);
    }

    /// The profile of what is folded so far, its own cost counted.
    fn profile(&mut self, vm: &Vm, run: RunInfo) -> Profile {
        let t0 = signal::thread_cpu_ns();
        let mut profile = build::profile(vm, &self.folder, run);
        let t1 = signal::thread_cpu_ns();
        self.own_ns += t1.saturating_sub(t0);
        profile.run.cpu_ms = t1.saturating_sub(self.cpu_started_ns) as f64 / 1e6;
        profile.run.profiler_cpu_ms = self.own_ns as f64 / 1e6;
        profile
    }

    fn run_info(&self) -> RunInfo {
        let mut run = self.run.clone();
        run.duration_ms = self.started.elapsed().as_secs_f64() * 1e3;
        run.lost_samples = self.ring.lost.load(std::sync::atomic::Ordering::Relaxed);
        run
    }
}

/// A recording in progress, on the VM's thread.
pub struct Session {
    shared: Rc<RefCell<Shared>>,
    timer: signal::Timer,
}

/// The one line printed when perf events are not allowed.
fn fallback_warning(e: &std::io::Error) -> String {
    let paranoid = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    format!(
        "jitlens: warning: perf_event_open is not allowed here ({e}; \
         kernel.perf_event_paranoid = {paranoid}); sampling with setitimer(ITIMER_PROF) \
         instead. To allow perf events: sudo sysctl kernel.perf_event_paranoid=2"
    )
}

impl Session {
    /// Starts sampling the calling thread, which must be the one that runs `vm`. `run`
    /// describes the run (program, arguments, JIT mode); the session fills in the sampler,
    /// the counts and the duration.
    pub fn start(vm: &mut Vm, config: &SamplerConfig, mut run: RunInfo) -> Result<Session, String> {
        vm.spec_stats.keep_per_site(4096);
        // Built before the timer starts (and before the program runs): it loads the
        // executable's symbol table and sizes the fold's tables.
        let folder = Folder::new(signal::monotonic_ns());
        let ring = signal::install(signal::Ring::new(&vm.state))
            .map_err(|e| format!("cannot install the sample signal handler: {e}"))?;
        signal::block_sigprof(false);
        let freq = config.frequency_hz.clamp(1, 100_000);
        let period = 1_000_000_000 / freq as u64;
        // Hardware cycles where the machine counts them (not in most VMs), else cpu-clock.
        let delivery = match config.choice {
            SamplerChoice::PerfEventFd => signal::Delivery::Fd,
            _ => signal::Delivery::Best,
        };
        let perf = || {
            use signal::PerfEvent::{CpuClock, Cycles};
            signal::open_perf_event(Cycles, freq, delivery, ring)
                .map(|t| (t, Cycles))
                .or_else(|_| {
                    signal::open_perf_event(CpuClock, freq, delivery, ring).map(|t| (t, CpuClock))
                })
        };
        let (timer, event) = match config.choice {
            SamplerChoice::Itimer => signal::start_itimer(period).map(|t| (t, None)),
            SamplerChoice::PerfEvent | SamplerChoice::PerfEventFd => {
                perf().map(|(t, e)| (t, Some(e)))
            }
            SamplerChoice::Auto => perf().map(|(t, e)| (t, Some(e))).or_else(|e| {
                eprintln!("{}", fallback_warning(&e));
                signal::start_itimer(period).map(|t| (t, None))
            }),
        }
        .map_err(|e| format!("cannot start the sampler: {e}"))?;
        run.sampler = match timer {
            signal::Timer::PerfEvent(_) => "perf_event",
            signal::Timer::PerfEventFd(_) => "perf_event (SIGPROF)",
            signal::Timer::Itimer => "itimer",
        }
        .to_string();
        run.event = event
            .map_or("cpu-time (ITIMER_PROF)", |e| e.name())
            .to_string();
        run.frequency_hz = freq;
        run.running = true;
        let shared = Rc::new(RefCell::new(Shared {
            folder,
            ring,
            run,
            live: config.live.clone().map(LiveWriter::start),
            live_interval: config.live_interval,
            last_snapshot: Instant::now(),
            started: Instant::now(),
            cpu_started_ns: signal::thread_cpu_ns(),
            own_ns: 0,
        }));
        let hook_state = shared.clone();
        vm.set_tick_hook(Some(Box::new(move |vm: &mut Vm| {
            let mut s = hook_state.borrow_mut();
            s.drain(vm);
            if s.live.is_some() && s.last_snapshot.elapsed() >= s.live_interval {
                s.last_snapshot = Instant::now();
                let run = s.run_info();
                let snapshot = s.profile(vm, run);
                if let Some(live) = &s.live {
                    // A full channel means the writer is still busy: skip this snapshot.
                    let _ = live.tx.try_send(snapshot);
                }
            }
        })));
        ring.set_active(true);
        Ok(Session { shared, timer })
    }

    /// Stops sampling, folds what is left and returns the profile. `exit_code` is the
    /// program's.
    pub fn finish(self, vm: &mut Vm, exit_code: i32) -> Profile {
        let ring = self.shared.borrow().ring;
        signal::stop(&self.timer, ring);
        vm.set_tick_hook(None);
        let mut s = self.shared.borrow_mut();
        s.drain(vm);
        let mut run = s.run_info();
        run.running = false;
        run.exit_code = exit_code;
        let profile = s.profile(vm, run);
        if let Some(live) = s.live.take() {
            let LiveWriter { tx, thread, path } = live;
            drop(tx);
            let _ = thread.join();
            if let Err(e) = crate::save(&profile, &path) {
                eprintln!("jitlens: warning: {e}");
            }
        }
        profile
    }
}
