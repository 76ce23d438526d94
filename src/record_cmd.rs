//! `jitlens record`: runs a program under the sampler, writes its profile and prints a
//! summary of where the time went.

use clap::{Args, ValueEnum};
use jitlens_profiler::RunInfo;
use jitlens_profiler::sampler::{SamplerChoice, SamplerConfig, Session};
use std::path::PathBuf;

/// The long help of `jitlens record`.
pub const LONG_ABOUT: &str = "Run a Python program under jitlens' sampling profiler. Every \
sample is attributed to a source line, a bytecode op (under its specialized name) and the \
tier that ran it: the interpreter, JIT code, a runtime helper (with the tier that called \
it), the garbage collector, or other.\n\n\
Sampling uses a perf_event_open cpu-clock event on the VM thread; where perf events are not \
allowed (kernel.perf_event_paranoid, containers) it says so once and falls back to \
setitimer(ITIMER_PROF). The program's stdout and stderr pass through untouched; the summary \
goes to stderr at the end; the exit code is the program's.\n\n\
The profile (versioned JSON, see docs/profile-format.md) goes to .jitlens/profile.json in \
the current directory unless -o says otherwise; `jitlens report`, `jitlens top --profile` \
and the language server read it.";

/// The sampler choices of `--sampler`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Sampler {
    /// A perf event where allowed, else the interval timer.
    Auto,
    /// A perf_event_open cpu-clock event (an error where not allowed).
    Perf,
    /// A perf event that signals SIGPROF through its file descriptor, as on kernels older
    /// than 5.13 (where `perf` falls back to it); slower per sample.
    PerfFd,
    /// setitimer(ITIMER_PROF).
    Itimer,
}

/// Arguments of `jitlens record`.
#[derive(Args)]
pub struct RecordArgs {
    /// Where to write the profile.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = ".jitlens/profile.json"
    )]
    pub output: PathBuf,
    /// Samples per second of CPU time.
    #[arg(long, value_name = "HZ", default_value_t = 1000)]
    pub freq: u32,
    /// The timer that drives sampling.
    #[arg(long, value_enum, default_value_t = Sampler::Auto)]
    pub sampler: Sampler,
    /// While the program runs, rewrite this file with a snapshot of the profile about five
    /// times a second (what `jitlens top` reads).
    #[arg(long, value_name = "FILE")]
    pub live: Option<PathBuf>,
    /// How many hot lines the summary lists.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub lines: usize,
    /// Implementation options, as for `jitlens run` (e.g. `-X jit=off`).
    #[arg(short = 'X', value_name = "OPTION")]
    pub xopts: Vec<String>,
    /// The program, then its arguments.
    #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true, value_name = "FILE [ARGS]")]
    pub file_and_args: Vec<String>,
}

/// Runs `jitlens record`; returns the program's exit code (2 for a bad command line).
pub fn run(args: RecordArgs) -> i32 {
    if args.freq == 0 || args.freq > 100_000 {
        eprintln!("jitlens: --freq must be between 1 and 100000 samples per second");
        return 2;
    }
    let options = match crate::cli::parse_options(&args.xopts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("jitlens: {e}");
            return 2;
        }
    };
    let mut rest = args.file_and_args.into_iter();
    let file = PathBuf::from(rest.next().unwrap_or_default());
    let prog_args: Vec<String> = rest.collect();
    let source = match crate::cli::read_source(&file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let filename = file.to_string_lossy().into_owned();
    let mut argv = vec![filename.clone()];
    argv.extend(prog_args.iter().cloned());
    let run = RunInfo {
        program: filename.clone(),
        args: prog_args,
        cwd: std::env::current_dir()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default(),
        started_unix_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64),
        jit: match options.jit {
            jitlens_vm::jit::runtime::JitMode::Off => "off",
            jitlens_vm::jit::runtime::JitMode::On => "on",
            jitlens_vm::jit::runtime::JitMode::Always => "always",
        }
        .to_string(),
        jit_threshold: options
            .jit_threshold
            .unwrap_or(jitlens_vm::jit::runtime::DEFAULT_THRESHOLD),
        specialize: !options.no_specialize,
        jitlens_version: env!("CARGO_PKG_VERSION").to_string(),
        ..RunInfo::default()
    };
    let config = SamplerConfig {
        frequency_hz: args.freq,
        choice: match args.sampler {
            Sampler::Auto => SamplerChoice::Auto,
            Sampler::Perf => SamplerChoice::PerfEvent,
            Sampler::PerfFd => SamplerChoice::PerfEventFd,
            Sampler::Itimer => SamplerChoice::Itimer,
        },
        live: args.live,
        ..SamplerConfig::default()
    };
    let output = args.output;
    let max_lines = args.lines;
    // Only the VM thread takes SIGPROF (an interval timer's signal goes to any thread).
    jitlens_profiler::sampler::block_sigprof(true);
    crate::cli::on_vm_thread(move || {
        let mut vm = jitlens_vm::Vm::new(argv, options);
        vm.set_stack_size(jitlens_vm::STACK_SIZE);
        jitlens_vm::interrupt::install(&vm.state);
        let session = match Session::start(&mut vm, &config, run) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("jitlens: {e}; running without the profiler");
                None
            }
        };
        let code = vm.run_main(&source, &filename);
        if let Some(session) = session {
            let profile = session.finish(&mut vm, code);
            let saved = jitlens_profiler::save(&profile, &output);
            eprint!(
                "{}",
                jitlens_profiler::export::table::summary(&profile, max_lines)
            );
            match saved {
                Ok(()) => eprintln!("jitlens: profile written to {}", output.display()),
                Err(e) => eprintln!("jitlens: cannot write the profile: {e}"),
            }
        }
        std::mem::forget(vm);
        code
    })
}
