//! Op helpers: specialized ops that JIT code runs through the `HELPER` stencil, a call to
//! one of these functions (Rust, in the VM, with the VM's types at hand) instead of a trip
//! through the interpreter loop. Each checks its op's guard on the raw stack first and, when
//! it fails, returns 0 with nothing changed (the stencil side-exits and the interpreter runs
//! the instruction). The guards and fast paths are the tier-0 ones ([`crate::interp`]).
//!
//! This module is the boundary where raw stack words become [`Value`]s: every function here
//! is `unsafe extern "C"` with the [`HelperFn`] contract.

use super::abi::{FrameHead, HELPER_JUMP, HELPER_RAISE, HelperFn};
use crate::PyResult;
use crate::interp::args::Args;
use crate::interp::frame::Frame;
use crate::interp::specialize;
use crate::interp::specialize_attr::MethodHit;
use crate::object::{self, IterObj, ListObj};
use crate::runtime::tuple;
use crate::types::types;
use crate::value::Value;
use crate::vm::Vm;
use jitlens_compiler::bytecode::Op;

/// The raw value stack of the frame JIT code is running.
struct Stack(*mut u64);

impl Stack {
    /// The value `n` slots from the top (1 = the top), borrowed.
    ///
    /// # Safety
    /// The stack holds at least `n` values.
    #[inline(always)]
    unsafe fn peek(&self, n: usize) -> &Value {
        // SAFETY: a live slot holds an owned value word; `Value` is `repr(transparent)`.
        unsafe { &*(self.0.sub(n) as *const Value) }
    }

    /// Removes the top value and returns it (with its reference).
    ///
    /// # Safety
    /// The stack is not empty.
    #[inline(always)]
    unsafe fn pop(&mut self) -> Value {
        // SAFETY: the top slot holds an owned value word, which moves out here.
        unsafe {
            self.0 = self.0.sub(1);
            std::ptr::read(self.0 as *const Value)
        }
    }

    /// Pushes `v` (the frame's stack has room: JIT code never exceeds `max_stack`).
    ///
    /// # Safety
    /// There is room for one more value.
    #[inline(always)]
    unsafe fn push(&mut self, v: Value) {
        // SAFETY: the slot at `sp` is free and inside the stack's allocation.
        unsafe {
            std::ptr::write(self.0 as *mut Value, v);
            self.0 = self.0.add(1);
        }
    }

    /// Replaces the value `n` slots from the top, dropping the old one.
    ///
    /// # Safety
    /// The stack holds at least `n` values.
    #[inline(always)]
    unsafe fn replace(&mut self, n: usize, v: Value) {
        // SAFETY: a live slot; the assignment drops its old value.
        unsafe { *(self.0.sub(n) as *mut Value) = v }
    }

    /// The result of a load form that replaces the top of the stack: `hit` in its place and
    /// continue, or, when its guard missed, what `generic` (the family's generic helper,
    /// given the untouched stack) returns.
    ///
    /// # Safety
    /// The stack is not empty.
    #[inline(always)]
    unsafe fn replace_top_or(
        mut self,
        hit: Option<Value>,
        generic: impl FnOnce(*mut u64) -> u64,
    ) -> u64 {
        match hit {
            Some(v) => {
                // SAFETY: the caller's promise.
                unsafe { self.replace(1, v) };
                self.next()
            }
            None => generic(self.0),
        }
    }

    /// The result that continues with this stack.
    fn next(self) -> u64 {
        self.0 as u64
    }

    /// The result that jumps with this stack.
    fn jump(self) -> u64 {
        self.0 as u64 | HELPER_JUMP
    }

    /// The result of an op that raised `e`: the interpreter raises it at this instruction,
    /// with the stack as it is now (the operands already consumed).
    fn raise(self, vm: &mut Vm, e: crate::PyErr) -> u64 {
        vm.jit_raise = Some(e);
        self.0 as u64 | HELPER_RAISE
    }

    /// The result of an op with no value that succeeded (continue) or raised.
    fn done(self, vm: &mut Vm, r: PyResult<()>) -> u64 {
        match r {
            Ok(()) => self.next(),
            Err(e) => self.raise(vm, e),
        }
    }

    /// Moves the top `n` values, in order, to the end of `dst` (the locals of a callee
    /// frame being built), leaving the stack `n` shorter.
    ///
    /// # Safety
    /// The stack holds at least `n` values.
    unsafe fn move_top_into(&mut self, n: usize, dst: &mut Vec<Value>) {
        dst.reserve(n);
        // SAFETY: the top `n` slots hold owned value words; each is read out once and the
        // stack pointer then moves below them, so ownership moves exactly once.
        unsafe {
            for k in (1..=n).rev() {
                dst.push(std::ptr::read(self.0.sub(k) as *const Value));
            }
            self.0 = self.0.sub(n);
        }
    }

    /// The result of an op that produced `r` (pushed) or raised (kept for the interpreter,
    /// which raises it at this instruction; the operands are already consumed).
    ///
    /// # Safety
    /// There is room for one more value.
    unsafe fn finish(mut self, vm: &mut Vm, r: PyResult<Value>) -> u64 {
        match r {
            Ok(v) => {
                // SAFETY: the caller's promise.
                unsafe { self.push(v) };
                self.next()
            }
            Err(e) => self.raise(vm, e),
        }
    }

    /// Drops the top `n` values.
    ///
    /// # Safety
    /// The stack holds at least `n` values.
    unsafe fn drop_top(&mut self, n: usize) {
        for _ in 0..n {
            // SAFETY: the caller's promise.
            drop(unsafe { self.pop() });
        }
    }

    /// The top `n` values as a slice (the bottom one first).
    ///
    /// # Safety
    /// The stack holds at least `n` values; the slice must be dropped before the stack
    /// changes.
    unsafe fn top(&self, n: usize) -> &[Value] {
        // SAFETY: `n` live, contiguous slots below `sp`; `Value` is `repr(transparent)`.
        unsafe { std::slice::from_raw_parts(self.0.sub(n) as *const Value, n) }
    }
}

/// The VM and the frame behind a helper's arguments.
///
/// # Safety
/// `frame` is the head of the `Frame` JIT code runs and `vm` the VM running it.
#[inline(always)]
unsafe fn context<'a>(frame: *mut FrameHead, vm: *mut u8) -> (&'a mut Vm, &'a Frame) {
    // SAFETY: `FrameHead` is the first field of the `repr(C)` `Frame`; the frame is owned by
    // `Vm::jit_frames`, which helpers do not touch.
    unsafe { (&mut *(vm as *mut Vm), &*(frame as *const Frame)) }
}

/// The instruction word `k` after the running one (`frame.ip`), i.e. its k-th cache word.
#[inline(always)]
fn cache_word(f: &Frame, k: usize) -> &std::cell::Cell<u32> {
    &f.code.instrs[f.head.ip + k]
}

/// The dict entry or slot index an attribute form keeps in its second cache word.
#[inline(always)]
fn attr_index(f: &Frame) -> usize {
    (cache_word(f, 2).get() >> 8) as usize
}

macro_rules! helper {
    ($(#[$doc:meta])* $name:ident($frame:ident, $sp:ident, $vm:ident, $arg:ident) $body:block) => {
        $(#[$doc])*
        #[allow(unused_variables)]
        unsafe extern "C" fn $name($frame: *mut FrameHead, $sp: *mut u64, $vm: *mut u8, $arg: u64) -> u64 {
            #[allow(unused_mut)]
            let mut $sp = Stack($sp);
            // SAFETY: the `HelperFn` contract (see the module docs).
            unsafe { $body }
        }
    };
}

helper! {
    /// `list[int]` and `tuple[int]` (BINARY_SUBSCR_LIST_INT / _TUPLE_INT).
    subscr_seq_int(frame, sp, vm, _arg) {
        let (c, k) = (sp.peek(2), sp.peek(1));
        let Some(i) = k.as_small_int() else { return 0 };
        let v = match c.kind() {
            Some(object::Kind::List) if specialize::is_exact(c, object::Kind::List, &types().list) => {
                let l = c.downcast::<ListObj>().unwrap();
                let j = if i < 0 { i + l.len() as i64 } else { i };
                if j < 0 { None } else { l.get(j as usize) }
            }
            Some(object::Kind::Tuple) => {
                let items = tuple::items(c).unwrap();
                let j = if i < 0 { i + items.len() as i64 } else { i };
                if j < 0 { None } else { items.get(j as usize).cloned() }
            }
            _ => None,
        };
        let Some(v) = v else { return 0 };
        drop(sp.pop());
        sp.replace(1, v);
        sp.next()
    }
}

helper! {
    /// `list[int] = v` (STORE_SUBSCR_LIST_INT): stack `v, list, index`.
    store_subscr_list_int(frame, sp, vm, _arg) {
        let (c, k) = (sp.peek(2), sp.peek(1));
        if !specialize::is_exact(c, object::Kind::List, &types().list) {
            return 0;
        }
        let Some(i) = k.as_small_int() else { return 0 };
        let l = c.downcast::<ListObj>().unwrap();
        let len = l.len() as i64;
        let j = if i < 0 { i + len } else { i };
        if j < 0 || j >= len {
            return 0;
        }
        let _k = sp.pop();
        let c = sp.pop();
        let v = sp.pop();
        c.downcast::<ListObj>().unwrap().set(j as usize, v);
        sp.next()
    }
}

helper! {
    /// UNPACK_SEQUENCE of an exact tuple or list of `arg` items.
    unpack_sequence(frame, sp, vm, arg) {
        let seq = sp.peek(1);
        let n = arg as usize;
        let ok = match seq.kind() {
            Some(object::Kind::Tuple) => tuple::items(seq).is_some_and(|t| t.len() == n),
            Some(object::Kind::List) => {
                specialize::is_exact(seq, object::Kind::List, &types().list)
                    && seq.downcast::<ListObj>().unwrap().len() == n
            }
            _ => false,
        };
        if !ok {
            return 0;
        }
        let seq = sp.pop();
        match tuple::items(&seq) {
            Some(items) => items.iter().rev().for_each(|v| sp.push(v.clone())),
            None => seq
                .downcast::<ListObj>()
                .unwrap()
                .with(|items| items.iter().rev().for_each(|v| sp.push(v.clone()))),
        }
        sp.next()
    }
}

helper! {
    /// FOR_ITER over a range, list or tuple iterator: pushes the next item, or pops the
    /// iterator and jumps past the loop.
    for_iter(frame, sp, vm, _arg) {
        let Some(it) = sp.peek(1).downcast::<IterObj>() else { return 0 };
        let step = match it.step_range() {
            object::FastStep::NotThisKind => it.step_seq(),
            s => s,
        };
        match step {
            object::FastStep::Item(v) => {
                sp.push(v);
                sp.next()
            }
            object::FastStep::Done => {
                drop(sp.pop());
                sp.jump()
            }
            object::FastStep::NotThisKind => 0,
        }
    }
}

helper! {
    /// LOAD_GLOBAL and its forms: the cached dict entry while it is valid, else a lookup
    /// (refilling the cache) or a NameError.
    load_global(frame, sp, vm, arg) {
        let (vm, f) = context(frame, vm);
        let name = &f.code.names[arg as usize];
        let cache = (cache_word(f, 1), cache_word(f, 2));
        let v = vm
            .global_cache_hit(&f.globals, name, cache)
            .or_else(|| vm.load_global_cached(&f.globals, name, cache))
            .or_else(|| vm.load_global(&f.globals, name));
        match v {
            Some(v) => {
                sp.push(v);
                sp.next()
            }
            None => {
                let msg = format!("name '{}' is not defined", crate::runtime::str::as_str(name).unwrap_or("?"));
                sp.raise(vm, crate::runtime::exc::name_error(msg))
            }
        }
    }
}

helper! {
    /// LOAD_ATTR_INSTANCE_VALUE: a plain instance's inline value (or dict entry) at the
    /// cached index, if it holds the name.
    load_attr_instance_value(frame, sp, vm, arg) {
        let raw_vm = vm;
        let (vm, f) = context(frame, vm);
        let idx = attr_index(f);
        let name = &f.code.names[arg as usize];
        let hit = specialize::plain_instance(sp.peek(1), vm.descr_added_late, false)
            .and_then(|(i, c)| crate::runtime::instance::load_at(i, c, idx, name));
        sp.replace_top_or(hit, |sp| load_attr(frame, sp, raw_vm, arg))
    }
}

/// The `arg` of an attribute helper compiled with its key ([`baked_arg`]): the
/// interned name's address in the low 48 bits, the inline value's index above.
#[inline(always)]
fn baked_key(arg: u64) -> (usize, u64) {
    use super::abi::{PAYLOAD_MASK, TAG_OBJ, TAG_SHIFT};
    (
        (arg >> TAG_SHIFT) as usize,
        (TAG_OBJ << TAG_SHIFT) | (arg & PAYLOAD_MASK),
    )
}

/// The baked `arg` of an `*_ATTR_INSTANCE_VALUE`: the name and the inline value's index it
/// specialized for. `None` when the index does not fit (or names a dict entry).
fn baked_attr_arg(code: &crate::code::Code, ip: usize) -> Option<u64> {
    let (_, arg) = code.instr(ip);
    let idx = (code.instrs[ip + 2].get() >> 8) as u64;
    bake(idx, code.names.get(arg as usize)?)
}

/// The baked `arg` for `name` and `idx` (read back by [`baked_key`]): the name's address
/// in the low 48 bits, the index above; `None` when the index does not fit.
fn bake(idx: u64, name: &Value) -> Option<u64> {
    use super::abi::{PAYLOAD_MASK, TAG_SHIFT};
    (idx < 1 << 15 && name.is_obj()).then(|| (idx << TAG_SHIFT) | (name.bits() & PAYLOAD_MASK))
}

/// True if class `c`'s shared key `idx` is the name whose value word is `name_bits`.
#[inline(always)]
fn key_matches(c: &object::ClassObj, idx: usize, name_bits: u64) -> bool {
    c.keys
        .with(|k| k.get(idx).is_some_and(|k| k.bits() == name_bits))
}

/// The generic attribute helper `generic` with the instruction's real argument (for a
/// baked helper that missed).
///
/// # Safety
/// As for a helper.
unsafe fn unbaked(frame: *mut FrameHead, sp: *mut u64, vm: *mut u8, generic: HelperFn) -> u64 {
    // SAFETY: the caller's promise; `frame` heads a `Frame` (see `context`).
    unsafe {
        let f = &*(frame as *const Frame);
        let arg = f.code.instr(f.head.ip).1 as u64;
        generic(frame, sp, vm, arg)
    }
}

helper! {
    /// LOAD_ATTR_INSTANCE_VALUE compiled with its key (`arg`, see [`baked_arg`]): the
    /// inline value at the index, for any plain instance whose class has the name there.
    load_attr_inline_value(frame, sp, vm, arg) {
        let late = (*(vm as *const Vm)).descr_added_late;
        let (idx, name) = baked_key(arg);
        let hit = specialize::plain_instance(sp.peek(1), late, false)
            .filter(|(i, c)| i.dict.is_undef() && key_matches(c, idx, name))
            .and_then(|(i, _)| i.values.get(idx));
        sp.replace_top_or(hit, |sp| unbaked(frame, sp, vm, load_attr))
    }
}

helper! {
    /// STORE_ATTR_INSTANCE_VALUE compiled with its key (see `load_attr_inline_value`):
    /// stack `v, obj`; replaces the inline value at the index, or appends it as the next.
    store_attr_inline_value(frame, sp, vm, arg) {
        let late = (*(vm as *const Vm)).descr_added_late;
        let (idx, name) = baked_key(arg);
        let Some((inst, c)) = specialize::plain_instance(sp.peek(1), late, true).filter(|(i, c)| {
            i.dict.is_undef() && idx <= i.values.len() && key_matches(c, idx, name)
        }) else {
            return unbaked(frame, sp.0, vm, store_attr);
        };
        let v = sp.peek(2).clone();
        if idx < inst.values.len() {
            inst.values.set(idx, v);
        } else {
            inst.values.push(v, c.keys.len());
        }
        drop(sp.pop());
        drop(sp.pop());
        sp.next()
    }
}

/// The helper of an instruction compiled with its key baked into the call (see
/// [`baked_arg`]), if its op has one.
pub(crate) fn baked_helper(op: Op) -> Option<HelperFn> {
    match op {
        Op::LOAD_ATTR_INSTANCE_VALUE => Some(load_attr_inline_value),
        Op::STORE_ATTR_INSTANCE_VALUE => Some(store_attr_inline_value),
        Op::LOAD_GLOBAL_MODULE => Some(load_global_module_entry),
        _ => None,
    }
}

/// For JIT code: the `arg` that bakes the key of the instruction at `ip` into its helper
/// call (its name, and the index it specialized for), so the helper reads neither the code
/// object nor the inline cache; `None` when there is none that fits (the instruction then
/// gets the plain helper).
pub(crate) fn baked_arg(code: &crate::code::Code, ip: usize) -> Option<u64> {
    match code.instr(ip).0 {
        Op::LOAD_GLOBAL_MODULE => baked_global_arg(code, ip),
        _ => baked_attr_arg(code, ip),
    }
}

/// The baked `arg` of a LOAD_GLOBAL_MODULE: the name, and the globals dict entry index its
/// cache holds (cache word 2 is `(index + 1) << 1`, bit 0 clear: found in the globals).
fn baked_global_arg(code: &crate::code::Code, ip: usize) -> Option<u64> {
    let (_, arg) = code.instr(ip);
    let w = code.instrs[ip + 2].get() as u64;
    if w & 1 != 0 {
        return None;
    }
    bake((w >> 1).checked_sub(1)?, code.names.get(arg as usize)?)
}

helper! {
    /// LOAD_GLOBAL_MODULE compiled with its key (`arg`, see [`baked_arg`]): the globals
    /// dict entry at the index while it still holds the name (as the interpreter's cache
    /// check), else the generic lookup.
    load_global_module_entry(frame, sp, vm, arg) {
        let (_, f) = context(frame, vm);
        let (idx, name) = baked_key(arg);
        let hit = f.globals.downcast::<object::DictObj>().and_then(|g| {
            g.with(|t| {
                t.entries()
                    .get(idx)
                    .filter(|e| e.key.bits() == name)
                    .map(|e| e.value.clone())
            })
        });
        match hit {
            Some(v) => {
                sp.push(v);
                sp.next()
            }
            None => unbaked(frame, sp.0, vm, load_global),
        }
    }
}

helper! {
    /// LOAD_ATTR_SLOT: the `__slots__` member at the cached index of an instance of the
    /// cached class (an unset member side-exits: the interpreter raises).
    load_attr_slot(frame, sp, vm, arg) {
        let raw_vm = vm;
        let (vm, f) = context(frame, vm);
        let idx = attr_index(f);
        let hit = vm
            .slot_guard(&f.code, f.head.ip, Op::LOAD_ATTR_SLOT, sp.peek(1))
            .and_then(|inst| inst.slots.get(idx))
            .map(|s| s.get())
            .filter(|v| !v.is_undef());
        sp.replace_top_or(hit, |sp| load_attr(frame, sp, raw_vm, arg))
    }
}

helper! {
    /// STORE_ATTR_SLOT: stack `v, obj`.
    store_attr_slot(frame, sp, vm, arg) {
        let raw_vm = vm;
        let (vm, f) = context(frame, vm);
        let idx = attr_index(f);
        let ok = vm
            .slot_guard(&f.code, f.head.ip, Op::STORE_ATTR_SLOT, sp.peek(1))
            .is_some_and(|inst| idx < inst.slots.len());
        if !ok {
            return store_attr(frame, sp.0, raw_vm, arg);
        }
        let obj = sp.pop();
        let v = sp.pop();
        obj.downcast::<object::InstanceObj>().unwrap().slots[idx].set(v);
        sp.next()
    }
}

helper! {
    /// STORE_ATTR_INSTANCE_VALUE: stack `v, obj`.
    store_attr_instance_value(frame, sp, vm, arg) {
        let raw_vm = vm;
        let (vm, f) = context(frame, vm);
        let idx = attr_index(f);
        let name = &f.code.names[arg as usize];
        let Some((inst, c)) = specialize::plain_instance(sp.peek(1), vm.descr_added_late, true)
            .filter(|&(i, c)| crate::runtime::instance::can_store_at(i, c, idx, name))
        else {
            return store_attr(frame, sp.0, raw_vm, arg);
        };
        let v = sp.peek(2).clone();
        let stored = crate::runtime::instance::store_at(inst, c, idx, name, v).is_ok();
        debug_assert!(stored);
        drop(sp.pop());
        drop(sp.pop());
        sp.next()
    }
}

helper! {
    /// COMPARE_OP_STR on two exact strs.
    compare_str(frame, sp, vm, arg) {
        let (a, b) = (sp.peek(2), sp.peek(1));
        if !(specialize::is_exact_str(a) && specialize::is_exact_str(b)) {
            return 0;
        }
        let r = specialize::cmp_result(
            crate::runtime::str::as_str(a).unwrap(),
            crate::runtime::str::as_str(b).unwrap(),
            arg as u32,
        );
        drop(sp.pop());
        sp.replace(1, Value::bool(r));
        sp.next()
    }
}

helper! {
    /// The LOAD_METHOD forms: method and self, or attribute and UNDEF.
    load_method(frame, sp, vm, arg) {
        let raw_vm = vm;
        let (vm, f) = context(frame, vm);
        let ip = f.head.ip;
        let (op, _) = f.code.instr(ip);
        let name = &f.code.names[arg as usize];
        match vm.load_method_cached(&f.code, ip, op, sp.peek(1), name) {
            Some(MethodHit::Bound(m)) => {
                let obj = sp.pop();
                sp.push(m);
                sp.push(obj);
                sp.next()
            }
            Some(MethodHit::Plain(v)) => {
                sp.replace(1, v);
                sp.push(Value::UNDEF);
                sp.next()
            }
            None => load_method_generic(frame, sp.0, raw_vm, arg),
        }
    }
}

helper! {
    /// LOAD_ATTR_CLASS / LOAD_ATTR_MODULE.
    load_attr_cached(frame, sp, vm, arg) {
        let raw_vm = vm;
        let (vm, f) = context(frame, vm);
        let ip = f.head.ip;
        let (op, _) = f.code.instr(ip);
        let name = &f.code.names[arg as usize];
        let hit = vm.load_attr_cached(&f.code, ip, op, sp.peek(1), name);
        sp.replace_top_or(hit, |sp| load_attr(frame, sp, raw_vm, arg))
    }
}

helper! {
    /// The generic BINARY_OP (any operands; user `__add__` and friends run inside).
    binary_op(frame, sp, vm, arg) {
        let (vm, _) = context(frame, vm);
        let b = sp.pop();
        let a = sp.pop();
        let r = match crate::interp::eval::fast_binop(&a, &b, arg as u32) {
            Some(v) => Ok(v),
            None => vm.binary_op(&a, &b, arg as u32),
        };
        drop((a, b));
        sp.finish(vm, r)
    }
}

helper! {
    /// The generic COMPARE_OP.
    compare_op(frame, sp, vm, arg) {
        let (vm, _) = context(frame, vm);
        let b = sp.pop();
        let a = sp.pop();
        let r = match crate::interp::eval::fast_compare(&a, &b, arg as u32) {
            Some(t) => Ok(Value::bool(t)),
            None => vm.compare(&a, &b, arg as u32),
        };
        drop((a, b));
        sp.finish(vm, r)
    }
}

helper! {
    /// The generic BINARY_SUBSCR.
    binary_subscr(frame, sp, vm, _arg) {
        let (vm, _) = context(frame, vm);
        let k = sp.pop();
        let c = sp.pop();
        let r = vm.getitem(&c, &k);
        drop((c, k));
        sp.finish(vm, r)
    }
}

helper! {
    /// GET_ITER.
    get_iter(frame, sp, vm, _arg) {
        let (vm, _) = context(frame, vm);
        let v = sp.pop();
        let r = vm.get_iter(&v);
        drop(v);
        sp.finish(vm, r)
    }
}

helper! {
    /// POP_JUMP_IF_FALSE / _TRUE on any value (`__bool__` and `__len__` run inside): the
    /// generic form for a site where the stencil, which decides only bools, `None`, ints
    /// and floats, kept side-exiting.
    pop_jump_if(frame, sp, vm, _arg) {
        let (vm, f) = context(frame, vm);
        let jump_if = f.code.instr(f.head.ip).0 == Op::POP_JUMP_IF_TRUE;
        let v = sp.pop();
        let r = vm.truthy(&v);
        drop(v);
        match r {
            Ok(t) if t == jump_if => sp.jump(),
            Ok(_) => sp.next(),
            Err(e) => sp.raise(vm, e),
        }
    }
}

helper! {
    /// JUMP_IF_FALSE_OR_POP / _TRUE_OR_POP on any value (see `pop_jump_if`).
    jump_if_or_pop(frame, sp, vm, _arg) {
        let (vm, f) = context(frame, vm);
        let jump_if = f.code.instr(f.head.ip).0 == Op::JUMP_IF_TRUE_OR_POP;
        let v = sp.peek(1).clone();
        let r = vm.truthy(&v);
        drop(v);
        match r {
            Ok(t) if t == jump_if => sp.jump(),
            Ok(_) => {
                drop(sp.pop());
                sp.next()
            }
            Err(e) => sp.raise(vm, e),
        }
    }
}

/// The generic helper for `op`, for a site whose fast stencil kept side-exiting: the same
/// instruction on any operands, inside tier 1.
pub(crate) fn generic_helper_for(op: Op) -> Option<HelperFn> {
    let h: HelperFn = match op {
        Op::POP_JUMP_IF_FALSE | Op::POP_JUMP_IF_TRUE => pop_jump_if,
        Op::JUMP_IF_FALSE_OR_POP | Op::JUMP_IF_TRUE_OR_POP => jump_if_or_pop,
        Op::BINARY_OP_ADD_INT
        | Op::BINARY_OP_SUBTRACT_INT
        | Op::BINARY_OP_MULTIPLY_INT
        | Op::BINARY_OP_FLOOR_DIVIDE_INT
        | Op::BINARY_OP_REMAINDER_INT
        | Op::BINARY_OP_ADD_FLOAT
        | Op::BINARY_OP_SUBTRACT_FLOAT
        | Op::BINARY_OP_MULTIPLY_FLOAT
        | Op::BINARY_OP_TRUE_DIVIDE_FLOAT => binary_op,
        Op::COMPARE_OP_INT | Op::COMPARE_OP_FLOAT => compare_op,
        _ => return None,
    };
    Some(h)
}

helper! {
    /// BUILD_TUPLE / BUILD_LIST of the top `arg` values.
    build_seq(frame, sp, vm, arg) {
        let (vm, f) = context(frame, vm);
        let (op, _) = f.code.instr(f.head.ip);
        let n = arg as usize;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(sp.pop());
        }
        items.reverse();
        let v = if op == Op::BUILD_TUPLE {
            tuple::new(items)
        } else {
            crate::runtime::list::new(items)
        };
        sp.finish(vm, Ok(v))
    }
}

/// The cell in local slot `varnames + arg` of the running frame (LOAD_DEREF, STORE_DEREF,
/// LOAD_CLOSURE).
#[inline(always)]
fn cell_slot(f: &Frame, arg: u64) -> &Value {
    &f.fast[f.code.varnames.len() + arg as usize]
}

helper! {
    /// LOAD_DEREF: the content of a cell; an empty cell side-exits (the interpreter raises
    /// NameError).
    load_deref(frame, sp, vm, arg) {
        let (_, f) = context(frame, vm);
        let Some(cell) = cell_slot(f, arg).downcast::<object::CellObj>() else { return 0 };
        let v = cell.v.get();
        if v.is_undef() {
            return 0;
        }
        sp.push(v);
        sp.next()
    }
}

helper! {
    /// STORE_DEREF: pops into a cell.
    store_deref(frame, sp, vm, arg) {
        let (_, f) = context(frame, vm);
        let Some(cell) = cell_slot(f, arg).downcast::<object::CellObj>() else { return 0 };
        cell.v.set(sp.pop());
        sp.next()
    }
}

helper! {
    /// LOAD_CLOSURE: pushes the cell itself (to build a closure).
    load_closure(frame, sp, vm, arg) {
        let (_, f) = context(frame, vm);
        sp.push(cell_slot(f, arg).clone());
        sp.next()
    }
}

helper! {
    /// BUILD_SLICE of the top 2 (`arg` 2) or 3 values.
    build_slice(frame, sp, vm, arg) {
        let (vm, _) = context(frame, vm);
        let step = if arg == 3 { sp.pop() } else { Value::NONE };
        let stop = sp.pop();
        let start = sp.pop();
        let v = object::alloc(&types().slice, object::SliceObj { start, stop, step });
        sp.finish(vm, Ok(v))
    }
}

helper! {
    /// MAKE_FUNCTION: a function from the code object and what `arg` says is below it.
    make_function(frame, sp, vm, arg) {
        let (_, f) = context(frame, vm);
        let func = crate::interp::eval::make_function(&f.globals, arg as u32, || sp.pop());
        sp.push(func);
        sp.next()
    }
}

helper! {
    /// LIST_APPEND (comprehensions): appends the top to the list `arg` below it.
    list_append(frame, sp, vm, arg) {
        let v = sp.pop();
        match sp.peek(arg as usize).downcast::<ListObj>() {
            Some(l) => {
                l.push(v);
                sp.next()
            }
            None => {
                sp.push(v);
                0
            }
        }
    }
}

helper! {
    /// The generic LOAD_ATTR.
    load_attr(frame, sp, vm, arg) {
        let (vm, f) = context(frame, vm);
        let name = f.code.names[arg as usize].clone();
        let obj = sp.pop();
        let r = match vm.getattr_fast(&obj, &name) {
            Some(v) => Ok(v),
            None => vm.getattr(&obj, &name),
        };
        drop(obj);
        sp.finish(vm, r)
    }
}

helper! {
    /// The generic LOAD_METHOD.
    load_method_generic(frame, sp, vm, arg) {
        let (vm, f) = context(frame, vm);
        let name = f.code.names[arg as usize].clone();
        let obj = sp.pop();
        match vm.load_method(obj, &name) {
            Ok((m, s)) => {
                sp.push(m);
                sp.push(s);
                sp.next()
            }
            Err(e) => sp.raise(vm, e),
        }
    }
}

helper! {
    /// Every CALL form: `[callable, self_or_UNDEF, args…]`. The callee runs to completion
    /// (a Python callee enters its own JIT code, if it has some, at its RESUME). Builtins
    /// that read the calling frame (`super()`, `locals()`, …) side-exit to the interpreter.
    call(frame, sp, vm, arg) {
        let (vm, _) = context(frame, vm);
        let argc = arg as usize;
        let callable = sp.peek(argc + 2).clone();
        let has_self = !sp.peek(argc + 1).is_undef();
        if argc == 0 && !has_self && reads_caller_frame(&callable) {
            return 0;
        }
        let n = argc + has_self as usize;
        let r = vm.call_args(
            &callable,
            &Args {
                all: sp.top(n),
                kwnames: &[],
            },
        );
        sp.drop_top(argc + 2);
        drop(callable);
        sp.finish(vm, r)
    }
}

helper! {
    /// CALL_PY_EXACT_ARGS / CALL_BOUND_METHOD_EXACT_ARGS: moves the arguments into a new
    /// frame and runs it (in its JIT code, when it has some) to its return.
    call_py_exact(frame, sp, vm, arg) {
        let (vm, _) = context(frame, vm);
        let argc = arg as usize;
        let has_self = !sp.peek(argc + 1).is_undef();
        let callable = sp.peek(argc + 2);
        let (func, bound) = match callable.downcast::<object::MethodObj>() {
            Some(m) if !has_self => (m.func.clone(), Some(m.self_.clone())),
            _ => (callable.clone(), None),
        };
        let nmove = argc + has_self as usize;
        let exact = func.downcast::<object::FuncObj>().is_some_and(|pf| {
            pf.code.simple_args && pf.code.argcount as usize == nmove + bound.is_some() as usize
        });
        if !exact || vm.depth >= vm.recursion_limit || vm.native_stack_low() {
            // Not this form any more, or too deep: the interpreter calls (and raises).
            return 0;
        }
        let mut callee = vm.exact_frame_empty(&func, bound);
        sp.move_top_into(nmove, &mut callee.fast);
        let nlocals = callee.code.varnames.len();
        crate::interp::frame::fill_undef(&mut callee.fast, nlocals);
        // The callable, and the empty self slot unless `self` was moved with the arguments.
        sp.drop_top(argc + 2 - nmove);
        vm.depth += 1;
        let r = vm.run_callee(callee);
        vm.depth -= 1;
        drop(func);
        sp.finish(vm, r)
    }
}

helper! {
    /// CALL_ALLOC_AND_ENTER_INIT: the same class as when the site specialized (address and
    /// type epoch): allocates the instance and runs `__init__` (exact positional arguments)
    /// to its return; the call gives the instance.
    call_alloc_init(frame, sp, vm, arg) {
        let (vm, f) = context(frame, vm);
        let argc = arg as usize;
        if !sp.peek(argc + 1).is_undef() {
            return 0;
        }
        let e = f.code.ext_at(f.head.ip, Op::CALL);
        let callable = sp.peek(argc + 2);
        if callable.bits() != e.key.get() || e.epoch.get() != vm.type_epoch.get() {
            return 0;
        }
        let init = e.value.get();
        let exact = init.downcast::<object::FuncObj>().is_some_and(|pf| {
            pf.code.simple_args && pf.code.argcount as usize == argc + 1
        });
        if !exact || vm.depth >= vm.recursion_limit || vm.native_stack_low() {
            return 0;
        }
        let cls = callable.clone();
        let inst = match vm.new_instance(&cls) {
            Ok(i) => i,
            Err(err) => {
                sp.drop_top(argc + 2);
                return sp.finish(vm, Err(err));
            }
        };
        let mut callee = vm.exact_frame_empty(&init, Some(inst.clone()));
        sp.move_top_into(argc, &mut callee.fast);
        let nlocals = callee.code.varnames.len();
        crate::interp::frame::fill_undef(&mut callee.fast, nlocals);
        callee.init_self = inst;
        sp.drop_top(2);
        vm.depth += 1;
        let r = vm.run_callee(callee);
        vm.depth -= 1;
        drop(cls);
        sp.finish(vm, r)
    }
}

helper! {
    /// The generic FOR_ITER (generators, dict and set iterators, user iterators): pushes
    /// the next item, or pops the iterator and jumps past the loop.
    for_iter_generic(frame, sp, vm, _arg) {
        let (vm, _) = context(frame, vm);
        let it = sp.peek(1).clone();
        match vm.next(&it) {
            Ok(Some(v)) => {
                sp.push(v);
                sp.next()
            }
            Ok(None) => {
                drop(sp.pop());
                sp.jump()
            }
            Err(e) => sp.raise(vm, e),
        }
    }
}

helper! {
    /// CONTAINS_OP and its forms (`arg` 1: `not in`): stack `item, container`.
    contains(frame, sp, vm, arg) {
        let (vm, _) = context(frame, vm);
        let b = sp.pop();
        let a = sp.pop();
        let r = vm.contains(&b, &a).map(|r| Value::bool(r != (arg == 1)));
        drop((a, b));
        sp.finish(vm, r)
    }
}

helper! {
    /// The generic STORE_ATTR: stack `v, obj`.
    store_attr(frame, sp, vm, arg) {
        let (vm, f) = context(frame, vm);
        let name = f.code.names[arg as usize].clone();
        let obj = sp.pop();
        let v = sp.pop();
        let r = match vm.setattr_fast(&obj, &name, v) {
            Ok(()) => Ok(()),
            Err(v) => vm.setattr(&obj, &name, v),
        };
        drop(obj);
        sp.done(vm, r)
    }
}

helper! {
    /// The generic STORE_SUBSCR (and its dict form): stack `v, container, key`.
    store_subscr(frame, sp, vm, _arg) {
        let (vm, _) = context(frame, vm);
        let k = sp.pop();
        let c = sp.pop();
        let v = sp.pop();
        let r = vm.setitem(&c, &k, v);
        drop((c, k));
        sp.done(vm, r)
    }
}

helper! {
    /// UNARY_NEGATIVE, UNARY_POSITIVE, UNARY_INVERT and UNARY_NOT.
    unary(frame, sp, vm, _arg) {
        let (vm, f) = context(frame, vm);
        let (op, _) = f.code.instr(f.head.ip);
        let a = sp.pop();
        let r = if op == Op::UNARY_NOT {
            vm.truthy(&a).map(|t| Value::bool(!t))
        } else {
            vm.unary_op(&a, op)
        };
        drop(a);
        sp.finish(vm, r)
    }
}

/// True for the callables a CALL must run in the interpreter: they read the caller's frame.
fn reads_caller_frame(v: &Value) -> bool {
    if v.is(&types().super_) {
        return true;
    }
    v.downcast::<object::BuiltinObj>().is_some_and(|b| {
        b.owner.is_empty() && matches!(b.name, "globals" | "locals" | "vars" | "dir")
    })
}

/// The helper that runs `op` in JIT code, if there is one.
pub fn helper_for(op: Op) -> Option<HelperFn> {
    let h: HelperFn = match op {
        Op::BINARY_SUBSCR_LIST_INT | Op::BINARY_SUBSCR_TUPLE_INT => subscr_seq_int,
        Op::STORE_SUBSCR_LIST_INT => store_subscr_list_int,
        Op::UNPACK_SEQUENCE_TWO_TUPLE | Op::UNPACK_SEQUENCE_TUPLE | Op::UNPACK_SEQUENCE_LIST => {
            unpack_sequence
        }
        Op::FOR_ITER_RANGE | Op::FOR_ITER_LIST | Op::FOR_ITER_TUPLE => for_iter,
        Op::LOAD_GLOBAL | Op::LOAD_GLOBAL_MODULE | Op::LOAD_GLOBAL_BUILTIN => load_global,
        Op::LOAD_ATTR_INSTANCE_VALUE => load_attr_instance_value,
        Op::STORE_ATTR_INSTANCE_VALUE => store_attr_instance_value,
        Op::COMPARE_OP_STR => compare_str,
        Op::LOAD_METHOD_WITH_VALUES
        | Op::LOAD_METHOD_NO_DICT
        | Op::LOAD_METHOD_MODULE
        | Op::LOAD_METHOD_CLASS => load_method,
        Op::LOAD_ATTR_CLASS | Op::LOAD_ATTR_MODULE => load_attr_cached,
        Op::BINARY_OP | Op::BINARY_OP_ADD_UNICODE => binary_op,
        Op::FOR_ITER => for_iter_generic,
        Op::CONTAINS_OP | Op::CONTAINS_OP_DICT | Op::CONTAINS_OP_SET => contains,
        Op::STORE_ATTR => store_attr,
        Op::LOAD_ATTR_SLOT => load_attr_slot,
        Op::STORE_ATTR_SLOT => store_attr_slot,
        Op::STORE_SUBSCR | Op::STORE_SUBSCR_DICT => store_subscr,
        Op::UNARY_NEGATIVE | Op::UNARY_POSITIVE | Op::UNARY_INVERT | Op::UNARY_NOT => unary,
        Op::BINARY_SUBSCR_DICT => binary_subscr,
        Op::COMPARE_OP => compare_op,
        Op::BINARY_SUBSCR => binary_subscr,
        Op::GET_ITER => get_iter,
        Op::BUILD_TUPLE | Op::BUILD_LIST => build_seq,
        Op::BUILD_SLICE => build_slice,
        Op::MAKE_FUNCTION => make_function,
        Op::LOAD_DEREF => load_deref,
        Op::STORE_DEREF => store_deref,
        Op::LOAD_CLOSURE => load_closure,
        Op::LIST_APPEND => list_append,
        Op::LOAD_ATTR => load_attr,
        Op::LOAD_METHOD => load_method_generic,
        Op::CALL_PY_EXACT_ARGS | Op::CALL_BOUND_METHOD_EXACT_ARGS => call_py_exact,
        Op::CALL_ALLOC_AND_ENTER_INIT => call_alloc_init,
        Op::CALL | Op::CALL_BUILTIN_FAST | Op::CALL_LEN | Op::CALL_ISINSTANCE => call,
        _ => return None,
    };
    Some(h)
}
