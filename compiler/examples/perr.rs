//! Prints ruff's raw parse error for a file (development aid for the error mapping).

fn main() {
    let path = std::env::args().nth(1).expect("usage: perr FILE.py");
    let src = std::fs::read_to_string(&path).expect("read");
    if let Err(e) = ruff_python_parser::parse_module(&src) {
        println!("{:?} at {:?}", e.error, e.location);
    }
    match jitlens_compiler::compile(&src, &path) {
        Ok(_) => println!("ok"),
        Err(e) => println!("{}", e.render()),
    }
}
