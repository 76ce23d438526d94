//! `cargo run -p jitlens-compiler --example jdis -- file.py`: prints the disassembly.

fn main() {
    let path = std::env::args().nth(1).expect("usage: jdis FILE.py");
    let src = std::fs::read_to_string(&path).expect("read");
    match jitlens_compiler::compile(&src, &path) {
        Ok(u) => {
            print!("{}", jitlens_compiler::dis(&u));
            if let Err(e) = jitlens_compiler::verify::verify(&u) {
                println!("VERIFY: {e}");
            }
        }
        Err(e) => println!("{}", e.render()),
    }
}
