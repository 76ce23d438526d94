//! Attribute access: class lookup along the MRO, descriptors (functions, properties,
//! class/static methods, slots), instance dicts, `__getattr__`, and the special attributes of
//! builtin objects.

use crate::object::{
    self, Binding, BuiltinObj, ClassMethodObj, ClassObj, DictObj, ExcObj, FuncObj, GenObj,
    InstanceObj, Kind, ListObj, MethodObj, ModuleObj, PropertyObj, RangeObj, SliceObj,
    SlotDescrObj, StaticMethodObj, SuperObj,
};
use crate::runtime::str::{as_str, hash_of, intern, new_str};
use crate::runtime::{class_name, class_of, exc, instance, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};

/// Entries in the method cache (a power of two).
pub const MCACHE_SIZE: usize = 4096;

/// One method-cache entry: (class, name) at a type epoch → the lookup result (UNDEF for
/// "not found"). Holds references to its class and name so their addresses stay unique.
#[derive(Default)]
pub struct McEntry {
    cls: u64,
    name: u64,
    epoch: u32,
    value: Value,
    _cls: Value,
    _name: Value,
}

/// A fresh, empty method cache.
pub fn new_mcache() -> Box<[McEntry]> {
    (0..MCACHE_SIZE).map(|_| McEntry::default()).collect()
}

/// `name` looked up along the MRO of class `cls` (the class itself first), without the
/// method cache.
pub fn lookup_in_mro(cls: &Value, name: &Value) -> Option<Value> {
    let c = cls.downcast::<ClassObj>()?;
    let h = hash_of(name);
    if let Some(v) = c.dict.downcast::<DictObj>()?.get_str(name, h) {
        return Some(v);
    }
    c.with_mro(|mro| {
        mro.iter().find_map(|b| {
            b.downcast::<ClassObj>()?
                .dict
                .downcast::<DictObj>()?
                .get_str(name, h)
        })
    })
}

/// Sets `d[name] = v` for a str key.
pub fn dict_set_str(d: &DictObj, name: &str, v: Value) {
    let k = intern(name);
    let h = hash_of(&k);
    d.insert_fast(k, h, v);
}

/// `d[name]` for a str key.
pub fn dict_get_str(d: &DictObj, name: &str) -> Option<Value> {
    let k = intern(name);
    d.get_fast(&k, hash_of(&k))
}

/// The instance dict of an object, if it has one (creating it on demand).
pub fn instance_dict(obj: &Value) -> Option<Value> {
    let slot = match obj.kind()? {
        Kind::Instance => {
            let cls = class_of(obj);
            let c = cls.downcast::<ClassObj>().unwrap();
            if c.has(object::CLS_NO_DICT) {
                return None;
            }
            return Some(instance::dict(obj.downcast::<InstanceObj>().unwrap(), c));
        }
        Kind::List => &obj.downcast::<ListObj>().unwrap().dict,
        Kind::Dict => &obj.downcast::<DictObj>().unwrap().dict,
        Kind::Exception => &obj.downcast::<ExcObj>().unwrap().dict,
        Kind::Function => &obj.downcast::<FuncObj>().unwrap().dict,
        Kind::Module => return Some(obj.downcast::<ModuleObj>().unwrap().dict.clone()),
        Kind::Class => return Some(obj.downcast::<ClassObj>().unwrap().dict.clone()),
        _ => return None,
    };
    // Exact lists and dicts have no attribute dict (their subclasses' instances do).
    if matches!(obj.kind(), Some(Kind::List | Kind::Dict))
        && class_of(obj)
            .downcast::<ClassObj>()
            .is_some_and(|c| c.has(object::CLS_BUILTIN))
    {
        return None;
    }
    if slot.is_undef() {
        slot.set(object::alloc(&types().dict, DictObj::default()));
    }
    Some(slot.get())
}

/// True for the object kinds that can carry an attribute dict (lists and dicts only as
/// instances of subclasses).
pub(crate) fn kind_has_dict(k: Kind) -> bool {
    matches!(
        k,
        Kind::Instance
            | Kind::List
            | Kind::Dict
            | Kind::Exception
            | Kind::Function
            | Kind::Module
            | Kind::Class
    )
}

/// The attribute dict `obj` already has, if any (never creates one).
pub(crate) fn existing_dict(obj: &Value) -> Option<Value> {
    existing_instance_dict(obj)
}

fn existing_instance_dict(obj: &Value) -> Option<Value> {
    let slot = match obj.kind()? {
        Kind::Instance => {
            let inst = obj.downcast::<InstanceObj>().unwrap();
            if inst.dict.is_undef() && !inst.values.is_empty() {
                let cls = class_of(obj);
                return Some(instance::dict(inst, cls.downcast::<ClassObj>().unwrap()));
            }
            &inst.dict
        }
        Kind::List => &obj.downcast::<ListObj>().unwrap().dict,
        Kind::Dict => &obj.downcast::<DictObj>().unwrap().dict,
        Kind::Exception => &obj.downcast::<ExcObj>().unwrap().dict,
        Kind::Function => &obj.downcast::<FuncObj>().unwrap().dict,
        _ => return None,
    };
    if slot.is_undef() {
        None
    } else {
        Some(slot.get())
    }
}

fn is_data_descr(v: &Value) -> bool {
    matches!(v.kind(), Some(Kind::Property) | Some(Kind::SlotDescr))
}

impl Vm {
    /// Looks `name` up along the MRO of class `cls` (the class itself first), through the
    /// method cache.
    #[inline]
    pub fn class_lookup(&self, cls: &Value, name: &Value) -> Option<Value> {
        let (cb, nb) = (cls.bits(), name.bits());
        let idx = ((cb >> 4) ^ (nb >> 3) ^ (nb >> 13)) as usize & (MCACHE_SIZE - 1);
        // SAFETY: single-threaded; the cache is only touched here and in `class_changed`.
        let cache = unsafe { &mut *self.mcache.get() };
        let e = &cache[idx];
        if e.cls == cb && e.name == nb && e.epoch == self.type_epoch.get() {
            return if e.value.is_undef() {
                None
            } else {
                Some(e.value.clone())
            };
        }
        let r = self.class_lookup_uncached(cls, name);
        cache[idx] = McEntry {
            cls: cb,
            name: nb,
            epoch: self.type_epoch.get(),
            value: r.clone().unwrap_or(Value::UNDEF),
            _cls: cls.clone(),
            _name: name.clone(),
        };
        r
    }

    fn class_lookup_uncached(&self, cls: &Value, name: &Value) -> Option<Value> {
        let c = cls.downcast::<ClassObj>()?;
        let h = hash_of(name);
        if let Some(v) = c.dict.downcast::<DictObj>().unwrap().get_str(name, h) {
            return Some(v);
        }
        c.with_mro(|mro| {
            for b in mro {
                let bc = b.downcast::<ClassObj>().unwrap();
                if let Some(v) = bc.dict.downcast::<DictObj>().unwrap().get_str(name, h) {
                    return Some(v);
                }
            }
            None
        })
    }

    /// Looks up a special method on the type of `obj` (not the instance).
    pub fn lookup_special(&self, obj: &Value, name: &Value) -> Option<Value> {
        let cls = class_of(obj);
        self.class_lookup(&cls, name)
    }

    /// Binds a descriptor found on the class of `obj` to `obj`.
    pub fn bind(&mut self, d: Value, obj: &Value) -> PyResult<Value> {
        match d.kind() {
            Some(Kind::Function) => Ok(Vm::new_method(d, obj.clone())),
            Some(Kind::Builtin) => {
                let b = d.downcast::<BuiltinObj>().unwrap();
                match b.binding {
                    Binding::Method if b.self_.is_undef() => Ok(bind_builtin(b, obj.clone())),
                    Binding::ClassMethod if b.self_.is_undef() => {
                        Ok(bind_builtin(b, class_of(obj)))
                    }
                    _ => Ok(d),
                }
            }
            Some(Kind::ClassMethod) => {
                let f = d.downcast::<ClassMethodObj>().unwrap().f.clone();
                Ok(Vm::new_method(f, class_of(obj)))
            }
            Some(Kind::StaticMethod) => Ok(d.downcast::<StaticMethodObj>().unwrap().f.clone()),
            Some(Kind::Property) => {
                let p = d.downcast::<PropertyObj>().unwrap();
                if p.fget.is_none() {
                    return Err(exc::attribute_error(format!(
                        "property of '{}' object has no getter",
                        type_name(obj)
                    )));
                }
                let g = p.fget.clone();
                self.call(&g, std::slice::from_ref(obj))
            }
            Some(Kind::SlotDescr) => {
                let s = d.downcast::<SlotDescrObj>().unwrap();
                let v = obj
                    .downcast::<InstanceObj>()
                    .and_then(|i| i.slots.get(s.index))
                    .map(|x| x.get())
                    .unwrap_or(Value::UNDEF);
                if v.is_undef() {
                    return Err(exc::attribute_error(format!(
                        "'{}' object has no attribute '{}'",
                        type_name(obj),
                        as_str(&s.name).unwrap_or("?")
                    )));
                }
                Ok(v)
            }
            _ => {
                // A user-defined descriptor: a class with __get__.
                if d.kind() == Some(Kind::Instance)
                    && let Some(get) = self.lookup_special(&d, &intern("__get__"))
                {
                    let cls = class_of(obj);
                    return self.call(&get, &[d.clone(), obj.clone(), cls]);
                }
                Ok(d)
            }
        }
    }

    /// True for an instance of a user class that defines `__set__` or `__delete__` (a data
    /// descriptor, which takes precedence over instance attributes).
    pub(crate) fn is_user_data_descriptor(&self, v: &Value) -> bool {
        v.kind() == Some(Kind::Instance)
            && (self.lookup_special(v, &intern("__set__")).is_some()
                || self.lookup_special(v, &intern("__delete__")).is_some())
    }

    /// Attribute load on a plain instance without `__getattr__` or data descriptors for
    /// `name`: the instance dict, then a method or class attribute. `None` means "take the
    /// general path".
    #[inline]
    pub(crate) fn getattr_fast(&mut self, obj: &Value, name: &Value) -> Option<Value> {
        let h = obj.header()?;
        if h.kind != Kind::Instance {
            return None;
        }
        let cls = crate::runtime::class_ref(h);
        let inst = obj.downcast::<InstanceObj>().unwrap();
        let c = cls.downcast::<ClassObj>().unwrap();
        let no_data_descr = !self.descr_added_late && !c.has(object::CLS_DATA_DESCR);
        if no_data_descr && let Some(v) = instance::get(inst, c, name) {
            return Some(v);
        }
        let descr = self.class_lookup(&cls, name);
        if let Some(d) = &descr
            && (is_data_descr(d) || self.is_user_data_descriptor(d))
        {
            return None;
        }
        if !no_data_descr && let Some(v) = instance::get(inst, c, name) {
            return Some(v);
        }
        match descr {
            Some(d) if d.kind() == Some(Kind::Function) => Some(Vm::new_method(d, obj.clone())),
            Some(d)
                if !matches!(
                    d.kind(),
                    Some(Kind::Builtin)
                        | Some(Kind::ClassMethod)
                        | Some(Kind::StaticMethod)
                        | Some(Kind::Instance)
                        | Some(Kind::Property)
                ) =>
            {
                Some(d)
            }
            _ => None,
        }
    }

    /// Attribute store on a plain instance (no `__setattr__`, no data descriptor): `false`
    /// means "take the general path" (and `v` is handed back).
    #[inline]
    pub(crate) fn setattr_fast(
        &mut self,
        obj: &Value,
        name: &Value,
        v: Value,
    ) -> Result<(), Value> {
        let Some(h) = obj.header() else { return Err(v) };
        if h.kind != Kind::Instance {
            return Err(v);
        }
        let cls = crate::runtime::class_ref(h);
        let c = cls.downcast::<ClassObj>().unwrap();
        if c.has(object::CLS_SETATTR) || c.has(object::CLS_NO_DICT) {
            return Err(v);
        }
        // `__class__` is a data descriptor of `object` (see `set_class_attr`).
        if as_str(name) == Some("__class__") {
            return Err(v);
        }
        if let Some(d) = self.class_lookup(&cls, name)
            && (is_data_descr(&d) || d.kind() == Some(Kind::Instance))
        {
            return Err(v);
        }
        instance::set(obj.downcast::<InstanceObj>().unwrap(), c, name, v);
        Ok(())
    }

    /// `getattr(obj, name)`.
    pub fn getattr(&mut self, obj: &Value, name: &Value) -> PyResult<Value> {
        match obj.kind() {
            Some(Kind::Class) => return self.class_getattr(obj, name),
            Some(Kind::Module) => {
                let m = obj.downcast::<ModuleObj>().unwrap();
                if let Some(v) = m
                    .dict
                    .downcast::<DictObj>()
                    .unwrap()
                    .get_fast(name, hash_of(name))
                {
                    return Ok(v);
                }
                if as_str(name) == Some("__dict__") {
                    return Ok(m.dict.clone());
                }
                return Err(exc::attribute_error(format!(
                    "module '{}' has no attribute '{}'",
                    as_str(&m.name).unwrap_or("?"),
                    as_str(name).unwrap_or("?")
                )));
            }
            Some(Kind::Super) => return self.super_getattr(obj, name),
            _ => {}
        }
        let cls = class_of(obj);
        let descr = self.class_lookup(&cls, name);
        if let Some(d) = &descr
            && (is_data_descr(d) || self.is_user_data_descriptor(d))
        {
            if let Some(p) = d.downcast::<PropertyObj>()
                && p.fget.is_none()
            {
                return Err(exc::attribute_error(format!(
                    "property '{}' of '{}' object has no getter",
                    as_str(name).unwrap_or("?"),
                    type_name(obj)
                )));
            }
            return self.bind(d.clone(), obj);
        }
        if let Some(i) = obj.downcast::<InstanceObj>() {
            if let Some(v) = instance::get(i, cls.downcast::<ClassObj>().unwrap(), name) {
                return Ok(v);
            }
        } else if let Some(d) = existing_instance_dict(obj)
            && let Some(v) = d
                .downcast::<DictObj>()
                .unwrap()
                .get_fast(name, hash_of(name))
        {
            return Ok(v);
        }
        if let Some(d) = descr {
            return self.bind(d, obj);
        }
        if let Some(v) = self.special_attr(obj, name)? {
            return Ok(v);
        }
        if cls.downcast::<ClassObj>().unwrap().has(object::CLS_GETATTR)
            && let Some(ga) = self.class_lookup(&cls, &intern("__getattr__"))
        {
            return self.call(&ga, &[obj.clone(), name.clone()]);
        }
        Err(no_attr(obj, name))
    }

    /// `getattr` that returns `None` for a missing attribute (AttributeError only).
    pub fn getattr_opt(&mut self, obj: &Value, name: &Value) -> PyResult<Option<Value>> {
        match self.getattr(obj, name) {
            Ok(v) => Ok(Some(v)),
            Err(e) if exc::matches(&e.0, &types().attribute_error) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn class_getattr(&mut self, cls: &Value, name: &Value) -> PyResult<Value> {
        if let Some(d) = self.class_lookup(cls, name) {
            return match d.kind() {
                Some(Kind::ClassMethod) => {
                    let f = d.downcast::<ClassMethodObj>().unwrap().f.clone();
                    Ok(Vm::new_method(f, cls.clone()))
                }
                Some(Kind::StaticMethod) => Ok(d.downcast::<StaticMethodObj>().unwrap().f.clone()),
                Some(Kind::Builtin)
                    if d.downcast::<BuiltinObj>().unwrap().binding == Binding::ClassMethod =>
                {
                    Ok(bind_builtin(
                        d.downcast::<BuiltinObj>().unwrap(),
                        cls.clone(),
                    ))
                }
                Some(Kind::Instance) => {
                    if let Some(get) = self.lookup_special(&d, &intern("__get__")) {
                        return self.call(&get, &[d.clone(), Value::NONE, cls.clone()]);
                    }
                    Ok(d)
                }
                _ => Ok(d),
            };
        }
        let c = cls.downcast::<ClassObj>().unwrap();
        let v = match as_str(name).unwrap_or("") {
            "__name__" => c.name.get(),
            "__qualname__" => c.qualname.get(),
            "__bases__" => c.bases.get(),
            "__base__" => tuple::items(&c.bases.get())
                .and_then(|b| b.first().cloned())
                .unwrap_or(Value::NONE),
            "__mro__" => {
                let mut m = vec![cls.clone()];
                m.extend(c.mro());
                tuple::new(m)
            }
            "__dict__" => c.dict.clone(),
            "__class__" => class_of(cls),
            "__doc__" => builtin_class_doc(cls).map(new_str).unwrap_or(Value::NONE),
            "__module__" => new_str("builtins"),
            _ => {
                // Attributes of the metaclass (`type`): methods like mro, __subclasses__.
                let meta = class_of(cls);
                if !meta.is(cls)
                    && let Some(d) = self.class_lookup(&meta, name)
                {
                    return self.bind(d, cls);
                }
                return Err(exc::attribute_error(format!(
                    "type object '{}' has no attribute '{}'",
                    class_name(c),
                    as_str(name).unwrap_or("?")
                )));
            }
        };
        Ok(v)
    }

    fn super_getattr(&mut self, sup: &Value, name: &Value) -> PyResult<Value> {
        let s = sup.downcast::<SuperObj>().unwrap();
        let t = s.obj_type.downcast::<ClassObj>().unwrap();
        let mut mro = vec![s.obj_type.clone()];
        mro.extend(t.mro());
        let start = mro
            .iter()
            .position(|c| c.is(&s.cls))
            .map_or(mro.len(), |i| i + 1);
        let h = hash_of(name);
        for c in &mro[start..] {
            let cd = c.downcast::<ClassObj>().unwrap();
            if let Some(d) = cd.dict.downcast::<DictObj>().unwrap().get_fast(name, h) {
                let obj = s.obj.clone();
                if obj.is(&s.obj_type)
                    || obj.kind() == Some(Kind::Class)
                        && exc::is_subclass(&obj, &s.cls)
                        && !class_of(&obj).is(&obj)
                {
                    // super() in a classmethod: bind to the class.
                    return match d.kind() {
                        Some(Kind::ClassMethod) => Ok(Vm::new_method(
                            d.downcast::<ClassMethodObj>().unwrap().f.clone(),
                            obj,
                        )),
                        Some(Kind::StaticMethod) => {
                            Ok(d.downcast::<StaticMethodObj>().unwrap().f.clone())
                        }
                        Some(Kind::Builtin) if as_str(name) == Some("__new__") => Ok(d),
                        _ => Ok(d),
                    };
                }
                return match d.kind() {
                    Some(Kind::ClassMethod) => Ok(Vm::new_method(
                        d.downcast::<ClassMethodObj>().unwrap().f.clone(),
                        s.obj_type.clone(),
                    )),
                    _ => self.bind(d, &obj),
                };
            }
        }
        Err(exc::attribute_error(format!(
            "'super' object has no attribute '{}'",
            as_str(name).unwrap_or("?")
        )))
    }

    /// Attributes of builtin objects that are not in their class dict.
    fn special_attr(&mut self, obj: &Value, name: &Value) -> PyResult<Option<Value>> {
        let n = as_str(name).unwrap_or("");
        if n == "__class__" {
            return Ok(Some(class_of(obj)));
        }
        if n == "__dict__"
            && let Some(d) = instance_dict(obj)
        {
            return Ok(Some(d));
        }
        let v = match obj.kind() {
            Some(Kind::Function) => {
                let f = obj.downcast::<FuncObj>().unwrap();
                match n {
                    "__name__" => f.name.get(),
                    "__qualname__" => f.qualname.get(),
                    "__doc__" => f.doc.get(),
                    "__module__" => f.module.get(),
                    "__defaults__" => {
                        let d = f.defaults.get();
                        if d.is_undef() { Value::NONE } else { d }
                    }
                    "__code__" => object::alloc(
                        &types().code,
                        object::CodeObj {
                            code: f.code.clone(),
                        },
                    ),
                    "__kwdefaults__" => {
                        let d = f.kwdefaults.get();
                        if d.is_undef() { Value::NONE } else { d }
                    }
                    "__closure__" => {
                        let c = f.closure.get();
                        if c.is_undef() { Value::NONE } else { c }
                    }
                    "__annotations__" => object::alloc(&types().dict, DictObj::default()),
                    "__globals__" => f.globals.clone(),
                    "__wrapped__" => return Ok(None),
                    _ => return Ok(None),
                }
            }
            Some(Kind::Method) => {
                let m = obj.downcast::<MethodObj>().unwrap();
                match n {
                    "__self__" => m.self_.clone(),
                    "__func__" => m.func.clone(),
                    "__name__" | "__qualname__" | "__doc__" => {
                        return self.getattr(&m.func.clone(), name).map(Some);
                    }
                    _ => return Ok(None),
                }
            }
            Some(Kind::Builtin) => {
                let b = obj.downcast::<BuiltinObj>().unwrap();
                match n {
                    "__name__" => new_str(b.name),
                    "__qualname__" => new_str(&if b.owner.is_empty() {
                        b.name.to_string()
                    } else {
                        format!("{}.{}", b.owner, b.name)
                    }),
                    "__self__" => {
                        if b.self_.is_undef() {
                            Value::NONE
                        } else {
                            b.self_.clone()
                        }
                    }
                    "__doc__" => Value::NONE,
                    _ => return Ok(None),
                }
            }
            Some(Kind::Exception) => {
                let e = obj.downcast::<ExcObj>().unwrap();
                match n {
                    "args" => e.args.get(),
                    "__cause__" => e.cause.get(),
                    "__context__" => e.context.get(),
                    "__suppress_context__" => Value::bool(e.suppress_context.get()),
                    "__traceback__" => {
                        let tb = e.traceback();
                        match tb.last() {
                            Some(last) => crate::runtime::class::traceback_object(
                                last.code.line_at(last.ip as usize),
                            ),
                            None => Value::NONE,
                        }
                    }
                    "errno" | "strerror" | "filename"
                        if crate::runtime::exc::matches(obj, &types().os_error) =>
                    {
                        let a = e.args.get();
                        let items = tuple::items(&a).unwrap_or(&[]);
                        let i = match n {
                            "errno" => 0,
                            "strerror" => 1,
                            _ => 2,
                        };
                        if items.len() >= 2 {
                            items.get(i).cloned().unwrap_or(Value::NONE)
                        } else {
                            Value::NONE
                        }
                    }
                    "value" if crate::runtime::exc::matches(obj, &types().stop_iteration) => {
                        crate::interp::eval::stop_value(obj)
                    }
                    "code" if crate::runtime::exc::matches(obj, &types().system_exit) => {
                        let a = e.args.get();
                        let items = tuple::items(&a).unwrap_or(&[]);
                        match items.len() {
                            0 => Value::NONE,
                            1 => items[0].clone(),
                            _ => a.clone(),
                        }
                    }
                    _ => return Ok(None),
                }
            }
            Some(Kind::Code) => {
                let c = &obj.downcast::<object::CodeObj>().unwrap().code;
                let strs = |v: &[Value]| tuple::new(v.to_vec());
                match n {
                    "co_name" => c.name.clone(),
                    "co_qualname" => c.qualname.clone(),
                    "co_filename" => new_str(&c.filename),
                    "co_firstlineno" => Value::small_int(c.first_line as i64),
                    "co_argcount" => Value::small_int(c.argcount as i64),
                    "co_posonlyargcount" => Value::small_int(c.posonlyargcount as i64),
                    "co_kwonlyargcount" => Value::small_int(c.kwonlyargcount as i64),
                    "co_nlocals" => Value::small_int(c.varnames.len() as i64),
                    "co_flags" => Value::small_int(c.flags as i64),
                    "co_varnames" => strs(&c.varnames),
                    "co_cellvars" => strs(&c.cellvars),
                    "co_freevars" => strs(&c.freevars),
                    "co_names" => strs(&c.names),
                    "co_consts" => strs(&c.consts),
                    _ => return Ok(None),
                }
            }
            Some(Kind::Cell) if n == "cell_contents" => {
                let v = obj.downcast::<object::CellObj>().unwrap().v.get();
                if v.is_undef() {
                    return Err(exc::value_error("Cell is empty"));
                }
                v
            }
            Some(Kind::Slice) => {
                let s = obj.downcast::<SliceObj>().unwrap();
                match n {
                    "start" => s.start.clone(),
                    "stop" => s.stop.clone(),
                    "step" => s.step.clone(),
                    _ => return Ok(None),
                }
            }
            Some(Kind::Range) => {
                let (start, stop, step) = obj.downcast::<RangeObj>().unwrap().bounds();
                match n {
                    "start" => crate::runtime::int::from_bigint(start),
                    "stop" => crate::runtime::int::from_bigint(stop),
                    "step" => crate::runtime::int::from_bigint(step),
                    _ => return Ok(None),
                }
            }
            Some(Kind::Generator) => {
                let g = obj.downcast::<GenObj>().unwrap();
                match n {
                    "__name__" => g.name.clone(),
                    "gi_running" => Value::bool(g.running.get()),
                    "gi_frame" => {
                        if g.finished.get() {
                            Value::NONE
                        } else {
                            // SAFETY: a short read of the suspended frame's code.
                            match unsafe { &*g.frame.get() } {
                                Some(fr) => object::alloc(
                                    &types().code,
                                    object::CodeObj {
                                        code: fr.code.clone(),
                                    },
                                ),
                                None => Value::NONE,
                            }
                        }
                    }
                    "gi_code" => {
                        // SAFETY: a short read of the suspended frame's code.
                        match unsafe { &*g.frame.get() } {
                            Some(fr) => object::alloc(
                                &types().code,
                                object::CodeObj {
                                    code: fr.code.clone(),
                                },
                            ),
                            None => Value::NONE,
                        }
                    }
                    "__qualname__" => g.qualname.clone(),
                    _ => return Ok(None),
                }
            }
            Some(Kind::Property) => {
                let p = obj.downcast::<PropertyObj>().unwrap();
                match n {
                    "fget" => p.fget.clone(),
                    "fset" => p.fset.clone(),
                    "fdel" => p.fdel.clone(),
                    "__doc__" => {
                        if p.doc.is_none() && !p.fget.is_none() {
                            return self.getattr_opt(&p.fget.clone(), &intern("__doc__"));
                        }
                        p.doc.clone()
                    }
                    _ => return Ok(None),
                }
            }
            Some(Kind::ClassMethod) | Some(Kind::StaticMethod) if n == "__func__" => {
                if let Some(c) = obj.downcast::<ClassMethodObj>() {
                    c.f.clone()
                } else {
                    obj.downcast::<StaticMethodObj>().unwrap().f.clone()
                }
            }
            _ => {
                if obj.is_float() || crate::runtime::int::is_int(obj) {
                    match n {
                        "real" => {
                            return Ok(Some(if obj.is_bool() {
                                crate::runtime::int::from_i64(
                                    crate::runtime::int::as_i64(obj).unwrap(),
                                )
                            } else {
                                obj.clone()
                            }));
                        }
                        "imag" => {
                            return Ok(Some(if obj.is_float() {
                                Value::float(0.0)
                            } else {
                                Value::small_int(0)
                            }));
                        }
                        "numerator" if !obj.is_float() => return Ok(Some(obj.clone())),
                        "denominator" if !obj.is_float() => return Ok(Some(Value::small_int(1))),
                        _ => {}
                    }
                }
                return Ok(None);
            }
        };
        Ok(Some(v))
    }

    /// LOAD_METHOD: `(method, self)` when `name` is a plain method found on the class,
    /// else `(attribute, UNDEF)`.
    pub fn load_method(&mut self, obj: Value, name: &Value) -> PyResult<(Value, Value)> {
        let h = obj.header();
        if h.is_none_or(|h| !matches!(h.kind, Kind::Class | Kind::Module | Kind::Super)) {
            let owned;
            let borrowed;
            let cls: &Value = match h {
                Some(h) => {
                    borrowed = crate::runtime::class_ref(h);
                    &borrowed
                }
                None => {
                    owned = class_of(&obj);
                    &owned
                }
            };
            if let Some(d) = self.class_lookup(cls, name) {
                let plain = match d.kind() {
                    Some(Kind::Function) => true,
                    Some(Kind::Builtin) => {
                        let b = d.downcast::<BuiltinObj>().unwrap();
                        b.binding == Binding::Method && b.self_.is_undef()
                    }
                    _ => false,
                };
                if plain {
                    let shadowed = match obj.downcast::<InstanceObj>() {
                        Some(i) => instance::has(i, cls.downcast::<ClassObj>().unwrap(), name),
                        None => existing_instance_dict(&obj).is_some_and(|dd| {
                            dd.downcast::<DictObj>()
                                .unwrap()
                                .get_fast(name, hash_of(name))
                                .is_some()
                        }),
                    };
                    if !shadowed {
                        return Ok((d, obj));
                    }
                }
            }
        }
        let v = self.getattr(&obj, name)?;
        Ok((v, Value::UNDEF))
    }

    /// `setattr(obj, name, v)`.
    pub fn setattr(&mut self, obj: &Value, name: &Value, v: Value) -> PyResult<()> {
        let cls = class_of(obj);
        let c = cls.downcast::<ClassObj>().unwrap();
        if obj.kind() == Some(Kind::Class) {
            let oc = obj.downcast::<ClassObj>().unwrap();
            if oc.has(object::CLS_BUILTIN) {
                return Err(exc::type_error(format!(
                    "cannot set '{}' attribute of immutable type '{}'",
                    as_str(name).unwrap_or("?"),
                    class_name(oc)
                )));
            }
            self.class_changed(obj, name);
            if is_data_descr(&v) || self.is_user_data_descriptor(&v) {
                self.descr_added_late = true;
            }
            oc.dict
                .downcast::<DictObj>()
                .unwrap()
                .insert_fast(name.clone(), hash_of(name), v);
            return Ok(());
        }
        if c.has(object::CLS_SETATTR)
            && let Some(sa) = self.class_lookup(&cls, &intern("__setattr__"))
            && sa.kind() == Some(Kind::Function)
        {
            self.call(&sa, &[obj.clone(), name.clone(), v])?;
            return Ok(());
        }
        self.generic_setattr(obj, name, v)
    }

    /// `obj.__class__ = new`, for instances of user classes with the same layout.
    fn set_class_attr(&mut self, obj: &Value, cls: &Value, new: &Value) -> PyResult<()> {
        let Some(nc) = new.downcast::<ClassObj>() else {
            return Err(exc::type_error(format!(
                "__class__ must be set to a class, not '{}' object",
                type_name(new)
            )));
        };
        let oc = cls.downcast::<ClassObj>().unwrap();
        if obj.kind() != Some(Kind::Instance) || nc.has(object::CLS_BUILTIN) {
            return Err(exc::type_error(
                "__class__ assignment only supported for mutable types or ModuleType subclasses",
            ));
        }
        let slots = |c: &ClassObj| (c.layout.get(), c.has(object::CLS_NO_DICT), c.nslots.get());
        if slots(nc) != slots(oc) {
            return Err(exc::type_error(format!(
                "__class__ assignment: '{}' object layout differs from '{}'",
                class_name(nc),
                class_name(oc)
            )));
        }
        instance::detach_values(obj.downcast::<InstanceObj>().unwrap(), oc);
        object::set_class(obj, new);
        Ok(())
    }

    /// `object.__setattr__`: data descriptors, then the instance dict.
    pub fn generic_setattr(&mut self, obj: &Value, name: &Value, v: Value) -> PyResult<()> {
        let cls = class_of(obj);
        if as_str(name) == Some("__class__") {
            return self.set_class_attr(obj, &cls, &v);
        }
        if let Some(d) = self.class_lookup(&cls, name) {
            match d.kind() {
                Some(Kind::Property) => {
                    let p = d.downcast::<PropertyObj>().unwrap();
                    if p.fset.is_none() {
                        return Err(exc::attribute_error(format!(
                            "property '{}' of '{}' object has no setter",
                            as_str(name).unwrap_or("?"),
                            type_name(obj)
                        )));
                    }
                    let s = p.fset.clone();
                    self.call(&s, &[obj.clone(), v])?;
                    return Ok(());
                }
                Some(Kind::SlotDescr) => {
                    let s = d.downcast::<SlotDescrObj>().unwrap();
                    if let Some(i) = obj.downcast::<InstanceObj>() {
                        i.slots[s.index].set(v);
                        return Ok(());
                    }
                }
                Some(Kind::Instance) => {
                    if let Some(set) = self.lookup_special(&d, &intern("__set__")) {
                        self.call(&set, &[d.clone(), obj.clone(), v])?;
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        if obj.kind() == Some(Kind::Module) {
            let m = obj.downcast::<ModuleObj>().unwrap();
            m.dict
                .downcast::<DictObj>()
                .unwrap()
                .insert_fast(name.clone(), hash_of(name), v);
            return Ok(());
        }
        if let Some(i) = obj.downcast::<InstanceObj>() {
            let c = cls.downcast::<ClassObj>().unwrap();
            if !c.has(object::CLS_NO_DICT) {
                instance::set(i, c, name, v);
                return Ok(());
            }
        } else if let Some(d) = instance_dict(obj) {
            d.downcast::<DictObj>()
                .unwrap()
                .insert_fast(name.clone(), hash_of(name), v);
            return Ok(());
        }
        Err(exc::attribute_error(format!(
            "'{}' object has no attribute '{}'",
            type_name(obj),
            as_str(name).unwrap_or("?")
        )))
    }

    /// `delattr(obj, name)`.
    pub fn delattr(&mut self, obj: &Value, name: &Value) -> PyResult<()> {
        let cls = class_of(obj);
        if let Some(d) = self.class_lookup(&cls, name) {
            if let Some(p) = d.downcast::<PropertyObj>() {
                if p.fdel.is_none() {
                    return Err(exc::attribute_error(format!(
                        "property '{}' of '{}' object has no deleter",
                        as_str(name).unwrap_or("?"),
                        type_name(obj)
                    )));
                }
                let f = p.fdel.clone();
                self.call(&f, std::slice::from_ref(obj))?;
                return Ok(());
            }
            if let Some(s) = d.downcast::<SlotDescrObj>()
                && let Some(i) = obj.downcast::<InstanceObj>()
            {
                if i.slots[s.index].is_undef() {
                    return Err(exc::attribute_error(as_str(name).unwrap_or("?")));
                }
                i.slots[s.index].set(Value::UNDEF);
                return Ok(());
            }
        }
        if obj.kind() == Some(Kind::Class) {
            self.class_changed(obj, name);
        }
        let d = match obj.kind() {
            Some(Kind::Class) => Some(obj.downcast::<ClassObj>().unwrap().dict.clone()),
            Some(Kind::Module) => Some(obj.downcast::<ModuleObj>().unwrap().dict.clone()),
            _ => existing_instance_dict(obj),
        };
        if let Some(d) = d
            && d.downcast::<DictObj>()
                .unwrap()
                .remove(name, hash_of(name), &mut |a, b| {
                    Ok(a.is(b) || as_str(a) == as_str(b))
                })?
                .is_some()
        {
            return Ok(());
        }
        Err(no_attr(obj, name))
    }

    /// Called before a class's namespace changes (invalidates caches; keeps flags right).
    pub(crate) fn class_changed(&mut self, cls: &Value, name: &Value) {
        self.type_epoch.set(self.type_epoch.get() + 1);
        let c = cls.downcast::<ClassObj>().unwrap();
        match as_str(name) {
            Some("__getattr__") => c.flags.set(c.flags.get() | object::CLS_GETATTR),
            Some("__setattr__") => c.flags.set(c.flags.get() | object::CLS_SETATTR),
            _ => {}
        }
    }

    /// Allocates an instance of user class `cls` with the right layout (no `__init__`).
    pub fn new_instance(&mut self, cls: &Value) -> PyResult<Value> {
        let c = cls.downcast::<ClassObj>().unwrap();
        let slots = object::Slots::new(c.nslots.get());
        Ok(match c.layout.get() {
            Kind::List => object::alloc(cls, ListObj::new(Vec::new())),
            Kind::Dict => object::alloc(cls, DictObj::default()),
            Kind::Exception => crate::runtime::exc::new_exc(cls, vec![]),
            _ => object::alloc(
                cls,
                InstanceObj {
                    dict: object::Slot::default(),
                    values: object::Values::default(),
                    slots,
                    payload: object::Slot::default(),
                },
            ),
        })
    }

    /// `d[k] = v` for any dict (Python equality for keys).
    pub fn dict_set(&mut self, d: &Value, k: Value, v: Value) -> PyResult<()> {
        let Some(dd) = d.downcast::<DictObj>() else {
            return self.setitem(d, &k, v);
        };
        let h = self.hash(&k)?;
        dd.insert(k, h, v, &mut |a, b| self.eq(a, b))
    }

    /// `d.get(k)` for any dict.
    pub fn dict_get(&mut self, d: &DictObj, k: &Value) -> PyResult<Option<Value>> {
        let h = self.hash(k)?;
        d.get(k, h, &mut |a, b| self.eq(a, b))
    }
}

fn bind_builtin(b: &BuiltinObj, obj: Value) -> Value {
    object::alloc(
        &types().builtin_function,
        BuiltinObj {
            name: b.name,
            owner: b.owner,
            f: b.f,
            self_: obj,
            binding: b.binding,
        },
    )
}

/// AttributeError for `obj.name`.
pub fn no_attr(obj: &Value, name: &Value) -> crate::PyErr {
    exc::attribute_error(format!(
        "'{}' object has no attribute '{}'",
        type_name(obj),
        as_str(name).unwrap_or("?")
    ))
}

/// The docstring CPython gives some builtin classes (`None` for the others).
fn builtin_class_doc(cls: &Value) -> Option<&'static str> {
    let t = types();
    let docs: [(&Value, &'static str); 5] = [
        (
            &t.object,
            "The base class of the class hierarchy.\n\nWhen called, it accepts no arguments and returns a new featureless\ninstance that has no instance attributes and cannot be given any.\n",
        ),
        (
            &t.float,
            "Convert a string or number to a floating point number, if possible.",
        ),
        (
            &t.list,
            "Built-in mutable sequence.\n\nIf no argument is given, the constructor creates a new empty list.\nThe argument must be an iterable if specified.",
        ),
        (
            &t.tuple,
            "Built-in immutable sequence.\n\nIf no argument is given, the constructor returns an empty tuple.\nIf iterable is specified the tuple is initialized from iterable's items.\n\nIf the argument is a tuple, the return value is the same object.",
        ),
        (
            &t.set,
            "set() -> new empty set object\nset(iterable) -> new set object\n\nBuild an unordered collection of unique elements.",
        ),
    ];
    docs.iter().find(|(c, _)| c.is(cls)).map(|(_, d)| *d)
}
