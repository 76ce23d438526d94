//! The layouts of the object kinds (except the container tables in `dict.rs`, `set.rs`,
//! `list.rs`), and [`Slot`], the mutable value field they are built from.

use super::{Kind, ObjData};
use crate::code::Code;
use crate::interp::frame::Frame;
use crate::value::Value;
use num_bigint::BigInt;
use std::cell::{Cell, UnsafeCell};
use std::collections::VecDeque;
use std::rc::Rc;

/// A mutable field holding one value.
#[derive(Default)]
pub struct Slot(UnsafeCell<Value>);

impl Slot {
    /// A slot holding `v`.
    pub fn new(v: Value) -> Slot {
        Slot(UnsafeCell::new(v))
    }
    /// A new reference to the content.
    #[inline(always)]
    pub fn get(&self) -> Value {
        // SAFETY: single-threaded; the reference lives only for the clone.
        unsafe { (*self.0.get()).clone() }
    }
    /// Replaces the content (the old value is dropped after the slot is updated).
    #[inline(always)]
    pub fn set(&self, v: Value) {
        // SAFETY: single-threaded; no reference into the slot outlives this call. The old
        // value is dropped after the write, so a freed object cannot observe the slot.
        let old = unsafe { std::mem::replace(&mut *self.0.get(), v) };
        drop(old);
    }
    /// Takes the content out, leaving UNDEF.
    pub fn take(&self) -> Value {
        // SAFETY: as for `set`.
        unsafe { std::mem::take(&mut *self.0.get()) }
    }
    /// True if the content is UNDEF.
    #[inline(always)]
    pub fn is_undef(&self) -> bool {
        // SAFETY: a read of the word.
        unsafe { (*self.0.get()).is_undef() }
    }
    /// The raw word of the content (no new reference).
    #[inline(always)]
    pub fn bits(&self) -> u64 {
        // SAFETY: a read of the word.
        unsafe { (*self.0.get()).bits() }
    }
    /// Calls `f` with the content (for traversal).
    pub fn visit(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        unsafe { f(&*self.0.get()) }
    }
}

/// `str`.
pub struct StrObj {
    /// The text.
    pub s: Box<str>,
    /// Cached hash (-1 until computed).
    pub hash: Cell<i64>,
    /// Length in characters.
    pub nchars: usize,
    /// True for the one object the intern table holds for this text.
    pub interned: Cell<bool>,
}
impl ObjData for StrObj {
    const KIND: Kind = Kind::Str;
    const TRACKED: bool = false;
}
impl StrObj {
    /// True if every character is ASCII (byte index = character index).
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }
}

/// An `int` too large for a small int.
pub struct IntObj {
    /// The value (never in the small-int range).
    pub v: BigInt,
}
impl ObjData for IntObj {
    const KIND: Kind = Kind::Int;
    const TRACKED: bool = false;
}

/// `tuple`.
pub struct TupleObj {
    /// The items.
    pub items: Box<[Value]>,
}
impl ObjData for TupleObj {
    const KIND: Kind = Kind::Tuple;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        self.items.iter().for_each(f)
    }
    fn clear(&self) {
        // Tuples are immutable; breaking a cycle through a tuple goes through its other
        // members (a tuple cannot reference itself without a mutable object in between).
    }
}

/// A Python function.
pub struct FuncObj {
    /// The code.
    pub code: Rc<Code>,
    /// The module globals (a dict).
    pub globals: Value,
    /// `__name__`.
    pub name: Slot,
    /// `__qualname__`.
    pub qualname: Slot,
    /// Positional defaults (a tuple) or UNDEF.
    pub defaults: Slot,
    /// Keyword-only defaults (a dict) or UNDEF.
    pub kwdefaults: Slot,
    /// Closure cells (a tuple) or UNDEF.
    pub closure: Slot,
    /// `__doc__`.
    pub doc: Slot,
    /// Function attributes (a dict) or UNDEF.
    pub dict: Slot,
    /// `__module__`.
    pub module: Slot,
}
impl ObjData for FuncObj {
    const KIND: Kind = Kind::Function;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.globals);
        for s in [
            &self.defaults,
            &self.kwdefaults,
            &self.closure,
            &self.dict,
            &self.doc,
        ] {
            s.visit(f);
        }
    }
    fn clear(&self) {
        for s in [
            &self.defaults,
            &self.kwdefaults,
            &self.closure,
            &self.dict,
            &self.doc,
        ] {
            s.take();
        }
    }
}

/// A code object as a value (a constant of the enclosing code, `f.__code__`).
pub struct CodeObj {
    /// The code.
    pub code: Rc<Code>,
}
impl ObjData for CodeObj {
    const KIND: Kind = Kind::Code;
    const TRACKED: bool = false;
}

/// Native constructor of a builtin type: `(cls, args) -> instance`.
pub type NewFn = fn(&mut crate::Vm, &Value, &crate::interp::args::Args) -> crate::PyResult<Value>;

/// A class (builtin or user-defined).
pub struct ClassObj {
    /// `__name__`.
    pub name: Slot,
    /// `__qualname__`.
    pub qualname: Slot,
    /// Direct bases (a tuple).
    pub bases: Slot,
    /// Method resolution order, excluding the class itself.
    pub mro: UnsafeCell<Vec<Value>>,
    /// The namespace (a dict).
    pub dict: Value,
    /// Layout of instances.
    pub layout: Cell<Kind>,
    /// Constructor inherited from the builtin base.
    pub new: Cell<Option<NewFn>>,
    /// `CLS_*` flags.
    pub flags: Cell<u32>,
    /// Number of `__slots__` value slots of instances (all classes of the MRO).
    pub nslots: Cell<usize>,
    /// The attribute names its instances keep inline (see [`Values`]).
    pub keys: SharedKeys,
    /// The `Vm::type_epoch` at which its plain instances were found to be always true (no
    /// Python `__bool__` or `__len__` along the MRO); 0 when not known.
    pub truth_epoch: Cell<u32>,
}
/// Class flag: a builtin type.
pub const CLS_BUILTIN: u32 = 1;
/// Class flag: instances have no `__dict__` (every class in the MRO has `__slots__`).
pub const CLS_NO_DICT: u32 = 2;
/// Class flag: defines or inherits `__getattr__`.
pub const CLS_GETATTR: u32 = 4;
/// Class flag: an exception class.
pub const CLS_EXCEPTION: u32 = 8;
/// Class flag: may be subclassed.
pub const CLS_BASETYPE: u32 = 16;
/// Class flag: defines or inherits `__setattr__` from a user class.
pub const CLS_SETATTR: u32 = 32;
/// Class flag: its MRO may hold data descriptors (properties, slots, user descriptors), so
/// instance attribute lookups must consult the class first.
pub const CLS_DATA_DESCR: u32 = 64;

impl ObjData for ClassObj {
    const KIND: Kind = Kind::Class;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.dict);
        self.bases.visit(f);
        self.keys.visit(f);
        // SAFETY: the collector does not mutate while traversing.
        unsafe { (*self.mro.get()).iter().for_each(f) };
    }
    fn clear(&self) {
        self.bases.take();
        // SAFETY: single-threaded; the old vector is dropped after the field is replaced.
        let old = unsafe { std::mem::take(&mut *self.mro.get()) };
        drop(old);
    }
}
impl ClassObj {
    /// A snapshot of the MRO (excluding the class itself).
    pub fn mro(&self) -> Vec<Value> {
        // SAFETY: single-threaded; the reference lives only for the clone.
        unsafe { (*self.mro.get()).clone() }
    }
    /// Calls `f` on each MRO entry (excluding the class) without copying; `f` must not
    /// modify classes.
    pub fn with_mro<R>(&self, f: impl FnOnce(&[Value]) -> R) -> R {
        // SAFETY: single-threaded; `f` does not change the MRO (a class's MRO is set once).
        unsafe { f(&*self.mro.get()) }
    }
    /// Replaces the MRO.
    pub fn set_mro(&self, mro: Vec<Value>) {
        // SAFETY: single-threaded; the old vector is dropped after the write.
        let old = unsafe { std::mem::replace(&mut *self.mro.get(), mro) };
        drop(old);
    }
    /// True if `flag` is set.
    #[inline]
    pub fn has(&self, flag: u32) -> bool {
        self.flags.get() & flag != 0
    }
}

/// The attribute names a class's instances store inline, in the order they were first
/// set on some instance (CPython's shared keys). The list only grows, so a name's index
/// never changes: `keys[i]` of a class is fixed once written, and a cached index stays
/// valid for as long as the class is the same object. Names are interned strs.
///
/// A 64-bit filter over the names' addresses answers "certainly not a key" for an interned
/// name without a scan (method lookups ask this of every instance whose class has the
/// method: is it shadowed?).
#[derive(Default)]
pub struct SharedKeys {
    names: UnsafeCell<Vec<Value>>,
    filter: Cell<u64>,
}

/// The filter bit of the value word `bits` (an interned str's address).
#[inline(always)]
fn filter_bit(bits: u64) -> u64 {
    1 << (((bits >> 4) ^ (bits >> 10)) & 63)
}

impl SharedKeys {
    /// Number of names.
    #[inline(always)]
    pub fn len(&self) -> usize {
        // SAFETY: single-threaded; a read of the length.
        unsafe { (*self.names.get()).len() }
    }
    /// True if no name was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Calls `f` with the names; `f` must not add names to this class.
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&[Value]) -> R) -> R {
        // SAFETY: single-threaded; the only mutation is `push`, which `f` must not reach.
        unsafe { f(&*self.names.get()) }
    }
    /// Appends `name` (the caller checked it is absent); returns its index.
    pub fn push(&self, name: Value) -> usize {
        // SAFETY: single-threaded; no reference into the vector is alive (see `with`).
        let v = unsafe { &mut *self.names.get() };
        self.filter.set(self.filter.get() | filter_bit(name.bits()));
        v.push(name);
        v.len() - 1
    }
    /// False if the interned str `name` is certainly not one of the names (true may be
    /// either; a name pushed is always true).
    #[inline(always)]
    pub fn may_hold_interned(&self, name: &Value) -> bool {
        self.filter.get() & filter_bit(name.bits()) != 0
    }
    /// Calls `f` with each name (for traversal).
    pub fn visit(&self, f: &mut dyn FnMut(&Value)) {
        self.with(|k| k.iter().for_each(f));
    }
}

/// An instance of a user class whose layout is plain `object` (or an immutable builtin,
/// whose value is then in `payload`).
pub struct InstanceObj {
    /// Attribute dict (a dict), or UNDEF while the attributes live in `values` (and always
    /// when the class has `__slots__` only).
    pub dict: Slot,
    /// Attribute values stored inline while there is no dict, indexed like the class's
    /// [`SharedKeys`]: value `i` belongs to name `keys[i]`. They always form a dense prefix
    /// of the keys (no holes), so the attributes' insertion order is the keys' order. Once
    /// a dict is needed (`__dict__`, deletion, an attribute set out of order) the values
    /// move into it for good.
    pub values: super::Values,
    /// `__slots__` values (UNDEF = unset).
    pub slots: super::Slots,
    /// For subclasses of int/str/float/tuple: the builtin value.
    pub payload: Slot,
}
impl ObjData for InstanceObj {
    const KIND: Kind = Kind::Instance;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        self.dict.visit(f);
        self.values.visit(f);
        self.payload.visit(f);
        self.slots.iter().for_each(|s| s.visit(f));
    }
    fn clear(&self) {
        self.dict.take();
        drop(self.values.take_all());
        self.payload.take();
        self.slots.iter().for_each(|s| {
            s.take();
        });
    }
}

/// One traceback entry: a code object and the instruction that was running.
#[derive(Clone)]
pub struct TbEntry {
    /// The code.
    pub code: Rc<Code>,
    /// Instruction index.
    pub ip: u32,
}

/// An exception instance (builtin or user exception class).
pub struct ExcObj {
    /// `args` (a tuple).
    pub args: Slot,
    /// Traceback, outermost frame first.
    pub traceback: UnsafeCell<Vec<TbEntry>>,
    /// `__cause__` (None or an exception).
    pub cause: Slot,
    /// `__context__`.
    pub context: Slot,
    /// `__suppress_context__`.
    pub suppress_context: Cell<bool>,
    /// Attribute dict (a dict).
    pub dict: Slot,
}
impl ObjData for ExcObj {
    const KIND: Kind = Kind::Exception;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        for s in [&self.args, &self.cause, &self.context, &self.dict] {
            s.visit(f);
        }
    }
    fn clear(&self) {
        for s in [&self.args, &self.cause, &self.context, &self.dict] {
            s.take();
        }
    }
}
impl ExcObj {
    /// Adds a traceback entry for a frame the exception passed through (innermost last).
    pub fn push_tb(&self, e: TbEntry) {
        // SAFETY: single-threaded, short-lived borrow.
        unsafe { (*self.traceback.get()).insert(0, e) }
    }
    /// A copy of the traceback, outermost first.
    pub fn traceback(&self) -> Vec<TbEntry> {
        // SAFETY: single-threaded, short-lived borrow.
        unsafe { (*self.traceback.get()).clone() }
    }
    /// Drops the traceback (when an exception object is raised afresh).
    pub fn clear_tb(&self) {
        // SAFETY: single-threaded, short-lived borrow.
        unsafe { (*self.traceback.get()).clear() }
    }
}

/// A bound method: a function and the object it is bound to.
pub struct MethodObj {
    /// The function.
    pub func: Value,
    /// The bound `self`.
    pub self_: Value,
}
impl ObjData for MethodObj {
    const KIND: Kind = Kind::Method;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.func);
        f(&self.self_);
    }
}

/// A native function: `(vm, args) -> result`.
pub type NativeFn = fn(&mut crate::Vm, &crate::interp::args::Args) -> crate::PyResult<Value>;

/// How a native function found in a class binds.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Binding {
    /// A plain function (module level, or a static method).
    Function,
    /// A method: binds to the instance.
    Method,
    /// A class method: binds to the class.
    ClassMethod,
}

/// A builtin function or method.
pub struct BuiltinObj {
    /// Name.
    pub name: &'static str,
    /// Owner's name for messages (`list` for `list.append`), or "".
    pub owner: &'static str,
    /// The implementation.
    pub f: NativeFn,
    /// The bound first argument, or UNDEF.
    pub self_: Value,
    /// How it binds when found on a class.
    pub binding: Binding,
}
impl ObjData for BuiltinObj {
    const KIND: Kind = Kind::Builtin;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.self_);
    }
}

/// A closure cell.
pub struct CellObj {
    /// The content (UNDEF = empty).
    pub v: Slot,
}
impl ObjData for CellObj {
    const KIND: Kind = Kind::Cell;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        self.v.visit(f)
    }
    fn clear(&self) {
        self.v.take();
    }
}

/// A generator.
pub struct GenObj {
    /// The suspended frame; `None` while it runs or once it finished.
    pub frame: UnsafeCell<Option<Box<Frame>>>,
    /// True while running.
    pub running: Cell<bool>,
    /// True once it returned or raised.
    pub finished: Cell<bool>,
    /// True before the first resumption.
    pub fresh: Cell<bool>,
    /// `__name__`.
    pub name: Value,
    /// `__qualname__`.
    pub qualname: Value,
}
impl ObjData for GenObj {
    const KIND: Kind = Kind::Generator;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        if let Some(fr) = unsafe { &*self.frame.get() } {
            fr.traverse(f);
        }
    }
    fn clear(&self) {
        // SAFETY: single-threaded; the frame is dropped after the field is cleared.
        let old = unsafe { (*self.frame.get()).take() };
        drop(old);
    }
}
/// A generator dropped while suspended where a handler (`try`/`finally`, `with`) covers its
/// yield is closed, as CPython's generator finalizer does: its frame goes to the
/// [`super::finalize`] queue, which the VM runs at its next safe point or builtin call.
/// Suspended generators without a handler are dropped as they are: closing them would
/// only raise GeneratorExit out of them.
impl Drop for GenObj {
    fn drop(&mut self) {
        if self.fresh.get() || self.finished.get() {
            return;
        }
        if let Some(f) = self.frame.get_mut().take()
            && f.code.handler_for(f.lasti as u32).is_some()
        {
            super::finalize::defer(f, self.name.clone(), self.qualname.clone());
        }
    }
}

impl GenObj {
    /// A generator that has not started, over `frame`.
    pub fn new(frame: Box<Frame>, name: Value, qualname: Value) -> GenObj {
        GenObj {
            frame: UnsafeCell::new(Some(frame)),
            running: Cell::new(false),
            finished: Cell::new(false),
            fresh: Cell::new(true),
            name,
            qualname,
        }
    }
    /// Takes the suspended frame out (to run it).
    pub fn take_frame(&self) -> Option<Box<Frame>> {
        // SAFETY: single-threaded, short-lived borrow.
        unsafe { (*self.frame.get()).take() }
    }
    /// Puts the frame back after a yield.
    pub fn put_frame(&self, f: Box<Frame>) {
        // SAFETY: single-threaded, short-lived borrow.
        unsafe { *self.frame.get() = Some(f) }
    }
}

/// `range`.
pub struct RangeObj {
    /// Start.
    pub start: i64,
    /// Stop.
    pub stop: i64,
    /// Step (never 0).
    pub step: i64,
    /// Start, stop and step when one of them or the length does not fit an i64 (the i64
    /// fields are then unused).
    pub big: Option<Box<[BigInt; 3]>>,
}
impl ObjData for RangeObj {
    const KIND: Kind = Kind::Range;
    const TRACKED: bool = false;
}
impl RangeObj {
    /// A range of i64 bounds whose length fits an i64.
    pub fn new(start: i64, stop: i64, step: i64) -> RangeObj {
        RangeObj {
            start,
            stop,
            step,
            big: None,
        }
    }
    /// A range of arbitrary int bounds (`step` non-zero): small when everything fits an i64.
    pub fn from_bigints(start: BigInt, stop: BigInt, step: BigInt) -> RangeObj {
        use num_traits::ToPrimitive;
        if let (Some(a), Some(b), Some(c)) = (start.to_i64(), stop.to_i64(), step.to_i64())
            && big_range_len(&start, &stop, &step).to_i64().is_some()
        {
            return RangeObj::new(a, b, c);
        }
        RangeObj {
            start: 0,
            stop: 0,
            step: 1,
            big: Some(Box::new([start, stop, step])),
        }
    }
    /// Start, stop and step as big ints.
    pub fn bounds(&self) -> (BigInt, BigInt, BigInt) {
        match &self.big {
            Some(b) => (b[0].clone(), b[1].clone(), b[2].clone()),
            None => (self.start.into(), self.stop.into(), self.step.into()),
        }
    }
    /// Number of items, as a big int.
    pub fn big_len(&self) -> BigInt {
        match &self.big {
            Some(b) => big_range_len(&b[0], &b[1], &b[2]),
            None => self.len().into(),
        }
    }
    /// Number of items (saturated at `i64::MAX` for a big range: check `big` first).
    pub fn len(&self) -> i64 {
        use num_traits::ToPrimitive;
        match &self.big {
            Some(_) => self.big_len().to_i64().unwrap_or(i64::MAX),
            None => range_len(self.start, self.stop, self.step),
        }
    }
    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Length of `range(start, stop, step)` for big ints.
pub fn big_range_len(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    use num_traits::{Signed, Zero};
    if step.is_positive() && start < stop {
        (stop - start - 1u32) / step + 1u32
    } else if step.is_negative() && start > stop {
        (start - stop - 1u32) / (-step) + 1u32
    } else {
        BigInt::zero()
    }
}

/// Length of `range(start, stop, step)`.
pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        ((stop as i128 - start as i128 - 1) / step as i128 + 1) as i64
    } else if step < 0 && start > stop {
        ((start as i128 - stop as i128 - 1) / (-(step as i128)) + 1) as i64
    } else {
        0
    }
}

/// `slice`.
pub struct SliceObj {
    /// Start (None if omitted).
    pub start: Value,
    /// Stop.
    pub stop: Value,
    /// Step.
    pub step: Value,
}
impl ObjData for SliceObj {
    const KIND: Kind = Kind::Slice;
    const TRACKED: bool = false;
}

/// A module.
pub struct ModuleObj {
    /// `__name__`.
    pub name: Value,
    /// The namespace (a dict).
    pub dict: Value,
}
impl ObjData for ModuleObj {
    const KIND: Kind = Kind::Module;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.dict)
    }
}

/// The state of a native iterator.
pub enum IterState {
    /// Over a list (by index, so appends during iteration are seen).
    List { seq: Value, idx: usize },
    /// Over a tuple.
    Tuple { seq: Value, idx: usize },
    /// Over a range.
    Range { cur: i64, stop: i64, step: i64 },
    /// Over a range with big-int bounds (next value, step, items left).
    BigRange {
        cur: BigInt,
        step: BigInt,
        left: BigInt,
    },
    /// Over a str's characters (byte offset).
    Str { s: Value, pos: usize },
    /// Over a dict's keys / values / items (entry index, expected size).
    Dict {
        d: Value,
        idx: usize,
        what: DictIterKind,
        len: usize,
    },
    /// Over a set (slot index, expected size).
    Set { s: Value, idx: usize, len: usize },
    /// Over a deque (snapshot).
    Snapshot { items: Vec<Value>, idx: usize },
    /// Reversed over a sequence supporting indexing.
    Reversed { seq: Value, idx: isize },
    /// `enumerate`.
    Enumerate { it: Value, n: Value },
    /// `zip`.
    Zip { its: Vec<Value>, strict: bool },
    /// `map`.
    Map { f: Value, its: Vec<Value> },
    /// `filter`.
    Filter { f: Value, it: Value },
    /// The old sequence protocol (`__getitem__` with 0, 1, 2, ...).
    SeqIter { seq: Value, idx: i64 },
    /// `iter(callable, sentinel)`.
    Callable { f: Value, sentinel: Value },
    /// `itertools.count`.
    Count { cur: Value, step: Value },
    /// `itertools.islice`.
    Islice {
        it: Value,
        next: i64,
        stop: Option<i64>,
        step: i64,
        pos: i64,
        done: bool,
    },
    /// `itertools.chain`.
    Chain { its: Value, cur: Value },
    /// `itertools.repeat`.
    Repeat { v: Value, left: Option<i64> },
    /// `itertools.permutations` / `combinations` / `product`: index vectors over a pool.
    Combinatoric {
        pool: Vec<Value>,
        kind: CombKind,
        indices: Vec<usize>,
        cycles: Vec<usize>,
        r: usize,
        first: bool,
        done: bool,
        pools: Vec<Vec<Value>>,
    },
    /// Finished.
    Done,
}

/// What a dict iterator yields.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum DictIterKind {
    /// Keys.
    Keys,
    /// Values.
    Values,
    /// (key, value) tuples.
    Items,
}

/// Which itertools combinatoric iterator.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum CombKind {
    /// `permutations`.
    Permutations,
    /// `combinations`.
    Combinations,
    /// `product`.
    Product,
}

impl IterState {
    fn visit(&self, f: &mut dyn FnMut(&Value)) {
        match self {
            IterState::List { seq, .. }
            | IterState::Tuple { seq, .. }
            | IterState::Reversed { seq, .. } => f(seq),
            IterState::SeqIter { seq, .. } => f(seq),
            IterState::Str { s, .. } | IterState::Set { s, .. } => f(s),
            IterState::Dict { d, .. } => f(d),
            IterState::Snapshot { items, .. } => items.iter().for_each(f),
            IterState::Enumerate { it, n } => {
                f(it);
                f(n)
            }
            IterState::Zip { its, .. } => its.iter().for_each(f),
            IterState::Map { f: g, its } => {
                f(g);
                its.iter().for_each(f)
            }
            IterState::Filter { f: g, it } => {
                f(g);
                f(it)
            }
            IterState::Callable { f: g, sentinel } => {
                f(g);
                f(sentinel)
            }
            IterState::Count { cur, step } => {
                f(cur);
                f(step)
            }
            IterState::Islice { it, .. } => f(it),
            IterState::Chain { its, cur } => {
                f(its);
                f(cur)
            }
            IterState::Repeat { v, .. } => f(v),
            IterState::Combinatoric { pool, pools, .. } => {
                pool.iter().for_each(&mut *f);
                pools.iter().flatten().for_each(f)
            }
            IterState::Range { .. } | IterState::BigRange { .. } | IterState::Done => {}
        }
    }
}

/// A native iterator; its Python class says which (`list_iterator`, `zip`, ...).
pub struct IterObj {
    /// The state.
    pub state: UnsafeCell<IterState>,
}

/// One step of a list, tuple or range iterator, for the interpreter's specialized FOR_ITER.
pub enum FastStep {
    /// The next item.
    Item(Value),
    /// Exhausted.
    Done,
    /// Not an iterator of the expected kind.
    NotThisKind,
}

impl IterObj {
    /// Steps a range iterator.
    #[inline(always)]
    pub fn step_range(&self) -> FastStep {
        // SAFETY: single-threaded; the state is not borrowed elsewhere during this step, and
        // no Python code runs while the reference lives.
        match unsafe { &mut *self.state.get() } {
            IterState::Range { cur, stop, step } => {
                if (*step > 0 && *cur < *stop) || (*step < 0 && *cur > *stop) {
                    let v = *cur;
                    *cur += *step;
                    FastStep::Item(crate::runtime::int::from_i64(v))
                } else {
                    FastStep::Done
                }
            }
            _ => FastStep::NotThisKind,
        }
    }

    /// Steps a list or tuple iterator.
    #[inline(always)]
    pub fn step_seq(&self) -> FastStep {
        // SAFETY: as in `step_range`; reading the list's item runs no Python code.
        let state = unsafe { &mut *self.state.get() };
        match state {
            IterState::List { seq, idx } => match seq
                .downcast::<crate::object::ListObj>()
                .and_then(|l| l.get(*idx))
            {
                Some(v) => {
                    *idx += 1;
                    FastStep::Item(v)
                }
                None => {
                    // An exhausted list iterator stays exhausted, even if the list grows.
                    let old = std::mem::replace(state, IterState::Done);
                    drop(old);
                    FastStep::Done
                }
            },
            IterState::Tuple { seq, idx } => match seq
                .downcast::<TupleObj>()
                .and_then(|t| t.items.get(*idx).cloned())
            {
                Some(v) => {
                    *idx += 1;
                    FastStep::Item(v)
                }
                None => FastStep::Done,
            },
            _ => FastStep::NotThisKind,
        }
    }
}
impl ObjData for IterObj {
    const KIND: Kind = Kind::Iter;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        unsafe { (*self.state.get()).visit(f) }
    }
    fn clear(&self) {
        // SAFETY: single-threaded; the old state is dropped after the write.
        let old = unsafe { std::mem::replace(&mut *self.state.get(), IterState::Done) };
        drop(old);
    }
}

/// `property`.
pub struct PropertyObj {
    /// Getter.
    pub fget: Value,
    /// Setter.
    pub fset: Value,
    /// Deleter.
    pub fdel: Value,
    /// Docstring.
    pub doc: Value,
}
impl ObjData for PropertyObj {
    const KIND: Kind = Kind::Property;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        [&self.fget, &self.fset, &self.fdel, &self.doc]
            .into_iter()
            .for_each(f)
    }
}

/// `classmethod`.
pub struct ClassMethodObj {
    /// The wrapped callable.
    pub f: Value,
}
impl ObjData for ClassMethodObj {
    const KIND: Kind = Kind::ClassMethod;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.f)
    }
}

/// `staticmethod`.
pub struct StaticMethodObj {
    /// The wrapped callable.
    pub f: Value,
}
impl ObjData for StaticMethodObj {
    const KIND: Kind = Kind::StaticMethod;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        f(&self.f)
    }
}

/// `super(cls, obj)`.
pub struct SuperObj {
    /// The class after which the MRO search starts.
    pub cls: Value,
    /// The object (or class, for class methods).
    pub obj: Value,
    /// The type whose MRO is searched.
    pub obj_type: Value,
}
impl ObjData for SuperObj {
    const KIND: Kind = Kind::Super;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        [&self.cls, &self.obj, &self.obj_type]
            .into_iter()
            .for_each(f)
    }
}

/// `collections.deque`.
pub struct DequeObj {
    /// The items.
    pub items: UnsafeCell<VecDeque<Value>>,
    /// `maxlen`.
    pub maxlen: Option<usize>,
}
impl ObjData for DequeObj {
    const KIND: Kind = Kind::Deque;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        // SAFETY: the collector does not mutate while traversing.
        unsafe { (*self.items.get()).iter().for_each(f) }
    }
    fn clear(&self) {
        // SAFETY: single-threaded; the old items are dropped after the write.
        let old = unsafe { std::mem::take(&mut *self.items.get()) };
        drop(old);
    }
}
impl DequeObj {
    /// Runs `f` on the items; `f` must not run Python code.
    pub fn with<R>(&self, f: impl FnOnce(&mut VecDeque<Value>) -> R) -> R {
        // SAFETY: single-threaded; by contract `f` cannot re-enter this deque.
        unsafe { f(&mut *self.items.get()) }
    }
}

/// A `__slots__` member descriptor.
pub struct SlotDescrObj {
    /// The slot's name.
    pub name: Value,
    /// Index in `InstanceObj::slots`.
    pub index: usize,
    /// The class that declared it.
    pub owner_name: Value,
}
impl ObjData for SlotDescrObj {
    const KIND: Kind = Kind::SlotDescr;
    const TRACKED: bool = false;
}

/// A text file (`sys.stdout`, `sys.stderr`, `open()`).
pub struct FileObj {
    /// Which stream.
    pub target: FileTarget,
    /// The name shown in its repr.
    pub name: String,
    /// True once closed.
    pub closed: Cell<bool>,
}
/// Where a file object writes.
pub enum FileTarget {
    /// The process's stdout (buffered by the VM).
    Stdout,
    /// The process's stderr.
    Stderr,
    /// A file opened for writing.
    Write(UnsafeCell<std::io::BufWriter<std::fs::File>>),
    /// A file opened for reading (its whole content, and the read position).
    Read(UnsafeCell<(String, usize)>),
}
impl ObjData for FileObj {
    const KIND: Kind = Kind::File;
    const TRACKED: bool = false;
}

/// Native state of objects implemented in Rust (an `lru_cache` wrapper, a `random.Random`).
pub trait NativeData: 'static {
    /// Calls `f` on every value held.
    fn traverse(&self, _f: &mut dyn FnMut(&Value)) {}
    /// Drops every value held.
    fn clear(&self) {}
    /// As `Any`, to downcast.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// An object whose behaviour is native code over a [`NativeData`].
pub struct NativeObj {
    /// The state.
    pub data: Box<dyn NativeData>,
}
impl ObjData for NativeObj {
    const KIND: Kind = Kind::Native;
    const TRACKED: bool = true;
    fn traverse(&self, f: &mut dyn FnMut(&Value)) {
        self.data.traverse(f)
    }
    fn clear(&self) {
        self.data.clear()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_keys_filter_never_denies_a_pushed_name() {
        let keys = SharedKeys::default();
        assert!(
            !keys.may_hold_interned(&Value::small_int(7)),
            "empty keys hold nothing"
        );
        let names: Vec<Value> = (0..200).map(|i| Value::small_int(i * 16)).collect();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(keys.push(n.clone()), i);
        }
        assert!(names.iter().all(|n| keys.may_hold_interned(n)));
        assert_eq!(keys.len(), 200);
    }
}
