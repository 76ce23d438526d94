//! The vocabulary of the stencil table: which holes exist, how they are relocated, and one
//! hole's description.
//!
//! Shared, as a `#[path]` module, by `vm/build.rs` (which writes the table) and the VM
//! (`jitlens_vm::jit::holes`, which reads and patches it), so the generated table and the
//! patcher use the same types. Hole *symbol names* are defined here and nowhere else: the
//! templates in `lib.rs` declare externs with exactly these names.

/// What a hole stands for: the symbol a stencil refers to, which the JIT replaces with a value
/// when it copies the stencil.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum HoleKind {
    /// `JIT_OPARG`: the instruction's argument (value hole).
    Oparg,
    /// `JIT_OPERAND`: a 64-bit op-specific value, e.g. a constant's value word (value hole).
    Operand,
    /// `JIT_IP`: this instruction's index (value hole).
    Ip,
    /// `JIT_NEXT_IP`: the index of the next instruction (value hole).
    NextIp,
    /// `JIT_CONTINUE`: the code of the next instruction (tail-jump hole).
    Continue,
    /// `JIT_TARGET`: the code of the jump target (tail-jump hole).
    Target,
    /// `JIT_EXIT`: this instruction's side exit, an `EXIT` stencil patched with the same
    /// `JIT_IP` (tail-jump hole).
    Exit,
    /// `jit_dealloc`: the address of the VM's [`DeallocFn`](super::abi::DeallocFn) helper
    /// (value hole, called indirectly).
    Dealloc,
    /// `jit_tier0_step`: the address of the VM's [`Tier0StepFn`](super::abi::Tier0StepFn)
    /// helper (value hole, called indirectly).
    Tier0Step,
    /// Read-only data the stencil uses (e.g. a float constant), copied next to the code; the
    /// value is the address of the copy and the hole's addend includes the offset into it.
    Data,
}

impl HoleKind {
    /// Every hole kind.
    pub const ALL: [HoleKind; 10] = [
        HoleKind::Oparg,
        HoleKind::Operand,
        HoleKind::Ip,
        HoleKind::NextIp,
        HoleKind::Continue,
        HoleKind::Target,
        HoleKind::Exit,
        HoleKind::Dealloc,
        HoleKind::Tier0Step,
        HoleKind::Data,
    ];

    /// The symbol the templates use for this hole (`.rodata` for [`HoleKind::Data`], which has
    /// no symbol of its own).
    pub const fn symbol(self) -> &'static str {
        match self {
            HoleKind::Oparg => "JIT_OPARG",
            HoleKind::Operand => "JIT_OPERAND",
            HoleKind::Ip => "JIT_IP",
            HoleKind::NextIp => "JIT_NEXT_IP",
            HoleKind::Continue => "JIT_CONTINUE",
            HoleKind::Target => "JIT_TARGET",
            HoleKind::Exit => "JIT_EXIT",
            HoleKind::Dealloc => "jit_dealloc",
            HoleKind::Tier0Step => "jit_tier0_step",
            HoleKind::Data => ".rodata",
        }
    }

    /// The hole an undefined symbol of the stencil object names, if it is one.
    pub fn from_symbol(name: &str) -> Option<HoleKind> {
        HoleKind::ALL
            .into_iter()
            .find(|k| *k != HoleKind::Data && k.symbol() == name)
    }

    /// True for the holes a stencil leaves through (`JIT_CONTINUE`, `JIT_TARGET`,
    /// `JIT_EXIT`): they must be reached by a jump, never by a call.
    pub const fn is_continuation(self) -> bool {
        matches!(self, HoleKind::Continue | HoleKind::Target | HoleKind::Exit)
    }
}

/// How a hole's bytes are computed from its value `S` and addend `A` at patched location `P`
/// (x86-64 ELF relocation types).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum RelocKind {
    /// `R_X86_64_64`: 8 bytes, `S + A` (a `movabs` immediate).
    Abs64,
    /// `R_X86_64_PC32`: 4 bytes, `S + A - P`, must fit in an `i32`.
    Pc32,
    /// `R_X86_64_PLT32`: like `Pc32` (we have no PLT: the target is reached directly); what the
    /// compiler emits for `jmp`/`jcc`/`call` to a function symbol.
    Plt32,
}

impl RelocKind {
    /// The ELF relocation type number of this kind.
    pub const fn elf_type(self) -> u32 {
        match self {
            RelocKind::Abs64 => 1,
            RelocKind::Pc32 => 2,
            RelocKind::Plt32 => 4,
        }
    }

    /// The kind of an ELF x86-64 relocation type, if it is one the JIT can patch.
    pub const fn from_elf(r_type: u32) -> Option<RelocKind> {
        match r_type {
            1 => Some(RelocKind::Abs64),
            2 => Some(RelocKind::Pc32),
            4 => Some(RelocKind::Plt32),
            _ => None,
        }
    }

    /// The ELF name, e.g. `R_X86_64_PLT32`.
    pub const fn elf_name(self) -> &'static str {
        match self {
            RelocKind::Abs64 => "R_X86_64_64",
            RelocKind::Pc32 => "R_X86_64_PC32",
            RelocKind::Plt32 => "R_X86_64_PLT32",
        }
    }

    /// Number of bytes the relocation writes.
    pub const fn size(self) -> usize {
        match self {
            RelocKind::Abs64 => 8,
            RelocKind::Pc32 | RelocKind::Plt32 => 4,
        }
    }

    /// True if the value is relative to the patched location.
    pub const fn is_pc_relative(self) -> bool {
        !matches!(self, RelocKind::Abs64)
    }
}

/// One hole of a stencil: where it is, what it stands for, and how to fill it in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Hole {
    /// Byte offset of the relocated field in the stencil's code.
    pub offset: usize,
    /// What the hole stands for.
    pub kind: HoleKind,
    /// How its bytes are computed.
    pub reloc: RelocKind,
    /// The relocation's addend `A` (for [`HoleKind::Data`], plus the offset of the referenced
    /// byte in the stencil's data).
    pub addend: i64,
}
