//! Turning the compiled stencil object into the stencil table, and rejecting every object the
//! JIT could not use safely.
//!
//! Shared, as a `#[path]` module, by `vm/build.rs` (which converts the object file it parsed
//! with the `object` crate into an [`Object`] and panics with [`extract`]'s errors) and the
//! VM's unit tests (which feed [`extract`] synthetic objects, one per way to be wrong). It
//! depends on nothing but `std` and the sibling module `holes`.
//!
//! The rules (each broken one is an error naming the stencil and the symbol):
//!
//! * every global function in the object is a stencil named in the expected list, and every
//!   expected stencil is there;
//! * every relocation in code lies inside a stencil and is of a known kind
//!   (`R_X86_64_64`, `R_X86_64_PC32`, `R_X86_64_PLT32`);
//! * every symbol a stencil refers to is a hole (see `holes.rs`) or read-only data; a
//!   reference to another function in the object (a helper that was not inlined, or a stencil
//!   merged into another) or to writable data is an error, as is an unknown undefined symbol
//!   (a panic path, `memcpy`);
//! * value holes and helpers are read as 64-bit absolute values (`movabs`), never called or
//!   addressed PC-relatively; continuations (`JIT_CONTINUE`, `JIT_TARGET`, `JIT_EXIT`) are
//!   reached by `jmp` (`e9`) or `jcc` (`0f 8x`) only, never `call` (`e8`) (which would grow
//!   the native stack with every instruction) and never have their address taken;
//! * read-only data a stencil uses is copied into the stencil's own data; a data section that
//!   itself has relocations (pointers) is an error.

use super::holes::{Hole, HoleKind, RelocKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a section of the object holds, as far as the stencils are concerned.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Executable code.
    Code,
    /// Allocated read-only data (`.rodata*`).
    ReadOnlyData,
    /// Allocated writable data (`.data*`, `.bss*`).
    WritableData,
    /// Everything else (not allocated, notes, unwind tables): ignored.
    Other,
}

/// One section of the object.
#[derive(Clone, Debug)]
pub struct Section<'a> {
    /// Its name, e.g. `.text.LOAD_FAST`.
    pub name: &'a str,
    /// What it holds.
    pub kind: SectionKind,
    /// Its contents (zeros for `.bss`).
    pub bytes: &'a [u8],
    /// Its alignment in bytes.
    pub align: u64,
    /// The relocations that apply to it.
    pub relocs: Vec<Reloc>,
}

/// One symbol of the object.
#[derive(Clone, Debug)]
pub struct Symbol<'a> {
    /// Its name (may be empty for section symbols).
    pub name: &'a str,
    /// The index in [`Object::sections`] of the section defining it; `None` if undefined.
    pub section: Option<usize>,
    /// Its offset in that section.
    pub offset: u64,
    /// Its size in bytes.
    pub size: u64,
    /// True for a global (externally visible) symbol.
    pub global: bool,
    /// True for a function symbol.
    pub function: bool,
}

/// What a relocation refers to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Index into [`Object::symbols`].
    Symbol(usize),
    /// Index into [`Object::sections`] (the start of that section).
    Section(usize),
}

/// One relocation.
#[derive(Clone, Debug)]
pub struct Reloc {
    /// Offset of the relocated field in its section.
    pub offset: u64,
    /// The ELF x86-64 relocation type (`R_X86_64_*`).
    pub r_type: u32,
    /// The explicit addend.
    pub addend: i64,
    /// What it refers to.
    pub target: Target,
}

/// The parts of a relocatable object file the stencil table is made from.
#[derive(Clone, Debug, Default)]
pub struct Object<'a> {
    /// Its sections.
    pub sections: Vec<Section<'a>>,
    /// Its symbols.
    pub symbols: Vec<Symbol<'a>>,
}

/// One stencil, ready to be written into the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// Its name (the op's).
    pub name: String,
    /// Its machine code, holes zeroed.
    pub code: Vec<u8>,
    /// Its holes, by offset.
    pub holes: Vec<Hole>,
    /// Length of the final `jmp JIT_CONTINUE` (5), or 0 if the code does not end with one.
    pub trailing_jump: usize,
    /// The read-only data it uses (the [`HoleKind::Data`] holes point into it).
    pub data: Vec<u8>,
    /// The alignment the copy of `data` needs.
    pub data_align: u64,
}

/// A readable name for an ELF x86-64 relocation type.
pub fn reloc_type_name(r_type: u32) -> String {
    if let Some(k) = RelocKind::from_elf(r_type) {
        return k.elf_name().to_string();
    }
    let name = match r_type {
        0 => "R_X86_64_NONE",
        3 => "R_X86_64_GOT32",
        9 => "R_X86_64_GOTPCREL",
        10 => "R_X86_64_32",
        11 => "R_X86_64_32S",
        12 => "R_X86_64_16",
        13 => "R_X86_64_PC16",
        14 => "R_X86_64_8",
        15 => "R_X86_64_PC8",
        19 => "R_X86_64_TLSGD",
        21 => "R_X86_64_DTPOFF32",
        22 => "R_X86_64_GOTTPOFF",
        23 => "R_X86_64_TPOFF32",
        24 => "R_X86_64_PC64",
        25 => "R_X86_64_GOTOFF64",
        26 => "R_X86_64_GOTPC32",
        41 => "R_X86_64_GOTPCRELX",
        42 => "R_X86_64_REX_GOTPCRELX",
        _ => return format!("relocation type {r_type}"),
    };
    name.to_string()
}

/// How the code reaches a rel32 field at `offset`, judged by the opcode bytes before it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Reach {
    /// `e9 rel32`.
    Jmp,
    /// `0f 8x rel32`.
    Jcc,
    /// `e8 rel32`.
    Call,
    /// Anything else (e.g. `lea reg, [rip + sym]`: the address is taken).
    Other,
}

fn reach(code: &[u8], offset: usize) -> Reach {
    if offset >= 1 && code[offset - 1] == 0xE9 {
        Reach::Jmp
    } else if offset >= 1 && code[offset - 1] == 0xE8 {
        Reach::Call
    } else if offset >= 2 && code[offset - 2] == 0x0F && code[offset - 1] & 0xF0 == 0x80 {
        Reach::Jcc
    } else {
        Reach::Other
    }
}

/// Builds the table entry of every stencil in `expected` (in that order) from `obj`, or
/// returns every reason the object is unusable (never an empty list).
pub fn extract(obj: &Object<'_>, expected: &[&str]) -> Result<Vec<Extracted>, Vec<String>> {
    let mut errors = Vec::new();

    // Stencils: global functions defined in code (aliases included: LLVM merges identical
    // functions into one body with two names).
    let mut stencils: BTreeMap<&str, &Symbol<'_>> = BTreeMap::new();
    for sym in &obj.symbols {
        let Some(sec) = sym.section else { continue };
        let Some(section) = obj.sections.get(sec) else {
            errors.push(format!(
                "symbol `{}` is in a section that does not exist",
                sym.name
            ));
            continue;
        };
        if section.kind != SectionKind::Code || !sym.global || !sym.function {
            continue;
        }
        if !expected.contains(&sym.name) {
            errors.push(format!(
                "stencil `{}`: not a known stencil (add it to STENCIL_NAMES in vm/build.rs, \
                 or make it private and #[inline(always)])",
                sym.name
            ));
            continue;
        }
        if sym.offset + sym.size > section.bytes.len() as u64 || sym.size == 0 {
            errors.push(format!(
                "stencil `{}`: its code ({} bytes at {:#x}) does not fit in section `{}`",
                sym.name, sym.size, sym.offset, section.name
            ));
            continue;
        }
        stencils.insert(sym.name, sym);
    }
    for name in expected {
        if !stencils.contains_key(name) {
            errors.push(format!(
                "stencil `{name}`: missing from the stencil object (no global function of \
                 that name in vm/stencils/)"
            ));
        }
    }

    // Relocations must be inside a stencil (code) or absent (data).
    for (si, section) in obj.sections.iter().enumerate() {
        match section.kind {
            SectionKind::Code => {
                for r in &section.relocs {
                    let inside = stencils.values().any(|s| {
                        s.section == Some(si)
                            && r.offset >= s.offset
                            && r.offset < s.offset + s.size
                    });
                    if !inside {
                        errors.push(format!(
                            "relocation at `{}`+{:#x} (to `{}`) is outside every stencil",
                            section.name,
                            r.offset,
                            target_name(obj, r.target)
                        ));
                    }
                }
            }
            SectionKind::ReadOnlyData | SectionKind::WritableData => {
                if let Some(r) = section.relocs.first() {
                    let users = users_of_section(obj, &stencils, si);
                    let who = if users.is_empty() {
                        "no stencil uses it".to_string()
                    } else {
                        format!("used by stencil {}", users.join(", "))
                    };
                    errors.push(format!(
                        "relocation inside data section `{}` ({who}): +{:#x}, {} to `{}`; data \
                         holding addresses cannot be copied next to JIT code",
                        section.name,
                        r.offset,
                        reloc_type_name(r.r_type),
                        target_name(obj, r.target)
                    ));
                }
            }
            SectionKind::Other => {}
        }
    }

    let mut out = Vec::new();
    for name in expected {
        let Some(sym) = stencils.get(name) else {
            continue;
        };
        match extract_one(obj, sym) {
            Ok(s) => out.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The section a relocation target lies in, if it is defined in the object.
fn target_section(obj: &Object<'_>, target: Target) -> Option<usize> {
    match target {
        Target::Symbol(i) => obj.symbols.get(i).and_then(|s| s.section),
        Target::Section(i) => Some(i),
    }
}

/// The names (quoted) of the stencils with a relocation into section `si`.
fn users_of_section(
    obj: &Object<'_>,
    stencils: &BTreeMap<&str, &Symbol<'_>>,
    si: usize,
) -> Vec<String> {
    stencils
        .values()
        .filter(|s| {
            let Some(code) = s.section.and_then(|c| obj.sections.get(c)) else {
                return false;
            };
            code.relocs.iter().any(|r| {
                r.offset >= s.offset
                    && r.offset < s.offset + s.size
                    && target_section(obj, r.target) == Some(si)
            })
        })
        .map(|s| format!("`{}`", s.name))
        .collect()
}

fn target_name(obj: &Object<'_>, target: Target) -> String {
    match target {
        Target::Symbol(i) => match obj.symbols.get(i) {
            Some(s) if !s.name.is_empty() => s.name.to_string(),
            Some(s) => match s.section.and_then(|x| obj.sections.get(x)) {
                Some(sec) => sec.name.to_string(),
                None => format!("symbol #{i}"),
            },
            None => format!("symbol #{i}"),
        },
        Target::Section(i) => obj
            .sections
            .get(i)
            .map(|s| s.name.to_string())
            .unwrap_or_else(|| format!("section #{i}")),
    }
}

fn extract_one(obj: &Object<'_>, sym: &Symbol<'_>) -> Result<Extracted, Vec<String>> {
    let name = sym.name;
    let si = sym.section.expect("stencils are defined symbols");
    let section = &obj.sections[si];
    let start = sym.offset as usize;
    let end = start + sym.size as usize;
    let code_in = &section.bytes[start..end];
    let mut code = code_in.to_vec();
    let mut holes = Vec::new();
    let mut errors = Vec::new();
    // Data sections this stencil uses → offset of their copy in `data`.
    let mut data_offsets: BTreeMap<usize, u64> = BTreeMap::new();
    let mut data: Vec<u8> = Vec::new();
    let mut data_align = 1u64;

    let mut relocs: Vec<&Reloc> = section
        .relocs
        .iter()
        .filter(|r| r.offset >= sym.offset && r.offset < sym.offset + sym.size)
        .collect();
    relocs.sort_by_key(|r| r.offset);

    for r in relocs {
        let offset = (r.offset - sym.offset) as usize;
        let tname = target_name(obj, r.target);
        let Some(reloc) = RelocKind::from_elf(r.r_type) else {
            errors.push(format!(
                "stencil `{name}`: unexpected relocation {} to `{tname}` at +{offset:#x}",
                reloc_type_name(r.r_type)
            ));
            continue;
        };
        if offset + reloc.size() > code.len() {
            errors.push(format!(
                "stencil `{name}`: relocation to `{tname}` at +{offset:#x} runs past its end"
            ));
            continue;
        }
        // Resolve the target: a hole by name, or read-only data (section + offset).
        let (kind, data_ref) = match r.target {
            Target::Symbol(i) => {
                let Some(t) = obj.symbols.get(i) else {
                    errors.push(format!(
                        "stencil `{name}`: relocation to a missing symbol #{i}"
                    ));
                    continue;
                };
                match t.section {
                    None => match HoleKind::from_symbol(t.name) {
                        Some(k) => (k, None),
                        None => {
                            errors.push(format!(
                                "stencil `{name}`: unknown symbol `{}` ({} at +{offset:#x}): \
                                 not a hole; a panic path, or a call into core \
                                 (memcpy, …) that was not inlined?",
                                t.name,
                                reloc.elf_name()
                            ));
                            continue;
                        }
                    },
                    Some(ts) => match obj.sections.get(ts).map(|s| s.kind) {
                        Some(SectionKind::ReadOnlyData) => (HoleKind::Data, Some((ts, t.offset))),
                        Some(SectionKind::Code) => {
                            errors.push(format!(
                                "stencil `{name}`: refers to `{tname}`, code defined in the \
                                 stencil object ({} at +{offset:#x}); a helper that was not \
                                 inlined (#[inline(always)]), or two identical stencils \
                                 merged into one?",
                                reloc.elf_name()
                            ));
                            continue;
                        }
                        Some(SectionKind::WritableData) => {
                            errors.push(format!(
                                "stencil `{name}`: uses writable static `{tname}` at \
                                 +{offset:#x}; stencils must not have state of their own"
                            ));
                            continue;
                        }
                        _ => {
                            errors.push(format!(
                                "stencil `{name}`: refers to `{tname}` in a section the JIT \
                                 cannot copy (+{offset:#x})"
                            ));
                            continue;
                        }
                    },
                }
            }
            Target::Section(ts) => match obj.sections.get(ts).map(|s| s.kind) {
                Some(SectionKind::ReadOnlyData) => (HoleKind::Data, Some((ts, 0))),
                _ => {
                    errors.push(format!(
                        "stencil `{name}`: refers to section `{tname}` at +{offset:#x}, which \
                         is not read-only data"
                    ));
                    continue;
                }
            },
        };

        // The kind of relocation each hole may use.
        if kind.is_continuation() {
            if reloc == RelocKind::Abs64 {
                errors.push(format!(
                    "stencil `{name}`: takes the address of continuation `{tname}` \
                     (R_X86_64_64 at +{offset:#x}); continuations may only be tail-called"
                ));
                continue;
            }
            match reach(&code, offset) {
                Reach::Jmp | Reach::Jcc => {}
                Reach::Call => {
                    errors.push(format!(
                        "stencil `{name}`: continuation `{tname}` is reached by `call` at \
                         +{:#x}, not a tail jump (a local whose address escapes, or a \
                         non-tail position, defeats the tail call)",
                        offset - 1
                    ));
                    continue;
                }
                Reach::Other => {
                    errors.push(format!(
                        "stencil `{name}`: continuation `{tname}` is used at +{offset:#x} by \
                         an instruction that is neither `jmp` nor `jcc` (its address is taken?)"
                    ));
                    continue;
                }
            }
            if r.addend != -4 {
                errors.push(format!(
                    "stencil `{name}`: jump to `{tname}` at +{offset:#x} has addend {} \
                     (expected -4)",
                    r.addend
                ));
                continue;
            }
        } else if kind == HoleKind::Data {
            if reloc == RelocKind::Plt32 {
                errors.push(format!(
                    "stencil `{name}`: jumps into data `{tname}` (R_X86_64_PLT32 at \
                     +{offset:#x})"
                ));
                continue;
            }
        } else if reloc != RelocKind::Abs64 {
            let what = if matches!(kind, HoleKind::Dealloc | HoleKind::Tier0Step) {
                "helpers are called through their absolute address (a `movabs` of the hole, \
                 then an indirect call), so that mmap'd code can reach them"
            } else {
                "value holes are read with `movabs reg, offset HOLE` only"
            };
            let how = match reach(&code, offset) {
                Reach::Call => " by `call`",
                Reach::Jmp | Reach::Jcc => " by a jump",
                Reach::Other => "",
            };
            errors.push(format!(
                "stencil `{name}`: hole `{tname}` is used{how} with {} at +{offset:#x}; {what}",
                reloc.elf_name()
            ));
            continue;
        }

        let mut addend = r.addend;
        if let Some((ds, sym_off)) = data_ref {
            let dsec = &obj.sections[ds];
            let base = *data_offsets.entry(ds).or_insert_with(|| {
                let align = dsec.align.max(1);
                data_align = data_align.max(align);
                while !(data.len() as u64).is_multiple_of(align) {
                    data.push(0);
                }
                let base = data.len() as u64;
                data.extend_from_slice(dsec.bytes);
                base
            });
            addend += (base + sym_off) as i64;
        }
        code[offset..offset + reloc.size()].fill(0);
        holes.push(Hole {
            offset,
            kind,
            reloc,
            addend,
        });
    }

    flip_final_branch(&mut code, &mut holes);
    let n = code.len();
    let trailing_jump = if n >= 5
        && code[n - 5] == 0xE9
        && holes
            .iter()
            .any(|h| h.offset == n - 4 && h.kind == HoleKind::Continue)
    {
        5
    } else {
        0
    };

    if errors.is_empty() {
        Ok(Extracted {
            name: name.to_string(),
            code,
            holes,
            trailing_jump,
            data,
            data_align,
        })
    } else {
        Err(errors)
    }
}

/// Rewrites a stencil that ends `jcc JIT_CONTINUE; jmp X` (LLVM puts a two-way tail call's
/// second arm last, whichever arm is hot) into the equivalent `jncc X; jmp JIT_CONTINUE`,
/// so that its trailing jump to the next instruction can be dropped. Both are rel32 jumps
/// to continuation holes with the same addend: the rewrite flips the condition (the low bit
/// of the `0F 8x` opcode) and swaps the two holes' kinds.
pub fn flip_final_branch(code: &mut [u8], holes: &mut [Hole]) {
    let n = code.len();
    if n < 11 || code[n - 11] != 0x0F || code[n - 10] & 0xF0 != 0x80 || code[n - 5] != 0xE9 {
        return;
    }
    let jcc = holes.iter().position(|h| h.offset == n - 9);
    let jmp = holes.iter().position(|h| h.offset == n - 4);
    let (Some(jcc), Some(jmp)) = (jcc, jmp) else {
        return;
    };
    let (a, b) = (holes[jcc], holes[jmp]);
    if a.kind != HoleKind::Continue
        || b.kind == HoleKind::Continue
        || !b.kind.is_continuation()
        || a.reloc != b.reloc
        || a.addend != b.addend
    {
        return;
    }
    code[n - 10] ^= 1;
    holes[jcc].kind = b.kind;
    holes[jmp].kind = HoleKind::Continue;
}

/// Writes the table as Rust source: a `STENCILS` array of `Stencil` values (the including
/// module must have `Stencil`, `Hole`, `HoleKind` and `RelocKind` in scope).
pub fn render_table(stencils: &[Extracted], header: &str) -> String {
    let mut s = String::new();
    for line in header.lines() {
        let _ = writeln!(s, "// {line}");
    }
    let _ = writeln!(
        s,
        "\n/// Every stencil, in the order of `STENCIL_NAMES` in vm/build.rs."
    );
    let _ = writeln!(s, "pub static STENCILS: [Stencil; {}] = [", stencils.len());
    for st in stencils {
        let _ = writeln!(s, "    Stencil {{");
        let _ = writeln!(s, "        name: {:?},", st.name);
        let _ = writeln!(s, "        code: &{},", bytes_literal(&st.code));
        let _ = writeln!(s, "        holes: &[");
        for h in &st.holes {
            let _ = writeln!(
                s,
                "            Hole {{ offset: {:#x}, kind: HoleKind::{:?}, reloc: RelocKind::{:?}, \
                 addend: {} }},",
                h.offset, h.kind, h.reloc, h.addend
            );
        }
        let _ = writeln!(s, "        ],");
        let _ = writeln!(s, "        trailing_jump: {},", st.trailing_jump);
        let _ = writeln!(s, "        data: &{},", bytes_literal(&st.data));
        let _ = writeln!(s, "        data_align: {},", st.data_align);
        let _ = writeln!(s, "    }},");
    }
    let _ = writeln!(s, "];");
    s
}

fn bytes_literal(bytes: &[u8]) -> String {
    let mut s = String::from("[");
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{b:#04x}");
    }
    s.push(']');
    s
}
