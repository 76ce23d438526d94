//! The signal handler and the buffer it fills: the only `unsafe` of the sampler.
//!
//! The handler runs on the VM's thread (a perf event sends it `SIGTRAP`, or `SIGPROF` on
//! kernels without perf's `sigtrap`; an interval timer sends `SIGPROF`). It is async-signal-safe: it reads the interrupted registers from the
//! `ucontext`, walks the native frame-pointer chain within the thread's stack, copies the
//! VM's published Python stack ([`ExecState::walk`]), and pushes one fixed-size
//! [`RawSample`] into a ring that only this thread reads. No allocation, no locks.
//!
//! The ring is single-producer, single-consumer on one thread: the consumer (the fold, at a
//! VM safe point) can be interrupted by the producer, never the other way round.

use jitlens_vm::ExecState;
use jitlens_vm::sampling::RawPyStack;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};

/// Native return addresses a sample keeps (innermost first, after the pc).
pub const MAX_NATIVE_DEPTH: usize = 40;

/// Samples the ring holds before it drops new ones (a second at 1 kHz without a safe point,
/// e.g. inside one long native call; dropped samples are counted in `lost_samples`).
const RING_SLOTS: usize = 1024;

/// Ask the VM to fold once this many samples wait in the ring.
const TICK_EVERY: usize = 32;

/// One sample as the handler records it.
#[derive(Clone, Copy)]
#[repr(C)]
pub struct RawSample {
    /// `CLOCK_MONOTONIC` nanoseconds.
    pub time_ns: u64,
    /// The interrupted program counter.
    pub pc: u64,
    /// The two words at the interrupted stack pointer: in a function's prologue or
    /// epilogue (before `mov rbp, rsp`, after `pop rbp`) one of them is its return address,
    /// which the frame-pointer chain then misses.
    pub sp_words: [u64; 2],
    /// The tier the VM published (0 or 1).
    pub tier: u32,
    /// Return addresses used in `native`.
    pub native_depth: u32,
    /// Return addresses from the frame-pointer chain, innermost first.
    pub native: [u64; MAX_NATIVE_DEPTH],
    /// The Python stack.
    pub py: RawPyStack,
}

impl RawSample {
    /// The return addresses recorded.
    pub fn native(&self) -> &[u64] {
        &self.native[..self.native_depth as usize]
    }
}

/// The ring and what the handler needs to fill it.
pub struct Ring {
    slots: Box<[UnsafeCell<RawSample>]>,
    /// Next slot the handler writes (monotonic count).
    head: AtomicUsize,
    /// Next slot the consumer reads (monotonic count).
    tail: AtomicUsize,
    /// Samples dropped because the ring was full.
    pub lost: AtomicU64,
    /// The VM thread's kernel thread id.
    tid: i32,
    /// The VM's published state.
    state: *const ExecState,
    /// The VM thread's stack bounds, for the frame-pointer walk.
    stack_lo: u64,
    stack_hi: u64,
    /// The perf event to re-arm after each signal, or -1 (interval timer).
    perf_fd: AtomicU64,
    /// Set while the handler should record.
    active: AtomicBool,
}

// SAFETY: the ring is only used from the VM thread (handler and consumer); the static
// holding it needs `Sync`, and nothing else shares it.
unsafe impl Sync for Ring {}
// SAFETY: as above: created on the VM thread and used there only.
unsafe impl Send for Ring {}

static RING: AtomicPtr<Ring> = AtomicPtr::new(std::ptr::null_mut());

/// The calling thread's kernel thread id (async-signal-safe).
fn thread_id() -> i32 {
    jitlens_vm::jit::perf::thread_id() as i32
}

/// `CLOCK_MONOTONIC` in nanoseconds.
pub fn monotonic_ns() -> u64 {
    jitlens_vm::jit::perf::monotonic_ns()
}

/// The calling thread's CPU time (user + system) in nanoseconds.
pub fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec we pass, and nothing else.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The calling thread's stack as (lowest, highest) address.
fn stack_bounds() -> (u64, u64) {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread, which we destroy
    // after reading the stack range; all pointers are to locals.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return (0, 0);
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let r = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if r != 0 {
            return (0, 0);
        }
        (addr as u64, addr as u64 + size as u64)
    }
}

impl Ring {
    /// A ring for the calling thread (the VM's), reading `state`.
    pub fn new(state: &ExecState) -> Box<Ring> {
        let (stack_lo, stack_hi) = stack_bounds();
        // Zeroed by the allocator (a fresh mapping for a ring this size): pages are touched
        // only as samples reach them, so a short run does not pay for the whole ring.
        let slots = Box::<[UnsafeCell<RawSample>]>::new_zeroed_slice(RING_SLOTS);
        // SAFETY: `RawSample` is plain integers and arrays of them (`RawPyStack` too, with
        // one bool): all-zero bytes are a valid value.
        let slots = unsafe { slots.assume_init() };
        Box::new(Ring {
            slots,
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            lost: AtomicU64::new(0),
            tid: thread_id(),
            state,
            stack_lo,
            stack_hi,
            perf_fd: AtomicU64::new(u64::MAX),
            active: AtomicBool::new(false),
        })
    }

    /// Re-arm this perf event after each signal.
    pub fn set_perf_fd(&self, fd: i32) {
        self.perf_fd.store(fd as u64, Ordering::Relaxed);
    }

    /// Starts or stops recording.
    pub fn set_active(&self, on: bool) {
        self.active.store(on, Ordering::Relaxed);
    }

    /// Hands every waiting sample to `f`, oldest first. Call on the VM thread.
    pub fn drain(&self, mut f: impl FnMut(&RawSample)) {
        let head = self.head.load(Ordering::Acquire);
        let mut tail = self.tail.load(Ordering::Relaxed);
        while tail != head {
            // SAFETY: slots in tail..head were completely written (head is published with
            // Release after the write) and the handler does not write them again until tail
            // passes them.
            let s = unsafe { &*self.slots[tail % RING_SLOTS].get() };
            f(s);
            tail += 1;
            self.tail.store(tail, Ordering::Release);
        }
    }

    /// Records one sample from the interrupted context `uc`.
    ///
    /// # Safety
    /// `uc` is the `ucontext_t` the kernel passed to the handler, on the VM thread.
    unsafe fn record(&self, uc: *const libc::ucontext_t) {
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Acquire);
        if head - tail >= RING_SLOTS {
            self.lost.fetch_add(1, Ordering::Relaxed);
            return;
        }
        // SAFETY: slot `head` is not readable by the consumer until `head` is published, and
        // only this handler writes (it does not nest: both its signals are blocked while it runs).
        let s = unsafe { &mut *self.slots[head % RING_SLOTS].get() };
        // SAFETY: the kernel's ucontext for this signal.
        let gregs = unsafe { &(*uc).uc_mcontext.gregs };
        s.time_ns = monotonic_ns();
        s.pc = gregs[libc::REG_RIP as usize] as u64;
        let sp = gregs[libc::REG_RSP as usize] as u64;
        s.sp_words = if sp.is_multiple_of(8) && sp >= self.stack_lo && sp + 16 <= self.stack_hi {
            // SAFETY: `sp..sp + 16` lies inside this thread's mapped stack.
            unsafe { [*(sp as *const u64), *((sp + 8) as *const u64)] }
        } else {
            [0; 2]
        };
        let mut fp = gregs[libc::REG_RBP as usize] as u64;
        let mut n = 0;
        // The frame-pointer chain: [fp] = caller's fp, [fp + 8] = return address. Only
        // frames inside this thread's stack, growing upwards, 8-aligned, are followed.
        while n < MAX_NATIVE_DEPTH
            && fp.is_multiple_of(8)
            && fp >= self.stack_lo
            && fp + 16 <= self.stack_hi
        {
            // SAFETY: `fp..fp + 16` lies inside this thread's mapped stack.
            let (next, ret) = unsafe { (*(fp as *const u64), *((fp + 8) as *const u64)) };
            if ret == 0 {
                break;
            }
            s.native[n] = ret;
            n += 1;
            if next <= fp {
                break;
            }
            fp = next;
        }
        s.native_depth = n as u32;
        // SAFETY: `state` is the VM's, alive while the ring is active; we are on its thread.
        let state = unsafe { &*self.state };
        s.tier = state.tier.load(Ordering::Relaxed);
        // SAFETY: on the VM thread, as `walk` requires.
        unsafe { state.walk(&mut s.py) };
        self.head.store(head + 1, Ordering::Release);
        if head + 1 - tail >= TICK_EVERY {
            // SAFETY: on the VM thread, as `request_tick` requires.
            unsafe { state.request_tick() };
        }
    }
}

/// The handler for `SIGPROF` (interval timer, or a perf event signalling through its file
/// descriptor) and for `SIGTRAP` (a perf event with `sigtrap` set).
extern "C" fn on_sample(sig: libc::c_int, info: *mut libc::siginfo_t, uc: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo_t to an SA_SIGINFO handler.
    let code = unsafe { (*info).si_code };
    if sig == libc::SIGTRAP && code != TRAP_PERF {
        // Not ours (a breakpoint, say): let it do what it would have done without us.
        // SAFETY: resetting a disposition and raising are async-signal-safe.
        unsafe {
            libc::signal(libc::SIGTRAP, libc::SIG_DFL);
            libc::raise(libc::SIGTRAP);
        }
        return;
    }
    let ring = RING.load(Ordering::Acquire);
    if ring.is_null() {
        return;
    }
    // SAFETY: a ring, once installed, is never freed (see `install`).
    let ring = unsafe { &*ring };
    // SAFETY: errno is thread-local; saved and restored so the interrupted code never sees
    // the handler's.
    let errno = unsafe { *libc::__errno_location() };
    if ring.active.load(Ordering::Relaxed) && thread_id() == ring.tid {
        // SAFETY: the kernel passes a ucontext_t to an SA_SIGINFO handler; we are on the VM
        // thread (checked just above).
        unsafe { ring.record(uc as *const libc::ucontext_t) };
    }
    let fd = ring.perf_fd.load(Ordering::Relaxed);
    if sig == libc::SIGPROF && fd != u64::MAX && code == POLL_HUP {
        // The event used up its overflows and disabled itself: re-arm it (ioctl is
        // async-signal-safe). With `REFRESH_OVERFLOWS` that is about once a month at 1 kHz:
        // re-arming on every signal costs a cross-CPU call in the kernel, 1% of the run.
        // SAFETY: our own perf event.
        unsafe {
            perf_event_open_sys::ioctls::REFRESH(fd as i32, REFRESH_OVERFLOWS);
        }
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

/// Installs `ring` for the sample handler, and the handler itself for `SIGPROF` and
/// `SIGTRAP`. The ring is leaked: a signal may still be in flight after the sampler stops,
/// so it lives for the process.
pub fn install(ring: Box<Ring>) -> std::io::Result<&'static Ring> {
    let ring: &'static Ring = Box::leak(ring);
    RING.store(ring as *const Ring as *mut Ring, Ordering::Release);
    for sig in [libc::SIGPROF, libc::SIGTRAP] {
        // SAFETY: installs a SA_SIGINFO handler; `act` is fully initialised, the handler is
        // async-signal-safe (see the module docs), and each signal is blocked while the
        // handler runs so that it never nests.
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_sample as *const () as usize;
            act.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut act.sa_mask);
            libc::sigaddset(&mut act.sa_mask, libc::SIGPROF);
            libc::sigaddset(&mut act.sa_mask, libc::SIGTRAP);
            if libc::sigaction(sig, &act, std::ptr::null_mut()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(ring)
}

/// Blocks (`true`) or unblocks `SIGPROF` for the calling thread: threads other than the
/// VM's block it, so that an interval timer's process-wide signal reaches the VM thread.
pub fn block_sigprof(block: bool) {
    jitlens_vm::interrupt::set_signal_blocked(libc::SIGPROF, block);
}

/// How samples are triggered.
#[derive(Debug)]
pub enum Timer {
    /// A `perf_event_open` event on the VM thread that sends it `SIGTRAP` (its file
    /// descriptor).
    PerfEvent(i32),
    /// A `perf_event_open` event on the VM thread that signals `SIGPROF` through its file
    /// descriptor.
    PerfEventFd(i32),
    /// `setitimer(ITIMER_PROF)`.
    Itimer,
}

/// Overflows a perf event may signal before it disables itself (`PERF_EVENT_IOC_REFRESH`).
/// Each overflow signals POLL_IN; the last one POLL_HUP, after which the handler re-arms.
const REFRESH_OVERFLOWS: libc::c_int = 1 << 30;

/// `si_code` of the signal for the overflow that disabled the event.
const POLL_HUP: libc::c_int = 6;

/// `si_code` of a `SIGTRAP` sent by a perf event with `sigtrap` set.
const TRAP_PERF: libc::c_int = 6;

/// `fcntl` commands and types the libc crate lacks (from `<fcntl.h>` on Linux).
const F_SETSIG: libc::c_int = 10;
const F_SETOWN_EX: libc::c_int = 15;
const F_OWNER_TID: libc::c_int = 0;

/// `struct f_owner_ex`.
#[repr(C)]
struct FOwnerEx {
    type_: libc::c_int,
    pid: libc::pid_t,
}

/// How a perf event delivers its signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// `sigtrap` where the kernel has it, else [`Delivery::Fd`].
    Best,
    /// `SIGPROF` through the file descriptor (`O_ASYNC`, `F_SETSIG`).
    Fd,
}

/// The events a perf-event sampler can count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerfEvent {
    /// Hardware CPU cycles, sampled `frequency` times a second (the kernel adapts the period).
    Cycles,
    /// The software cpu-clock: a sample every `1 / frequency` s of the thread's CPU time.
    CpuClock,
}

impl PerfEvent {
    /// perf's name for the event.
    pub fn name(self) -> &'static str {
        match self {
            PerfEvent::Cycles => "cycles",
            PerfEvent::CpuClock => "cpu-clock",
        }
    }
}

/// Opens a perf event on the calling thread that signals it about `frequency` times per
/// second of its CPU time.
///
/// The event is opened with `sigtrap` where the kernel has it (Linux 5.13 and later): the
/// kernel then sends `SIGTRAP` to the thread itself on its way back to user mode. Without
/// it, the event signals `SIGPROF` through its file descriptor (`F_SETSIG`), which the
/// kernel sends from an irq_work, a self-interrupt that costs every sample more: measured
/// with an empty handler at 1 kHz on these machines, 3.6% of the CPU time against 2.9% for
/// `sigtrap` (the timer interrupt alone is 1.8%).
pub fn open_perf_event(
    event: PerfEvent,
    frequency: u32,
    delivery: Delivery,
    ring: &Ring,
) -> std::io::Result<Timer> {
    if delivery == Delivery::Fd {
        return open_signalling_fd(event, frequency, ring);
    }
    match open_event(event, frequency, true) {
        Ok(fd) => {
            // SAFETY: enables our own new perf event.
            if unsafe { perf_event_open_sys::ioctls::ENABLE(fd, 0) } != 0 {
                let e = std::io::Error::last_os_error();
                // SAFETY: closes our own descriptor.
                unsafe { libc::close(fd) };
                return Err(e);
            }
            Ok(Timer::PerfEvent(fd))
        }
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            open_signalling_fd(event, frequency, ring)
        }
        Err(e) => Err(e),
    }
}

/// Opens the (disabled) perf event, with `sigtrap` or without.
fn open_event(event: PerfEvent, frequency: u32, sigtrap: bool) -> std::io::Result<i32> {
    use perf_event_open_sys::bindings as b;
    // SAFETY: a zeroed perf_event_attr is valid (all fields are plain integers); the calls
    // below configure our own new file descriptor only.
    unsafe {
        let mut attr: b::perf_event_attr = std::mem::zeroed();
        attr.size = std::mem::size_of::<b::perf_event_attr>() as u32;
        match event {
            PerfEvent::Cycles => {
                attr.type_ = b::PERF_TYPE_HARDWARE;
                attr.config = b::PERF_COUNT_HW_CPU_CYCLES as u64;
                attr.set_freq(1);
                attr.__bindgen_anon_1.sample_freq = frequency as u64;
            }
            PerfEvent::CpuClock => {
                attr.type_ = b::PERF_TYPE_SOFTWARE;
                attr.config = b::PERF_COUNT_SW_CPU_CLOCK as u64;
                attr.__bindgen_anon_1.sample_period = 1_000_000_000 / frequency.max(1) as u64;
            }
        }
        attr.set_disabled(1);
        attr.set_exclude_kernel(1);
        attr.set_exclude_hv(1);
        attr.__bindgen_anon_2.wakeup_events = 1;
        if sigtrap {
            // The kernel requires `remove_on_exec` with `sigtrap`.
            attr.set_sigtrap(1);
            attr.set_remove_on_exec(1);
        }
        let fd = perf_event_open_sys::perf_event_open(
            &mut attr,
            0,
            -1,
            -1,
            b::PERF_FLAG_FD_CLOEXEC as libc::c_ulong,
        );
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(fd)
    }
}

/// Opens the perf event without `sigtrap`: it signals `SIGPROF` to the calling thread
/// through its file descriptor, armed for [`REFRESH_OVERFLOWS`] overflows.
fn open_signalling_fd(event: PerfEvent, frequency: u32, ring: &Ring) -> std::io::Result<Timer> {
    let fd = open_event(event, frequency, false)?;
    // SAFETY: the calls below configure our own new file descriptor only.
    unsafe {
        let fail = |fd: i32| {
            let e = std::io::Error::last_os_error();
            libc::close(fd);
            Err(e)
        };
        if libc::fcntl(fd, libc::F_SETFL, libc::O_ASYNC) != 0
            || libc::fcntl(fd, F_SETSIG, libc::SIGPROF) != 0
        {
            return fail(fd);
        }
        let owner = FOwnerEx {
            type_: F_OWNER_TID,
            pid: thread_id(),
        };
        if libc::fcntl(fd, F_SETOWN_EX, &owner) != 0 {
            return fail(fd);
        }
        ring.set_perf_fd(fd);
        perf_event_open_sys::ioctls::RESET(fd, 0);
        if perf_event_open_sys::ioctls::REFRESH(fd, REFRESH_OVERFLOWS) != 0 {
            return fail(fd);
        }
        Ok(Timer::PerfEventFd(fd))
    }
}

/// Starts `setitimer(ITIMER_PROF)` every `period_ns` of process CPU time.
pub fn start_itimer(period_ns: u64) -> std::io::Result<Timer> {
    let usec = (period_ns / 1000).max(1) as libc::suseconds_t;
    let tv = libc::timeval {
        tv_sec: (usec / 1_000_000) as libc::time_t,
        tv_usec: usec % 1_000_000,
    };
    let it = libc::itimerval {
        it_interval: tv,
        it_value: tv,
    };
    // SAFETY: sets the process's profiling timer from a fully initialised value.
    if unsafe { libc::setitimer(libc::ITIMER_PROF, &it, std::ptr::null_mut()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(Timer::Itimer)
}

/// Stops a timer started by [`open_perf_event`] or [`start_itimer`].
pub fn stop(timer: &Timer, ring: &Ring) {
    ring.set_active(false);
    match *timer {
        Timer::PerfEvent(fd) | Timer::PerfEventFd(fd) => {
            ring.perf_fd.store(u64::MAX, Ordering::Relaxed);
            // SAFETY: disables and closes our own perf event.
            unsafe {
                perf_event_open_sys::ioctls::DISABLE(fd, 0);
                libc::close(fd);
            }
        }
        Timer::Itimer => {
            // SAFETY: a zero itimerval stops the timer.
            unsafe {
                let zero: libc::itimerval = std::mem::zeroed();
                libc::setitimer(libc::ITIMER_PROF, &zero, std::ptr::null_mut());
            }
        }
    }
}
