//! The `builtins` module: builtin functions, and the methods and constructors of the builtin
//! types (one submodule per type family).

pub mod constructors;
pub mod dict;
pub mod functions;
pub mod list;
pub mod numbers;
pub mod object;
pub mod set;
pub mod str;

use crate::Vm;
use crate::object::{Binding, DictObj, NativeFn};
use crate::runtime::attr::dict_set_str;
use crate::runtime::class::builtin_fn;
use crate::types::types;
use crate::value::Value;

/// Registers a builtin function in a module dict.
pub fn def(d: &Value, name: &'static str, f: NativeFn) {
    dict_set_str(
        d.downcast::<DictObj>().unwrap(),
        name,
        builtin_fn(name, "", f, Binding::Function),
    );
}

/// Sets a value in a module dict.
pub fn set(d: &Value, name: &str, v: Value) {
    dict_set_str(d.downcast::<DictObj>().unwrap(), name, v);
}

/// Fills the builtins dict and the builtin types' namespaces; registers the standard
/// modules.
pub fn init(vm: &mut Vm) {
    let b = vm.builtins.clone();
    let t = types();
    for (name, v) in [
        ("object", &t.object),
        ("type", &t.type_),
        ("int", &t.int),
        ("bool", &t.bool_),
        ("float", &t.float),
        ("str", &t.str),
        ("list", &t.list),
        ("tuple", &t.tuple),
        ("dict", &t.dict),
        ("set", &t.set),
        ("frozenset", &t.frozenset),
        ("range", &t.range),
        ("slice", &t.slice),
        ("property", &t.property),
        ("classmethod", &t.classmethod),
        ("staticmethod", &t.staticmethod),
        ("super", &t.super_),
        ("enumerate", &t.enumerate),
        ("zip", &t.zip),
        ("map", &t.map),
        ("filter", &t.filter),
        ("reversed", &t.reversed),
        ("BaseException", &t.base_exception),
        ("Exception", &t.exception),
        ("TypeError", &t.type_error),
        ("ValueError", &t.value_error),
        ("NameError", &t.name_error),
        ("UnboundLocalError", &t.unbound_local_error),
        ("AttributeError", &t.attribute_error),
        ("KeyError", &t.key_error),
        ("IndexError", &t.index_error),
        ("LookupError", &t.lookup_error),
        ("ZeroDivisionError", &t.zero_division_error),
        ("ArithmeticError", &t.arithmetic_error),
        ("OverflowError", &t.overflow_error),
        ("FloatingPointError", &t.floating_point_error),
        ("StopIteration", &t.stop_iteration),
        ("RuntimeError", &t.runtime_error),
        ("RecursionError", &t.recursion_error),
        ("NotImplementedError", &t.not_implemented_error),
        ("AssertionError", &t.assertion_error),
        ("ImportError", &t.import_error),
        ("ModuleNotFoundError", &t.module_not_found_error),
        ("SystemExit", &t.system_exit),
        ("KeyboardInterrupt", &t.keyboard_interrupt),
        ("GeneratorExit", &t.generator_exit),
        ("OSError", &t.os_error),
        ("IOError", &t.os_error),
        ("EnvironmentError", &t.os_error),
        ("FileNotFoundError", &t.file_not_found_error),
        ("PermissionError", &t.permission_error),
        ("IsADirectoryError", &t.is_a_directory_error),
        ("SyntaxError", &t.syntax_error),
        ("IndentationError", &t.indentation_error),
        ("EOFError", &t.eof_error),
        ("MemoryError", &t.memory_error),
        ("BufferError", &t.buffer_error),
        ("UnicodeError", &t.unicode_error),
        ("UnicodeDecodeError", &t.unicode_decode_error),
        ("Warning", &t.warning),
        ("DeprecationWarning", &t.deprecation_warning),
        ("UserWarning", &t.user_warning),
        ("RuntimeWarning", &t.runtime_warning),
        ("ConnectionError", &t.connection_error),
        ("BrokenPipeError", &t.broken_pipe_error),
        ("ConnectionAbortedError", &t.connection_aborted_error),
        ("ConnectionRefusedError", &t.connection_refused_error),
        ("ConnectionResetError", &t.connection_reset_error),
        ("BlockingIOError", &t.blocking_io_error),
        ("ChildProcessError", &t.child_process_error),
        ("FileExistsError", &t.file_exists_error),
        ("InterruptedError", &t.interrupted_error),
        ("NotADirectoryError", &t.not_a_directory_error),
        ("ProcessLookupError", &t.process_lookup_error),
        ("TimeoutError", &t.timeout_error),
        ("ReferenceError", &t.reference_error),
        ("StopAsyncIteration", &t.stop_async_iteration),
        ("SystemError", &t.system_error),
        ("TabError", &t.tab_error),
        ("UnicodeEncodeError", &t.unicode_encode_error),
        ("UnicodeTranslateError", &t.unicode_translate_error),
        ("BytesWarning", &t.bytes_warning),
        ("EncodingWarning", &t.encoding_warning),
        ("FutureWarning", &t.future_warning),
        ("ImportWarning", &t.import_warning),
        ("PendingDeprecationWarning", &t.pending_deprecation_warning),
        ("ResourceWarning", &t.resource_warning),
        ("SyntaxWarning", &t.syntax_warning),
        ("UnicodeWarning", &t.unicode_warning),
    ] {
        set(&b, name, v.clone());
    }
    set(&b, "None", Value::NONE);
    set(&b, "True", Value::TRUE);
    set(&b, "False", Value::FALSE);
    set(&b, "NotImplemented", Value::NOT_IMPLEMENTED);
    set(&b, "Ellipsis", Value::ELLIPSIS);
    set(&b, "__name__", crate::runtime::str::new_str("builtins"));
    set(&b, "__debug__", Value::TRUE);
    functions::init(vm, &b);
    constructors::init(vm);
    object::init(vm);
    numbers::init(vm);
    self::str::init(vm);
    list::init(vm);
    list::init_range(vm);
    dict::init(vm);
    set::init(vm);
    crate::stdlib::init(vm);
    let bm = vm.builtins.clone();
    vm.new_module("builtins", bm);
}
