//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
