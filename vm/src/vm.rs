//! The [`Vm`]: interpreter state, the entry points that run a program, and the state
//! published for observers ([`ExecState`]).

use crate::code::Code;
use crate::interp::frame::Frame;
use crate::object::{self, DictObj, ModuleObj};
use crate::runtime::str::{intern, new_str};
use crate::types::types;
use crate::value::Value;
use std::io::Write;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};

/// A raised Python exception (the exception instance).
#[derive(Debug, Clone)]
pub struct PyErr(pub Value);

/// Result of an operation that may raise.
pub type PyResult<T> = Result<T, PyErr>;

/// Run-time options (from `-X` flags and the environment).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Print execution statistics at exit.
    pub stats: bool,
    /// Turn tier-0 quickening off (`-X specialize=off`).
    pub no_specialize: bool,
    /// Tier 1: off, on (when warm) or always.
    pub jit: crate::jit::runtime::JitMode,
    /// Entries plus back edges before a code object is compiled (`-X jit-threshold=N`).
    pub jit_threshold: Option<u32>,
    /// Perf map and jitdump output (`-X perf`, `-X jitdump`).
    pub perf: crate::jit::perf::PerfConfig,
}

/// What observers (the sampling profiler's signal handler) may read at any instant: the
/// running frame and the tier. Updated with plain stores; read with relaxed loads. The
/// frame chain is walked by [`ExecState::walk`] (`crate::sampling`).
#[repr(C)]
#[derive(Default)]
pub struct ExecState {
    /// The running frame, or null.
    pub frame: AtomicPtr<Frame>,
    /// 0 = interpreter, 1 = JIT code.
    pub tier: AtomicU32,
    /// Set by [`ExecState::request_tick`]: run the tick hook at the next safe point.
    pub tick: std::sync::atomic::AtomicBool,
    /// Address of the VM thread's safe-point flag byte (`object::gc::pending_flag_addr`).
    pub safe_point_flag: std::sync::atomic::AtomicUsize,
    /// Set by [`ExecState::interrupt`] (Ctrl-C): raise KeyboardInterrupt at the next safe
    /// point.
    pub interrupted: std::sync::atomic::AtomicBool,
}

/// How a program run ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    /// Normal end, or `sys.exit(n)`: the process exit code.
    Code(i32),
}

/// The virtual machine: one per thread.
pub struct Vm {
    /// The `builtins` module's dict.
    pub builtins: Value,
    /// Loaded modules by name (a dict).
    pub modules: Value,
    /// The frames below the running one, outermost first. Boxed: a frame's address is
    /// published to observers and must not move when this vector grows.
    #[allow(clippy::vec_box)]
    pub frames: Vec<Box<Frame>>,
    #[allow(clippy::vec_box)]
    pub(crate) pool: Vec<Box<Frame>>,
    /// Python call depth.
    pub depth: usize,
    /// `sys.getrecursionlimit()`.
    pub recursion_limit: usize,
    /// The exception being handled (`None` outside `except` blocks).
    pub handled: Value,
    /// Buffered stdout.
    pub out: Vec<u8>,
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// Options.
    pub options: Options,
    /// Published execution state.
    pub state: Box<ExecState>,
    /// Lowest address the native stack may grow to before RecursionError.
    pub(crate) stack_limit: usize,
    /// Source text of loaded files, for tracebacks.
    pub sources: Vec<(std::rc::Rc<str>, String)>,
    /// Set by RERAISE / bare `raise`: the unwinder must not add a traceback entry.
    pub(crate) reraising: bool,
    /// Return value of the last exhausted generator (for `yield from` and StopIteration).
    pub(crate) stop_value: Value,
    /// Objects whose repr is being computed (recursion guard).
    pub(crate) repr_stack: Vec<u64>,
    /// `object.__init__`, skipped when instantiating.
    pub(crate) object_init: Value,
    /// The `__main__` module's code, once loaded (for `dis --specialized`).
    pub main_code: Option<std::rc::Rc<Code>>,
    /// Quickening on (the default) or off.
    pub specialize: bool,
    /// Quickening statistics.
    pub spec_stats: crate::interp::specialize::SpecStats,
    /// Nesting depth of container comparisons (bounded like the recursion limit).
    pub(crate) cmp_depth: usize,
    /// Every user class, in creation order (for `__subclasses__`).
    pub(crate) classes: Vec<Value>,
    /// The method cache (see `runtime::attr::class_lookup`).
    pub(crate) mcache: std::cell::UnsafeCell<Box<[crate::runtime::attr::McEntry]>>,
    /// Bumped whenever a class namespace changes; invalidates the method cache.
    pub(crate) type_epoch: std::cell::Cell<u32>,
    /// Set once a data descriptor is added to an existing class: class flags about
    /// descriptors are then no longer trusted.
    pub(crate) descr_added_late: bool,
    /// The builtin `len` (the guard of CALL_LEN compares against it).
    pub(crate) builtin_len: Value,
    /// Tier 1 on (`-X jit=on|always`).
    pub(crate) jit_on: bool,
    /// Warmth at which a code object is compiled (0 with `-X jit=always`).
    pub(crate) jit_threshold: u32,
    /// Frames whose JIT code is running, innermost last (`jit_tier0_step` runs the top one).
    #[allow(clippy::vec_box)]
    pub(crate) jit_frames: Vec<Box<Frame>>,
    /// The exception JIT code returned `STATUS_ERROR` for.
    pub(crate) jit_error: Option<PyErr>,
    /// An exception an op helper raised: the interpreter raises it at `frame.ip`.
    pub(crate) jit_raise: Option<PyErr>,
    /// Set by `jit_tier0_step` when the instruction it ran jumped (that exit is not a side
    /// exit).
    pub(crate) jit_tier0_jumped: bool,
    /// Tier-1 statistics.
    pub jit_stats: crate::jit::runtime::JitStats,
    /// Every code object compiled so far, with its JIT code (kept mapped for the whole run,
    /// for the code map the profiler and perf read).
    pub jit_codes: Vec<(std::rc::Rc<Code>, std::rc::Rc<crate::jit::compile::JitCode>)>,
    /// The builtin `isinstance` (for CALL_ISINSTANCE).
    pub(crate) builtin_isinstance: Value,
    /// The perf map and jitdump writers, when asked for.
    pub(crate) perf: Option<crate::jit::perf::PerfOutput>,
    /// When the VM was created (JIT events are stamped relative to it).
    pub started: std::time::Instant,
    /// Run at a safe point after [`ExecState::request_tick`] (see [`Vm::set_tick_hook`]).
    tick_hook: Option<TickHook>,
    /// Every module-level code object run so far (the main module's first): the roots of
    /// [`Vm::code_objects`]. Keeps them, and so every nested code object, alive.
    pub(crate) loaded_code: Vec<std::rc::Rc<Code>>,
}

/// A function the VM calls at a safe point when asked to (see [`Vm::set_tick_hook`]).
pub type TickHook = Box<dyn FnMut(&mut Vm)>;

impl Vm {
    /// A fresh VM with the builtins and standard modules loaded.
    pub fn new(argv: Vec<String>, options: Options) -> Vm {
        crate::types::init();
        let dict = || object::alloc(&types().dict, DictObj::default());
        let here = 0u8;
        let sp = &here as *const u8 as usize;
        let mut vm = Vm {
            builtins: dict(),
            modules: dict(),
            frames: Vec::new(),
            pool: Vec::new(),
            depth: 0,
            recursion_limit: 1000,
            handled: Value::NONE,
            out: Vec::with_capacity(1 << 16),
            argv,
            options: options.clone(),
            state: Box::default(),
            stack_limit: sp.saturating_sub(crate::STACK_SIZE - (1 << 20)),
            sources: Vec::new(),
            reraising: false,
            stop_value: Value::NONE,
            repr_stack: Vec::new(),
            object_init: Value::UNDEF,
            classes: Vec::new(),
            cmp_depth: 0,
            specialize: true,
            main_code: None,
            spec_stats: crate::interp::specialize::SpecStats::new(options.stats),
            mcache: std::cell::UnsafeCell::new(crate::runtime::attr::new_mcache()),
            type_epoch: std::cell::Cell::new(1),
            descr_added_late: false,
            builtin_len: Value::UNDEF,
            jit_on: options.jit != crate::jit::runtime::JitMode::Off
                && crate::jit::runtime::UNAVAILABLE.is_none(),
            jit_threshold: match options.jit {
                crate::jit::runtime::JitMode::Always => 0,
                _ => options
                    .jit_threshold
                    .unwrap_or(crate::jit::runtime::DEFAULT_THRESHOLD),
            },
            jit_frames: Vec::new(),
            jit_error: None,
            jit_raise: None,
            jit_tier0_jumped: false,
            jit_stats: Default::default(),
            jit_codes: Vec::new(),
            builtin_isinstance: Value::UNDEF,
            perf: None,
            started: std::time::Instant::now(),
            tick_hook: None,
            loaded_code: Vec::new(),
        };
        vm.state.safe_point_flag.store(
            object::gc::pending_flag_addr() as usize,
            std::sync::atomic::Ordering::Relaxed,
        );
        vm.perf = crate::jit::perf::PerfOutput::open(&vm.options.perf);
        vm.specialize = !vm.options.no_specialize;
        crate::builtins::init(&mut vm);
        let b = vm.builtins.downcast::<DictObj>().unwrap();
        vm.builtin_len = crate::runtime::attr::dict_get_str(b, "len").unwrap_or(Value::UNDEF);
        vm.builtin_isinstance =
            crate::runtime::attr::dict_get_str(b, "isinstance").unwrap_or(Value::UNDEF);
        vm
    }

    /// Sets the native stack bound from the current stack pointer and the stack's size.
    pub fn set_stack_size(&mut self, size: usize) {
        let here = 0u8;
        let sp = &here as *const u8 as usize;
        self.stack_limit = sp.saturating_sub(size.saturating_sub(1 << 20));
    }

    /// Creates a module object with the given dict.
    pub fn new_module(&mut self, name: &str, dict: Value) -> Value {
        let m = object::alloc(
            &types().module,
            ModuleObj {
                name: intern(name),
                dict: dict.clone(),
            },
        );
        let d = dict.downcast::<DictObj>().unwrap();
        crate::runtime::attr::dict_set_str(d, "__name__", new_str(name));
        let md = self.modules.downcast::<DictObj>().unwrap();
        crate::runtime::attr::dict_set_str(md, name, m.clone());
        m
    }

    /// Writes to stdout (buffered).
    pub fn write_stdout(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
        if self.out.len() > 1 << 15 {
            self.flush_stdout();
        }
    }

    /// Flushes buffered stdout.
    pub fn flush_stdout(&mut self) {
        if !self.out.is_empty() {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(&self.out);
            let _ = o.flush();
            self.out.clear();
        }
    }

    /// Writes to stderr (flushing stdout first keeps interleaving sensible on a terminal).
    pub fn write_stderr(&mut self, s: &str) {
        self.flush_stdout();
        let _ = std::io::stderr().write_all(s.as_bytes());
    }

    /// Compiles and runs `source` as the `__main__` module. Uncaught exceptions are printed
    /// as CPython prints them; the result is the process exit code.
    pub fn run_main(&mut self, source: &str, filename: &str) -> i32 {
        let unit = match jitlens_compiler::compile(source, filename) {
            Ok(u) => u,
            Err(e) => {
                self.write_stderr(&format!("{}\n", e.render()));
                return 1;
            }
        };
        self.sources
            .push((std::rc::Rc::from(filename), source.to_string()));
        let code = match Code::load(&unit) {
            Ok(c) => c,
            Err(e) => {
                self.write_stderr(&format!(
                    "SystemError: jitlens compiled {filename} into bad bytecode: {e}\n"
                ));
                return 1;
            }
        };
        self.main_code = Some(code.clone());
        let globals = object::alloc(&types().dict, DictObj::default());
        let g = globals.downcast::<DictObj>().unwrap();
        crate::runtime::attr::dict_set_str(g, "__builtins__", self.builtins.clone());
        crate::runtime::attr::dict_set_str(g, "__file__", new_str(filename));
        crate::runtime::attr::dict_set_str(g, "__doc__", Value::NONE);
        let _main = self.new_module("__main__", globals.clone());
        let r = self.run_code(code, globals.clone(), globals);
        let status = match r {
            Ok(_) => 0,
            Err(e) => self.handle_uncaught(e),
        };
        self.run_finalizers();
        self.flush_stdout();
        if let Some(p) = &mut self.perf {
            p.finish();
        }
        if self.options.stats {
            self.print_stats();
        }
        status
    }

    /// Runs module-level code with the given globals and locals.
    pub fn run_code(
        &mut self,
        code: std::rc::Rc<Code>,
        globals: Value,
        locals: Value,
    ) -> PyResult<Value> {
        if !self
            .loaded_code
            .iter()
            .any(|c| std::rc::Rc::ptr_eq(c, &code))
        {
            if self.specialize {
                for c in crate::introspect::code_tree(&code) {
                    c.insert_superinstructions();
                }
            }
            self.loaded_code.push(code.clone());
        }
        let frame = Box::new(Frame::new(code, Value::UNDEF, globals, locals));
        self.run_frame_to_end(frame)
    }

    /// Sets (or clears) the function run at the next safe point after
    /// [`ExecState::request_tick`]: a loop back edge or a call, where every value sits in a
    /// frame. A sampler folds its samples there, on the VM's own thread.
    pub fn set_tick_hook(&mut self, hook: Option<TickHook>) {
        self.tick_hook = hook;
    }

    /// Runs the tick hook now, if one is set (at the end of a run, to fold what is left).
    pub fn run_tick_hook(&mut self) {
        if let Some(mut hook) = self.tick_hook.take() {
            hook(self);
            if self.tick_hook.is_none() {
                self.tick_hook = Some(hook);
            }
        }
    }

    /// A safe point: collects when a collection is due, runs the tick hook when asked to,
    /// raises KeyboardInterrupt after [`ExecState::interrupt`].
    #[inline(always)]
    pub(crate) fn safe_point(&mut self) -> PyResult<()> {
        if object::gc::pending() {
            self.safe_point_work()
        } else {
            Ok(())
        }
    }

    #[inline(never)]
    fn safe_point_work(&mut self) -> PyResult<()> {
        if object::finalize::pending() {
            self.run_finalizers();
        }
        if self.state.tick.swap(false, Ordering::Relaxed) {
            self.run_tick_hook();
        }
        object::gc::maybe_collect();
        if self.state.interrupted.swap(false, Ordering::Relaxed) {
            let e = crate::runtime::exc::new_exc(&types().keyboard_interrupt, Vec::new());
            return Err(PyErr(e));
        }
        Ok(())
    }

    /// Prints an uncaught exception (or handles `SystemExit`); returns the exit code.
    pub fn handle_uncaught(&mut self, e: PyErr) -> i32 {
        let t = types();
        if crate::runtime::exc::matches(&e.0, &t.system_exit) {
            return self.system_exit_code(&e.0);
        }
        let text = self.format_exception(&e.0);
        self.write_stderr(&text);
        // As CPython, which ends by SIGINT: the shell sees 128 + 2.
        if crate::runtime::exc::matches(&e.0, &t.keyboard_interrupt) {
            return 130;
        }
        1
    }

    fn system_exit_code(&mut self, e: &Value) -> i32 {
        let exc = e.downcast::<crate::object::ExcObj>().unwrap();
        let args = exc.args.get();
        let items = crate::runtime::tuple::items(&args).unwrap_or(&[]);
        let code = if items.len() == 1 {
            items[0].clone()
        } else if items.is_empty() {
            Value::NONE
        } else {
            args.clone()
        };
        if code.is_none() {
            return 0;
        }
        if let Some(i) = crate::runtime::int::as_i64(&code) {
            return i as i32;
        }
        let s = self.str_of(&code).unwrap_or_default();
        self.write_stderr(&format!("{s}\n"));
        1
    }

    fn print_stats(&mut self) {
        let g = object::gc::stats();
        let text = format!(
            "jitlens stats: gc collections={} collected={} gc_ms={:.2} tracked={}\n",
            g.collections,
            g.collected,
            g.total_ns as f64 / 1e6,
            object::gc::tracked_count()
        );
        self.write_stderr(&text);
        let spec = self.spec_stats.report();
        self.write_stderr(&spec);
        let sites = self.hot_sites_report(6, 6);
        self.write_stderr(&sites);
        if let Some(why) = crate::jit::runtime::UNAVAILABLE {
            self.write_stderr(&format!("jitlens stats: {why}\n"));
        } else if self.jit_on {
            let jit = self.jit_stats.report();
            self.write_stderr(&jit);
        }
    }

    /// The source line `line` of `filename`, if loaded.
    pub fn source_line(&self, filename: &str, line: u32) -> Option<String> {
        let (_, src) = self.sources.iter().find(|(f, _)| &**f == filename)?;
        src.lines()
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.to_string())
    }

    /// Publishes `f` as the running frame.
    #[inline(always)]
    pub(crate) fn publish(&self, f: &Frame) {
        self.state
            .frame
            .store(f as *const Frame as *mut Frame, Ordering::Relaxed);
    }
}
