//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;
mod jit_dis;
mod record_cmd;
mod report_cmd;

/// The allocator for everything the program and the tools allocate: mimalloc, which CPython
/// has bundled since 3.13. A Python program allocates and frees small objects by the
/// million. Measured against glibc's allocator with one arena (`M_ARENA_MAX` 1) and the
/// trim threshold below (CPU time, the corpus, 7 interleaved rounds): `float.py` 0.89x,
/// `nqueens.py` 0.94x, the rest within noise; geomean 0.98x.
///
/// The crate's `no_thp` feature keeps mimalloc from asking for transparent huge pages for its
/// 1 GiB arena. With them, a small script's resident memory went from 8 to 19 MiB, and the
/// kernel's huge-page zeroing added up to 0.25 s of system time to one run in two of
/// `float.py`.
///
/// Under glibc, the VM thread had its own arena, which grew by one `mprotect` call per 4 KiB
/// page (21,700 calls in a 0.6 s run of `float.py`), and the `mallopt(M_TRIM_THRESHOLD)`
/// this replaces kept freed memory from going back to the kernel at once (pidigits' big
/// integers had spent 0.5 s of 2 s in `brk` and page faults).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
