//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;

// Python programs allocate many small objects; mimalloc serves them much faster than the
// system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
