//! Operators: arithmetic with dunder dispatch, rich comparison, truth, membership and
//! subscripts.

use crate::object::{
    self, ClassObj, DictObj, InstanceObj, IntObj, Kind, ListObj, RangeObj, SetObj, SliceObj,
    StrObj, TupleObj,
};
use crate::runtime::str::{as_str, from_string, intern};
use crate::runtime::{class_of, exc, float, int, list, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use jitlens_compiler::bytecode::{Op, binop, cmpop};
use std::cmp::Ordering;

const DUNDERS: [(&str, &str, &str); 13] = [
    ("__add__", "__radd__", "__iadd__"),
    ("__and__", "__rand__", "__iand__"),
    ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
    ("__lshift__", "__rlshift__", "__ilshift__"),
    ("__matmul__", "__rmatmul__", "__imatmul__"),
    ("__mul__", "__rmul__", "__imul__"),
    ("__mod__", "__rmod__", "__imod__"),
    ("__or__", "__ror__", "__ior__"),
    ("__pow__", "__rpow__", "__ipow__"),
    ("__rshift__", "__rrshift__", "__irshift__"),
    ("__sub__", "__rsub__", "__isub__"),
    ("__truediv__", "__rtruediv__", "__itruediv__"),
    ("__xor__", "__rxor__", "__ixor__"),
];

const CMP_DUNDERS: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];
const CMP_SWAPPED: [u32; 6] = [
    cmpop::GT,
    cmpop::GE,
    cmpop::EQ,
    cmpop::NE,
    cmpop::LT,
    cmpop::LE,
];

/// Normalised slice bounds: (start, stop, step, length).
pub fn slice_indices(vm: &mut Vm, s: &SliceObj, len: i64) -> PyResult<(i64, i64, i64, i64)> {
    let _ = vm;
    let get = |v: &Value, what: &str| -> PyResult<Option<i64>> {
        if v.is_none() {
            return Ok(None);
        }
        match int::as_i64(v) {
            Some(i) => Ok(Some(i)),
            None if int::is_int(v) => Ok(Some(
                if int::to_bigint(v).unwrap() > num_bigint::BigInt::from(0) {
                    i64::MAX
                } else {
                    i64::MIN
                },
            )),
            None => {
                let _ = what;
                Err(exc::type_error(
                    "slice indices must be integers or None or have an __index__ method",
                ))
            }
        }
    };
    let step = get(&s.step, "step")?.unwrap_or(1);
    if step == 0 {
        return Err(exc::value_error("slice step cannot be zero"));
    }
    let (lower, upper) = if step < 0 { (-1, len - 1) } else { (0, len) };
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(i) => {
                if i < 0 {
                    let j = i.saturating_add(len);
                    if j < lower { lower } else { j }
                } else if i > upper {
                    upper
                } else {
                    i
                }
            }
        }
    };
    let start = clamp(
        get(&s.start, "start")?,
        if step < 0 { upper } else { lower },
    );
    let stop = clamp(get(&s.stop, "stop")?, if step < 0 { lower } else { upper });
    let n = if step < 0 {
        if stop < start {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        }
    } else if start < stop {
        (stop - start - 1) / step + 1
    } else {
        0
    };
    Ok((start, stop, step, n))
}

fn payload(v: &Value) -> Option<Value> {
    let i = v.downcast::<InstanceObj>()?;
    if i.payload.is_undef() {
        None
    } else {
        Some(i.payload.get())
    }
}

/// True if the class of `v` is a user-defined class (its dunders may be Python functions).
#[inline]
fn is_user_class(v: &Value) -> bool {
    match v.header() {
        Some(h) => !crate::runtime::class_ref(h)
            .downcast::<ClassObj>()
            .unwrap()
            .has(object::CLS_BUILTIN),
        None => false,
    }
}

impl Vm {
    /// A user-defined special method on the type of `v` (natives are not reported).
    fn user_dunder(&self, v: &Value, name: &str) -> Option<Value> {
        if !is_user_class(v) {
            return None;
        }
        let m = self.lookup_special(v, &intern(name))?;
        if m.kind() == Some(Kind::Builtin) {
            None
        } else {
            Some(m)
        }
    }

    /// `a <op> b` for BINARY_OP's argument (in-place forms included).
    pub fn binary_op(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
        let inplace = op >= binop::INPLACE;
        let base = if inplace { op - binop::INPLACE } else { op };
        // Numbers first.
        if a.is_small_int() && b.is_small_int() {
            if let Some(v) = int::binop(base, a, b)? {
                return Ok(v);
            }
        } else if let (Some(x), Some(y)) = (a.as_float(), b.as_float())
            && let Some(v) = float::binop(base, x, y)?
        {
            return Ok(v);
        }
        if let Some(v) = self.native_binop(a, b, base, inplace)? {
            return Ok(v);
        }
        // User-defined special methods.
        let (name, rname, iname) = DUNDERS[base as usize];
        if inplace && let Some(m) = self.user_dunder(a, iname) {
            let r = self.call(&m, &[a.clone(), b.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        let ta = class_of(a);
        let tb = class_of(b);
        let rfirst = !ta.is(&tb) && crate::runtime::exc::is_subclass(&tb, &ta);
        let am = self.user_dunder(a, name);
        let bm = if ta.is(&tb) {
            None
        } else {
            self.user_dunder(b, rname)
        };
        if rfirst && let Some(m) = &bm {
            let r = self.call(m, &[b.clone(), a.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        if let Some(m) = am {
            let r = self.call(&m, &[a.clone(), b.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        if !rfirst && let Some(m) = &bm {
            let r = self.call(m, &[b.clone(), a.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        // Builtin payloads of subclass instances (class MyInt(int)).
        if payload(a).is_some() || payload(b).is_some() {
            let pa = payload(a).unwrap_or_else(|| a.clone());
            let pb = payload(b).unwrap_or_else(|| b.clone());
            return self.binary_op(&pa, &pb, op);
        }
        if let Some(r) = crate::stdlib::collections::deque_binop(self, a, b, op)? {
            return Ok(r);
        }
        if base == binop::MULTIPLY {
            let seq = |v: &Value| {
                matches!(
                    v.kind(),
                    Some(Kind::Str) | Some(Kind::List) | Some(Kind::Tuple)
                )
            };
            if seq(a) && !int::is_int(b) {
                return Err(exc::type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    type_name(b)
                )));
            }
            if seq(b) && !int::is_int(a) {
                return Err(exc::type_error(format!(
                    "can't multiply sequence by non-int of type '{}'",
                    type_name(a)
                )));
            }
        }
        let sym = binop::SYMBOLS[base as usize];
        let sym = if inplace {
            format!("{sym}=")
        } else {
            sym.to_string()
        };
        if base == binop::POWER && !inplace {
            return Err(exc::type_error(format!(
                "unsupported operand type(s) for ** or pow(): '{}' and '{}'",
                type_name(a),
                type_name(b)
            )));
        }
        Err(exc::type_error(format!(
            "unsupported operand type(s) for {sym}: '{}' and '{}'",
            type_name(a),
            type_name(b)
        )))
    }

    fn native_binop(
        &mut self,
        a: &Value,
        b: &Value,
        op: u32,
        inplace: bool,
    ) -> PyResult<Option<Value>> {
        let user_a = is_user_class(a) && self.user_dunder(a, DUNDERS[op as usize].0).is_some();
        let user_b = is_user_class(b) && self.user_dunder(b, DUNDERS[op as usize].1).is_some();
        if user_a || user_b {
            return Ok(None);
        }
        let num = |v: &Value| {
            v.is_float() || v.is_small_int() || v.is_bool() || v.downcast::<IntObj>().is_some()
        };
        if a.is_bool() && b.is_bool() && matches!(op, binop::AND | binop::OR | binop::XOR) {
            let (x, y) = (a.is(&Value::TRUE), b.is(&Value::TRUE));
            return Ok(Some(Value::bool(match op {
                binop::AND => x & y,
                binop::OR => x | y,
                _ => x ^ y,
            })));
        }
        if num(a) && num(b) {
            if a.is_float() || b.is_float() {
                let x = to_f64(a)?;
                let y = to_f64(b)?;
                return float::binop(op, x, y);
            }
            return int::binop(op, a, b);
        }
        match (a.kind(), op) {
            (Some(Kind::Str), binop::ADD) => {
                if let (Some(x), Some(y)) = (as_str(a), as_str(b)) {
                    let mut s = String::with_capacity(x.len() + y.len());
                    s.push_str(x);
                    s.push_str(y);
                    return Ok(Some(from_string(s)));
                }
            }
            (Some(Kind::Str), binop::MULTIPLY) => {
                if let Some(n) = int::as_i64(b).filter(|_| int::is_int(b)) {
                    return Ok(Some(from_string(
                        as_str(a).unwrap().repeat(n.max(0) as usize),
                    )));
                }
            }
            (Some(Kind::Str), binop::REMAINDER) => return self.percent_format(a, b).map(Some),
            (Some(Kind::List), binop::ADD) => {
                if inplace {
                    let items = self.collect(b)?;
                    a.downcast::<ListObj>().unwrap().with(|v| v.extend(items));
                    return Ok(Some(a.clone()));
                }
                if let Some(y) = b.downcast::<ListObj>() {
                    let mut items = a.downcast::<ListObj>().unwrap().snapshot();
                    items.extend(y.snapshot());
                    return Ok(Some(list::new(items)));
                }
                return Err(exc::type_error(format!(
                    "can only concatenate list (not \"{}\") to list",
                    type_name(b)
                )));
            }
            (Some(Kind::List), binop::MULTIPLY) => {
                if let Some(n) = int::as_i64(b).filter(|_| int::is_int(b)) {
                    let l = a.downcast::<ListObj>().unwrap();
                    let items = l.snapshot();
                    let mut out = Vec::with_capacity(items.len() * n.max(0) as usize);
                    for _ in 0..n.max(0) {
                        out.extend(items.iter().cloned());
                    }
                    if inplace {
                        l.replace(out);
                        return Ok(Some(a.clone()));
                    }
                    return Ok(Some(list::new(out)));
                }
            }
            (Some(Kind::Tuple), binop::ADD) => {
                if let (Some(x), Some(y)) = (tuple::items(a), tuple::items(b)) {
                    let mut items = x.to_vec();
                    items.extend_from_slice(y);
                    return Ok(Some(tuple::new(items)));
                }
                if b.kind() != Some(Kind::Tuple) {
                    return Err(exc::type_error(format!(
                        "can only concatenate tuple (not \"{}\") to tuple",
                        type_name(b)
                    )));
                }
            }
            (Some(Kind::Tuple), binop::MULTIPLY) => {
                if let Some(n) = int::as_i64(b).filter(|_| int::is_int(b)) {
                    let items = tuple::items(a).unwrap();
                    let mut out = Vec::with_capacity(items.len() * n.max(0) as usize);
                    for _ in 0..n.max(0) {
                        out.extend(items.iter().cloned());
                    }
                    return Ok(Some(tuple::new(out)));
                }
            }
            (Some(Kind::Set), binop::OR | binop::AND | binop::SUBTRACT | binop::XOR)
                if b.kind() == Some(Kind::Set) =>
            {
                return self.set_binop(a, b, op, inplace).map(Some);
            }
            (Some(Kind::Iter), binop::OR | binop::AND | binop::SUBTRACT | binop::XOR)
                if class_of(a).is(&types().dict_keys) || class_of(a).is(&types().dict_items) =>
            {
                let sa = object::alloc(&types().set, SetObj::new(false));
                self.set_update(&sa, a)?;
                let sb = object::alloc(&types().set, SetObj::new(false));
                self.set_update(&sb, b)?;
                return self.set_binop(&sa, &sb, op, false).map(Some);
            }
            (Some(Kind::Dict), binop::OR) if b.kind() == Some(Kind::Dict) => {
                let d = if inplace {
                    a.clone()
                } else {
                    self.dict_copy(a)?
                };
                self.dict_update(&d, b, false)?;
                return Ok(Some(d));
            }
            _ => {}
        }
        // n * seq
        if op == binop::MULTIPLY
            && int::is_int(a)
            && matches!(
                b.kind(),
                Some(Kind::Str) | Some(Kind::List) | Some(Kind::Tuple)
            )
        {
            return self.native_binop(b, a, op, false);
        }
        Ok(None)
    }

    /// A copy of a dict.
    pub fn dict_copy(&mut self, d: &Value) -> PyResult<Value> {
        let nd = object::alloc(&types().dict, DictObj::default());
        self.dict_update(&nd, d, false)?;
        Ok(nd)
    }

    /// `-a`, `+a`, `~a`.
    pub fn unary_op(&mut self, a: &Value, op: Op) -> PyResult<Value> {
        if let Some(x) = a.as_float() {
            return match op {
                Op::UNARY_NEGATIVE => Ok(Value::float(-x)),
                Op::UNARY_POSITIVE => Ok(a.clone()),
                _ => Err(exc::type_error("bad operand type for unary ~: 'float'")),
            };
        }
        if int::is_int(a) && !is_user_class(a) || a.is_bool() {
            return Ok(match op {
                Op::UNARY_NEGATIVE => int::neg(a),
                Op::UNARY_POSITIVE => {
                    int::from_i64(0).clone_and(|| int::from_bigint(int::to_bigint(a).unwrap()))
                }
                _ => int::invert(a),
            });
        }
        let (name, sym) = match op {
            Op::UNARY_NEGATIVE => ("__neg__", "-"),
            Op::UNARY_POSITIVE => ("__pos__", "+"),
            _ => ("__invert__", "~"),
        };
        if let Some(m) = self.user_dunder(a, name) {
            return self.call(&m, std::slice::from_ref(a));
        }
        if let Some(p) = payload(a) {
            return self.unary_op(&p, op);
        }
        Err(exc::type_error(format!(
            "bad operand type for unary {sym}: '{}'",
            type_name(a)
        )))
    }

    /// Truth value.
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        if v.is(&Value::TRUE) {
            return Ok(true);
        }
        if v.is(&Value::FALSE) || v.is_none() {
            return Ok(false);
        }
        if let Some(i) = v.as_small_int() {
            return Ok(i != 0);
        }
        if let Some(f) = v.as_float() {
            return Ok(f != 0.0);
        }
        match v.kind() {
            Some(Kind::Str) => return Ok(!as_str(v).unwrap().is_empty()),
            Some(Kind::List) if !is_user_class(v) => {
                return Ok(!v.downcast::<ListObj>().unwrap().is_empty());
            }
            Some(Kind::Tuple) => return Ok(!tuple::items(v).unwrap().is_empty()),
            Some(Kind::Dict) if !is_user_class(v) => {
                return Ok(!v.downcast::<DictObj>().unwrap().is_empty());
            }
            Some(Kind::Set) => return Ok(!v.downcast::<SetObj>().unwrap().is_empty()),
            Some(Kind::Int) => return Ok(true),
            Some(Kind::Range) => {
                return Ok(!num_traits::Zero::is_zero(
                    &v.downcast::<RangeObj>().unwrap().big_len(),
                ));
            }
            _ => {}
        }
        let plain = v.kind() == Some(Kind::Instance);
        if plain
            && let Some(c) = v.header().and_then(|h| h.class_data())
            && c.truth_epoch.get() == self.type_epoch.get()
        {
            return Ok(true);
        }
        if is_user_class(v) {
            if let Some(m) = self.user_dunder(v, "__bool__") {
                let r = self.call(&m, std::slice::from_ref(v))?;
                if !r.is_bool() {
                    return Err(exc::type_error(format!(
                        "__bool__ should return bool, returned {}",
                        type_name(&r)
                    )));
                }
                return Ok(r.is(&Value::TRUE));
            }
            if let Some(m) = self.user_dunder(v, "__len__") {
                let r = self.call(&m, std::slice::from_ref(v))?;
                return Ok(int::as_i64(&r).unwrap_or(1) != 0);
            }
            match v.kind() {
                Some(Kind::List) => return Ok(!v.downcast::<ListObj>().unwrap().is_empty()),
                Some(Kind::Dict) => return Ok(!v.downcast::<DictObj>().unwrap().is_empty()),
                _ => {}
            }
            if let Some(p) = payload(v) {
                return self.truthy(&p);
            }
            if plain && let Some(c) = v.header().and_then(|h| h.class_data()) {
                c.truth_epoch.set(self.type_epoch.get());
            }
        }
        if v.kind() == Some(Kind::Deque) {
            return Ok(v
                .downcast::<object::DequeObj>()
                .unwrap()
                .with(|d| !d.is_empty()));
        }
        Ok(true)
    }

    /// Python `==` as a bool.
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let Some(r) = crate::object::dict::fast_eq(a, b) {
            return Ok(r);
        }
        if a.is(b) && !a.is_float() {
            return Ok(true);
        }
        let r = self.compare(a, b, cmpop::EQ)?;
        if r.is_bool() {
            return Ok(r.is(&Value::TRUE));
        }
        self.truthy(&r)
    }

    /// Python `<` as a bool.
    pub fn lt(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
            return Ok(x < y);
        }
        let r = self.compare(a, b, cmpop::LT)?;
        if r.is_bool() {
            return Ok(r.is(&Value::TRUE));
        }
        self.truthy(&r)
    }

    /// COMPARE_OP: rich comparison (the result is not coerced to bool).
    pub fn compare(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<Value> {
        if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
            return Ok(Value::bool(ord_matches(x.cmp(&y), op)));
        }
        if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
            return Ok(Value::bool(float_cmp(x, y, op)));
        }
        let user = is_user_class(a) || is_user_class(b);
        if !user && let Some(r) = self.native_compare(a, b, op)? {
            return Ok(Value::bool(r));
        }
        // Rich comparison dispatch.
        let ta = class_of(a);
        let tb = class_of(b);
        let name = CMP_DUNDERS[op as usize];
        let rname = CMP_DUNDERS[CMP_SWAPPED[op as usize] as usize];
        let rfirst = !ta.is(&tb) && crate::runtime::exc::is_subclass(&tb, &ta);
        let bm = self.user_dunder(b, rname);
        if rfirst && let Some(m) = &bm {
            let r = self.call(m, &[b.clone(), a.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        if let Some(m) = self.user_dunder(a, name) {
            let r = self.call(&m, &[a.clone(), b.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        if !rfirst && let Some(m) = &bm {
            let r = self.call(m, &[b.clone(), a.clone()])?;
            if !r.is(&Value::NOT_IMPLEMENTED) {
                return Ok(r);
            }
        }
        // `!=` falls back on `__eq__`.
        if op == cmpop::NE
            && (self.user_dunder(a, "__eq__").is_some() || self.user_dunder(b, "__eq__").is_some())
        {
            let r = self.compare(a, b, cmpop::EQ)?;
            let t = self.truthy(&r)?;
            return Ok(Value::bool(!t));
        }
        if user
            && let Some(r) = self.native_compare(
                &payload(a).unwrap_or(a.clone()),
                &payload(b).unwrap_or(b.clone()),
                op,
            )?
        {
            return Ok(Value::bool(r));
        }
        if let Some(r) = crate::stdlib::collections::deque_compare(self, a, b, op)? {
            return Ok(r);
        }
        match op {
            cmpop::EQ => Ok(Value::bool(a.is(b))),
            cmpop::NE => Ok(Value::bool(!a.is(b))),
            _ => Err(exc::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                cmpop::SYMBOLS[op as usize],
                type_name(a),
                type_name(b)
            ))),
        }
    }

    fn native_compare(&mut self, a: &Value, b: &Value, op: u32) -> PyResult<Option<bool>> {
        let isnum = |v: &Value| v.is_float() || int::is_int(v) && v.kind() != Some(Kind::Instance);
        if isnum(a) && isnum(b) {
            let o = match (a.as_float(), b.as_float()) {
                (Some(x), Some(y)) => return Ok(Some(float_cmp(x, y, op))),
                (Some(x), None) => int::cmp_float(b, x).map(|o| o.reverse()),
                (None, Some(y)) => int::cmp_float(a, y),
                (None, None) => Some(int::cmp(a, b)),
            };
            return Ok(Some(match o {
                Some(o) => ord_matches(o, op),
                None => op == cmpop::NE,
            }));
        }
        match (a.kind(), b.kind()) {
            (Some(Kind::Str), Some(Kind::Str)) => {
                let o = as_str(a).unwrap().cmp(as_str(b).unwrap());
                return Ok(Some(ord_matches(o, op)));
            }
            (Some(Kind::List), Some(Kind::List)) | (Some(Kind::Tuple), Some(Kind::Tuple)) => {
                let x = seq_items(a);
                let y = seq_items(b);
                return self.seq_compare(&x, &y, op).map(Some);
            }
            (Some(Kind::Dict), Some(Kind::Dict)) if op == cmpop::EQ || op == cmpop::NE => {
                let e = self.dict_eq(a, b)?;
                return Ok(Some(e == (op == cmpop::EQ)));
            }
            (Some(Kind::Set), Some(Kind::Set)) => return self.set_compare(a, b, op).map(Some),
            (Some(Kind::Slice), Some(Kind::Slice)) => {
                let x = a.downcast::<SliceObj>().unwrap();
                let y = b.downcast::<SliceObj>().unwrap();
                let tx = [x.start.clone(), x.stop.clone(), x.step.clone()];
                let ty = [y.start.clone(), y.stop.clone(), y.step.clone()];
                return self.seq_compare(&tx, &ty, op).map(Some);
            }
            (Some(Kind::Range), Some(Kind::Range)) if op == cmpop::EQ || op == cmpop::NE => {
                let x = a.downcast::<RangeObj>().unwrap();
                let y = b.downcast::<RangeObj>().unwrap();
                let ((xa, _, xs), (ya, _, ys)) = (x.bounds(), y.bounds());
                let (xn, yn) = (x.big_len(), y.big_len());
                let same = xn == yn && (xn == 0.into() || xa == ya && (xn == 1.into() || xs == ys));
                return Ok(Some(same == (op == cmpop::EQ)));
            }
            _ => {}
        }
        if op == cmpop::EQ || op == cmpop::NE {
            if a.is_none()
                || b.is_none()
                || a.is_bool() && !isnum(b)
                || a.kind() != b.kind() && !(isnum(a) || isnum(b))
            {
                let same = a.is(b);
                if a.kind().is_some() && b.kind().is_some() && a.kind() != b.kind()
                    || a.is_none()
                    || b.is_none()
                    || !a.is_obj()
                    || !b.is_obj()
                {
                    return Ok(Some(same == (op == cmpop::EQ)));
                }
            }
            if isnum(a) != isnum(b)
                && (a.kind() != Some(Kind::Instance) && b.kind() != Some(Kind::Instance))
            {
                return Ok(Some(op == cmpop::NE));
            }
        }
        Ok(None)
    }

    fn seq_compare(&mut self, x: &[Value], y: &[Value], op: u32) -> PyResult<bool> {
        // Nested containers compare recursively: bound the depth as CPython does.
        if self.cmp_depth >= self.recursion_limit || self.native_stack_low() {
            return Err(exc::recursion_error(
                "maximum recursion depth exceeded in comparison",
            ));
        }
        self.cmp_depth += 1;
        let r = self.seq_compare_inner(x, y, op);
        self.cmp_depth -= 1;
        r
    }

    fn seq_compare_inner(&mut self, x: &[Value], y: &[Value], op: u32) -> PyResult<bool> {
        for (p, q) in x.iter().zip(y.iter()) {
            if (!p.is(q) || p.is_float()) && !self.eq(p, q)? {
                if op == cmpop::EQ {
                    return Ok(false);
                }
                if op == cmpop::NE {
                    return Ok(true);
                }
                let r = self.compare(p, q, op)?;
                return self.truthy(&r);
            }
        }
        let o = x.len().cmp(&y.len());
        Ok(ord_matches(o, op))
    }

    fn dict_eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        let x = a.downcast::<DictObj>().unwrap();
        let y = b.downcast::<DictObj>().unwrap();
        if x.len() != y.len() {
            return Ok(false);
        }
        for (k, v) in x.items() {
            match self.dict_get(y, &k)? {
                Some(w) => {
                    if !self.eq(&v, &w)? {
                        return Ok(false);
                    }
                }
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container.kind() {
            Some(Kind::Dict)
                if !is_user_class(container)
                    || self.user_dunder(container, "__contains__").is_none() =>
            {
                let d = container.downcast::<DictObj>().unwrap();
                return Ok(self.dict_get(d, item)?.is_some());
            }
            Some(Kind::Set) => {
                let s = container.downcast::<SetObj>().unwrap();
                let h = self.hash(item)?;
                return s.contains(item, h, &mut |a, b| self.eq(a, b));
            }
            Some(Kind::Str) if !is_user_class(container) => {
                let Some(sub) = as_str(item) else {
                    return Err(exc::type_error(format!(
                        "'in <string>' requires string as left operand, not {}",
                        type_name(item)
                    )));
                };
                return Ok(as_str(container).unwrap().contains(sub));
            }
            Some(Kind::List) | Some(Kind::Tuple)
                if !is_user_class(container)
                    || self.user_dunder(container, "__contains__").is_none() =>
            {
                let items = seq_items(container);
                for x in &items {
                    if x.is(item) && !x.is_float() || self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
            Some(Kind::Range) => {
                let r = container.downcast::<RangeObj>().unwrap();
                if int::is_int(item) && (r.big.is_some() || int::as_i64(item).is_none()) {
                    return Ok(range_find(r, &int::to_bigint(item).unwrap()).is_some());
                }
                if let Some(i) = int::as_i64(item).filter(|_| int::is_int(item)) {
                    let inside = if r.step > 0 {
                        i >= r.start && i < r.stop
                    } else {
                        i <= r.start && i > r.stop
                    };
                    return Ok(inside && (i - r.start) % r.step == 0);
                }
            }
            _ => {}
        }
        if let Some(m) = self.user_dunder(container, "__contains__") {
            let r = self.call(&m, &[container.clone(), item.clone()])?;
            return self.truthy(&r);
        }
        let it = match self.get_iter(container) {
            Ok(it) => it,
            Err(e) if exc::matches(&e.0, &types().type_error) => {
                return Err(exc::type_error(format!(
                    "argument of type '{}' is not iterable",
                    type_name(container)
                )));
            }
            Err(e) => return Err(e),
        };
        while let Some(x) = self.next(&it)? {
            if x.is(item) || self.eq(&x, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `c[k]`.
    pub fn getitem(&mut self, c: &Value, k: &Value) -> PyResult<Value> {
        if let Some(l) = c.downcast::<ListObj>()
            && let Some(i) = k.as_small_int()
            && !is_user_class(c)
        {
            let n = l.len() as i64;
            let j = if i < 0 { i + n } else { i };
            return l
                .get(j as usize)
                .filter(|_| j >= 0)
                .ok_or_else(|| exc::index_error("list index out of range"));
        }
        if is_user_class(c)
            && let Some(m) = self.user_dunder(c, "__getitem__")
        {
            return self.call(&m, &[c.clone(), k.clone()]);
        }
        match c.kind() {
            Some(Kind::List) => {
                let l = c.downcast::<ListObj>().unwrap();
                if let Some(s) = k.downcast::<SliceObj>() {
                    let (start, _, step, n) = slice_indices(self, s, l.len() as i64)?;
                    let out = l.with(|v| {
                        if step == 1 {
                            v[start as usize..(start + n) as usize].to_vec()
                        } else {
                            (0..n)
                                .map(|i| v[(start + i * step) as usize].clone())
                                .collect()
                        }
                    });
                    return Ok(list::new(out));
                }
                let i = self.index_of(k, "list")?;
                let n = l.len() as i64;
                let j = if i < 0 { i + n } else { i };
                l.get(j as usize)
                    .filter(|_| j >= 0)
                    .ok_or_else(|| exc::index_error("list index out of range"))
            }
            Some(Kind::Tuple) => {
                let items = tuple::items(c).unwrap();
                if let Some(s) = k.downcast::<SliceObj>() {
                    let (start, _, step, n) = slice_indices(self, s, items.len() as i64)?;
                    return Ok(tuple::new(
                        (0..n)
                            .map(|i| items[(start + i * step) as usize].clone())
                            .collect(),
                    ));
                }
                let i = self.index_of(k, "tuple")?;
                let n = items.len() as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(exc::index_error("tuple index out of range"));
                }
                Ok(items[j as usize].clone())
            }
            Some(Kind::Str) => {
                let s = c.downcast::<StrObj>().unwrap();
                if let Some(sl) = k.downcast::<SliceObj>() {
                    let (start, _, step, n) = slice_indices(self, sl, s.nchars as i64)?;
                    if s.is_ascii() {
                        let b = s.s.as_bytes();
                        if step == 1 {
                            return Ok(crate::runtime::str::new_str(
                                &s.s[start as usize..(start + n) as usize],
                            ));
                        }
                        let out: String = (0..n)
                            .map(|i| b[(start + i * step) as usize] as char)
                            .collect();
                        return Ok(from_string(out));
                    }
                    let chars: Vec<char> = s.s.chars().collect();
                    let out: String = (0..n).map(|i| chars[(start + i * step) as usize]).collect();
                    return Ok(from_string(out));
                }
                let i = self.index_of(k, "string")?;
                let n = s.nchars as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(exc::index_error("string index out of range"));
                }
                Ok(crate::runtime::str::from_char(
                    crate::runtime::str::char_at(s, j as usize).unwrap(),
                ))
            }
            Some(Kind::Dict) => {
                let d = c.downcast::<DictObj>().unwrap();
                if let Some(v) = self.dict_get(d, k)? {
                    return Ok(v);
                }
                if is_user_class(c)
                    && let Some(m) = self.user_dunder(c, "__missing__")
                {
                    return self.call(&m, &[c.clone(), k.clone()]);
                }
                if !d.default_factory.is_undef() && !d.default_factory.get().is_none() {
                    let f = d.default_factory.get();
                    let v = self.call(&f, &[])?;
                    self.dict_set(c, k.clone(), v.clone())?;
                    return Ok(v);
                }
                Err(exc::key_error(k.clone()))
            }
            Some(Kind::Range) => {
                let r = c.downcast::<RangeObj>().unwrap();
                if r.big.is_some() {
                    return range_getitem_big(self, r, k);
                }
                if let Some(s) = k.downcast::<SliceObj>() {
                    let (start, stop, step, _) = slice_indices(self, s, r.len())?;
                    let nstart = r.start + start * r.step;
                    let nstep = r.step * step;
                    return Ok(object::alloc(
                        &types().range,
                        RangeObj::new(nstart, r.start + stop * r.step, nstep),
                    ));
                }
                let i = self.index_of(k, "range")?;
                let n = r.len();
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(exc::index_error("range object index out of range"));
                }
                Ok(int::from_i64(r.start + j * r.step))
            }
            Some(Kind::Deque) => {
                let i = self.index_of(k, "deque")?;
                let d = c.downcast::<object::DequeObj>().unwrap();
                d.with(|q| {
                    let n = q.len() as i64;
                    let j = if i < 0 { i + n } else { i };
                    if j < 0 || j >= n {
                        Err(exc::index_error("deque index out of range"))
                    } else {
                        Ok(q[j as usize].clone())
                    }
                })
            }
            Some(Kind::Class) => {
                // Generic aliases like list[int] in annotations: return the class itself.
                Ok(c.clone())
            }
            _ => {
                if let Some(p) = payload(c) {
                    return self.getitem(&p, k);
                }
                Err(exc::type_error(format!(
                    "'{}' object is not subscriptable",
                    type_name(c)
                )))
            }
        }
    }

    fn index_of(&mut self, k: &Value, what: &str) -> PyResult<i64> {
        if let Some(i) = int::as_i64(k).filter(|_| int::is_int(k)) {
            return Ok(i);
        }
        if int::is_int(k) {
            return Err(exc::index_error(
                "cannot fit 'int' into an index-sized integer",
            ));
        }
        if let Some(m) = self.user_dunder(k, "__index__") {
            let r = self.call(&m, std::slice::from_ref(k))?;
            return int::as_i64(&r).ok_or_else(|| exc::type_error("__index__ returned non-int"));
        }
        let what = match what {
            "string" => "string indices must be integers, not".to_string(),
            w => format!("{w} indices must be integers or slices, not"),
        };
        Err(exc::type_error(format!("{what} {}", type_name(k))))
    }

    /// `c[k] = v`.
    pub fn setitem(&mut self, c: &Value, k: &Value, v: Value) -> PyResult<()> {
        if let Some(l) = c.downcast::<ListObj>()
            && let Some(i) = k.as_small_int()
            && !is_user_class(c)
        {
            let n = l.len() as i64;
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return Err(exc::index_error("list assignment index out of range"));
            }
            l.set(j as usize, v);
            return Ok(());
        }
        if is_user_class(c)
            && let Some(m) = self.user_dunder(c, "__setitem__")
        {
            self.call(&m, &[c.clone(), k.clone(), v])?;
            return Ok(());
        }
        match c.kind() {
            Some(Kind::List) => {
                let l = c.downcast::<ListObj>().unwrap();
                if let Some(s) = k.downcast::<SliceObj>() {
                    let items = self.collect(&v)?;
                    let (start, stop, step, n) = slice_indices(self, s, l.len() as i64)?;
                    if step == 1 {
                        let (start, stop) = (start as usize, stop.max(start) as usize);
                        let mut items = items;
                        if items.len() == stop - start {
                            // Same size (`perm[:k + 1] = perm[k::-1]`): swap in place; the
                            // old values leave in `items`, dropped once the list is let go.
                            l.with(|vec| vec[start..stop].swap_with_slice(&mut items));
                            drop(items);
                            return Ok(());
                        }
                        let old: Vec<Value> =
                            l.with(|vec| vec.splice(start..stop, items).collect());
                        drop(old);
                        return Ok(());
                    }
                    if items.len() as i64 != n {
                        return Err(exc::value_error(format!(
                            "attempt to assign sequence of size {} to extended slice of size {n}",
                            items.len()
                        )));
                    }
                    for (i, x) in items.into_iter().enumerate() {
                        l.set((start + i as i64 * step) as usize, x);
                    }
                    return Ok(());
                }
                let i = self.index_of(k, "list")?;
                let n = l.len() as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(exc::index_error("list assignment index out of range"));
                }
                l.set(j as usize, v);
                Ok(())
            }
            Some(Kind::Dict) => self.dict_set(c, k.clone(), v),
            Some(Kind::Deque) => {
                let i = self.index_of(k, "deque")?;
                let d = c.downcast::<object::DequeObj>().unwrap();
                let old = d.with(|q| {
                    let n = q.len() as i64;
                    let j = if i < 0 { i + n } else { i };
                    if j < 0 || j >= n {
                        Err(exc::index_error("deque index out of range"))
                    } else {
                        Ok(std::mem::replace(&mut q[j as usize], v))
                    }
                })?;
                drop(old);
                Ok(())
            }
            _ => Err(exc::type_error(format!(
                "'{}' object does not support item assignment",
                type_name(c)
            ))),
        }
    }

    /// `del c[k]`.
    pub fn delitem(&mut self, c: &Value, k: &Value) -> PyResult<()> {
        if is_user_class(c)
            && let Some(m) = self.user_dunder(c, "__delitem__")
        {
            self.call(&m, &[c.clone(), k.clone()])?;
            return Ok(());
        }
        match c.kind() {
            Some(Kind::List) => {
                let l = c.downcast::<ListObj>().unwrap();
                if let Some(s) = k.downcast::<SliceObj>() {
                    let (start, _, step, n) = slice_indices(self, s, l.len() as i64)?;
                    let mut idx: Vec<usize> = (0..n).map(|i| (start + i * step) as usize).collect();
                    idx.sort_unstable();
                    let removed: Vec<Value> =
                        l.with(|v| idx.iter().rev().map(|&i| v.remove(i)).collect());
                    drop(removed);
                    return Ok(());
                }
                let i = self.index_of(k, "list")?;
                let n = l.len() as i64;
                let j = if i < 0 { i + n } else { i };
                if j < 0 || j >= n {
                    return Err(exc::index_error("list assignment index out of range"));
                }
                let old = l.with(|v| v.remove(j as usize));
                drop(old);
                Ok(())
            }
            Some(Kind::Dict) => {
                let d = c.downcast::<DictObj>().unwrap();
                let h = self.hash(k)?;
                match d.remove(k, h, &mut |a, b| self.eq(a, b))? {
                    Some(_) => Ok(()),
                    None => Err(exc::key_error(k.clone())),
                }
            }
            Some(Kind::Deque) => crate::stdlib::collections::deque_delitem(self, c, k),
            _ => Err(exc::type_error(format!(
                "'{}' object doesn't support item deletion",
                type_name(c)
            ))),
        }
    }
}

/// Items of a list or tuple (new references).
pub fn seq_items(v: &Value) -> Vec<Value> {
    if let Some(t) = v.downcast::<TupleObj>() {
        return t.items.to_vec();
    }
    if let Some(l) = v.downcast::<ListObj>() {
        return l.snapshot();
    }
    Vec::new()
}

/// A number as f64 (int, bool or float), with OverflowError for huge ints.
pub fn to_f64(v: &Value) -> PyResult<f64> {
    if let Some(f) = v.as_float() {
        return Ok(f);
    }
    if let Some(i) = v.as_small_int() {
        return Ok(i as f64);
    }
    if let Some(b) = int::to_bigint(v) {
        return int::big_to_f64(&b);
    }
    if let Some(p) = payload(v) {
        return to_f64(&p);
    }
    Err(exc::type_error(format!(
        "must be real number, not {}",
        type_name(v)
    )))
}

#[inline]
fn ord_matches(o: Ordering, op: u32) -> bool {
    match op {
        cmpop::LT => o == Ordering::Less,
        cmpop::LE => o != Ordering::Greater,
        cmpop::EQ => o == Ordering::Equal,
        cmpop::NE => o != Ordering::Equal,
        cmpop::GT => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

#[inline]
fn float_cmp(x: f64, y: f64, op: u32) -> bool {
    match op {
        cmpop::LT => x < y,
        cmpop::LE => x <= y,
        cmpop::EQ => x == y,
        cmpop::NE => x != y,
        cmpop::GT => x > y,
        _ => x >= y,
    }
}

trait CloneAnd {
    fn clone_and(self, f: impl FnOnce() -> Value) -> Value;
}
impl CloneAnd for Value {
    fn clone_and(self, f: impl FnOnce() -> Value) -> Value {
        f()
    }
}

/// The position of `x` in range `r`, if it is an item.
pub fn range_find(r: &RangeObj, x: &num_bigint::BigInt) -> Option<num_bigint::BigInt> {
    use num_traits::{Signed, Zero};
    let (start, stop, step) = r.bounds();
    let inside = if step.is_positive() {
        *x >= start && *x < stop
    } else {
        *x <= start && *x > stop
    };
    let off = x - &start;
    if inside && (&off % &step).is_zero() {
        Some(off / step)
    } else {
        None
    }
}

/// `r[k]` for a range with big-int bounds (CPython's `compute_range_item` / `compute_slice`).
fn range_getitem_big(vm: &mut Vm, r: &RangeObj, k: &Value) -> PyResult<Value> {
    use num_bigint::BigInt;
    use num_traits::{Signed, Zero};
    let (start, _, step) = r.bounds();
    let len = r.big_len();
    if let Some(s) = k.downcast::<SliceObj>() {
        let idx = |vm: &mut Vm, v: &Value| -> PyResult<Option<BigInt>> {
            if v.is_none() {
                return Ok(None);
            }
            big_index(vm, v).map(Some).map_err(|_| {
                exc::type_error(
                    "slice indices must be integers or None or have an __index__ method",
                )
            })
        };
        let sstep = idx(vm, &s.step)?.unwrap_or_else(|| 1.into());
        if sstep.is_zero() {
            return Err(exc::value_error("slice step cannot be zero"));
        }
        let (lower, upper) = if sstep.is_negative() {
            (BigInt::from(-1), &len - 1u32)
        } else {
            (BigInt::zero(), len.clone())
        };
        let clamp = |v: Option<BigInt>, dflt: &BigInt| match v {
            None => dflt.clone(),
            Some(v) if v.is_negative() => (v + &len).max(lower.clone()),
            Some(v) => v.min(upper.clone()),
        };
        let sstart = clamp(
            idx(vm, &s.start)?,
            if sstep.is_negative() { &upper } else { &lower },
        );
        let sstop = clamp(
            idx(vm, &s.stop)?,
            if sstep.is_negative() { &lower } else { &upper },
        );
        let nr = RangeObj::from_bigints(
            &start + sstart * &step,
            &start + sstop * &step,
            &step * sstep,
        );
        return Ok(object::alloc(&types().range, nr));
    }
    let i = big_index(vm, k).map_err(|_| {
        exc::type_error(format!(
            "range indices must be integers or slices, not {}",
            type_name(k)
        ))
    })?;
    let j = if i.is_negative() { i + &len } else { i };
    if j.is_negative() || j >= len {
        return Err(exc::index_error("range object index out of range"));
    }
    Ok(int::from_bigint(start + j * step))
}

/// An int, or the result of `__index__`, as a big int.
fn big_index(vm: &mut Vm, v: &Value) -> PyResult<num_bigint::BigInt> {
    if int::is_int(v) {
        return Ok(int::to_bigint(v).unwrap());
    }
    if let Some(m) = vm.user_dunder(v, "__index__") {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        return int::to_bigint(&r).ok_or_else(|| exc::type_error("__index__ returned non-int"));
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}
