//! Exceptions: creating them from native code, and checking their classes.

use crate::PyErr;
use crate::object::{self, ClassObj, ExcObj, Slot};
use crate::runtime::str::new_str;
use crate::runtime::tuple;
use crate::types::types;
use crate::value::Value;
use std::cell::{Cell, UnsafeCell};

/// A new exception instance of class `cls` with `args`.
pub fn new_exc(cls: &Value, args: Vec<Value>) -> Value {
    object::alloc(
        cls,
        ExcObj {
            args: Slot::new(tuple::new(args)),
            traceback: UnsafeCell::new(Vec::new()),
            cause: Slot::new(Value::NONE),
            context: Slot::new(Value::NONE),
            suppress_context: Cell::new(false),
            dict: Slot::new(Value::UNDEF),
        },
    )
}

/// An error of class `cls` with message `msg`.
pub fn err(cls: &Value, msg: impl AsRef<str>) -> PyErr {
    PyErr(new_exc(cls, vec![new_str(msg.as_ref())]))
}

macro_rules! errors {
    ($($fname:ident => $field:ident),* $(,)?) => {
        $(
            #[doc = concat!("A `", stringify!($field), "` with a message.")]
            pub fn $fname(msg: impl AsRef<str>) -> PyErr { err(&types().$field, msg) }
        )*
    };
}

errors! {
    type_error => type_error,
    value_error => value_error,
    index_error => index_error,
    attribute_error => attribute_error,
    name_error => name_error,
    unbound_local_error => unbound_local_error,
    zero_division_error => zero_division_error,
    overflow_error => overflow_error,
    runtime_error => runtime_error,
    recursion_error => recursion_error,
    not_implemented_error => not_implemented_error,
    import_error => import_error,
    module_not_found_error => module_not_found_error,
    os_error => os_error,
    file_not_found_error => file_not_found_error,
    lookup_error => lookup_error,
    memory_error => memory_error,
}

/// `KeyError(key)`.
pub fn key_error(key: Value) -> PyErr {
    PyErr(new_exc(&types().key_error, vec![key]))
}

/// `StopIteration(value)` (no args for None).
pub fn stop_iteration(value: Value) -> PyErr {
    let args = if value.is_none() { vec![] } else { vec![value] };
    PyErr(new_exc(&types().stop_iteration, args))
}

/// True if class `cls` is `base` or derives from it.
pub fn is_subclass(cls: &Value, base: &Value) -> bool {
    if cls.is(base) {
        return true;
    }
    match cls.downcast::<ClassObj>() {
        Some(c) => c.with_mro(|m| m.iter().any(|b| b.is(base))),
        None => false,
    }
}

/// The class of an exception value.
pub fn class_of(e: &Value) -> Value {
    crate::runtime::class_of(e)
}

/// True if exception `e` is an instance of `cls`.
pub fn matches(e: &Value, cls: &Value) -> bool {
    is_subclass(&class_of(e), cls)
}
