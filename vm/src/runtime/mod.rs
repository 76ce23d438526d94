//! The language's semantics over values: arithmetic, comparison, attributes, iteration,
//! conversion to text. Everything here may call back into Python through the [`crate::Vm`].

pub mod attr;
pub mod class;
pub mod collections;
pub mod exc;
pub mod float;
pub mod hash;
pub mod instance;
pub mod int;
pub mod int_div;
pub mod iter;
pub mod list;
pub mod ops;
pub mod repr;
pub mod str;
pub mod tuple;

use crate::object::ClassObj;
use crate::types::types;
use crate::value::Value;

/// The class of any value (a new reference).
#[inline]
pub fn class_of(v: &Value) -> Value {
    if v.is_float() {
        return types().float.clone();
    }
    if v.is_small_int() {
        return types().int.clone();
    }
    if let Some(h) = v.header() {
        // SAFETY: every object's class pointer is a live class it holds a reference to.
        return unsafe {
            Value::clone_from_bits(Value::from_header_owned(h.cls.get()).into_bits())
        };
    }
    if v.is_bool() {
        types().bool_.clone()
    } else if v.is_none() {
        types().none_type.clone()
    } else if v.is(&Value::NOT_IMPLEMENTED) {
        types().not_implemented_type.clone()
    } else {
        types().ellipsis_type.clone()
    }
}

/// The class of a heap object as a non-owning value (no reference-count traffic). The result
/// must not outlive `v`.
#[inline(always)]
pub fn class_ref(h: &crate::object::Header) -> std::mem::ManuallyDrop<Value> {
    // SAFETY: the header's class is alive while the object is (it holds a reference), and
    // ManuallyDrop keeps this borrowed word from releasing a reference it does not own.
    std::mem::ManuallyDrop::new(unsafe { Value::from_header_owned(h.cls.get()) })
}

/// Runs `f` with the class of `v` without taking a new reference.
#[inline]
pub fn with_class<R>(v: &Value, f: impl FnOnce(&ClassObj, &Value) -> R) -> R {
    let c = class_of(v);
    f(c.downcast::<ClassObj>().expect("class"), &c)
}

/// The `__name__` of the class of `v`.
pub fn type_name(v: &Value) -> String {
    with_class(v, |c, _| class_name(c))
}

/// A class's `__name__`.
pub fn class_name(c: &ClassObj) -> String {
    str::as_str(&c.name.get()).unwrap_or("?").to_string()
}
