//! The runtime code object: a loaded [`CodeUnit`] whose names and constants are values.
//!
//! Instructions sit in `Cell`s so that quickening can rewrite them in place.

use crate::object::{self, CodeObj};
use crate::runtime::str::intern;
use crate::runtime::{int, tuple};
use crate::value::Value;
use jitlens_compiler::bytecode::{ExcEntry, Op, Position, decode};
use jitlens_compiler::{CodeUnit, Const};
use std::cell::Cell;
use std::rc::Rc;

/// A compiled code object (function body, class body, module, comprehension).
pub struct Code {
    /// Function name (a str).
    pub name: Value,
    /// Qualified name (a str).
    pub qualname: Value,
    /// Source file as given on the command line.
    pub filename: Rc<str>,
    /// First line of the definition.
    pub first_line: u32,
    /// Positional parameters (including positional-only).
    pub argcount: u32,
    /// Positional-only parameters.
    pub posonlyargcount: u32,
    /// Keyword-only parameters.
    pub kwonlyargcount: u32,
    /// `CO_*` flags.
    pub flags: u32,
    /// Local variable names (parameters first), interned strs.
    pub varnames: Vec<Value>,
    /// Names of variables captured by inner functions.
    pub cellvars: Vec<Value>,
    /// Names of variables taken from the enclosing function.
    pub freevars: Vec<Value>,
    /// For each cell variable that is also a parameter, the parameter's index.
    pub cell2arg: Vec<Option<u32>>,
    /// Constants.
    pub consts: Vec<Value>,
    /// Names used by global, attribute and import ops (interned strs).
    pub names: Vec<Value>,
    /// Instruction words; rewritten in place by quickening.
    pub instrs: Box<[Cell<u32>]>,
    /// Source position per instruction word.
    pub positions: Vec<Position>,
    /// Exception table.
    pub exc_table: Vec<ExcEntry>,
    /// Maximum value-stack depth.
    pub max_stack: u32,
    /// Docstring or None.
    pub doc: Value,
    /// Number of parameter slots (positional + kw-only + `*args` + `**kwargs`).
    pub nparams: usize,
    /// True when a call with exactly `argcount` positional arguments needs no binding work:
    /// no `*args`/`**kwargs`, no keyword-only parameters, no cells, not a generator. The
    /// guard of `CALL_PY_EXACT_ARGS` and friends.
    pub simple_args: bool,
    /// Object caches of the instructions whose inline cache words cannot hold a pointer
    /// (LOAD_ATTR, LOAD_METHOD, CALL); the instruction's last cache word holds its index.
    pub ext: Box<[ExtCache]>,
    /// Tier 1: warmth counter and compiled code.
    pub jit: crate::jit::runtime::JitSlot,
    /// Executions per instruction word, allocated on first use by the `-X stats` loop.
    exec_counts: std::cell::OnceCell<Box<[Cell<u64>]>>,
}

/// A specialized instruction's guard key and cached object (method, `__init__`, class
/// attribute, module). The key is a class or module's address and `epoch` the VM's type
/// epoch when it was filled: a new class, or a change to any class namespace, bumps the
/// epoch, so an address reused by another class can never match a stale entry.
#[derive(Default)]
pub struct ExtCache {
    /// Address bits of the guarded class or module.
    pub key: Cell<u64>,
    /// Type epoch at fill time.
    pub epoch: Cell<u32>,
    /// The cached object.
    pub value: object::Slot,
    /// A `LOAD_METHOD_WITH_VALUES`/`_NO_DICT` site's other classes: up to
    /// [`POLY_CLASSES`] more (class address, method) pairs met in the same epoch (a method
    /// called on instances of several subclasses). Allocated when the site first meets a
    /// second class; emptied when the site specializes again.
    pub more: std::cell::OnceCell<Box<[PolyEntry; POLY_CLASSES]>>,
}

/// How many classes a method-load site keeps besides the one in [`ExtCache::key`].
pub const POLY_CLASSES: usize = 3;

/// One more class of a polymorphic method-load site (see [`ExtCache::more`]); `key` 0 is
/// a free entry.
#[derive(Default)]
pub struct PolyEntry {
    /// Address bits of the class.
    pub key: Cell<u64>,
    /// The method its instances get.
    pub value: object::Slot,
}

impl ExtCache {
    /// Forgets the other classes of a polymorphic site (it is about to specialize afresh).
    pub fn clear_more(&self) {
        if let Some(more) = self.more.get() {
            for p in more.iter() {
                p.key.set(0);
                p.value.set(crate::value::Value::UNDEF);
            }
        }
    }
}

/// Ops with an [`ExtCache`], and the cache word (1-based) that holds its index.
pub fn ext_word(op: Op) -> Option<usize> {
    match op.family() {
        Op::LOAD_ATTR | Op::STORE_ATTR => Some(3),
        Op::LOAD_METHOD | Op::CALL => Some(2),
        _ => None,
    }
}

impl Code {
    /// The object cache of the instruction at `ip` (whose op is `op`'s family).
    #[inline(always)]
    pub fn ext_at(&self, ip: usize, op: Op) -> &ExtCache {
        let k = ext_word(op).expect("op has an object cache");
        &self.ext[(self.instrs[ip + k].get() >> 8) as usize]
    }

    /// The per-instruction execution counters (allocated on first call).
    #[inline]
    pub(crate) fn execution_counts(&self) -> &[Cell<u64>] {
        self.exec_counts
            .get_or_init(|| (0..self.instrs.len()).map(|_| Cell::new(0)).collect())
    }

    /// Executions of instruction `ip` counted so far (0 when not counting).
    pub fn executions_at(&self, ip: usize) -> u64 {
        self.exec_counts
            .get()
            .and_then(|c| c.get(ip))
            .map_or(0, Cell::get)
    }

    /// Number of local slots: locals, cells, free variables.
    #[inline]
    pub fn nlocalsplus(&self) -> usize {
        self.varnames.len() + self.cellvars.len() + self.freevars.len()
    }

    /// Line of the instruction at `ip`; past the end, the last instruction's (0 if unknown).
    pub fn line_at(&self, ip: usize) -> u32 {
        self.positions
            .get(ip)
            .or(self.positions.last())
            .map_or(0, |p| p.line)
    }

    /// The op and argument at `ip`, as the instruction stands on its own: quickened forms
    /// included, but a superinstruction reads as its first half (the second half is the
    /// next instruction, unchanged). This is the view of everything but the interpreter
    /// loop and `dis --specialized`: the JIT, the profiler, the generator machinery.
    pub fn instr(&self, ip: usize) -> (Op, u32) {
        let (op, arg) = self.quickened_instr(ip);
        (op.own(), arg)
    }

    /// The op and argument in the instruction word at `ip`, exactly as quickening left it
    /// (superinstructions included).
    pub fn quickened_instr(&self, ip: usize) -> (Op, u32) {
        let (op, arg) = decode(self.instrs[ip].get());
        (Op::from_u8(op).unwrap_or(Op::NOP), arg)
    }

    /// Rewrites each instruction that starts a pair with a superinstruction (see
    /// [`Op::superinstruction`]) into it, as CPython 3.11's quickening does: the pair then
    /// costs one dispatch. The second instruction is left as it is, so a jump to it and
    /// the JIT (which compiles each half on its own) still see it. Idempotent.
    pub fn insert_superinstructions(&self) {
        let n = self.instrs.len();
        let mut ip = 0;
        while ip < n {
            let (op, _) = self.quickened_instr(ip);
            let next = ip + 1 + op.cache_words() as usize;
            if next < n
                && let Some(sup) = Op::superinstruction(op, self.instr(next).0)
            {
                crate::interp::specialize::set_op(&self.instrs[ip], sup);
            }
            ip = next;
        }
    }

    /// The exception-table entry covering instruction `ip`, if any.
    pub fn handler_for(&self, ip: u32) -> Option<&ExcEntry> {
        self.exc_table.iter().find(|e| e.start <= ip && ip < e.end)
    }

    /// Loads a compiled unit (recursively, for nested code constants), once it has passed
    /// [`jitlens_compiler::verify`]: the interpreter relies on what that checks (every op
    /// byte names an op, jumps land on instructions, the last one cannot fall through).
    /// The error names the code object and what is wrong (a compiler bug).
    pub fn load(unit: &CodeUnit) -> Result<Rc<Code>, String> {
        jitlens_compiler::verify::verify(unit)?;
        let filename: Rc<str> = Rc::from(unit.filename.as_str());
        Ok(Code::load_with(unit, &filename))
    }

    fn load_with(unit: &CodeUnit, filename: &Rc<str>) -> Rc<Code> {
        let names = |v: &[String]| v.iter().map(|s| intern(s)).collect::<Vec<_>>();
        let consts = unit
            .consts
            .iter()
            .map(|c| load_const(c, filename))
            .collect();
        let flags = unit.flags;
        let nparams = (unit.argcount + unit.kwonlyargcount) as usize
            + usize::from(flags & jitlens_compiler::bytecode::CO_VARARGS != 0)
            + usize::from(flags & jitlens_compiler::bytecode::CO_VARKEYWORDS != 0);
        // Give each instruction that needs one its object cache.
        let instrs: Box<[Cell<u32>]> = unit.instrs.iter().map(|&w| Cell::new(w)).collect();
        let mut next_ext = 0u32;
        let mut ip = 0;
        while ip < instrs.len() {
            let op = Op::from_u8(decode(instrs[ip].get()).0).unwrap_or(Op::NOP);
            if let Some(k) = ext_word(op) {
                instrs[ip + k].set(Op::CACHE as u32 | (next_ext << 8));
                next_ext += 1;
            }
            ip += 1 + op.cache_words() as usize;
        }
        let simple_args = flags
            & (jitlens_compiler::bytecode::CO_VARARGS
                | jitlens_compiler::bytecode::CO_VARKEYWORDS
                | jitlens_compiler::bytecode::CO_GENERATOR)
            == 0
            && unit.kwonlyargcount == 0
            && unit.cellvars.is_empty()
            && unit.freevars.is_empty();
        Rc::new(Code {
            name: intern(&unit.name),
            qualname: intern(&unit.qualname),
            filename: filename.clone(),
            first_line: unit.first_line,
            argcount: unit.argcount,
            posonlyargcount: unit.posonlyargcount,
            kwonlyargcount: unit.kwonlyargcount,
            flags,
            varnames: names(&unit.varnames),
            cellvars: names(&unit.cellvars),
            freevars: names(&unit.freevars),
            cell2arg: unit.cell2arg.clone(),
            consts,
            names: names(&unit.names),
            instrs,
            positions: unit.positions.clone(),
            exc_table: unit.exc_table.clone(),
            max_stack: unit.max_stack,
            doc: match &unit.doc {
                Some(d) => crate::runtime::str::new_str(d),
                None => Value::NONE,
            },
            nparams,
            simple_args,
            ext: (0..next_ext).map(|_| ExtCache::default()).collect(),
            jit: Default::default(),
            exec_counts: Default::default(),
        })
    }
}

fn load_const(c: &Const, filename: &Rc<str>) -> Value {
    match c {
        Const::None => Value::NONE,
        Const::Bool(b) => Value::bool(*b),
        Const::Ellipsis => Value::ELLIPSIS,
        Const::Int(i) => int::from_bigint(i.clone()),
        Const::Float(f) => Value::float(*f),
        Const::Imag(_) => Value::NONE,
        Const::Str(s) => intern(s),
        Const::Bytes(b) => crate::runtime::str::new_str(&String::from_utf8_lossy(b)),
        Const::Tuple(items) => tuple::new(items.iter().map(|c| load_const(c, filename)).collect()),
        Const::Code(unit) => {
            let code = Code::load_with(unit, filename);
            object::alloc(&crate::types().code, CodeObj { code })
        }
    }
}
