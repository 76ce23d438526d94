//! Tier-0 quickening (PEP 659): adaptive counters in inline cache words, in-place
//! specialization of generic ops, deoptimization with exponential backoff, and the
//! statistics `-X stats` prints.
//!
//! The first cache word after a specializable op holds its adaptive state: bits 0–7 keep the
//! CACHE op number (so `dis` still hides the word), bits 8–19 a counter, bits 20–23 a backoff
//! exponent. A generic op counts its executions; after `WARMUP << backoff` of them (at most
//! 4095, what the counter holds) it looks at its operands and, when a specialized form fits,
//! rewrites its own op byte. A specialized op whose guard fails counts a miss and runs the
//! generic code; after `MISS_LIMIT` misses it rewrites itself back to the generic op with a
//! larger backoff. However often it fails, a site keeps trying, at least once every 4095
//! executions: operand types often settle only after a first phase.

use crate::object::StrObj;
use crate::value::Value;
use jitlens_compiler::bytecode::{ALL_OPS, Op, binop, cmpop};
use std::cell::Cell;

/// Executions of a generic op before its first specialization attempt.
pub const WARMUP: u32 = 8;
/// Guard failures of a specialized op before it deoptimizes.
pub const MISS_LIMIT: u32 = 16;
const MAX_BACKOFF: u32 = 12;
/// The most a 12-bit cache counter holds, and so the longest warm-up (as CPython 3.11's
/// longest backoff, `(1 << 12) - 1` executions). A warm-up of `WARMUP << backoff` is capped
/// at it: from backoff 9 on that would be more than the counter can reach, and the site
/// would never try again.
const MAX_WARMUP: u32 = 0xFFF;

/// Executions a generic op waits, at backoff exponent `bo`, before it next tries to
/// specialize.
#[inline(always)]
pub fn warmup(bo: u32) -> u32 {
    (WARMUP << bo).min(MAX_WARMUP)
}

/// Counters of one op family (indexed by the generic op).
#[derive(Clone, Copy, Default, Debug)]
pub struct FamilyStats {
    /// Executions of the generic form.
    pub generic: u64,
    /// Executions of specialized forms.
    pub specialized: u64,
    /// Specialization attempts.
    pub attempts: u64,
    /// Successful specializations.
    pub successes: u64,
    /// Guard failures in specialized forms.
    pub misses: u64,
    /// Rewrites back to the generic form.
    pub deopts: u64,
}

/// One quickening event at an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A specialization attempt (the warm-up ended).
    Attempt,
    /// The attempt rewrote the instruction into a specialized form.
    Success,
    /// A specialized form's guard failed.
    Miss,
    /// The instruction went back to its generic form.
    Deopt,
}

/// Quickening counters of one instruction (`-X stats` only).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct SiteStats {
    /// Executions, in any form.
    pub executions: u64,
    /// Specialization attempts.
    pub attempts: u64,
    /// Successful specializations.
    pub successes: u64,
    /// Guard failures in specialized forms.
    pub misses: u64,
    /// Rewrites back to the generic form.
    pub deopts: u64,
}

/// Quickening statistics, per op family and (with `-X stats`) per instruction.
#[derive(Clone, Debug)]
pub struct SpecStats {
    /// Indexed by `Op as usize` of the family's generic op. Attempts, successes, misses and
    /// deopts are always counted (they are rare); executions only with `-X stats`.
    pub families: Vec<FamilyStats>,
    /// Events per instruction, keyed by the address of the instruction word (which the
    /// code object owns for the whole run). Filled only when `per_site` is set.
    sites: rustc_hash::FxHashMap<usize, SiteStats>,
    /// Count per-instruction events (set with `-X stats`).
    pub per_site: bool,
}

impl Default for SpecStats {
    fn default() -> SpecStats {
        SpecStats::new(false)
    }
}

impl SpecStats {
    /// Empty counters; `per_site` also keeps events per instruction.
    pub fn new(per_site: bool) -> SpecStats {
        SpecStats {
            families: vec![FamilyStats::default(); ALL_OPS.len()],
            sites: Default::default(),
            per_site,
        }
    }

    /// Starts keeping events per instruction, with room for `sites` of them up front (a
    /// profiler turns this on before the program runs, so that the table does not grow
    /// while it runs).
    pub fn keep_per_site(&mut self, sites: usize) {
        self.per_site = true;
        self.sites.reserve(sites);
    }

    /// The counters of `op`'s family.
    #[inline(always)]
    pub fn family(&mut self, op: Op) -> &mut FamilyStats {
        &mut self.families[op.family() as usize]
    }

    /// Records `event` for the instruction whose word is `instr`.
    pub fn event(&mut self, instr: &Cell<u32>, op: Op, event: Event) {
        let fam = self.family(op);
        match event {
            Event::Attempt => fam.attempts += 1,
            Event::Success => fam.successes += 1,
            Event::Miss => fam.misses += 1,
            Event::Deopt => fam.deopts += 1,
        }
        if self.per_site {
            let s = self
                .sites
                .entry(instr as *const Cell<u32> as usize)
                .or_default();
            match event {
                Event::Attempt => s.attempts += 1,
                Event::Success => s.successes += 1,
                Event::Miss => s.misses += 1,
                Event::Deopt => s.deopts += 1,
            }
        }
    }

    /// Counts one execution of `op` at instruction `ip` of `code` (the `-X stats` loop).
    #[inline]
    pub fn count_execution(&mut self, code: &crate::code::Code, ip: usize, op: Op) {
        let fam = self.family(op);
        if op.family() == op {
            fam.generic += 1;
        } else {
            fam.specialized += 1;
        }
        let counts = code.execution_counts();
        counts[ip].set(counts[ip].get() + 1);
    }

    /// The counters of instruction `ip` of `code`: executions (if counted) and events.
    pub fn site(&self, code: &crate::code::Code, ip: usize) -> SiteStats {
        let mut s = self
            .sites
            .get(&(&code.instrs[ip] as *const Cell<u32> as usize))
            .copied()
            .unwrap_or_default();
        s.executions = code.executions_at(ip);
        s
    }

    /// The report `-X stats` prints.
    pub fn report(&self) -> String {
        let mut out = String::from("jitlens stats: specialization (tier 0)\n");
        out.push_str(&format!(
            "  {:<14} {:>12} {:>12} {:>8} {:>9} {:>9} {:>7} {:>7}\n",
            "family",
            "generic",
            "specialized",
            "spec%",
            "attempts",
            "successes",
            "misses",
            "deopts"
        ));
        for (i, f) in self.families.iter().enumerate().take(ALL_OPS.len()) {
            let total = f.generic + f.specialized;
            if (total == 0 && f.attempts == 0) || !crate::introspect::specializes(ALL_OPS[i]) {
                continue;
            }
            let pct = if total == 0 {
                0.0
            } else {
                100.0 * f.specialized as f64 / total as f64
            };
            out.push_str(&format!(
                "  {:<14} {:>12} {:>12} {:>7.1}% {:>9} {:>9} {:>7} {:>7}\n",
                ALL_OPS[i].name(),
                f.generic,
                f.specialized,
                pct,
                f.attempts,
                f.successes,
                f.misses,
                f.deopts
            ));
        }
        out
    }
}

/// Rewrites the op byte of an instruction word, keeping its argument.
#[inline(always)]
pub fn set_op(instr: &Cell<u32>, op: Op) {
    instr.set((instr.get() & !0xFF) | op as u32);
}

#[inline(always)]
fn counter(w: u32) -> u32 {
    (w >> 8) & 0xFFF
}

#[inline(always)]
fn backoff(w: u32) -> u32 {
    (w >> 20) & 0xF
}

#[inline(always)]
fn word(counter: u32, backoff: u32) -> u32 {
    Op::CACHE as u32 | (counter.min(0xFFF) << 8) | (backoff.min(0xF) << 20)
}

/// The operands of a float form as `f64`s: floats or small ints, in any mix. A small int has
/// at most 48 bits, so it converts exactly, and the float result is CPython's: `float + int`
/// converts the int, and `int / int` and `float < int` divide or compare exactly as the two
/// floats do below 2**53. (The arithmetic forms take two small ints as ints, before this.)
#[inline(always)]
pub fn float_operands(a: &Value, b: &Value) -> Option<(f64, f64)> {
    Some((as_number(a)?, as_number(b)?))
}

/// The `f64` of a float or a small int (an operand of the float forms), else `None`.
#[inline(always)]
fn as_number(v: &Value) -> Option<f64> {
    match v.as_float() {
        Some(x) => Some(x),
        None => v.as_small_int().map(|i| i as f64),
    }
}

/// True for a float or a small int: an operand of the float forms.
fn is_number(v: &Value) -> bool {
    as_number(v).is_some()
}

/// The specialized form of BINARY_OP `arg` for these operands, if one fits.
fn binop_form(a: &Value, b: &Value, arg: u32) -> Option<Op> {
    let base = if arg >= binop::INPLACE {
        arg - binop::INPLACE
    } else {
        arg
    };
    if a.is_small_int() && b.is_small_int() {
        return match base {
            binop::ADD => Some(Op::BINARY_OP_ADD_INT),
            binop::SUBTRACT => Some(Op::BINARY_OP_SUBTRACT_INT),
            binop::MULTIPLY => Some(Op::BINARY_OP_MULTIPLY_INT),
            binop::FLOOR_DIVIDE => Some(Op::BINARY_OP_FLOOR_DIVIDE_INT),
            binop::REMAINDER => Some(Op::BINARY_OP_REMAINDER_INT),
            binop::TRUE_DIVIDE => Some(Op::BINARY_OP_TRUE_DIVIDE_FLOAT),
            _ => None,
        };
    }
    // A float and a float or small int (CPython 3.14's BINARY_OP_EXTEND covers the mixed
    // pairs; here the float forms take them).
    if is_number(a) && is_number(b) {
        return match base {
            binop::ADD => Some(Op::BINARY_OP_ADD_FLOAT),
            binop::SUBTRACT => Some(Op::BINARY_OP_SUBTRACT_FLOAT),
            binop::MULTIPLY => Some(Op::BINARY_OP_MULTIPLY_FLOAT),
            binop::TRUE_DIVIDE => Some(Op::BINARY_OP_TRUE_DIVIDE_FLOAT),
            _ => None,
        };
    }
    if base == binop::ADD && is_exact_str(a) && is_exact_str(b) {
        return Some(Op::BINARY_OP_ADD_UNICODE);
    }
    None
}

/// The specialized form of COMPARE_OP for these operands, if one fits.
fn compare_form(a: &Value, b: &Value) -> Option<Op> {
    if a.is_small_int() && b.is_small_int() {
        Some(Op::COMPARE_OP_INT)
    } else if is_number(a) && is_number(b) {
        Some(Op::COMPARE_OP_FLOAT)
    } else if is_exact_str(a) && is_exact_str(b) {
        Some(Op::COMPARE_OP_STR)
    } else {
        None
    }
}

/// True for an exact `str` (not a subclass instance).
#[inline(always)]
pub fn is_exact_str(v: &Value) -> bool {
    v.downcast::<StrObj>().is_some()
        && crate::runtime::class_ref(v.header().unwrap()).is(&crate::types::types().str)
}

/// Called by a generic BINARY_OP / COMPARE_OP before it runs: counts, and specializes the
/// instruction in place when its warm-up is over and a form fits.
#[inline]
pub fn adapt(
    stats: &mut SpecStats,
    instr: &Cell<u32>,
    cache: &Cell<u32>,
    op: Op,
    a: &Value,
    b: &Value,
    arg: u32,
) {
    adapt_by(stats, instr, cache, op, || match op {
        Op::BINARY_OP => binop_form(a, b, arg),
        _ => compare_form(a, b),
    });
}

/// The specialized FOR_ITER for this iterator, if one fits.
fn for_iter_form(it: &Value) -> Option<Op> {
    let obj = it.downcast::<crate::object::IterObj>()?;
    // SAFETY: a short read of the iterator's state tag; no Python code runs.
    match unsafe { &*obj.state.get() } {
        crate::object::IterState::Range { .. } => Some(Op::FOR_ITER_RANGE),
        crate::object::IterState::List { .. } => Some(Op::FOR_ITER_LIST),
        crate::object::IterState::Tuple { .. } => Some(Op::FOR_ITER_TUPLE),
        _ => None,
    }
}

/// FOR_ITER's counterpart of [`adapt`].
#[inline]
pub fn adapt_for_iter(stats: &mut SpecStats, instr: &Cell<u32>, cache: &Cell<u32>, it: &Value) {
    adapt_by(stats, instr, cache, Op::FOR_ITER, || for_iter_form(it));
}

/// The instance `obj` and its class when attribute access on it may go straight to the
/// instance's own storage: a plain instance whose class has no data descriptors (and none
/// was added late) and, for stores, no `__setattr__` and a dict. This is what installing a
/// `*_ATTR_INSTANCE_VALUE` form checks; the installed form then guards on the class and the
/// type epoch.
pub fn plain_instance(
    obj: &Value,
    descr_added_late: bool,
    store: bool,
) -> Option<(&crate::object::InstanceObj, &crate::object::ClassObj)> {
    use crate::object::{CLS_DATA_DESCR, CLS_NO_DICT, CLS_SETATTR, InstanceObj};
    let h = obj.header()?;
    if h.kind != crate::object::Kind::Instance || descr_added_late {
        return None;
    }
    let c = h.class_data()?;
    let bad = CLS_DATA_DESCR | if store { CLS_SETATTR | CLS_NO_DICT } else { 0 };
    if c.flags.get() & bad != 0 {
        return None;
    }
    Some((obj.downcast::<InstanceObj>()?, c))
}

/// The index of `name` among the `__slots__` of `obj`'s class, if it is a slot member.
pub fn slot_index(obj: &Value, name: &Value) -> Option<usize> {
    let h = obj.header()?;
    if h.kind != crate::object::Kind::Instance {
        return None;
    }
    let cls = crate::runtime::class_ref(h);
    let d = crate::runtime::attr::lookup_in_mro(&cls, name)?;
    let s = d.downcast::<crate::object::SlotDescrObj>()?;
    let inst = obj.downcast::<crate::object::InstanceObj>()?;
    if s.index < inst.slots.len() {
        Some(s.index)
    } else {
        None
    }
}

/// STORE_ATTR's counterpart of [`adapt`]: specializes when `name` is a slot member or sits
/// in the instance dict of a plain instance (see [`instance_attr_form`]).
#[inline(always)]
pub fn adapt_attr(
    stats: &mut SpecStats,
    instrs: (&Cell<u32>, &Cell<u32>, &Cell<u32>),
    op: Op,
    obj: &Value,
    name: &Value,
    late: bool,
) -> Option<Op> {
    let bo = warm(instrs.1)?;
    stats.event(instrs.0, op, Event::Attempt);
    let form = instance_attr_form(instrs.2, op, obj, name, late);
    install(stats, instrs.0, instrs.1, op, form, bo);
    form
}

/// The LOAD_ATTR / STORE_ATTR form that reads or writes `name` on the instance `obj`
/// itself, if one fits: a `__slots__` member (`*_ATTR_SLOT`) or an entry of a plain
/// instance's dict (`*_ATTR_INSTANCE_VALUE`). Records the slot or entry index in `index`.
pub fn instance_attr_form(
    index: &Cell<u32>,
    op: Op,
    obj: &Value,
    name: &Value,
    late: bool,
) -> Option<Op> {
    let load = op == Op::LOAD_ATTR;
    if let Some(i) = slot_index(obj, name) {
        index.set(Op::CACHE as u32 | ((i as u32) << 8));
        return Some(if load {
            Op::LOAD_ATTR_SLOT
        } else {
            Op::STORE_ATTR_SLOT
        });
    }
    let (inst, c) = plain_instance(obj, late, !load)?;
    use crate::runtime::instance::{IN_DICT, dict_of, key_index};
    let i = if inst.dict.is_undef() {
        // Inline values: the name's index among the class's keys, which stays its index.
        // A store may append the value that comes next.
        let n = inst.values.len();
        let limit = if load { n } else { n + 1 };
        key_index(c, name, limit)?
    } else {
        let i = dict_of(inst)?.with(|t| t.entries().iter().position(|e| e.key.is(name)))?;
        if i >= IN_DICT {
            return None;
        }
        i | IN_DICT
    };
    index.set(Op::CACHE as u32 | ((i as u32) << 8));
    Some(if load {
        Op::LOAD_ATTR_INSTANCE_VALUE
    } else {
        Op::STORE_ATTR_INSTANCE_VALUE
    })
}

/// True if `v` is exactly an instance of the builtin class `cls` (no subclass).
#[inline(always)]
pub fn is_exact(v: &Value, kind: crate::object::Kind, cls: &Value) -> bool {
    match v.header() {
        Some(h) => h.kind == kind && crate::runtime::class_ref(h).is(cls),
        None => false,
    }
}

/// The adaptive step shared by every family: counts, and after the warm-up asks `form` for
/// the specialized op (rewriting the instruction) or backs off.
#[inline]
pub fn adapt_by(
    stats: &mut SpecStats,
    instr: &Cell<u32>,
    cache: &Cell<u32>,
    op: Op,
    form: impl FnOnce() -> Option<Op>,
) {
    if let Some(bo) = warm(cache) {
        stats.event(instr, op, Event::Attempt);
        install(stats, instr, cache, op, form(), bo);
    }
}

/// The warm-up half of [`adapt_by`]: counts one execution; when the warm-up is over,
/// returns the backoff exponent for [`install`] (the caller then records an attempt and
/// looks for a form).
#[inline(always)]
pub fn warm(cache: &Cell<u32>) -> Option<u32> {
    let w = cache.get();
    let c = counter(w) + 1;
    let bo = backoff(w);
    if c < warmup(bo) {
        cache.set(word(c, bo));
        return None;
    }
    Some(bo)
}

/// The other half: rewrites the instruction to `form`, or backs off when there is none.
pub fn install(
    stats: &mut SpecStats,
    instr: &Cell<u32>,
    cache: &Cell<u32>,
    op: Op,
    form: Option<Op>,
    bo: u32,
) {
    match form {
        Some(s) => {
            stats.event(instr, op, Event::Success);
            set_op(instr, s);
            cache.set(word(0, bo));
        }
        None => cache.set(word(0, (bo + 1).min(MAX_BACKOFF))),
    }
}

/// Called by a specialized op whose guard failed: counts the miss and, past the limit,
/// rewrites the instruction back to its generic form with a longer backoff.
#[cold]
pub fn miss(stats: &mut SpecStats, instr: &Cell<u32>, cache: &Cell<u32>, op: Op) {
    stats.event(instr, op, Event::Miss);
    let w = cache.get();
    let c = counter(w) + 1;
    let bo = backoff(w);
    if c >= MISS_LIMIT {
        stats.event(instr, op, Event::Deopt);
        set_op(instr, op.family());
        cache.set(word(0, (bo + 1).min(MAX_BACKOFF)));
    } else {
        cache.set(word(c, bo));
    }
}

/// COMPARE_OP on two values already known to be ordered natively.
#[inline(always)]
pub fn cmp_result<T: PartialOrd>(x: T, y: T, op: u32) -> bool {
    match op {
        cmpop::LT => x < y,
        cmpop::LE => x <= y,
        cmpop::EQ => x == y,
        cmpop::NE => x != y,
        cmpop::GT => x > y,
        _ => x >= y,
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, Vm};
    use jitlens_compiler::bytecode::Op;

    fn run(src: &str, no_specialize: bool) -> Vm {
        let mut vm = Vm::new(
            vec!["t.py".into()],
            Options {
                stats: true,
                no_specialize,
                ..Default::default()
            },
        );
        assert_eq!(vm.run_main(src, "t.py"), 0);
        vm
    }

    #[test]
    fn int_and_float_arithmetic_specialize() {
        let vm = run(
            "def f():\n    t = 0\n    x = 0.5\n    for i in range(1000):\n        t = t + i\n        x = x * 1.0001\n    return t, x\nf()\n",
            false,
        );
        let b = vm.spec_stats.families[Op::BINARY_OP as usize];
        assert!(b.successes >= 2, "{b:?}");
        assert!(b.specialized > b.generic, "{b:?}");
    }

    #[test]
    fn a_float_and_a_small_int_take_the_float_forms() {
        // `1.0 / n`, `x * 3`, `i / 7` (two ints: a float division) and `x < i`: each site
        // specializes to its float form and stays there, without a miss.
        let src = "def f():\n    s = 0.0\n    c = 0\n    for i in range(1, 1000):\n        x = 1.0 / i\n        s += x * 3 + i / 7\n        if x < i:\n            c += 1\n    return s, c\nassert f() == (sum(1.0 / i * 3 + i / 7 for i in range(1, 1000)), 998)\n";
        let vm = run(src, false);
        let code = code_named(&vm, "f");
        let ops: Vec<Op> = vm.instructions(&code).iter().map(|i| i.op).collect();
        let n = |op| ops.iter().filter(|&&o| o == op).count();
        assert_eq!(n(Op::BINARY_OP_TRUE_DIVIDE_FLOAT), 2, "{ops:?}");
        assert_eq!(n(Op::BINARY_OP_MULTIPLY_FLOAT), 1, "{ops:?}");
        assert_eq!(n(Op::COMPARE_OP_FLOAT), 1, "{ops:?}");
        let b = vm.spec_stats.families[Op::BINARY_OP as usize];
        assert_eq!(b.misses, 0, "{b:?}");
    }

    #[test]
    fn type_changes_deopt_and_back_off_with_correct_results() {
        // One site sees ints, then floats, then strs.
        let src = "def add(a, b):\n    return a + b\nfor i in range(200):\n    assert add(i, 1) == i + 1\nfor i in range(200):\n    assert add(i + 0.5, 1.0) == i + 1.5\nfor i in range(200):\n    assert add('a', 'b') == 'ab'\n";
        let vm = run(src, false);
        let b = vm.spec_stats.families[Op::BINARY_OP as usize];
        assert!(b.deopts >= 1, "{b:?}");
        assert!(b.misses >= super::MISS_LIMIT as u64, "{b:?}");
        assert!(b.successes >= 2, "{b:?}");
    }

    #[test]
    fn a_site_keeps_trying_after_a_long_first_phase() {
        // 30,000 str * int products: every attempt finds no form and backs off, out to the
        // longest warm-up. Then 30,000 float * float products: the site must still specialize
        // (the warm-up is capped at what the cache counter can count).
        let src = "def mul(a, b):\n    return a * b\nn = 0\nfor i in range(30000):\n    n += len(mul('ab', 2))\nt = 0.0\nfor i in range(30000):\n    t += mul(0.5, 2.0)\nassert (n, t) == (120000, 30000.0), (n, t)\n";
        // In the interpreter alone: JIT code would run `mul` with the form it was compiled with.
        let vm = run_in_tier0(src);
        let code = code_named(&vm, "mul");
        let ops: Vec<Op> = vm.instructions(&code).iter().map(|i| i.op).collect();
        assert!(ops.contains(&Op::BINARY_OP_MULTIPLY_FLOAT), "{ops:?}");
        let b = vm.spec_stats.families[Op::BINARY_OP as usize];
        assert!(b.attempts > 10, "{b:?}");
        assert!(super::warmup(12) <= 0xFFF);
    }

    #[test]
    fn attribute_sites_respect_changes() {
        // The instance-value form specializes, then the class gains a data descriptor for the
        // same name, the attribute is deleted, and the object's dict changes shape: every
        // load must still see Python's answer.
        let src = "class P:\n    def __init__(self):\n        self.x = 1\n        self.y = 2\n\ndef get(o):\n    return o.x\n\nps = [P() for _ in range(100)]\nfor p in ps:\n    assert get(p) == 1\n\nclass D:\n    def __get__(self, o, t):\n        return 'descr'\n    def __set__(self, o, v):\n        pass\n\ndef put(o, v):\n    o.y = v\nfor p in ps:\n    put(p, 7)\nassert all(p.y == 7 for p in ps)\nq = P()\ndel q.x\nq.z = 3\nq.x = 5\nassert get(q) == 5\nP.x = D()\nassert get(ps[0]) == 'descr'\n";
        let vm = run(src, false);
        let l = vm.spec_stats.families[Op::LOAD_ATTR as usize];
        assert!(l.successes >= 1, "{l:?}");
        let s = vm.spec_stats.families[Op::STORE_ATTR as usize];
        assert!(s.successes >= 1, "{s:?}");
    }

    #[test]
    fn globals_and_builtins_rebound_mid_loop() {
        let src = "def f():\n    out = []\n    for i in range(100):\n        out.append(len([1]) + K)\n        if i == 50:\n            globals()['K'] = 10\n            import builtins\n            builtins.len = lambda x: 100\n    return out\nK = 1\nr = f()\nassert r[50] == 2 and r[51] == 110, r[49:53]\n";
        run(src, false);
    }

    #[test]
    fn slot_attributes_specialize_and_stay_correct() {
        let src = "class P:\n    __slots__ = ('x', 'y')\n    def __init__(self, x):\n        self.x = x\n        self.y = x * 2\n\ndef get(p):\n    return p.x + p.y\n\nps = [P(i) for i in range(100)]\nassert sum(get(p) for p in ps) == 3 * sum(range(100))\ndel ps[0].y\ntry:\n    get(ps[0])\n    raise SystemExit(2)\nexcept AttributeError:\n    pass\nps[0].y = 5\nassert get(ps[0]) == 5\n";
        let vm = run(src, false);
        let l = vm.spec_stats.families[Op::LOAD_ATTR as usize];
        assert!(l.successes >= 1 && l.specialized > 100, "{l:?}");
    }

    #[test]
    fn off_means_off() {
        let vm = run("t = 0\nfor i in range(1000):\n    t = t + i\n", true);
        let b = vm.spec_stats.families[Op::BINARY_OP as usize];
        assert_eq!(b.specialized, 0);
        assert_eq!(b.attempts, 0);
    }

    /// Every op now in the program's bytecode (after quickening).
    fn ops_now(vm: &Vm) -> std::collections::HashSet<Op> {
        vm.code_objects()
            .iter()
            .flat_map(|c| vm.instructions(c))
            .map(|i| i.op)
            .collect()
    }

    #[test]
    fn superinstructions_are_quickening_and_read_as_their_first_half() {
        let src = "def f(a, b):\n    x = a\n    y = b\n    return x + y\nt = 0\nfor i in range(100):\n    t = f(t, i)\nassert t == 4950, t\n";
        let vm = run(src, false);
        let ops = ops_now(&vm);
        for op in [Op::LOAD_FAST__LOAD_FAST, Op::STORE_FAST__LOAD_FAST] {
            assert!(ops.contains(&op), "{ops:?}");
        }
        // Outside the interpreter loop (the JIT, the profiler), each half is its own op.
        for c in vm.code_objects() {
            for ip in 0..c.instrs.len() {
                assert!(c.instr(ip).0.halves().is_none());
            }
        }
        // The executions of both halves are counted (at the instruction of each).
        let f = vm
            .code_objects()
            .into_iter()
            .find(|c| crate::runtime::str::as_str(&c.name) == Some("f"))
            .unwrap();
        let pairs: Vec<usize> = (0..f.instrs.len())
            .filter(|&ip| f.quickened_instr(ip).0.halves().is_some())
            .collect();
        assert!(!pairs.is_empty());
        for ip in pairs {
            assert_eq!(f.executions_at(ip), 100);
            assert_eq!(f.executions_at(ip + 1), 100);
        }
        let off = ops_now(&run(src, true));
        assert!(off.iter().all(|op| op.halves().is_none()), "{off:?}");
    }

    #[test]
    fn a_specialized_compare_runs_the_branch_after_it() {
        let body = "(a, b):\n    n = 0\n    if a < b:\n        n += 1\n    if a == b:\n        n += 10\n    return n\n";
        let src = format!(
            "def fi{body}def ff{body}def fs{body}t = 0\nfor i in range(100):\n    t += fi(i, 50) + ff(i * 0.5, 25.0) + fs(str(i % 3), '1')\nnan = float('nan')\nassert ff(nan, 1.0) == 0 and ff(1.0, nan) == 0 and ff(nan, nan) == 0\nassert t == 484, t\n"
        );
        let vm = run(&src, false);
        for (name, form, calls) in [
            ("fi", Op::COMPARE_OP_INT, 100),
            ("ff", Op::COMPARE_OP_FLOAT, 103),
            ("fs", Op::COMPARE_OP_STR, 100),
        ] {
            let c = vm
                .code_objects()
                .into_iter()
                .find(|c| crate::runtime::str::as_str(&c.name) == Some(name))
                .unwrap();
            let sites: Vec<usize> = (0..c.instrs.len())
                .filter(|&ip| c.quickened_instr(ip).0 == form)
                .collect();
            assert_eq!(sites.len(), 2, "{name}");
            for ip in sites {
                // The branch ran (and was counted) inside the compare, every time.
                let jump = ip + 1 + form.cache_words() as usize;
                assert_eq!(c.quickened_instr(jump).0, Op::POP_JUMP_IF_FALSE, "{name}");
                assert_eq!(c.executions_at(ip), calls, "{name}");
                assert_eq!(c.executions_at(jump), calls, "{name}");
            }
        }
    }

    #[test]
    fn method_forms_specialize_and_respect_monkeypatching_and_class_changes() {
        let src = "class A:\n    def m(self):\n        return 'A'\nclass B:\n    def m(self):\n        return 'B'\n\ndef call(o):\n    return o.m()\n\ndef app(l):\n    l.append(1)\n\na = A()\nr = [call(a) for _ in range(50)]\nA.m = lambda self: 'patched'\nr.append(call(a))\na.__class__ = B\nr.append(call(a))\na.m = lambda: 'own'\nr.append(call(a))\nassert r[0] == 'A' and r[-3:] == ['patched', 'B', 'own'], r[-3:]\nl = []\nfor _ in range(50):\n    app(l)\nassert len(l) == 50\n";
        let vm = run(src, false);
        let m = vm.spec_stats.families[Op::LOAD_METHOD as usize];
        assert!(m.successes >= 2 && m.misses >= 1, "{m:?}");
        let ops = ops_now(&vm);
        assert!(ops.contains(&Op::LOAD_METHOD_NO_DICT), "{ops:?}");
    }

    #[test]
    fn a_method_site_keeps_four_classes() {
        // `o.who()` meets A, B, C and D (A and C share Base's method): after the first pass
        // every call hits the specialized form. A fifth class, E, then misses every time.
        let classes = "class Base:\n    def who(self):\n        return 'base'\nclass A(Base): pass\nclass B(Base):\n    def who(self):\n        return 'b'\nclass C(Base): pass\nclass D(Base):\n    def who(self):\n        return 'd'\nclass E(Base): pass\ndef call(objs):\n    return [o.who() for o in objs]\n";
        let four = format!(
            "{classes}objs = [A(), B(), C(), D()]\nfor _ in range(500):\n    r = call(objs)\nassert r == ['base', 'b', 'base', 'd'], r\n"
        );
        let vm = run_in_tier0(&four);
        let m = vm.spec_stats.families[Op::LOAD_METHOD as usize];
        assert_eq!(m.misses, 0, "{m:?}");
        assert!(m.specialized >= 1900, "{m:?}");
        let five = format!(
            "{classes}objs = [A(), B(), C(), D(), E()]\nfor _ in range(500):\n    r = call(objs)\nassert r == ['base', 'b', 'base', 'd', 'base'], r\n"
        );
        let vm = run_in_tier0(&five);
        let m = vm.spec_stats.families[Op::LOAD_METHOD as usize];
        assert!(m.misses >= 16 && m.deopts >= 1, "{m:?}");
    }

    /// The code object whose qualified name is `name`.
    fn code_named(vm: &Vm, name: &str) -> std::rc::Rc<crate::code::Code> {
        vm.code_objects()
            .into_iter()
            .find(|c| crate::runtime::str::as_str(&c.qualname) == Some(name))
            .unwrap_or_else(|| panic!("no code object {name}"))
    }

    /// Runs `src` in the interpreter alone, with statistics.
    fn run_in_tier0(src: &str) -> Vm {
        let mut vm = Vm::new(
            vec!["t.py".into()],
            Options {
                stats: true,
                jit: crate::jit::runtime::JitMode::Off,
                ..Default::default()
            },
        );
        assert_eq!(vm.run_main(src, "t.py"), 0);
        vm
    }

    #[test]
    fn module_and_class_attributes_specialize_and_see_rebinding() {
        let src = "import math\nclass C:\n    k = 1\n    def f():\n        return 2\n\ndef get():\n    return math.pi + C.k + C.f() + math.floor(1.5)\n\nr = [get() for _ in range(50)]\nC.k = 10\nmath.pi = 0.0\nr.append(get())\nassert r[0] == 3.141592653589793 + 4 and r[-1] == 13.0, r[-1]\n";
        let vm = run(src, false);
        let ops = ops_now(&vm);
        for op in [
            Op::LOAD_ATTR_MODULE,
            Op::LOAD_ATTR_CLASS,
            Op::LOAD_METHOD_CLASS,
            Op::LOAD_METHOD_MODULE,
        ] {
            assert!(ops.contains(&op), "{op:?} missing: {ops:?}");
        }
        let l = vm.spec_stats.families[Op::LOAD_ATTR as usize];
        assert!(l.misses >= 1, "{l:?}");
    }

    #[test]
    fn a_bound_builtin_call_specializes() {
        // `app = out.append; app(i)`: the bound builtin's `self` goes in the call's empty
        // self slot. Every call after the warm-up runs the specialized form.
        let src = "def f():\n    out = []\n    app = out.append\n    pop = out.pop\n    for i in range(200):\n        app(i)\n        app(pop(0) * 2)\n    return out\ndef g():\n    out = []\n    for i in range(200):\n        out.append(i)\n        out.append(out.pop(0) * 2)\n    return out\nassert f() == g(), f()[:5]\n";
        let vm = run_in_tier0(src);
        let code = code_named(&vm, "f");
        let sites: Vec<usize> = (0..code.instrs.len())
            .filter(|&ip| code.quickened_instr(ip).0 == Op::CALL_BUILTIN_FAST)
            .collect();
        assert_eq!(sites.len(), 3, "{:?}", vm.instructions(&code));
        let c = vm.spec_stats.families[Op::CALL as usize];
        assert_eq!(c.misses, 0, "{c:?}");
    }

    #[test]
    fn call_forms_specialize() {
        let src = "class P:\n    def __init__(self, x):\n        self.x = x\n    def get(self):\n        return self.x\n\ndef add(a, b):\n    return a + b\n\ndef run():\n    t = 0\n    p = P(1)\n    g = p.get\n    for i in range(100):\n        t = add(t, 1)\n        t += len([i])\n        t += isinstance(i, int)\n        t += abs(-1)\n        t += P(i).x - i\n        t += g()\n        t += p.get()\n    return t\n\nassert run() == 600\n";
        let vm = run(src, false);
        let ops = ops_now(&vm);
        for op in [
            Op::CALL_PY_EXACT_ARGS,
            Op::CALL_BOUND_METHOD_EXACT_ARGS,
            Op::CALL_LEN,
            Op::CALL_ISINSTANCE,
            Op::CALL_BUILTIN_FAST,
            Op::CALL_ALLOC_AND_ENTER_INIT,
            Op::LOAD_METHOD_WITH_VALUES,
        ] {
            assert!(ops.contains(&op), "{op:?} missing: {ops:?}");
        }
    }

    #[test]
    fn call_sites_deopt_on_a_new_callee_and_back_off() {
        // One site calls a Python function, then builtins, then a class, then a shadowed len.
        let src = "def f(x):\n    return x\nclass K:\n    def __init__(self, x):\n        self.x = x\ndef call(g, x):\n    return g(x)\nfor i in range(100):\n    assert call(f, i) == i\nfor i in range(100):\n    assert call(abs, -i) == i\nfor i in range(100):\n    assert call(K, i).x == i\nimport builtins\ndef n(s):\n    return len(s)\nfor i in range(50):\n    assert n('ab') == 2\nbuiltins.len = lambda s: 7\nassert n('ab') == 7\n";
        let vm = run(src, false);
        let c = vm.spec_stats.families[Op::CALL as usize];
        assert!(
            c.deopts >= 2 && c.misses >= super::MISS_LIMIT as u64,
            "{c:?}"
        );
        assert!(c.successes >= 3, "{c:?}");
    }
}
