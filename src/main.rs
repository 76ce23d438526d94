//! The `jitlens` command line: a thin layer over `jitlens-vm`.

mod cli;
mod jit_dis;
mod record_cmd;
mod report_cmd;

fn main() {
    std::process::exit(cli::main());
}
