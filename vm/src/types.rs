//! The builtin classes, created once per thread at VM start and reachable through
//! [`types()`] (allocation of builtin objects needs their class without a `Vm` at hand).

use crate::object::{
    self, CLS_BASETYPE, CLS_BUILTIN, CLS_EXCEPTION, CLS_NO_DICT, ClassObj, DictObj, Kind, NewFn,
    Slot,
};
use crate::runtime::str::new_str;
use crate::runtime::tuple;
use crate::value::Value;
use std::cell::{Cell, UnsafeCell};

macro_rules! types_struct {
    ($($field:ident),* $(,)?) => {
        /// Every builtin class.
        pub struct Types { $(#[doc = concat!("`", stringify!($field), "`")] pub $field: Value,)* }
    };
}

types_struct! {
    object, type_, int, bool_, float, str, list, tuple, dict, set, frozenset, none_type,
    function, builtin_function, method, code, cell, generator, range, slice, module,
    property, classmethod, staticmethod, super_, deque, defaultdict, file, not_implemented_type,
    ellipsis_type, member_descriptor, native,
    list_iterator, tuple_iterator, range_iterator, str_iterator, dict_keyiterator,
    dict_valueiterator, dict_itemiterator, set_iterator, reversed, enumerate, zip, map, filter,
    callable_iterator, iterator, count, islice, chain, repeat, permutations, combinations, product,
    deque_iterator, dict_keys, dict_values, dict_items,
    base_exception, exception, type_error, value_error, name_error, unbound_local_error,
    attribute_error, key_error, index_error, lookup_error, zero_division_error, arithmetic_error,
    overflow_error, stop_iteration, runtime_error, recursion_error, not_implemented_error,
    assertion_error, import_error, module_not_found_error, system_exit, keyboard_interrupt,
    generator_exit, os_error, file_not_found_error, syntax_error, eof_error, memory_error,
    unicode_error, unicode_decode_error, warning, deprecation_warning, user_warning,
    runtime_warning, permission_error, is_a_directory_error, floating_point_error,
    indentation_error, buffer_error,
    connection_error, broken_pipe_error, connection_aborted_error, connection_refused_error,
    connection_reset_error, blocking_io_error, child_process_error, file_exists_error,
    interrupted_error, not_a_directory_error, process_lookup_error, timeout_error, reference_error,
    stop_async_iteration, system_error, tab_error, unicode_encode_error, unicode_translate_error,
    bytes_warning, encoding_warning, future_warning, import_warning, pending_deprecation_warning,
    resource_warning, syntax_warning, unicode_warning,
}

thread_local! {
    static TYPES: Cell<*const Types> = const { Cell::new(std::ptr::null()) };
}

/// The builtin classes of this thread's VM.
#[inline(always)]
pub fn types() -> &'static Types {
    let p = TYPES.with(|t| t.get());
    debug_assert!(!p.is_null(), "types() before Vm::new()");
    // SAFETY: set once by `init` to a leaked, never-freed `Types`.
    unsafe { &*p }
}

/// Allocates a class object.
pub fn new_class(
    metaclass: &Value,
    name: &str,
    bases: Vec<Value>,
    layout: Kind,
    new: Option<NewFn>,
    flags: u32,
) -> Value {
    let mro = compute_simple_mro(&bases);
    let data = ClassObj {
        name: Slot::new(new_str(name)),
        qualname: Slot::new(new_str(name)),
        bases: Slot::new(tuple::new(bases)),
        mro: UnsafeCell::new(mro),
        dict: object::alloc(&types().dict, DictObj::default()),
        layout: Cell::new(layout),
        new: Cell::new(new),
        flags: Cell::new(flags),
        nslots: Cell::new(0),
        keys: Default::default(),
        truth_epoch: Cell::new(0),
    };
    object::alloc(metaclass, data)
}

/// MRO for single-inheritance builtin classes: the base, then the base's MRO.
fn compute_simple_mro(bases: &[Value]) -> Vec<Value> {
    let mut mro = Vec::new();
    if let Some(b) = bases.first() {
        mro.push(b.clone());
        if let Some(c) = b.downcast::<ClassObj>() {
            mro.extend(c.mro());
        }
    }
    mro
}

/// Creates the builtin classes and publishes them for [`types()`].
pub(crate) fn init() {
    if !TYPES.with(|t| t.get()).is_null() {
        return;
    }
    // Bootstrap: `type`, `object` and `dict` exist before any class can be allocated
    // normally, so they are built by hand with null classes and patched.
    let mk = |name: &str, layout: Kind, flags: u32| -> Value {
        let data = ClassObj {
            name: Slot::new(Value::UNDEF),
            qualname: Slot::new(Value::UNDEF),
            bases: Slot::new(Value::UNDEF),
            mro: UnsafeCell::new(Vec::new()),
            dict: object::alloc_raw(std::ptr::null(), DictObj::default()),
            layout: Cell::new(layout),
            new: Cell::new(None),
            flags: Cell::new(flags | CLS_BUILTIN),
            nslots: Cell::new(0),
            keys: Default::default(),
            truth_epoch: Cell::new(0),
        };
        let _ = name;
        object::alloc_raw(std::ptr::null(), data)
    };
    let type_ = mk("type", Kind::Class, CLS_BASETYPE);
    // Plain `object()` instances have no `__dict__`.
    let objc = mk("object", Kind::Instance, CLS_BASETYPE | CLS_NO_DICT);
    let dictc = mk("dict", Kind::Dict, CLS_BASETYPE);
    let strc = mk("str", Kind::Str, CLS_BASETYPE);
    let tuplec = mk("tuple", Kind::Tuple, CLS_BASETYPE);
    for c in [&type_, &objc, &dictc, &strc, &tuplec] {
        object::incref(type_.header_ptr());
        c.header().unwrap().cls.set(type_.header_ptr());
    }
    // A partial Types lets new_str/tuple::new/alloc(dict) work during the rest of the setup.
    let placeholder = |v: &Value| v.clone();
    macro_rules! partial {
        ($($f:ident),*) => {
            Types {
                $($f: Value::UNDEF,)*
                object: placeholder(&objc), type_: placeholder(&type_), dict: placeholder(&dictc),
                str: placeholder(&strc), tuple: placeholder(&tuplec),
                ..PARTIAL_REST
            }
        };
    }
    #[allow(clippy::declare_interior_mutable_const)]
    const PARTIAL_REST: Types = all_undef();
    let boot = Box::leak(Box::new(partial!()));
    TYPES.with(|t| t.set(boot as *const Types));
    for (c, name, base) in [
        (&type_, "type", Some(&objc)),
        (&objc, "object", None),
        (&dictc, "dict", Some(&objc)),
        (&strc, "str", Some(&objc)),
        (&tuplec, "tuple", Some(&objc)),
    ] {
        let k = c.downcast::<ClassObj>().unwrap();
        k.name.set(new_str(name));
        k.qualname.set(new_str(name));
        let bases: Vec<Value> = base.into_iter().cloned().collect();
        k.set_mro(bases.clone());
        k.bases.set(tuple::new(bases));
        // The namespace dict was allocated before `dict` existed: give it its class now.
        object::incref(dictc.header_ptr());
        k.dict.header().unwrap().cls.set(dictc.header_ptr());
    }

    let b = |name: &str, base: &Value, layout: Kind| {
        new_class(
            &type_,
            name,
            vec![base.clone()],
            layout,
            None,
            CLS_BUILTIN | CLS_BASETYPE,
        )
    };
    let f = |name: &str, base: &Value, layout: Kind| {
        new_class(&type_, name, vec![base.clone()], layout, None, CLS_BUILTIN)
    };
    let int = b("int", &objc, Kind::Int);
    let bool_ = f("bool", &int, Kind::Int);
    let list = b("list", &objc, Kind::List);
    let base_exception = new_class(
        &type_,
        "BaseException",
        vec![objc.clone()],
        Kind::Exception,
        None,
        CLS_BUILTIN | CLS_BASETYPE | CLS_EXCEPTION,
    );
    let e = |name: &str, base: &Value| {
        new_class(
            &type_,
            name,
            vec![base.clone()],
            Kind::Exception,
            None,
            CLS_BUILTIN | CLS_BASETYPE | CLS_EXCEPTION,
        )
    };
    let exception = e("Exception", &base_exception);
    let arithmetic_error = e("ArithmeticError", &exception);
    let lookup_error = e("LookupError", &exception);
    let name_error = e("NameError", &exception);
    let os_error = e("OSError", &exception);
    let runtime_error = e("RuntimeError", &exception);
    let import_error = e("ImportError", &exception);
    let value_error = e("ValueError", &exception);
    let warning = e("Warning", &exception);
    let syntax_error = e("SyntaxError", &exception);
    let unicode_error = e("UnicodeError", &value_error);
    let indentation_error = e("IndentationError", &syntax_error);
    let connection_error = e("ConnectionError", &os_error);
    let t = Types {
        object: objc.clone(),
        type_: type_.clone(),
        float: b("float", &objc, Kind::Instance),
        str: strc.clone(),
        tuple: tuplec.clone(),
        dict: dictc.clone(),
        set: b("set", &objc, Kind::Set),
        frozenset: b("frozenset", &objc, Kind::Set),
        none_type: f("NoneType", &objc, Kind::Instance),
        function: f("function", &objc, Kind::Function),
        builtin_function: f("builtin_function_or_method", &objc, Kind::Builtin),
        method: f("method", &objc, Kind::Method),
        code: f("code", &objc, Kind::Code),
        cell: f("cell", &objc, Kind::Cell),
        generator: f("generator", &objc, Kind::Generator),
        range: f("range", &objc, Kind::Range),
        slice: f("slice", &objc, Kind::Slice),
        module: f("module", &objc, Kind::Module),
        property: b("property", &objc, Kind::Property),
        classmethod: b("classmethod", &objc, Kind::ClassMethod),
        staticmethod: b("staticmethod", &objc, Kind::StaticMethod),
        super_: b("super", &objc, Kind::Super),
        deque: b("deque", &objc, Kind::Deque),
        defaultdict: b("defaultdict", &dictc, Kind::Dict),
        file: f("TextIOWrapper", &objc, Kind::File),
        not_implemented_type: f("NotImplementedType", &objc, Kind::Instance),
        ellipsis_type: f("ellipsis", &objc, Kind::Instance),
        member_descriptor: f("member_descriptor", &objc, Kind::SlotDescr),
        native: f("native", &objc, Kind::Native),
        list_iterator: f("list_iterator", &objc, Kind::Iter),
        tuple_iterator: f("tuple_iterator", &objc, Kind::Iter),
        range_iterator: f("range_iterator", &objc, Kind::Iter),
        str_iterator: f("str_ascii_iterator", &objc, Kind::Iter),
        dict_keyiterator: f("dict_keyiterator", &objc, Kind::Iter),
        dict_valueiterator: f("dict_valueiterator", &objc, Kind::Iter),
        dict_itemiterator: f("dict_itemiterator", &objc, Kind::Iter),
        set_iterator: f("set_iterator", &objc, Kind::Iter),
        reversed: f("reversed", &objc, Kind::Iter),
        enumerate: f("enumerate", &objc, Kind::Iter),
        zip: f("zip", &objc, Kind::Iter),
        map: f("map", &objc, Kind::Iter),
        filter: f("filter", &objc, Kind::Iter),
        callable_iterator: f("callable_iterator", &objc, Kind::Iter),
        iterator: f("iterator", &objc, Kind::Iter),
        count: f("count", &objc, Kind::Iter),
        islice: f("islice", &objc, Kind::Iter),
        chain: f("chain", &objc, Kind::Iter),
        repeat: f("repeat", &objc, Kind::Iter),
        permutations: f("permutations", &objc, Kind::Iter),
        combinations: f("combinations", &objc, Kind::Iter),
        product: f("product", &objc, Kind::Iter),
        deque_iterator: f("_collections._deque_iterator", &objc, Kind::Iter),
        dict_keys: f("dict_keys", &objc, Kind::Iter),
        dict_values: f("dict_values", &objc, Kind::Iter),
        dict_items: f("dict_items", &objc, Kind::Iter),
        type_error: e("TypeError", &exception),
        name_error: name_error.clone(),
        unbound_local_error: e("UnboundLocalError", &name_error),
        attribute_error: e("AttributeError", &exception),
        key_error: e("KeyError", &lookup_error),
        index_error: e("IndexError", &lookup_error),
        zero_division_error: e("ZeroDivisionError", &arithmetic_error),
        overflow_error: e("OverflowError", &arithmetic_error),
        floating_point_error: e("FloatingPointError", &arithmetic_error),
        stop_iteration: e("StopIteration", &exception),
        recursion_error: e("RecursionError", &runtime_error),
        not_implemented_error: e("NotImplementedError", &runtime_error),
        assertion_error: e("AssertionError", &exception),
        module_not_found_error: e("ModuleNotFoundError", &import_error),
        system_exit: e("SystemExit", &base_exception),
        keyboard_interrupt: e("KeyboardInterrupt", &base_exception),
        generator_exit: e("GeneratorExit", &base_exception),
        file_not_found_error: e("FileNotFoundError", &os_error),
        permission_error: e("PermissionError", &os_error),
        is_a_directory_error: e("IsADirectoryError", &os_error),
        eof_error: e("EOFError", &exception),
        memory_error: e("MemoryError", &exception),
        buffer_error: e("BufferError", &exception),
        unicode_decode_error: e("UnicodeDecodeError", &unicode_error),
        deprecation_warning: e("DeprecationWarning", &warning),
        user_warning: e("UserWarning", &warning),
        runtime_warning: e("RuntimeWarning", &warning),
        broken_pipe_error: e("BrokenPipeError", &connection_error),
        connection_aborted_error: e("ConnectionAbortedError", &connection_error),
        connection_refused_error: e("ConnectionRefusedError", &connection_error),
        connection_reset_error: e("ConnectionResetError", &connection_error),
        blocking_io_error: e("BlockingIOError", &os_error),
        child_process_error: e("ChildProcessError", &os_error),
        file_exists_error: e("FileExistsError", &os_error),
        interrupted_error: e("InterruptedError", &os_error),
        not_a_directory_error: e("NotADirectoryError", &os_error),
        process_lookup_error: e("ProcessLookupError", &os_error),
        timeout_error: e("TimeoutError", &os_error),
        reference_error: e("ReferenceError", &exception),
        stop_async_iteration: e("StopAsyncIteration", &exception),
        system_error: e("SystemError", &exception),
        tab_error: e("TabError", &indentation_error),
        unicode_encode_error: e("UnicodeEncodeError", &unicode_error),
        unicode_translate_error: e("UnicodeTranslateError", &unicode_error),
        bytes_warning: e("BytesWarning", &warning),
        encoding_warning: e("EncodingWarning", &warning),
        future_warning: e("FutureWarning", &warning),
        import_warning: e("ImportWarning", &warning),
        pending_deprecation_warning: e("PendingDeprecationWarning", &warning),
        resource_warning: e("ResourceWarning", &warning),
        syntax_warning: e("SyntaxWarning", &warning),
        unicode_warning: e("UnicodeWarning", &warning),
        int,
        bool_,
        list,
        indentation_error,
        connection_error,
        base_exception,
        exception,
        arithmetic_error,
        lookup_error,
        os_error,
        runtime_error,
        import_error,
        value_error,
        warning,
        syntax_error,
        unicode_error,
    };
    let full = Box::leak(Box::new(t));
    TYPES.with(|t| t.set(full as *const Types));
    // `boot` stays leaked; its references keep the bootstrap classes alive, as they should.
    let _ = boot;
}

const fn all_undef() -> Types {
    macro_rules! undef_all {
        ($($f:ident),*) => { Types { $($f: Value::UNDEF,)* } };
    }
    undef_all!(
        object,
        type_,
        int,
        bool_,
        float,
        str,
        list,
        tuple,
        dict,
        set,
        frozenset,
        none_type,
        function,
        builtin_function,
        method,
        code,
        cell,
        generator,
        range,
        slice,
        module,
        property,
        classmethod,
        staticmethod,
        super_,
        deque,
        defaultdict,
        file,
        not_implemented_type,
        ellipsis_type,
        member_descriptor,
        native,
        list_iterator,
        tuple_iterator,
        range_iterator,
        str_iterator,
        dict_keyiterator,
        dict_valueiterator,
        dict_itemiterator,
        set_iterator,
        reversed,
        enumerate,
        zip,
        map,
        filter,
        callable_iterator,
        iterator,
        count,
        islice,
        chain,
        repeat,
        permutations,
        combinations,
        product,
        deque_iterator,
        dict_keys,
        dict_values,
        dict_items,
        base_exception,
        exception,
        type_error,
        value_error,
        name_error,
        unbound_local_error,
        attribute_error,
        key_error,
        index_error,
        lookup_error,
        zero_division_error,
        arithmetic_error,
        overflow_error,
        stop_iteration,
        runtime_error,
        recursion_error,
        not_implemented_error,
        assertion_error,
        import_error,
        module_not_found_error,
        system_exit,
        keyboard_interrupt,
        generator_exit,
        os_error,
        file_not_found_error,
        syntax_error,
        eof_error,
        memory_error,
        unicode_error,
        unicode_decode_error,
        warning,
        deprecation_warning,
        user_warning,
        runtime_warning,
        permission_error,
        is_a_directory_error,
        floating_point_error,
        indentation_error,
        buffer_error,
        connection_error,
        broken_pipe_error,
        connection_aborted_error,
        connection_refused_error,
        connection_reset_error,
        blocking_io_error,
        child_process_error,
        file_exists_error,
        interrupted_error,
        not_a_directory_error,
        process_lookup_error,
        timeout_error,
        reference_error,
        stop_async_iteration,
        system_error,
        tab_error,
        unicode_encode_error,
        unicode_translate_error,
        bytes_warning,
        encoding_warning,
        future_warning,
        import_warning,
        pending_deprecation_warning,
        resource_warning,
        syntax_warning,
        unicode_warning
    )
}
