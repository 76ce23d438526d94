//! What a sampling timer costs a program on this machine before the profiler does any work:
//! the floor under `jitlens record`'s overhead.
//!
//! ```text
//! cargo run --release -p jitlens-profiler --example timer_floor -- [--freq HZ] [--rounds N] [--ms MS]
//! ```
//!
//! A fixed busy loop (about `MS` milliseconds of CPU) runs `N` times in each of these ways,
//! interleaved, and its thread CPU time (user + system) is compared with the untimed loop:
//!
//! - `perf`: a cpu-clock perf event on the thread at `HZ`, `sigtrap` delivery (`SIGTRAP`,
//!   sent on the way back to user mode), to a handler that only counts;
//! - `perf-fd`: the same event signalling `SIGPROF` through its file descriptor (the kernel
//!   sends it from an irq_work, a self-interrupt);
//! - `perf-nosignal`: the same event with no signal at all (the timer interrupt alone);
//! - `itimer`: `setitimer(ITIMER_PROF)`, which the kernel drives from its own tick.
//!
//! The last line is JSON (`{"perf": ratio, ...}`, medians of per-round ratios) for
//! `bench/observe`. In a virtual machine every timer interrupt exits to the hypervisor, and
//! that dominates: it is charged to the running thread.

use std::sync::atomic::{AtomicU64, Ordering};

static SIGNALS: AtomicU64 = AtomicU64::new(0);

extern "C" fn count(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
    SIGNALS.fetch_add(1, Ordering::Relaxed);
}

/// The calling thread's CPU time in seconds.
fn thread_cpu() -> f64 {
    // SAFETY: getrusage fills the zeroed struct we pass.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut ru);
        ru
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// A loop of dependent float operations, `iters` long.
fn busy(iters: u64) -> f64 {
    let mut x = 1.0f64;
    for _ in 0..iters {
        x = std::hint::black_box(x * 1.000_000_1 + 1e-9);
    }
    x
}

#[derive(Clone, Copy, PartialEq)]
enum Way {
    None,
    Perf,
    PerfFd,
    PerfNoSignal,
    Itimer,
}

const WAYS: [(Way, &str); 5] = [
    (Way::None, "none"),
    (Way::Perf, "perf"),
    (Way::PerfFd, "perf-fd"),
    (Way::PerfNoSignal, "perf-nosignal"),
    (Way::Itimer, "itimer"),
];

/// Starts the timer for `way`; returns the perf event's descriptor (or -1).
fn start(way: Way, freq: u64) -> std::io::Result<i32> {
    use perf_event_open_sys::bindings as b;
    if way == Way::Itimer {
        let usec = (1_000_000 / freq) as libc::suseconds_t;
        let tv = libc::timeval {
            tv_sec: 0,
            tv_usec: usec,
        };
        let it = libc::itimerval {
            it_interval: tv,
            it_value: tv,
        };
        // SAFETY: sets the process's profiling timer from a fully initialised value.
        unsafe { libc::setitimer(libc::ITIMER_PROF, &it, std::ptr::null_mut()) };
        return Ok(-1);
    }
    if way == Way::None {
        return Ok(-1);
    }
    // SAFETY: a zeroed perf_event_attr is valid; the calls configure our own new
    // descriptor only.
    unsafe {
        let mut attr: b::perf_event_attr = std::mem::zeroed();
        attr.size = std::mem::size_of::<b::perf_event_attr>() as u32;
        attr.type_ = b::PERF_TYPE_SOFTWARE;
        attr.config = b::PERF_COUNT_SW_CPU_CLOCK as u64;
        attr.__bindgen_anon_1.sample_period = 1_000_000_000 / freq;
        attr.set_disabled(1);
        attr.set_exclude_kernel(1);
        attr.set_exclude_hv(1);
        attr.__bindgen_anon_2.wakeup_events = 1;
        if way == Way::Perf {
            attr.set_sigtrap(1);
            attr.set_remove_on_exec(1);
        }
        let fd = perf_event_open_sys::perf_event_open(&mut attr, 0, -1, -1, 0);
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if way == Way::PerfFd {
            #[repr(C)]
            struct FOwnerEx {
                type_: libc::c_int,
                pid: libc::pid_t,
            }
            let owner = FOwnerEx {
                type_: 0,
                pid: libc::gettid(),
            };
            libc::fcntl(fd, libc::F_SETFL, libc::O_ASYNC);
            libc::fcntl(fd, 10 /* F_SETSIG */, libc::SIGPROF);
            libc::fcntl(fd, 15 /* F_SETOWN_EX */, &owner);
            perf_event_open_sys::ioctls::REFRESH(fd, 1 << 30);
        } else {
            perf_event_open_sys::ioctls::ENABLE(fd, 0);
        }
        Ok(fd)
    }
}

fn stop(way: Way, fd: i32) {
    // SAFETY: stops our own timer or closes our own descriptor.
    unsafe {
        if way == Way::Itimer {
            let zero: libc::itimerval = std::mem::zeroed();
            libc::setitimer(libc::ITIMER_PROF, &zero, std::ptr::null_mut());
        } else if fd >= 0 {
            perf_event_open_sys::ioctls::DISABLE(fd, 0);
            libc::close(fd);
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut freq = 1000u64;
    let mut rounds = 9usize;
    let mut ms = 400u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse::<u64>().ok());
        match (pair[0].as_str(), value) {
            ("--freq", Some(v)) if v > 0 => freq = v,
            ("--rounds", Some(v)) if v > 0 => rounds = v as usize,
            ("--ms", Some(v)) if v > 0 => ms = v,
            _ => {
                eprintln!("usage: timer_floor [--freq HZ] [--rounds N] [--ms MS]");
                std::process::exit(2);
            }
        }
    }
    for sig in [libc::SIGPROF, libc::SIGTRAP] {
        // SAFETY: installs a counting SA_SIGINFO handler (async-signal-safe: one atomic add).
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = count as *const () as usize;
            act.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigaction(sig, &act, std::ptr::null_mut());
        }
    }
    // Calibrate the loop to about `ms` of CPU.
    let t0 = thread_cpu();
    std::hint::black_box(busy(20_000_000));
    let per_iter = (thread_cpu() - t0).max(1e-6) / 20e6;
    let iters = (ms as f64 / 1000.0 / per_iter) as u64;
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); WAYS.len()];
    let mut signals = vec![0u64; WAYS.len()];
    for round in 0..rounds {
        for (k, &(way, name)) in WAYS.iter().enumerate() {
            let fd = match start(way, freq) {
                Ok(fd) => fd,
                Err(e) => {
                    eprintln!("timer_floor: cannot start {name}: {e}");
                    std::process::exit(1);
                }
            };
            let before = SIGNALS.load(Ordering::Relaxed);
            let t0 = thread_cpu();
            std::hint::black_box(busy(iters));
            times[k].push(thread_cpu() - t0);
            stop(way, fd);
            signals[k] += SIGNALS.load(Ordering::Relaxed) - before;
        }
        eprintln!("timer_floor: round {}/{rounds}", round + 1);
    }
    let mut json = Vec::new();
    for (k, &(_, name)) in WAYS.iter().enumerate().skip(1) {
        let ratios: Vec<f64> = times[k].iter().zip(&times[0]).map(|(t, b)| t / b).collect();
        let r = median(ratios);
        let secs: f64 = times[k].iter().sum();
        println!(
            "{name:>14}: {r:.4}x the untimed loop ({:.0} signals/s)",
            signals[k] as f64 / secs
        );
        json.push(format!("\"{name}\": {r:.4}"));
    }
    println!("{{{}}}", json.join(", "));
}
