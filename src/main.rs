//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;
mod jit_dis;

fn main() {
    std::process::exit(cli::main());
}
