//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;
mod jit_dis;
mod report_cmd;

fn main() {
    std::process::exit(cli::main());
}
