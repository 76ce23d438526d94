//! Compiling a code object: one stencil per instruction, copied in bytecode order and
//! patched. The one exception is a superinstruction: a `COMPARE_OP_INT` and the conditional
//! jump after it run as one fused stencil (a compare and a `jcc`, no bool in between), when
//! nothing jumps to the branch.
//!
//! Layout of a compiled code object's memory:
//!
//! ```text
//! [instr 0][instr 1]…[instr n-1] | [exit stub for i][exit stub for j]…
//! ```
//!
//! Every instruction's code falls through into the next one, so each stencil's trailing
//! `jmp JIT_CONTINUE` is dropped (except the last). Each instruction whose stencil can side
//! exit gets an `EXIT` stub in the cold area after the main code, patched with its index.
//! `YIELD_VALUE` is an `EXIT` stub in place: a generator leaves JIT code just before it and
//! suspends in the interpreter.
//! `RETURN_VALUE` returns to whoever entered the JIT code, with the value on the stack: a
//! call made from JIT code takes it directly; the interpreter performs the return itself.
//!
//! Every instruction start is also an entry point: each stencil has the stencil signature,
//! so the host can enter at the first instruction (a call) or at a loop header (OSR).

use super::code_memory::{ExecutableCode, WritableCode};
use super::holes::HoleKind;
use super::stencils::{self, HoleValues, Stencil};
use crate::code::Code;
use jitlens_compiler::bytecode::Op;

/// One patched stencil region: which instruction it runs and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Offset of the region in the code object's JIT memory.
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
    /// Instruction index.
    pub ip: u32,
    /// The op the stencil implements (the instruction's op at compile time).
    pub op: Op,
    /// What kind of region it is.
    pub kind: RegionKind,
    /// The instruction run by the same stencil after `ip`'s, if any: the conditional jump
    /// after a compare (see [`fused_branch`]). It has no region of its own.
    pub fused: Option<Op>,
}

/// The kinds of JIT regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionKind {
    /// A fast stencil: the op runs in machine code.
    Fast,
    /// The `HELPER` stencil: the op runs in a VM helper function (a runtime helper).
    Helper,
    /// The generic stencil: the op runs in the interpreter, one instruction.
    Tier0,
    /// A side-exit stub: leaves JIT code at the instruction.
    Exit,
}

impl RegionKind {
    /// Short name (`fast`, `tier0`, `exit`).
    pub fn name(self) -> &'static str {
        match self {
            RegionKind::Fast => "fast",
            RegionKind::Helper => "helper",
            RegionKind::Tier0 => "tier0",
            RegionKind::Exit => "exit",
        }
    }
}

/// A compiled code object.
#[derive(Debug)]
pub struct JitCode {
    /// The machine code (read-execute).
    pub mem: ExecutableCode,
    /// Bytes of machine code used (the region can be longer: whole pages where the arena
    /// is single-mapped).
    pub code_len: usize,
    /// Entry offset of each instruction index (`u32::MAX` for cache words).
    pub entries: Vec<u32>,
    /// Every patched region, in address order.
    pub regions: Vec<Region>,
    /// Nanoseconds the compile took.
    pub compile_ns: u64,
}

impl JitCode {
    /// The address to enter at instruction `ip`, if it is an instruction start.
    pub fn entry(&self, ip: usize) -> Option<u64> {
        match self.entries.get(ip) {
            Some(&off) if off != u32::MAX => Some(self.mem.addr() + off as u64),
            _ => None,
        }
    }

    /// The region containing address `pc`, if it is in this code.
    pub fn region_at(&self, pc: u64) -> Option<&Region> {
        let off = pc.checked_sub(self.mem.addr())?;
        if off >= self.code_len as u64 {
            return None;
        }
        let i = self
            .regions
            .partition_point(|r| (r.offset as u64) <= off)
            .checked_sub(1)?;
        let r = &self.regions[i];
        (off < (r.offset + r.len) as u64).then_some(r)
    }
}

/// Addresses the JIT patches into every compiled code object.
#[derive(Clone, Copy, Debug)]
pub struct Helpers {
    /// `jit_dealloc`.
    pub dealloc: u64,
    /// `jit_tier0_step`.
    pub tier0_step: u64,
    /// The byte that is non-zero while periodic work (a collection) is pending.
    pub pending: u64,
}

/// Why a code object could not be compiled.
#[derive(Debug)]
pub enum CompileError {
    /// Code memory could not be mapped or protected.
    Memory(std::io::Error),
    /// A stencil could not be patched (a bug).
    Patch(stencils::PatchError),
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompileError::Memory(e) => write!(f, "JIT code memory: {e}"),
            CompileError::Patch(e) => write!(f, "{e}"),
        }
    }
}

/// The stencil that runs `op` (as quickened now) in JIT code, and the helper behind it for
/// the `HELPER` stencil.
fn stencil_of(op: Op, generic: bool) -> (&'static Stencil, RegionKind, u64) {
    // RESUME does nothing in JIT code, which is never entered before it.
    let op = if op == Op::RESUME { Op::NOP } else { op };
    // A generator suspends in the interpreter: JIT code leaves just before YIELD_VALUE
    // (with the frame as it is), and the interpreter performs the yield.
    if op == Op::YIELD_VALUE {
        return (stencils::exit(), RegionKind::Exit, 0);
    }
    if generic && let Some(h) = super::helpers::generic_helper_for(op) {
        return (
            stencils::helper(),
            RegionKind::Helper,
            h as *const () as u64,
        );
    }
    if let Some(s) = stencils::stencil_for(op) {
        return (s, RegionKind::Fast, 0);
    }
    if let Some(h) = super::helpers::helper_for(op) {
        return (
            stencils::helper(),
            RegionKind::Helper,
            h as *const () as u64,
        );
    }
    (stencils::tier0(), RegionKind::Tier0, 0)
}

/// For each instruction index, whether a jump or an exception handler can land there (and
/// so it needs an entry of its own).
fn jump_targets(code: &Code) -> Vec<bool> {
    let n = code.instrs.len();
    let mut t = vec![false; n];
    let mut ip = 0;
    while ip < n {
        let (op, arg) = code.instr(ip);
        if op.family().is_jump()
            && let Some(x) = t.get_mut(arg as usize)
        {
            *x = true;
        }
        ip += 1 + op.cache_words() as usize;
    }
    for e in &code.exc_table {
        if let Some(x) = t.get_mut(e.target as usize) {
            *x = true;
        }
    }
    t
}

/// A `COMPARE_OP_INT` at `ip` directly followed by a `POP_JUMP_IF_FALSE`/`TRUE` that nothing
/// jumps to: the fused stencil that does both, the branch's op, its target, and the index
/// of the instruction after it.
fn fused_branch(
    code: &Code,
    ip: usize,
    targets: &[bool],
) -> Option<(&'static Stencil, Op, u32, usize)> {
    let (op, cmp) = code.instr(ip);
    if op != Op::COMPARE_OP_INT {
        return None;
    }
    let branch_ip = ip + 1 + op.cache_words() as usize;
    if *targets.get(branch_ip)? {
        return None;
    }
    let (branch, target) = code.instr(branch_ip);
    // COMPARE_OP's arguments 0..=5 are `<`, `<=`, `==`, `!=`, `>`, `>=`: `5 - cmp` is the
    // negation (for ints, which are totally ordered).
    let jump_when = match branch {
        Op::POP_JUMP_IF_TRUE => cmp,
        Op::POP_JUMP_IF_FALSE => 5u32.checked_sub(cmp)?,
        _ => return None,
    };
    let after = branch_ip + 1 + branch.cache_words() as usize;
    Some((
        stencils::compare_int_jump(jump_when)?,
        branch,
        target,
        after,
    ))
}

/// One instruction as the compiler sees it.
struct Item {
    ip: usize,
    next_ip: usize,
    op: Op,
    arg: u32,
    /// The helper's argument (`arg`, or a key baked in; see `helpers::baked_arg`).
    oparg: u64,
    stencil: &'static Stencil,
    kind: RegionKind,
    helper: u64,
    /// The next instruction's op, when this item's stencil runs it too.
    fused: Option<Op>,
    offset: usize,
    len: usize,
    exit_offset: Option<usize>,
}

/// Compiles `code` as its bytecode stands now (quickened forms included).
///
/// The instructions at `generic_at` get their op family's generic helper instead of their
/// fast stencil: sites whose guard kept failing in this code's previous compilation (a
/// branch on objects, arithmetic that met another type), where the helper handles every
/// operand without leaving tier 1.
pub fn compile(
    code: &Code,
    helpers: &Helpers,
    generic_at: &[u32],
) -> Result<JitCode, CompileError> {
    let start = std::time::Instant::now();
    // Pass 1: choose stencils and lay them out.
    let n = code.instrs.len();
    let mut items = Vec::with_capacity(n);
    let targets = jump_targets(code);
    let mut ip = 0;
    while ip < n {
        let (op, arg) = code.instr(ip);
        let generic = generic_at.contains(&(ip as u32));
        let fused = if generic {
            None
        } else {
            fused_branch(code, ip, &targets)
        };
        // A fused pair: one stencil for both instructions, jumping to the branch's target;
        // the branch has no entry of its own (nothing jumps to it), and a failed guard exits
        // at the compare.
        let (next_ip, target) = match fused {
            Some((_, _, target, after)) => (after, target),
            None => (ip + 1 + op.cache_words() as usize, arg),
        };
        let (stencil, kind, mut helper) = match fused {
            Some((stencil, ..)) => (stencil, RegionKind::Fast, 0),
            None => stencil_of(op, generic),
        };
        let mut oparg = arg as u64;
        if kind == RegionKind::Helper
            && !generic
            && let Some(h) = super::helpers::baked_helper(op)
            && let Some(a) = super::helpers::baked_arg(code, ip)
        {
            helper = h as *const () as u64;
            oparg = a;
        }
        items.push(Item {
            ip,
            next_ip,
            op,
            arg: target,
            oparg,
            stencil,
            kind,
            helper,
            fused: fused.map(|(_, branch, ..)| branch),
            offset: 0,
            len: 0,
            exit_offset: None,
        });
        ip = next_ip;
    }
    let mut off = 0;
    let last = items.len().saturating_sub(1);
    for (k, it) in items.iter_mut().enumerate() {
        it.offset = off;
        // Falls through into the next instruction: no trailing jump.
        it.len = if k == last {
            it.stencil.code.len()
        } else {
            it.stencil.body_len()
        };
        off += it.len;
    }
    let exit = stencils::exit();
    // Anything that would continue past the last instruction (or jump anywhere that is not
    // an instruction start) exits there instead; the interpreter reports it.
    let tail_offset = off;
    off += exit.code.len();
    for it in items.iter_mut() {
        if it.kind != RegionKind::Exit && it.stencil.uses(HoleKind::Exit) {
            it.exit_offset = Some(off);
            off += exit.code.len();
        }
    }
    let total = off.max(1);
    let mut entries = vec![u32::MAX; n];
    for it in &items {
        entries[it.ip] = it.offset as u32;
    }
    // Pass 2: copy and patch.
    let mut mem = WritableCode::from_arena(total).map_err(CompileError::Memory)?;
    let base = mem.addr();
    let buf = mem.as_mut_slice();
    let addr_of_ip = |ip: usize| -> u64 {
        match entries.get(ip) {
            Some(&o) if o != u32::MAX => base + o as u64,
            _ => base + tail_offset as u64,
        }
    };
    let mut regions = Vec::with_capacity(items.len() * 2);
    for it in &items {
        let exit_addr = it
            .exit_offset
            .map_or(base + tail_offset as u64, |o| base + o as u64);
        let values = HoleValues {
            oparg: it.oparg,
            operand: match it.op {
                _ if it.kind == RegionKind::Helper => it.helper,
                Op::LOAD_CONST => code.consts[it.arg as usize].bits(),
                Op::JUMP_BACKWARD => helpers.pending,
                _ => 0,
            },
            ip: it.ip as u64,
            next_ip: it.next_ip as u64,
            continue_to: addr_of_ip(it.next_ip),
            // (A stencil that can jump only for some ops, like HELPER, gets the tail exit.)
            target: if it.op.family().is_jump() || it.fused.is_some() {
                addr_of_ip(it.arg as usize)
            } else {
                base + tail_offset as u64
            },
            exit: exit_addr,
            dealloc: helpers.dealloc,
            tier0_step: helpers.tier0_step,
            data: 0,
        };
        let dst = &mut buf[it.offset..it.offset + it.len];
        stencils::patch_at(it.stencil, dst, base + it.offset as u64, &values)
            .map_err(CompileError::Patch)?;
        regions.push(Region {
            offset: it.offset as u32,
            len: it.len as u32,
            ip: it.ip as u32,
            op: it.op,
            kind: it.kind,
            fused: it.fused,
        });
    }
    let tail = HoleValues {
        ip: n as u64,
        ..Default::default()
    };
    let len = exit.code.len();
    stencils::patch_at(
        exit,
        &mut buf[tail_offset..tail_offset + len],
        base + tail_offset as u64,
        &tail,
    )
    .map_err(CompileError::Patch)?;
    regions.push(Region {
        offset: tail_offset as u32,
        len: len as u32,
        ip: n as u32,
        op: Op::NOP,
        kind: RegionKind::Exit,
        fused: None,
    });
    for it in &items {
        let Some(o) = it.exit_offset else { continue };
        let values = HoleValues {
            ip: it.ip as u64,
            next_ip: it.next_ip as u64,
            ..Default::default()
        };
        let len = exit.code.len();
        stencils::patch_at(exit, &mut buf[o..o + len], base + o as u64, &values)
            .map_err(CompileError::Patch)?;
        regions.push(Region {
            offset: o as u32,
            len: len as u32,
            ip: it.ip as u32,
            op: it.op,
            kind: RegionKind::Exit,
            fused: None,
        });
    }
    let mem = mem.make_executable().map_err(CompileError::Memory)?;
    Ok(JitCode {
        mem,
        code_len: total,
        entries,
        regions,
        compile_ns: start.elapsed().as_nanos() as u64,
    })
}
