//! The build's stencil checker (`vm/stencils/check.rs`) on synthetic objects: one good one,
//! and one for each way an object can be unusable.

use super::check::{Object, Reloc, Section, SectionKind, Symbol, Target, extract, render_table};
use super::holes::{HoleKind, RelocKind};

const R_64: u32 = 1;
const R_PC32: u32 = 2;
const R_PLT32: u32 = 4;
const R_32S: u32 = 11;

/// `mov rax,[rdi]; movabs rcx, JIT_OPARG; je JIT_EXIT; jmp JIT_CONTINUE`.
const GOOD: &[u8] = &[
    0x48, 0x8B, 0x07, // mov rax, [rdi]
    0x48, 0xB9, 0, 0, 0, 0, 0, 0, 0, 0, // movabs rcx, JIT_OPARG     (hole at 5)
    0x0F, 0x84, 0, 0, 0, 0, // je JIT_EXIT              (hole at 15)
    0xE9, 0, 0, 0, 0, // jmp JIT_CONTINUE         (hole at 20)
];

/// A synthetic object under construction.
struct Obj<'a> {
    obj: Object<'a>,
}

impl<'a> Obj<'a> {
    fn new() -> Self {
        Obj {
            obj: Object::default(),
        }
    }

    fn section(&mut self, name: &'a str, kind: SectionKind, bytes: &'a [u8]) -> usize {
        self.obj.sections.push(Section {
            name,
            kind,
            bytes,
            align: if kind == SectionKind::Code { 16 } else { 8 },
            relocs: Vec::new(),
        });
        self.obj.sections.len() - 1
    }

    /// A code section holding one global function `name`.
    fn function(&mut self, name: &'a str, code: &'a [u8]) -> usize {
        let s = self.section(name, SectionKind::Code, code);
        self.symbol(name, Some(s), 0, code.len() as u64, true);
        s
    }

    fn symbol(
        &mut self,
        name: &'a str,
        section: Option<usize>,
        offset: u64,
        size: u64,
        global: bool,
    ) -> usize {
        if section.is_none()
            && let Some(i) = self.obj.symbols.iter().position(|s| s.name == name)
        {
            return i;
        }
        self.obj.symbols.push(Symbol {
            name,
            section,
            offset,
            size,
            global,
            function: section.is_some(),
        });
        self.obj.symbols.len() - 1
    }

    /// A relocation in `section` at `offset` to the undefined symbol `to`.
    fn reloc_to(&mut self, section: usize, offset: u64, r_type: u32, addend: i64, to: &'a str) {
        let t = self.symbol(to, None, 0, 0, true);
        self.reloc(section, offset, r_type, addend, Target::Symbol(t));
    }

    fn reloc(&mut self, section: usize, offset: u64, r_type: u32, addend: i64, target: Target) {
        self.obj.sections[section].relocs.push(Reloc {
            offset,
            r_type,
            addend,
            target,
        });
    }

    /// The good stencil `name` with its three holes.
    fn good(&mut self, name: &'a str) -> usize {
        let s = self.function(name, GOOD);
        self.reloc_to(s, 5, R_64, 0, "JIT_OPARG");
        self.reloc_to(s, 15, R_PLT32, -4, "JIT_EXIT");
        self.reloc_to(s, 20, R_PLT32, -4, "JIT_CONTINUE");
        s
    }

    fn errors(&self, expected: &[&str]) -> String {
        match extract(&self.obj, expected) {
            Ok(_) => panic!("the object was accepted"),
            Err(e) => {
                assert!(!e.is_empty());
                e.join("\n")
            }
        }
    }
}

fn assert_contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "{n:?} not in:\n{haystack}");
    }
}

#[test]
fn a_good_object_gives_holes_and_the_trailing_jump() {
    let mut o = Obj::new();
    o.good("LOAD_FAST");
    o.section(".comment", SectionKind::Other, b"rustc");
    let out = extract(&o.obj, &["LOAD_FAST"]).unwrap();
    assert_eq!(out.len(), 1);
    let s = &out[0];
    assert_eq!(s.name, "LOAD_FAST");
    assert_eq!(s.code, GOOD);
    assert_eq!(s.trailing_jump, 5);
    let holes: Vec<(usize, HoleKind, RelocKind, i64)> = s
        .holes
        .iter()
        .map(|h| (h.offset, h.kind, h.reloc, h.addend))
        .collect();
    assert_eq!(
        holes,
        [
            (5, HoleKind::Oparg, RelocKind::Abs64, 0),
            (15, HoleKind::Exit, RelocKind::Plt32, -4),
            (20, HoleKind::Continue, RelocKind::Plt32, -4),
        ]
    );
    assert!(s.data.is_empty());
    let table = render_table(&out, "test");
    assert_contains(
        &table,
        &[
            "pub static STENCILS: [Stencil; 1]",
            "name: \"LOAD_FAST\"",
            "kind: HoleKind::Oparg, reloc: RelocKind::Abs64, addend: 0",
            "trailing_jump: 5",
        ],
    );
}

#[test]
fn stencils_come_out_in_the_expected_order_and_aliases_work() {
    let mut o = Obj::new();
    let s = o.good("B");
    // A second name for the same code (LLVM merges identical functions into aliases).
    o.symbol("A", Some(s), 0, GOOD.len() as u64, true);
    let out = extract(&o.obj, &["A", "B"]).unwrap();
    assert_eq!(
        out.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(out[0].holes, out[1].holes);
}

#[test]
fn no_trailing_jump_when_the_code_ends_elsewhere() {
    // `jmp JIT_CONTINUE; jmp JIT_EXIT`: the last jump is not the continuation.
    let code: &[u8] = &[0xE9, 0, 0, 0, 0, 0xE9, 0, 0, 0, 0];
    let mut o = Obj::new();
    let s = o.function("X", code);
    o.reloc_to(s, 1, R_PLT32, -4, "JIT_CONTINUE");
    o.reloc_to(s, 6, R_PLT32, -4, "JIT_EXIT");
    assert_eq!(extract(&o.obj, &["X"]).unwrap()[0].trailing_jump, 0);
}

#[test]
fn a_final_jcc_to_the_continuation_is_flipped_so_the_trailing_jump_can_go() {
    // `cmp rax, rcx; jl JIT_CONTINUE; jmp JIT_TARGET` becomes
    // `cmp rax, rcx; jge JIT_TARGET; jmp JIT_CONTINUE`.
    let code: &[u8] = &[0x48, 0x39, 0xC8, 0x0F, 0x8C, 0, 0, 0, 0, 0xE9, 0, 0, 0, 0];
    let mut o = Obj::new();
    let s = o.function("X", code);
    o.reloc_to(s, 5, R_PLT32, -4, "JIT_CONTINUE");
    o.reloc_to(s, 10, R_PLT32, -4, "JIT_TARGET");
    let x = &extract(&o.obj, &["X"]).unwrap()[0];
    assert_eq!(
        x.code,
        [0x48, 0x39, 0xC8, 0x0F, 0x8D, 0, 0, 0, 0, 0xE9, 0, 0, 0, 0]
    );
    assert_eq!(x.trailing_jump, 5);
    let holes: Vec<(usize, HoleKind)> = x.holes.iter().map(|h| (h.offset, h.kind)).collect();
    assert_eq!(holes, [(5, HoleKind::Target), (10, HoleKind::Continue)]);

    // Left alone: a final jump that is already the continuation, and a `jcc` to something
    // other than the continuation.
    let mut o = Obj::new();
    let s = o.function("Y", code);
    o.reloc_to(s, 5, R_PLT32, -4, "JIT_EXIT");
    o.reloc_to(s, 10, R_PLT32, -4, "JIT_TARGET");
    let y = &extract(&o.obj, &["Y"]).unwrap()[0];
    assert_eq!(y.code, code);
    assert_eq!(y.trailing_jump, 0);
}

#[test]
fn rejects_an_unknown_symbol() {
    let code: &[u8] = &[0xE8, 0, 0, 0, 0, 0xC3]; // call memcpy; ret
    let mut o = Obj::new();
    let s = o.function("STORE_FAST", code);
    o.reloc_to(s, 1, R_PLT32, -4, "memcpy");
    let e = o.errors(&["STORE_FAST"]);
    assert_contains(&e, &["stencil `STORE_FAST`", "unknown symbol `memcpy`"]);
    let mut o = Obj::new();
    let s = o.function("POP_TOP", code);
    o.reloc_to(s, 1, R_PLT32, -4, "_ZN4core9panicking5panic17h0E");
    let e = o.errors(&["POP_TOP"]);
    assert_contains(
        &e,
        &["stencil `POP_TOP`", "`_ZN4core9panicking5panic17h0E`"],
    );
}

#[test]
fn rejects_an_unexpected_relocation_kind() {
    let mut o = Obj::new();
    let s = o.function("LOAD_FAST", GOOD);
    o.reloc_to(s, 5, R_32S, 0, "JIT_OPARG");
    let e = o.errors(&["LOAD_FAST"]);
    assert_contains(
        &e,
        &[
            "stencil `LOAD_FAST`",
            "unexpected relocation R_X86_64_32S",
            "`JIT_OPARG`",
        ],
    );
}

#[test]
fn rejects_a_relocation_inside_a_data_section() {
    static TABLE: [u8; 16] = [0; 16];
    let mut o = Obj::new();
    let code: &[u8] = &[0x48, 0x8D, 0x05, 0, 0, 0, 0, 0xC3]; // lea rax, [rip + table]; ret
    let s = o.function("LOAD_CONST", code);
    let d = o.section(".rodata.table", SectionKind::ReadOnlyData, &TABLE);
    let dsym = o.symbol(".Ltable", Some(d), 0, 16, false);
    o.reloc(s, 3, R_PC32, -4, Target::Symbol(dsym));
    // The table holds an address: a jump table, a `&'static` in a static.
    o.reloc_to(d, 8, R_64, 0, "JIT_CONTINUE");
    let e = o.errors(&["LOAD_CONST"]);
    assert_contains(
        &e,
        &[
            "relocation inside data section `.rodata.table`",
            "used by stencil `LOAD_CONST`",
            "`JIT_CONTINUE`",
        ],
    );
    // Also when no stencil uses it.
    let mut o = Obj::new();
    o.good("LOAD_FAST");
    let d = o.section(".data.rel.ro", SectionKind::ReadOnlyData, &TABLE);
    o.reloc_to(d, 0, R_64, 0, "JIT_OPARG");
    let e = o.errors(&["LOAD_FAST"]);
    assert_contains(&e, &["data section `.data.rel.ro` (no stencil uses it)"]);
}

#[test]
fn rejects_a_continuation_reached_by_call() {
    // call JIT_CONTINUE; ret: the native stack grows with every instruction.
    let code: &[u8] = &[0xE8, 0, 0, 0, 0, 0xC3];
    for hole in ["JIT_CONTINUE", "JIT_TARGET", "JIT_EXIT"] {
        let mut o = Obj::new();
        let s = o.function("BINARY_OP_ADD_INT", code);
        o.reloc_to(s, 1, R_PLT32, -4, hole);
        let e = o.errors(&["BINARY_OP_ADD_INT"]);
        assert_contains(
            &e,
            &[
                "stencil `BINARY_OP_ADD_INT`",
                &format!("`{hole}` is reached by `call`"),
            ],
        );
    }
}

#[test]
fn accepts_jmp_and_jcc_and_rejects_other_uses_of_a_continuation() {
    for (code, ok) in [
        (&[0xE9u8, 0, 0, 0, 0][..], true),            // jmp
        (&[0x0F, 0x85, 0, 0, 0, 0][..], true),        // jne
        (&[0x0F, 0x8C, 0, 0, 0, 0][..], true),        // jl
        (&[0x48, 0x8D, 0x05, 0, 0, 0, 0][..], false), // lea rax, [rip + JIT_TARGET]
    ] {
        let mut o = Obj::new();
        let s = o.function("JUMP_FORWARD", code);
        o.reloc_to(s, code.len() as u64 - 4, R_PLT32, -4, "JIT_TARGET");
        match extract(&o.obj, &["JUMP_FORWARD"]) {
            Ok(_) => assert!(ok, "{code:x?} accepted"),
            Err(e) => {
                assert!(!ok, "{code:x?} rejected: {e:?}");
                assert_contains(&e.join("\n"), &["neither `jmp` nor `jcc`"]);
            }
        }
    }
    // Its address in a register.
    let mut o = Obj::new();
    let s = o.function("JUMP_FORWARD", GOOD);
    o.reloc_to(s, 5, R_64, 0, "JIT_TARGET");
    let e = o.errors(&["JUMP_FORWARD"]);
    assert_contains(&e, &["takes the address of continuation `JIT_TARGET`"]);
}

#[test]
fn rejects_a_missing_stencil_and_an_unknown_one() {
    let mut o = Obj::new();
    o.good("LOAD_FAST");
    o.good("LOAD_FASTT");
    let e = o.errors(&["LOAD_FAST", "STORE_FAST"]);
    assert_contains(
        &e,
        &[
            "stencil `STORE_FAST`: missing",
            "stencil `LOAD_FASTT`: not a known stencil",
        ],
    );
}

#[test]
fn rejects_a_helper_called_directly_and_a_value_hole_used_pc_relatively() {
    // call jit_dealloc (rel32): out of reach of mmap'd code.
    let code: &[u8] = &[0xE8, 0, 0, 0, 0, 0xE9, 0, 0, 0, 0];
    let mut o = Obj::new();
    let s = o.function("POP_TOP", code);
    o.reloc_to(s, 1, R_PLT32, -4, "jit_dealloc");
    o.reloc_to(s, 6, R_PLT32, -4, "JIT_CONTINUE");
    let e = o.errors(&["POP_TOP"]);
    assert_contains(
        &e,
        &[
            "stencil `POP_TOP`",
            "hole `jit_dealloc` is used by `call`",
            "absolute address",
        ],
    );
    // lea rax, [rip + JIT_OPARG]: the compiler would be computing with the hole's address.
    let code: &[u8] = &[0x48, 0x8D, 0x05, 0, 0, 0, 0];
    let mut o = Obj::new();
    let s = o.function("LOAD_FAST", code);
    o.reloc_to(s, 3, R_PC32, -4, "JIT_OPARG");
    let e = o.errors(&["LOAD_FAST"]);
    assert_contains(
        &e,
        &["hole `JIT_OPARG` is used with R_X86_64_PC32", "movabs"],
    );
}

#[test]
fn copies_read_only_data_into_the_stencil() {
    static HALF: [u8; 8] = 0.5f64.to_le_bytes();
    static ONE: [u8; 16] = [1; 16];
    // mulsd xmm0, [rip + .LCPI]; addsd xmm0, [rip + .rodata.cst16 + 8]; jmp JIT_CONTINUE
    let code: &[u8] = &[
        0xF2, 0x0F, 0x59, 0x05, 0, 0, 0, 0, // hole at 4
        0xF2, 0x0F, 0x58, 0x05, 0, 0, 0, 0, // hole at 12
        0xE9, 0, 0, 0, 0, // hole at 17
    ];
    let mut o = Obj::new();
    let s = o.function("BINARY_OP_MULTIPLY_FLOAT", code);
    let d8 = o.section(".rodata.cst8", SectionKind::ReadOnlyData, &HALF);
    let d16 = o.section(".rodata.cst16", SectionKind::ReadOnlyData, &ONE);
    o.obj.sections[d16].align = 16;
    let lcpi = o.symbol(".LCPI0_0", Some(d8), 0, 8, false);
    o.reloc(s, 4, R_PC32, -4, Target::Symbol(lcpi));
    o.reloc(s, 12, R_PC32, 8 - 4, Target::Section(d16));
    o.reloc_to(s, 17, R_PLT32, -4, "JIT_CONTINUE");
    let out = extract(&o.obj, &["BINARY_OP_MULTIPLY_FLOAT"]).unwrap();
    let st = &out[0];
    // cst8 at 0, padding to 16, cst16 at 16.
    assert_eq!(st.data.len(), 32);
    assert_eq!(&st.data[..8], &HALF);
    assert_eq!(&st.data[16..], &ONE);
    assert_eq!(st.data_align, 16);
    let data: Vec<(usize, i64)> = st
        .holes
        .iter()
        .filter(|h| h.kind == HoleKind::Data)
        .map(|h| (h.offset, h.addend))
        .collect();
    assert_eq!(data, [(4, -4), (12, 16 + 8 - 4)]);
    assert_eq!(st.trailing_jump, 5);
}

#[test]
fn rejects_code_and_writable_data_defined_in_the_object() {
    // A helper that was not inlined: the stencil tail-jumps into it.
    let mut o = Obj::new();
    let s = o.function("COMPARE_OP_INT", &[0xE9, 0, 0, 0, 0]);
    let h = o.section(".text._ZN8stencils6helper", SectionKind::Code, &[0xC3]);
    let hsym = o.symbol("_ZN8stencils6helper", Some(h), 0, 1, false);
    o.reloc(s, 1, R_PLT32, -4, Target::Symbol(hsym));
    let e = o.errors(&["COMPARE_OP_INT"]);
    assert_contains(
        &e,
        &[
            "stencil `COMPARE_OP_INT`",
            "`_ZN8stencils6helper`, code defined in the stencil object",
        ],
    );
    // A `static mut` counter.
    static COUNTER: [u8; 8] = [0; 8];
    let mut o = Obj::new();
    let s = o.function("LOAD_FAST", &[0x48, 0xFF, 0x05, 0, 0, 0, 0]); // inc qword [rip + c]
    let d = o.section(".bss.COUNTER", SectionKind::WritableData, &COUNTER);
    let c = o.symbol("COUNTER", Some(d), 0, 8, false);
    o.reloc(s, 3, R_PC32, -4, Target::Symbol(c));
    let e = o.errors(&["LOAD_FAST"]);
    assert_contains(&e, &["stencil `LOAD_FAST`", "writable static `COUNTER`"]);
}

#[test]
fn rejects_a_relocation_outside_every_stencil() {
    let code: &[u8] = &[0xE9, 0, 0, 0, 0, 0xCC, 0xE9, 0, 0, 0, 0];
    let mut o = Obj::new();
    let s = o.section(".text", SectionKind::Code, code);
    o.symbol("JUMP_FORWARD", Some(s), 0, 5, true);
    o.reloc_to(s, 1, R_PLT32, -4, "JIT_TARGET");
    o.reloc_to(s, 7, R_PLT32, -4, "JIT_CONTINUE");
    let e = o.errors(&["JUMP_FORWARD"]);
    assert_contains(
        &e,
        &["relocation at `.text`+0x7 (to `JIT_CONTINUE`) is outside every stencil"],
    );
}

#[test]
fn reports_every_problem_at_once() {
    let mut o = Obj::new();
    let s = o.function("A", &[0xE8, 0, 0, 0, 0, 0xC3]);
    o.reloc_to(s, 1, R_PLT32, -4, "JIT_CONTINUE");
    let s = o.function("B", &[0xE8, 0, 0, 0, 0, 0xC3]);
    o.reloc_to(s, 1, R_PLT32, -4, "memset");
    let e = extract(&o.obj, &["A", "B", "C"]).unwrap_err();
    assert_eq!(e.len(), 3, "{e:#?}");
}
