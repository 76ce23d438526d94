//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;
mod jit_dis;
mod record_cmd;
mod report_cmd;

fn main() {
    keep_freed_memory();
    std::process::exit(cli::main());
}

/// Tells glibc's allocator to keep up to 64 MiB of freed memory at the top of the heap
/// instead of returning it to the kernel at once. Python programs free and reallocate large
/// objects in a loop (pidigits' big integers); with glibc's default (128 KiB, adjusted
/// upwards only by large `mmap`ed frees) every round trip was a `brk` shrink and grow plus
/// page faults: 0.5 s of a 2 s run in the kernel. Peak memory is unchanged; memory freed
/// after a peak is returned once more than 64 MiB of it is free.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}
