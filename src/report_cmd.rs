//! `jitlens report`: reads a profile file and writes it in one of the exporters' formats.

use clap::{Args, ValueEnum};
use jitlens_profiler::export::{collapsed, flamegraph, pprof, table};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// The formats of `jitlens report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A summary for people: time per category (interpreter, JIT, helper, GC, other), the
    /// hottest lines with their op, tier split and source, the hottest ops by tier, and the
    /// JIT's totals and top side-exit sites.
    Table,
    /// Folded stacks, one `frame;frame;…;leaf count` line per stack (flamegraph.pl,
    /// inferno, speedscope): Python frames as `func (file:line)`, then the op with its tier
    /// (`OP [jit]`, `OP [interp]`), then the native function for helper/GC time.
    Collapsed,
    /// An SVG flame graph, frames coloured by tier: green JIT code, blue interpreter,
    /// orange runtime helpers, purple GC, yellow Python frames.
    Flamegraph,
    /// A pprof protobuf (perftools.profiles.Profile) for `go tool pprof`, Pyroscope, Parca
    /// and Grafana, with `tier`, `category` and `op` labels on every sample. Raw protobuf;
    /// gzipped with --gzip or when OUT ends in `.gz`.
    Pprof,
    /// The profile itself, as pretty-printed JSON.
    Json,
}

/// The long help of `jitlens report` (its short help is the variant's doc comment in
/// `cli.rs`).
pub const LONG_ABOUT: &str = "Read a profile written by `jitlens record` and show it in one of five \
formats (--format): table (the default, for reading), collapsed (folded stacks), flamegraph \
(SVG), pprof (protobuf) and json. The output goes to stdout, or to OUT with -o. pprof is \
binary: it is not written to a terminal; give -o or redirect stdout.\n\n\
A profile that cannot be read (missing, truncated, corrupt, or from a newer jitlens) is \
reported as `jitlens: FILE: problem`, with exit code 1.";

/// Arguments of `jitlens report`.
#[derive(Args)]
pub struct ReportArgs {
    /// The profile file (JSON, as `jitlens record` writes it).
    pub file: PathBuf,
    /// The output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// gzip the pprof output (as `go tool pprof` writes its .pb.gz files).
    #[arg(long)]
    pub gzip: bool,
    /// How many hot lines, ops and side-exit sites the table lists.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub lines: usize,
}

/// Runs `jitlens report`; returns the exit code.
pub fn run(args: ReportArgs) -> i32 {
    let profile = match jitlens_profiler::load(&args.file) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("jitlens: {e}");
            return 1;
        }
    };
    let bytes: Vec<u8> = match args.format {
        Format::Table => table::table(&profile, args.lines).into_bytes(),
        Format::Collapsed => collapsed::collapsed(&profile).into_bytes(),
        Format::Flamegraph => match flamegraph::flamegraph(&profile) {
            Ok(svg) => svg.into_bytes(),
            Err(e) => {
                eprintln!(
                    "jitlens: {}: cannot draw a flame graph: {e}",
                    args.file.display()
                );
                return 1;
            }
        },
        Format::Pprof => {
            let gz = args.gzip
                || args
                    .output
                    .as_ref()
                    .is_some_and(|o| o.extension().is_some_and(|e| e == "gz"));
            if gz {
                pprof::encode_gzip(&profile)
            } else {
                pprof::encode(&profile)
            }
        }
        Format::Json => match jitlens_profiler::export::json(&profile) {
            Ok(text) => text.into_bytes(),
            Err(e) => {
                eprintln!("jitlens: cannot write the profile as JSON: {e}");
                return 1;
            }
        },
    };
    match &args.output {
        Some(out) => match std::fs::write(out, &bytes) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("jitlens: cannot write {}: {e}", out.display());
                1
            }
        },
        None => {
            let mut stdout = std::io::stdout().lock();
            if args.format == Format::Pprof && stdout.is_terminal() {
                eprintln!(
                    "jitlens: pprof output is binary; not writing it to a terminal (use -o FILE \
                     or redirect stdout)"
                );
                return 2;
            }
            match stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                Ok(()) => 0,
                // `jitlens report … | head`: the reader has all it wanted.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    eprintln!("jitlens: cannot write the report: {e}");
                    1
                }
            }
        }
    }
}
