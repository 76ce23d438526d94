//! Command-line parsing and the subcommands.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// jitlens: a Python runtime with a tiered engine, and the tools to see inside it.
#[derive(Parser)]
#[command(name = "jitlens", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a Python program (CPython 3.11 semantics).
    Run {
        /// Implementation options, e.g. `-X stats`.
        #[arg(short = 'X', value_name = "OPTION")]
        xopts: Vec<String>,
        /// The program, then the arguments it gets as sys.argv[1:] (everything after the
        /// program's name belongs to the program, as with python3).
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true, value_name = "FILE [ARGS]")]
        file_and_args: Vec<String>,
    },
    /// Show the bytecode of a program, per code object, with line numbers.
    Dis {
        /// Run the program first, then show the quickened bytecode: each instruction's
        /// specialized form and adaptive counter.
        #[arg(long)]
        specialized: bool,
        /// Run the program first (JIT options from -X / JITLENS_JIT*), then show, per
        /// compiled code object and instruction, the machine code it became.
        #[arg(long, conflicts_with = "specialized")]
        jit: bool,
        /// Implementation options for the run, e.g. `-X jit=always`.
        #[arg(short = 'X', value_name = "OPTION")]
        xopts: Vec<String>,
        /// The program.
        file: PathBuf,
    },
    /// List the JIT's stencils: per op, its machine-code size and its holes.
    #[command(
        long_about = "List the copy-and-patch JIT's stencils: for each op, the size of \
its machine code, the length of the trailing `jmp JIT_CONTINUE` (left out when the next \
stencil follows directly), and each hole the JIT patches: its offset in the code, the symbol \
it stands for (JIT_OPARG, JIT_OPERAND, JIT_IP, JIT_NEXT_IP, JIT_CONTINUE, JIT_TARGET, \
JIT_EXIT, jit_dealloc, jit_tier0_step), its relocation kind and addend.\n\n\
The stencils are built from vm/stencils/ by vm/build.rs; see vm/stencils/README.md."
    )]
    Stencils {
        /// Only the stencils whose name contains this text (case-insensitive), e.g. FLOAT.
        filter: Option<String>,
        /// Also dump each stencil's code bytes in hex (holes are zero).
        #[arg(long)]
        bytes: bool,
    },
    /// Show a profile: a table, folded stacks, an SVG flame graph, pprof or JSON.
    #[command(long_about = crate::report_cmd::LONG_ABOUT)]
    Report(crate::report_cmd::ReportArgs),
    /// Run a program under the sampling profiler and write its profile.
    #[command(long_about = crate::record_cmd::LONG_ABOUT)]
    Record(crate::record_cmd::RecordArgs),
    /// Serve the Language Server Protocol on stdin/stdout: a profile's hot lines as inlay
    /// hints, hover, code lens and diagnostics (see the README's "Language server").
    Lsp,
    /// A live terminal dashboard of a run: hot ops and lines, the tier split, JIT events,
    /// samples per tier over time (see the README's "Terminal dashboard").
    Top {
        /// Browse this saved profile instead of running a program.
        #[arg(long, value_name = "FILE", conflicts_with = "file_and_args")]
        profile: Option<PathBuf>,
        /// Save the profile to FILE.
        #[arg(short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Samples per second, passed to `jitlens record`.
        #[arg(long, value_name = "HZ", conflicts_with = "profile")]
        freq: Option<u32>,
        /// Implementation options for the run, e.g. `-X jit=off`.
        #[arg(short = 'X', value_name = "OPTION", conflicts_with = "profile")]
        xopts: Vec<String>,
        /// The program, then its arguments (everything after the program's name belongs
        /// to the program).
        #[arg(required_unless_present = "profile", num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true, value_name = "FILE [ARGS]")]
        file_and_args: Vec<String>,
    },
}

pub(crate) fn read_source(file: &PathBuf) -> Result<String, i32> {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(_) => {
                eprintln!(
                    "SyntaxError: Non-UTF-8 code in file '{}' (jitlens reads sources as UTF-8)",
                    file.display()
                );
                Err(1)
            }
        },
        Err(e) => {
            let errno = e.raw_os_error().unwrap_or(0);
            let msg = e.to_string();
            let msg = msg.split(" (os error").next().unwrap_or("");
            eprintln!(
                "jitlens: can't open file '{}': [Errno {errno}] {msg}",
                file.display()
            );
            Err(2)
        }
    }
}

/// The VM options from the environment (`JITLENS_*`) and `-X` flags (which win).
pub(crate) fn parse_options(xopts: &[String]) -> Result<jitlens_vm::Options, String> {
    use jitlens_vm::jit::runtime::JitMode;
    let mut options = jitlens_vm::Options::default();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(v) = env("JITLENS_SPECIALIZE") {
        options.no_specialize = match v.as_str() {
            "0" | "off" => true,
            "1" | "on" => false,
            other => return Err(format!("JITLENS_SPECIALIZE must be 0 or 1, not '{other}'")),
        };
    }
    let jit_mode = |v: &str| match v {
        "0" | "off" => Some(JitMode::Off),
        "1" | "on" => Some(JitMode::On),
        "always" => Some(JitMode::Always),
        _ => None,
    };
    let threshold = |v: &str| v.parse::<u32>().ok();
    if let Some(v) = env("JITLENS_JIT") {
        options.jit =
            jit_mode(&v).ok_or_else(|| format!("JITLENS_JIT must be 0, 1 or always, not '{v}'"))?;
    }
    if let Some(v) = env("JITLENS_JIT_THRESHOLD") {
        options.jit_threshold = Some(threshold(&v).ok_or_else(|| {
            format!("JITLENS_JIT_THRESHOLD must be a non-negative integer, not '{v}'")
        })?);
    }
    if let Some(v) = env("JITLENS_PERF") {
        for part in v.split(',') {
            match part {
                "map" => options.perf.map = true,
                "jitdump" => options.perf.jitdump = true,
                other => {
                    return Err(format!(
                        "JITLENS_PERF must be map, jitdump or map,jitdump, not '{other}'"
                    ));
                }
            }
        }
    }
    options.perf.jitdump_dir = env("JITLENS_JITDUMP_DIR").map(PathBuf::from);
    for x in xopts {
        let (key, value) = x.split_once('=').unwrap_or((x.as_str(), ""));
        match (key, value) {
            ("stats", "") => options.stats = true,
            ("perf", "") => options.perf.map = true,
            ("jitdump", "") => options.perf.jitdump = true,
            ("specialize", "off") => options.no_specialize = true,
            ("specialize", "on") => options.no_specialize = false,
            ("jit", v) if jit_mode(v).is_some() => options.jit = jit_mode(v).unwrap(),
            ("jit-threshold", v) if threshold(v).is_some() => options.jit_threshold = threshold(v),
            _ => {
                return Err(format!(
                    "unknown -X option '{x}' (known: stats, specialize=on|off, \
                     jit=off|on|always, jit-threshold=N, perf, jitdump)"
                ));
            }
        }
    }
    Ok(options)
}

fn run(xopts: &[String], file: PathBuf, args: Vec<String>) -> i32 {
    let options = match parse_options(xopts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("jitlens: {e}");
            return 2;
        }
    };
    let source = match read_source(&file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let filename = file.to_string_lossy().into_owned();
    let mut argv = vec![filename.clone()];
    argv.extend(args);
    on_vm_thread(move || {
        let mut vm = jitlens_vm::Vm::new(argv, options);
        vm.set_stack_size(jitlens_vm::STACK_SIZE);
        jitlens_vm::interrupt::install(&vm.state);
        let code = vm.run_main(&source, &filename);
        // Freeing every object at exit would only cost time.
        std::mem::forget(vm);
        code
    })
}

/// Runs `f` on the VM's own thread, with a large stack (deep recursion through native
/// callbacks must hit RecursionError, never a stack overflow); returns its exit code, or 70
/// for an internal error.
pub(crate) fn on_vm_thread(f: impl FnOnce() -> i32 + Send + 'static) -> i32 {
    // Ctrl-C goes to the VM thread, which turns it into KeyboardInterrupt.
    jitlens_vm::interrupt::block_in_this_thread();
    let child = std::thread::Builder::new()
        .name("jitlens-vm".into())
        .stack_size(jitlens_vm::STACK_SIZE)
        .spawn(f);
    match child.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("jitlens: internal error (the VM thread panicked); please report it");
            70
        }
        Err(e) => {
            eprintln!("jitlens: cannot start the VM thread: {e}");
            70
        }
    }
}

/// Runs `file`, then prints what `show` makes of the VM.
fn run_then_show(
    file: PathBuf,
    options: jitlens_vm::Options,
    show: fn(&jitlens_vm::Vm) -> String,
) -> i32 {
    let source = match read_source(&file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let filename = file.to_string_lossy().into_owned();
    let child = std::thread::Builder::new()
        .name("jitlens-vm".into())
        .stack_size(jitlens_vm::STACK_SIZE)
        .spawn(move || {
            let mut vm = jitlens_vm::Vm::new(vec![filename.clone()], options);
            vm.set_stack_size(jitlens_vm::STACK_SIZE);
            let status = vm.run_main(&source, &filename);
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), show(&vm).as_bytes());
            std::mem::forget(vm);
            status
        });
    match child.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("jitlens: internal error (the VM thread failed); please report it");
            70
        }
    }
}

fn dis(file: PathBuf) -> i32 {
    let source = match read_source(&file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match jitlens_compiler::compile(&source, &file.to_string_lossy()) {
        Ok(unit) => {
            print!("{}", jitlens_compiler::dis(&unit));
            0
        }
        Err(e) => {
            eprintln!("{}", e.render());
            1
        }
    }
}

fn stencils(filter: Option<String>, bytes: bool) -> i32 {
    use jitlens_vm::jit::stencils;
    use std::fmt::Write as _;
    use std::io::Write as _;
    let all = stencils::all();
    let wanted = |name: &str| match &filter {
        Some(f) => name.to_ascii_lowercase().contains(&f.to_ascii_lowercase()),
        None => true,
    };
    let shown: Vec<_> = all.iter().filter(|s| wanted(s.name)).collect();
    if shown.is_empty() {
        eprintln!(
            "jitlens: no stencil matches '{}'",
            filter.unwrap_or_default()
        );
        return 1;
    }
    // Writing to a String cannot fail.
    let mut out = String::new();
    let total: usize = all.iter().map(|s| s.code.len()).sum();
    let _ = writeln!(
        out,
        "{} stencils, {total} bytes of x86-64 code (rustc {})",
        all.len(),
        stencils::RUSTC_FLAGS
    );
    for s in shown {
        let _ = writeln!(
            out,
            "\n{:<28} {:>4} bytes  trailing jump {} bytes  {} hole{}",
            s.name,
            s.code.len(),
            s.trailing_jump,
            s.holes.len(),
            if s.holes.len() == 1 { "" } else { "s" }
        );
        for h in s.holes {
            let _ = writeln!(
                out,
                "    +{:#06x}  {:<16} {:<16} {:+}",
                h.offset,
                h.kind.symbol(),
                h.reloc.elf_name(),
                h.addend
            );
        }
        if !s.data.is_empty() {
            let _ = writeln!(
                out,
                "    data: {} bytes, align {}",
                s.data.len(),
                s.data_align
            );
        }
        if bytes {
            for (i, chunk) in s.code.chunks(16).enumerate() {
                let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
                let _ = writeln!(out, "    {:04x}: {}", i * 16, hex.join(" "));
            }
        }
    }
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => 0,
        // `jitlens stencils | head`: the reader has all it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("jitlens: cannot write the stencil list: {e}");
            1
        }
    }
}

/// Parses the command line and runs the subcommand; returns the exit code.
pub fn main() -> i32 {
    // A panic is a jitlens bug: say so in one line, without a Rust backtrace.
    std::panic::set_hook(Box::new(|info| {
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("jitlens: internal error: {msg}{loc}");
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            xopts,
            mut file_and_args,
        } => {
            let file = PathBuf::from(file_and_args.remove(0));
            run(&xopts, file, file_and_args)
        }
        Command::Dis {
            file,
            specialized,
            jit,
            xopts,
        } => {
            let options = match parse_options(&xopts) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("jitlens: {e}");
                    return 2;
                }
            };
            if jit {
                run_then_show(file, options, crate::jit_dis::listing)
            } else if specialized {
                run_then_show(file, options, |vm| match vm.main_code.clone() {
                    Some(code) => vm.dis_quickened(&code),
                    None => String::new(),
                })
            } else {
                dis(file)
            }
        }
        Command::Stencils { filter, bytes } => stencils(filter, bytes),
        Command::Report(args) => crate::report_cmd::run(args),
        Command::Record(args) => crate::record_cmd::run(args),
        Command::Lsp => jitlens_lsp::run_stdio(),
        Command::Top {
            profile,
            output,
            freq,
            xopts,
            file_and_args,
        } => jitlens_tui::run(match profile {
            Some(path) => jitlens_tui::Source::Profile { path, output },
            None => jitlens_tui::Source::Run(jitlens_tui::live::LiveOptions {
                program: file_and_args,
                output,
                freq,
                xopts,
            }),
        }),
    }
}
