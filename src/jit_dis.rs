//! `jitlens dis --jit`: the machine code each instruction became, disassembled.

use iced_x86::{Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter};
use jitlens_vm::Vm;
use jitlens_vm::jit::compile::RegionKind;
use std::fmt::Write;

/// The listing of every compiled code object: per instruction, its op, the kind of code it
/// became, and that code disassembled (exit stubs listed after the code they belong to).
pub fn listing(vm: &Vm) -> String {
    let mut out = String::new();
    let map = vm.jit_code_map();
    if map.is_empty() {
        out.push_str(
            "No code object was compiled (the JIT compiles code objects once they are warm; \
             try -X jit=always or a lower -X jit-threshold=N).\n",
        );
        return out;
    }
    let mut formatter = IntelFormatter::new();
    formatter.options_mut().set_hex_prefix("0x");
    formatter.options_mut().set_hex_suffix("");
    formatter.options_mut().set_uppercase_hex(false);
    let mut last_code = std::ptr::null();
    for r in &map {
        if !std::ptr::eq(std::rc::Rc::as_ptr(&r.code), last_code) {
            last_code = std::rc::Rc::as_ptr(&r.code);
            let name = jitlens_vm::runtime::str::as_str(&r.code.qualname).unwrap_or("?");
            let _ = writeln!(
                out,
                "\nJIT code of <code object {name} at \"{}\", line {}>:",
                r.code.filename, r.code.first_line
            );
        }
        let what = match (r.kind, r.fused) {
            (RegionKind::Exit, _) => "side exit".to_string(),
            (k, Some(f)) => format!("{} with the {} after it", k.name(), f.name()),
            (k, None) => k.name().to_string(),
        };
        let _ = writeln!(
            out,
            "  {:>5} {:<28} line {:<5} {what}, {} bytes at {:#x}",
            r.ip,
            r.op.name(),
            r.line,
            r.len,
            r.start
        );
        let Some(bytes) = vm.jit_region_bytes(r.start, r.len) else {
            continue;
        };
        let mut decoder = Decoder::with_ip(64, &bytes, r.start, DecoderOptions::NONE);
        let mut ins = Instruction::default();
        let mut text = String::new();
        while decoder.can_decode() {
            decoder.decode_out(&mut ins);
            text.clear();
            formatter.format(&ins, &mut text);
            let _ = writeln!(out, "          {:#014x}  {text}", ins.ip());
        }
    }
    out
}
