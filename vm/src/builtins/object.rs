//! Methods of `object`, `type`, `property`, generators, exceptions and files.

use crate::interp::args::Args;
use crate::interp::eval::FrameExit;
use crate::object::{self, ClassObj, ExcObj, FileObj, FileTarget, GenObj, Kind, PropertyObj};
use crate::runtime::class::add_method;
use crate::runtime::str::{as_str, from_string, intern, new_str};
use crate::runtime::{class_of, exc, int, list, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};

/// Registers the methods.
pub fn init(vm: &mut Vm) {
    let t = types();
    let o = &t.object;
    add_method(o, "__init__", object_init);
    crate::runtime::class::add_attr(
        o,
        "__new__",
        crate::runtime::class::builtin_fn(
            "__new__",
            "object",
            object_new,
            object::Binding::Function,
        ),
    );
    add_method(o, "__repr__", object_repr);
    add_method(o, "__str__", object_str);
    add_method(o, "__eq__", object_eq);
    add_method(o, "__ne__", object_ne);
    add_method(o, "__hash__", object_hash);
    add_method(o, "__setattr__", object_setattr);
    add_method(o, "__getattribute__", object_getattribute);
    add_method(o, "__delattr__", object_delattr);
    add_method(o, "__format__", object_format);
    add_method(o, "__init_subclass__", |_, _| Ok(Value::NONE));
    add_method(o, "__dir__", object_dir);
    vm.object_init = crate::runtime::attr::dict_get_str(
        o.downcast::<ClassObj>()
            .unwrap()
            .dict
            .downcast::<object::DictObj>()
            .unwrap(),
        "__init__",
    )
    .unwrap();
    add_method(&t.type_, "mro", type_mro);
    add_method(&t.type_, "__init__", type_init);
    add_method(&t.type_, "__call__", type_call);
    add_method(&t.type_, "__subclasses__", type_subclasses);
    add_method(&t.property, "getter", property_getter);
    add_method(&t.property, "setter", property_setter);
    add_method(&t.property, "deleter", property_deleter);
    add_method(&t.property, "__get__", property_get);
    add_method(&t.property, "__set__", property_set);
    add_method(&t.property, "__delete__", property_delete);
    let g = &t.generator;
    add_method(g, "send", gen_send);
    add_method(g, "throw", gen_throw);
    add_method(g, "close", gen_close);
    add_method(g, "__next__", gen_next);
    add_method(g, "__iter__", |_, a| Ok(a.arg(0).clone()));
    let e = &t.base_exception;
    add_method(e, "__str__", exc_str);
    add_method(e, "__repr__", exc_repr);
    add_method(e, "with_traceback", |_, a| Ok(a.arg(0).clone()));
    add_method(e, "add_note", |_, _| Ok(Value::NONE));
    let f = &t.file;
    add_method(f, "write", file_write);
    add_method(f, "flush", file_flush);
    add_method(f, "close", file_close);
    add_method(f, "read", file_read);
    add_method(f, "readline", file_readline);
    add_method(f, "readlines", file_readlines);
    add_method(f, "__enter__", |_, a| Ok(a.arg(0).clone()));
    add_method(f, "__exit__", file_close);
    add_method(f, "__iter__", file_iter);
    add_method(f, "fileno", |_, a| {
        let f = a.arg(0).downcast::<FileObj>().unwrap();
        Ok(Value::small_int(match f.target {
            FileTarget::Stdout => 1,
            FileTarget::Stderr => 2,
            _ => 3,
        }))
    });
    for it in [
        &t.list_iterator,
        &t.tuple_iterator,
        &t.range_iterator,
        &t.str_iterator,
        &t.dict_keyiterator,
        &t.dict_valueiterator,
        &t.dict_itemiterator,
        &t.set_iterator,
        &t.reversed,
        &t.enumerate,
        &t.zip,
        &t.map,
        &t.filter,
        &t.callable_iterator,
        &t.iterator,
        &t.count,
        &t.islice,
        &t.chain,
        &t.repeat,
        &t.permutations,
        &t.combinations,
        &t.product,
        &t.deque_iterator,
    ] {
        add_method(it, "__next__", iter_next);
        add_method(it, "__iter__", |_, a| Ok(a.arg(0).clone()));
    }
}

fn object_init(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if a.npos() > 1 || !a.kwnames.is_empty() {
        let t = class_of(a.arg(0));
        let c = t.downcast::<ClassObj>().unwrap();
        return Err(exc::type_error(format!(
            "{}.__init__() takes exactly one argument (the instance to initialize)",
            crate::runtime::class_name(c)
        )));
    }
    Ok(Value::NONE)
}

/// `type.__init__(cls, name, bases, namespace)` (or one argument): the class is already
/// made by `type.__new__`; a metaclass's `__init__` calling up lands here.
fn type_init(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    if !a.kwnames.is_empty() || !matches!(a.all.len(), 2 | 4) {
        return Err(exc::type_error("type.__init__() takes 1 or 3 arguments"));
    }
    Ok(Value::NONE)
}

/// `type.__call__(cls, *args)`: what a metaclass's `__call__` calls up to.
fn type_call(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let cls = a.arg(0).clone();
    if cls.kind() != Some(Kind::Class) {
        return Err(exc::type_error(
            "descriptor '__call__' requires a 'type' object",
        ));
    }
    vm.instantiate(
        &cls,
        &Args {
            all: &a.all[1..],
            kwnames: a.kwnames,
        },
    )
}

fn object_new(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let cls = a.arg(0);
    if cls.kind() != Some(Kind::Class) {
        return Err(exc::type_error("object.__new__(X): X is not a type object"));
    }
    let c = cls.downcast::<ClassObj>().unwrap();
    if let Some(new) = c.new.get() {
        return new(
            vm,
            cls,
            &Args {
                all: &a.all[1..],
                kwnames: a.kwnames,
            },
        );
    }
    vm.new_instance(cls)
}

fn object_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let v = a.arg(0);
    let cls = class_of(v);
    let c = cls.downcast::<ClassObj>().unwrap();
    let module = crate::runtime::attr::dict_get_str(
        c.dict.downcast::<object::DictObj>().unwrap(),
        "__module__",
    );
    let m = module
        .as_ref()
        .and_then(|m| as_str(m))
        .unwrap_or("builtins")
        .to_string();
    let _ = vm;
    Ok(from_string(format!(
        "<{}.{} object at 0x{:012x}>",
        m,
        as_str(&c.qualname.get()).unwrap_or("?"),
        v.bits() & ((1 << 48) - 1)
    )))
}

fn object_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(from_string(vm.repr(a.arg(0))?))
}

fn object_eq(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__eq__", 2, 2)?;
    Ok(if a.arg(0).is(a.arg(1)) {
        Value::TRUE
    } else {
        Value::NOT_IMPLEMENTED
    })
}

fn object_ne(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__ne__", 2, 2)?;
    let r = vm.compare(a.arg(0), a.arg(1), jitlens_compiler::bytecode::cmpop::EQ)?;
    if r.is(&Value::NOT_IMPLEMENTED) {
        return Ok(r);
    }
    Ok(Value::bool(!vm.truthy(&r)?))
}

fn object_hash(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(int::from_i64(crate::runtime::hash::identity_hash(a.arg(0))))
}

fn object_setattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__setattr__", 3, 3)?;
    let name = as_str(a.arg(1))
        .map(intern)
        .ok_or_else(|| exc::type_error("attribute name must be string"))?;
    vm.generic_setattr(a.arg(0), &name, a.arg(2).clone())?;
    Ok(Value::NONE)
}

fn object_getattribute(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__getattribute__", 2, 2)?;
    let name = as_str(a.arg(1))
        .map(intern)
        .ok_or_else(|| exc::type_error("attribute name must be string"))?;
    vm.getattr(a.arg(0), &name)
}

fn object_delattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__delattr__", 2, 2)?;
    let name = as_str(a.arg(1))
        .map(intern)
        .ok_or_else(|| exc::type_error("attribute name must be string"))?;
    vm.delattr(a.arg(0), &name)?;
    Ok(Value::NONE)
}

fn object_format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__format__", 2, 2)?;
    let spec = as_str(a.arg(1)).unwrap_or("");
    if !spec.is_empty() {
        return Err(exc::type_error(format!(
            "unsupported format string passed to {}.__format__",
            type_name(a.arg(0))
        )));
    }
    Ok(from_string(vm.str_of(a.arg(0))?))
}

fn object_dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = crate::runtime::attr::dict_get_str(
        vm.builtins.downcast::<object::DictObj>().unwrap(),
        "dir",
    )
    .unwrap();
    vm.call(&d, &[a.arg(0).clone()])
}

fn type_mro(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let c = a
        .arg(0)
        .downcast::<ClassObj>()
        .ok_or_else(|| exc::type_error("mro() needs a type"))?;
    let mut m = vec![a.arg(0).clone()];
    m.extend(c.mro());
    Ok(list::new(m))
}

fn type_subclasses(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let me = a.arg(0).clone();
    let subs: Vec<Value> = vm
        .classes
        .iter()
        .filter(|c| {
            let b = c.downcast::<ClassObj>().unwrap().bases.get();
            tuple::items(&b).is_some_and(|bs| bs.iter().any(|x| x.is(&me)))
        })
        .cloned()
        .collect();
    Ok(list::new(subs))
}

fn prop<'a>(a: &'a Args) -> PyResult<&'a PropertyObj> {
    a.arg(0)
        .downcast::<PropertyObj>()
        .ok_or_else(|| exc::type_error("expected a property"))
}

fn new_prop(
    old: &PropertyObj,
    fget: Option<Value>,
    fset: Option<Value>,
    fdel: Option<Value>,
) -> Value {
    object::alloc(
        &types().property,
        PropertyObj {
            fget: fget.unwrap_or_else(|| old.fget.clone()),
            fset: fset.unwrap_or_else(|| old.fset.clone()),
            fdel: fdel.unwrap_or_else(|| old.fdel.clone()),
            doc: old.doc.clone(),
        },
    )
}

fn property_getter(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(new_prop(prop(a)?, Some(a.arg(1).clone()), None, None))
}

fn property_setter(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(new_prop(prop(a)?, None, Some(a.arg(1).clone()), None))
}

fn property_deleter(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(new_prop(prop(a)?, None, None, Some(a.arg(1).clone())))
}

fn property_get(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let p = prop(a)?;
    let obj = a.arg(1);
    if obj.is_none() {
        return Ok(a.arg(0).clone());
    }
    if p.fget.is_none() {
        return Err(exc::attribute_error(format!(
            "property of '{}' object has no getter",
            type_name(obj)
        )));
    }
    let g = p.fget.clone();
    vm.call(&g, std::slice::from_ref(obj))
}

fn property_set(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__set__", 3, 3)?;
    let p = prop(a)?;
    if p.fset.is_none() {
        return Err(exc::attribute_error(format!(
            "property of '{}' object has no setter",
            type_name(a.arg(1))
        )));
    }
    let f = p.fset.clone();
    vm.call(&f, &[a.arg(1).clone(), a.arg(2).clone()])?;
    Ok(Value::NONE)
}

fn property_delete(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__delete__", 2, 2)?;
    let p = prop(a)?;
    if p.fdel.is_none() {
        return Err(exc::attribute_error(format!(
            "property of '{}' object has no deleter",
            type_name(a.arg(1))
        )));
    }
    let f = p.fdel.clone();
    vm.call(&f, std::slice::from_ref(a.arg(1)))?;
    Ok(Value::NONE)
}

fn gen_of<'a>(a: &'a Args) -> PyResult<&'a Value> {
    let g = a.arg(0);
    if g.downcast::<GenObj>().is_none() {
        return Err(exc::type_error("expected a generator"));
    }
    Ok(g)
}

fn finish(vm: &mut Vm, r: FrameExit) -> PyResult<Value> {
    match r {
        FrameExit::Yield(v) => Ok(v),
        FrameExit::Return(v) => {
            let _ = vm;
            Err(exc::stop_iteration(v))
        }
    }
}

fn gen_send(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("send", 2, 2)?;
    let g = gen_of(a)?.clone();
    if g.downcast::<GenObj>().unwrap().finished.get() {
        return Err(exc::stop_iteration(Value::NONE));
    }
    let r = vm.gen_resume(&g, a.arg(1).clone(), None)?;
    finish(vm, r)
}

fn gen_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let g = gen_of(a)?.clone();
    if g.downcast::<GenObj>().unwrap().finished.get() {
        return Err(exc::stop_iteration(Value::NONE));
    }
    let r = vm.gen_resume(&g, Value::NONE, None)?;
    finish(vm, r)
}

fn gen_throw(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("throw", 2, 4)?;
    let g = gen_of(a)?.clone();
    let mut e = a.arg(1).clone();
    if e.kind() == Some(Kind::Class) {
        let args: Vec<Value> = a.pos().get(2).map(|v| vec![v.clone()]).unwrap_or_default();
        e = vm.call(&e, &args)?;
    }
    let e = vm.make_exception(e)?;
    if g.downcast::<GenObj>().unwrap().finished.get() {
        return Err(PyErr(e));
    }
    let r = vm.gen_resume(&g, Value::NONE, Some(PyErr(e)))?;
    finish(vm, r)
}

fn gen_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let g = gen_of(a)?.clone();
    vm.gen_close(&g)?;
    Ok(Value::NONE)
}

fn exc_str(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = a
        .arg(0)
        .downcast::<ExcObj>()
        .ok_or_else(|| exc::type_error("expected an exception"))?;
    let args = e.args.get();
    let items = tuple::items(&args).unwrap_or(&[]).to_vec();
    if exc::matches(a.arg(0), &types().os_error) || exc::matches(a.arg(0), &types().key_error) {
        return Ok(from_string(vm.str_of(a.arg(0))?));
    }
    Ok(match items.len() {
        0 => new_str(""),
        1 => vm.str_value(&items[0])?,
        _ => from_string(vm.repr(&args)?),
    })
}

fn exc_repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let e = a
        .arg(0)
        .downcast::<ExcObj>()
        .ok_or_else(|| exc::type_error("expected an exception"))?;
    let args = e.args.get();
    let items = tuple::items(&args).unwrap_or(&[]).to_vec();
    let name = type_name(a.arg(0));
    let body = if items.len() == 1 {
        vm.repr(&items[0])?
    } else {
        let mut parts = Vec::new();
        for x in &items {
            parts.push(vm.repr(x)?);
        }
        parts.join(", ")
    };
    Ok(from_string(format!("{name}({body})")))
}

fn file_of<'a>(a: &'a Args<'a>) -> PyResult<&'a FileObj> {
    a.arg(0)
        .downcast::<FileObj>()
        .ok_or_else(|| exc::type_error("expected a file"))
}

fn file_write(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("write", 2, 2)?;
    file_of(a)?;
    let s = as_str(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "write() argument must be str, not {}",
            type_name(a.arg(1))
        ))
    })?;
    let n = s.chars().count();
    crate::builtins::functions::write_to(vm, a.arg(0), s)?;
    Ok(int::from_i64(n as i64))
}

fn file_flush(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let f = file_of(a)?;
    match &f.target {
        FileTarget::Stdout => vm.flush_stdout(),
        FileTarget::Write(w) => {
            use std::io::Write;
            // SAFETY: single-threaded; no Python code runs while the writer is borrowed.
            let _ = unsafe { &mut *w.get() }.flush();
        }
        _ => {}
    }
    Ok(Value::NONE)
}

fn file_close(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    file_flush(vm, &Args::new(&a.all[..1]))?;
    let f = file_of(a)?;
    if matches!(f.target, FileTarget::Write(_) | FileTarget::Read(_)) {
        f.closed.set(true);
    }
    Ok(Value::NONE)
}

fn with_read<R>(f: &FileObj, g: impl FnOnce(&mut (String, usize)) -> R) -> PyResult<R> {
    if f.closed.get() {
        return Err(exc::value_error("I/O operation on closed file."));
    }
    match &f.target {
        // SAFETY: single-threaded; `g` only manipulates the string and runs no Python code.
        FileTarget::Read(s) => Ok(g(unsafe { &mut *s.get() })),
        _ => Err(exc::err(&types().os_error, "not readable")),
    }
}

fn file_read(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let rest = with_read(file_of(a)?, |st| {
        let rest = st.0[st.1..].to_string();
        st.1 = st.0.len();
        rest
    })?;
    Ok(from_string(rest))
}

fn file_readline(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let line = with_read(file_of(a)?, |st| {
        let rest = &st.0[st.1..];
        let n = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..n].to_string();
        st.1 += n;
        line
    })?;
    Ok(from_string(line))
}

fn file_readlines(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let mut out = Vec::new();
    loop {
        let l = file_readline(vm, a)?;
        if as_str(&l).is_some_and(|s| s.is_empty()) {
            break;
        }
        out.push(l);
    }
    Ok(list::new(out))
}

fn file_iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let lines = file_readlines(vm, a)?;
    vm.get_iter(&lines)
}

fn iter_next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    match vm.next(a.arg(0))? {
        Some(v) => Ok(v),
        None => Err(exc::stop_iteration(Value::NONE)),
    }
}
