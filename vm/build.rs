//! Builds the copy-and-patch JIT's stencils.
//!
//! 1. Compiles the `#![no_std]` templates in `stencils/lib.rs` with the same `rustc` that
//!    builds this crate (`$RUSTC`), for the target, into one relocatable object file. The
//!    flags are fixed here (see [`STENCIL_FLAGS`]); `CARGO_ENCODED_RUSTFLAGS`/`RUSTFLAGS` do
//!    not apply, so `-C target-cpu=native` or a profile's settings never change the stencils.
//! 2. Parses the object with the `object` crate into the neutral [`check::Object`].
//! 3. Checks it and extracts every stencil ([`check::extract`], unit-tested in
//!    `src/jit/check_tests.rs`): the build fails, naming the stencil and the symbol, on
//!    anything the JIT could not patch safely.
//! 4. Writes `$OUT_DIR/stencils.rs`, the table `src/jit/stencils.rs` includes.

use object::{Object as _, ObjectSection as _, ObjectSymbol as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[allow(dead_code)]
#[path = "stencils/holes.rs"]
mod holes;

#[allow(dead_code)]
#[path = "stencils/check.rs"]
mod check;

/// Every stencil the object must define, in table order. An op with no entry here runs
/// through `TIER0`; `EXIT` is the per-instruction side exit.
const STENCIL_NAMES: &[&str] = &[
    "TIER0",
    "EXIT",
    "LOAD_FAST",
    "STORE_FAST",
    "LOAD_CONST",
    "POP_TOP",
    "JUMP_FORWARD",
    "JUMP_BACKWARD",
    "POP_JUMP_IF_FALSE",
    "POP_JUMP_IF_TRUE",
    "RETURN_VALUE",
    "BINARY_OP_ADD_INT",
    "BINARY_OP_SUBTRACT_INT",
    "BINARY_OP_MULTIPLY_INT",
    "BINARY_OP_ADD_FLOAT",
    "BINARY_OP_SUBTRACT_FLOAT",
    "BINARY_OP_MULTIPLY_FLOAT",
    "BINARY_OP_TRUE_DIVIDE_FLOAT",
    "COMPARE_OP_INT",
    "COMPARE_OP_FLOAT",
    "HELPER",
    "NOP",
    "PUSH_NULL",
    "COPY",
    "SWAP",
    "IS_OP",
    "POP_JUMP_IF_NONE",
    "POP_JUMP_IF_NOT_NONE",
];

/// The codegen flags of the stencil object (besides `--target`, `--edition`, `-o`).
///
/// * `relocation-model=static` + `code-model=medium`: no GOT, no PLT stubs; hole values come
///   from `movabs` (`R_X86_64_64`), jumps are rel32 (`R_X86_64_PLT32`).
/// * `panic=abort`, `force-unwind-tables=no`: no landing pads, no `.eh_frame`.
/// * `-min-jump-table-entries=100000`: a `match` never becomes a jump table in `.rodata`.
/// * No `force-frame-pointers`: with them every stencil pushes and pops `rbp`, and a guard
///   can no longer be a single `jcc JIT_EXIT` (the pop comes first), which also moves the
///   `jmp JIT_CONTINUE` away from the end. Without them stencils leave `rbp` alone (none
///   of them has the register pressure to allocate it), so a frame-pointer unwinder that
///   samples JIT code still walks from the host's frame (see stencils/README.md).
const STENCIL_FLAGS: &[&str] = &[
    "--crate-type=lib",
    "--emit=obj",
    "-C",
    "opt-level=3",
    "-C",
    "panic=abort",
    "-C",
    "codegen-units=1",
    "-C",
    "relocation-model=static",
    "-C",
    "code-model=medium",
    "-C",
    "force-unwind-tables=no",
    "-C",
    "debuginfo=0",
    "-C",
    "debug-assertions=no",
    "-C",
    "overflow-checks=no",
    "-C",
    "llvm-args=-min-jump-table-entries=100000",
    "-D",
    "warnings",
];

fn main() {
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let stencil_dir = manifest.join("stencils");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", stencil_dir.display());
    for entry in std::fs::read_dir(&stencil_dir).expect("read vm/stencils") {
        let path = entry.expect("read vm/stencils").path();
        println!("cargo:rerun-if-changed={}", path.display());
    }

    let arch = env("CARGO_CFG_TARGET_ARCH");
    let os = env("CARGO_CFG_TARGET_OS");
    if arch != "x86_64" || os != "linux" {
        panic!(
            "jitlens stencils: only x86_64 Linux is supported (target is {arch}-{os}); the \
             stencil table describes x86-64 ELF code"
        );
    }

    let object_path = out_dir.join("stencils.o");
    let started = Instant::now();
    compile(&stencil_dir.join("lib.rs"), &object_path);
    let compile_ms = started.elapsed().as_millis();

    let bytes = std::fs::read(&object_path).expect("read the stencil object");
    let file = object::File::parse(&*bytes).unwrap_or_else(|e| {
        panic!(
            "jitlens stencils: cannot parse {}: {e}",
            object_path.display()
        )
    });
    let obj = convert(&file);
    let stencils = match check::extract(&obj, STENCIL_NAMES) {
        Ok(s) => s,
        Err(errors) => panic!(
            "\n\njitlens stencils: the stencil object cannot be used ({} problem{}):\n  - {}\n\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            errors.join("\n  - ")
        ),
    };

    for s in &stencils {
        let continues = s.holes.iter().any(|h| h.kind == holes::HoleKind::Continue);
        if continues && s.trailing_jump == 0 && s.name != "TIER0" {
            println!(
                "cargo:warning=stencil {} does not end with `jmp JIT_CONTINUE`: the JIT cannot \
                 drop its trailing jump (see vm/stencils/README.md, \"Code layout\")",
                s.name
            );
        }
    }
    let header = format!(
        "Generated by vm/build.rs from vm/stencils/lib.rs; do not edit.\n\
         rustc {}: {} stencils, {} code bytes (compiled in {compile_ms} ms).",
        STENCIL_FLAGS.join(" "),
        stencils.len(),
        stencils.iter().map(|s| s.code.len()).sum::<usize>()
    );
    let mut table = check::render_table(&stencils, &header);
    table.push_str(&format!(
        "\n/// The `rustc` codegen flags the stencils were compiled with.\n\
         pub const RUSTC_FLAGS: &str = {:?};\n",
        STENCIL_FLAGS.join(" ")
    ));
    let dest = out_dir.join("stencils.rs");
    std::fs::write(&dest, table).expect("write stencils.rs");
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("jitlens stencils: ${name} is not set"))
}

/// Compiles the templates to `out` with [`STENCIL_FLAGS`].
fn compile(src: &Path, out: &Path) {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let target = env("TARGET");
    let output = Command::new(&rustc)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_MAKEFLAGS")
        .arg("--edition=2024")
        .arg("--crate-name=jitlens_stencils")
        .arg(format!("--target={target}"))
        .args(STENCIL_FLAGS)
        .arg("-o")
        .arg(out)
        .arg(src)
        .output()
        .unwrap_or_else(|e| panic!("jitlens stencils: cannot run {rustc}: {e}"));
    if !output.status.success() {
        panic!(
            "\n\njitlens stencils: {rustc} failed to compile {} ({}):\n{}\n",
            src.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The parts of the object `check` needs.
fn convert<'a>(file: &object::File<'a>) -> check::Object<'a> {
    if file.format() != object::BinaryFormat::Elf
        || file.architecture() != object::Architecture::X86_64
    {
        panic!(
            "jitlens stencils: expected an x86-64 ELF object, got {:?} {:?}",
            file.format(),
            file.architecture()
        );
    }
    let mut obj = check::Object::default();
    // object's indices → ours.
    let mut section_of = std::collections::HashMap::new();
    let mut symbol_of = std::collections::HashMap::new();
    for section in file.sections() {
        section_of.insert(section.index(), obj.sections.len());
        let name = section.name().unwrap_or("");
        use object::SectionKind as K;
        let kind = match section.kind() {
            // Unwind tables describe code; nothing refers to them (and force-unwind-tables=no
            // means there are none).
            _ if name == ".eh_frame" => check::SectionKind::Other,
            K::Text => check::SectionKind::Code,
            K::ReadOnlyData | K::ReadOnlyString | K::ReadOnlyDataWithRel => {
                check::SectionKind::ReadOnlyData
            }
            K::Data | K::UninitializedData | K::Tls | K::UninitializedTls | K::Common => {
                check::SectionKind::WritableData
            }
            _ => check::SectionKind::Other,
        };
        obj.sections.push(check::Section {
            name,
            kind,
            bytes: section.data().unwrap_or(&[]),
            align: section.align(),
            relocs: Vec::new(),
        });
    }
    for sym in file.symbols() {
        symbol_of.insert(sym.index(), obj.symbols.len());
        let section = match sym.section() {
            object::SymbolSection::Section(i) => section_of.get(&i).copied(),
            _ => None,
        };
        obj.symbols.push(check::Symbol {
            name: sym.name().unwrap_or(""),
            section,
            offset: sym.address(),
            size: sym.size(),
            global: sym.is_global(),
            function: sym.kind() == object::SymbolKind::Text,
        });
    }
    for section in file.sections() {
        let si = section_of[&section.index()];
        for (offset, rel) in section.relocations() {
            let r_type = match rel.flags() {
                object::RelocationFlags::Elf { r_type } => r_type,
                other => panic!("jitlens stencils: non-ELF relocation {other:?}"),
            };
            let target = match rel.target() {
                object::RelocationTarget::Symbol(i) => check::Target::Symbol(symbol_of[&i]),
                object::RelocationTarget::Section(i) => check::Target::Section(section_of[&i]),
                other => panic!(
                    "jitlens stencils: relocation at `{}`+{offset:#x} has an unsupported target \
                     {other:?}",
                    obj.sections[si].name
                ),
            };
            obj.sections[si].relocs.push(check::Reloc {
                offset,
                r_type,
                addend: rel.addend(),
                target,
            });
        }
    }
    obj
}
