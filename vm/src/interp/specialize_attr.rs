//! Quickening of attribute and method loads whose answer lives on a class or a module:
//! `LOAD_ATTR_CLASS`, `LOAD_ATTR_MODULE` and the `LOAD_METHOD_*` forms (CPython 3.11's
//! names). Each keeps its guard key in the instruction's [`ExtCache`]:
//!
//! | form                       | guard                                              | cached            |
//! |----------------------------|----------------------------------------------------|-------------------|
//! | `LOAD_METHOD_WITH_VALUES`  | class address (one of up to 4) + type epoch, name not in the instance dict | the method per class |
//! | `LOAD_METHOD_NO_DICT`      | class address (one of up to 4) + type epoch (instances have no dict) | the method per class |
//! | `LOAD_METHOD_CLASS`, `LOAD_ATTR_CLASS` | the class object's address + type epoch | the attribute   |
//! | `LOAD_METHOD_MODULE`, `LOAD_ATTR_MODULE` | module address, and the dict entry at the cached index still has this key | entry index |
//! | `LOAD_ATTR_SLOT`, `STORE_ATTR_SLOT` | class address + type epoch (the slot index is in a cache word) | — |
//!
//! The two instance forms are polymorphic: a site that meets instances of another class
//! (subclasses sharing a base method, or each with its own) adds the class and its method
//! to [`ExtCache::more`], up to four classes in all, before it counts misses. CPython 3.11
//! keeps one class per site; richards' `t.runTask()` meets four.
//!
//! The type epoch moves whenever any class is created or any class namespace changes, so
//! monkeypatching a method, assigning `obj.__class__` or shadowing a method in an instance
//! dict all fall back to the generic path (and, after repeated misses, deoptimize).

use crate::code::{Code, ExtCache};
use crate::object::{self, ClassObj, DictObj, Kind, ModuleObj};
use crate::runtime::{class_ref, str::hash_of};
use crate::value::Value;
use crate::vm::Vm;
use jitlens_compiler::bytecode::Op;

/// What a cached method load produced.
pub(crate) enum MethodHit {
    /// A method found on the class: push it, then the object as `self`.
    Bound(Value),
    /// A plain attribute (module global, class attribute): push it, then UNDEF.
    Plain(Value),
}

/// True when `d`, found on a class, is returned as is by attribute access on the class
/// object: a function or a value that is not a descriptor.
fn plain_class_attr(d: &Value) -> bool {
    matches!(
        d.kind(),
        None | Some(Kind::Function | Kind::Str | Kind::Int | Kind::Tuple | Kind::Class)
    )
}

/// The method found on the class of `obj` when LOAD_METHOD can bind it without creating a
/// bound-method object (a Python function, or an unbound builtin method).
fn plain_method(d: &Value) -> bool {
    match d.kind() {
        Some(Kind::Function) => true,
        Some(Kind::Builtin) => {
            let b = d.downcast::<object::BuiltinObj>().unwrap();
            b.binding == object::Binding::Method && b.self_.is_undef()
        }
        _ => false,
    }
}

/// True if `obj` has an instance dict that holds `name` (which would shadow a method).
#[inline(always)]
fn shadowed(obj: &Value, name: &Value) -> bool {
    if let Some(i) = obj.downcast::<object::InstanceObj>() {
        let h = obj.header().unwrap();
        return h
            .class_data()
            .is_some_and(|c| crate::runtime::instance::has(i, c, name));
    }
    crate::runtime::attr::existing_dict(obj).is_some_and(|d| {
        d.downcast::<DictObj>()
            .is_some_and(|d| d.get_str(name, hash_of(name)).is_some())
    })
}

/// The index of `name` among the entries of the dict of module `m`.
fn module_entry(m: &Value, name: &Value) -> Option<u32> {
    let d = m.downcast::<ModuleObj>()?.dict.clone();
    let d = d.downcast::<DictObj>()?;
    let i = d.with(|t| t.entries().iter().position(|e| e.key.is(name)))?;
    u32::try_from(i).ok()
}

/// The value of entry `idx` of module `m`'s dict, if its key is still `name`.
#[inline(always)]
fn module_value(m: &Value, idx: u32, name: &Value) -> Option<Value> {
    let d = &m.downcast::<ModuleObj>()?.dict;
    d.downcast::<DictObj>()?.with(|t| {
        t.entries()
            .get(idx as usize)
            .filter(|e| e.key.is(name))
            .map(|e| e.value.clone())
    })
}

impl Vm {
    /// The attribute `name` of class object `cls` when it can be cached: the metaclass is
    /// `type` (which defines no attribute of that name) and the value is plain.
    fn cacheable_class_attr(&self, cls: &Value, name: &Value) -> Option<Value> {
        let meta = class_ref(cls.header()?);
        if !meta.is(&crate::types().type_) || self.class_lookup(&meta, name).is_some() {
            return None;
        }
        self.class_lookup(cls, name).filter(plain_class_attr)
    }

    /// Fills `e` for a module or class object `obj` and returns the module or class form.
    fn module_or_class_form(
        &self,
        e: &ExtCache,
        obj: &Value,
        name: &Value,
        module_form: Op,
        class_form: Op,
    ) -> Option<Op> {
        match obj.kind()? {
            Kind::Module => {
                let i = module_entry(obj, name)?;
                e.key.set(obj.bits());
                e.epoch.set(i);
                Some(module_form)
            }
            Kind::Class => {
                let v = self.cacheable_class_attr(obj, name)?;
                e.key.set(obj.bits());
                e.epoch.set(self.type_epoch.get());
                e.value.set(v);
                Some(class_form)
            }
            _ => None,
        }
    }

    /// The LOAD_ATTR form for a module or a class object, if one fits (the instance forms
    /// are tried first, in `specialize`).
    pub(crate) fn load_attr_form(
        &self,
        code: &Code,
        ip: usize,
        obj: &Value,
        name: &Value,
    ) -> Option<Op> {
        let e = code.ext_at(ip, Op::LOAD_ATTR);
        self.module_or_class_form(e, obj, name, Op::LOAD_ATTR_MODULE, Op::LOAD_ATTR_CLASS)
    }

    /// The LOAD_METHOD form for `obj.name`, if one fits; fills the instruction's cache.
    pub(crate) fn load_method_form(
        &self,
        code: &Code,
        ip: usize,
        obj: &Value,
        name: &Value,
    ) -> Option<Op> {
        let e = code.ext_at(ip, Op::LOAD_METHOD);
        let h = obj.header()?;
        match h.kind {
            Kind::Module | Kind::Class => {
                return self.module_or_class_form(
                    e,
                    obj,
                    name,
                    Op::LOAD_METHOD_MODULE,
                    Op::LOAD_METHOD_CLASS,
                );
            }
            Kind::Super => return None,
            _ => {}
        }
        let (d, form) = self.instance_method_form(obj, name)?;
        e.key.set(h.cls.get() as u64);
        e.epoch.set(self.type_epoch.get());
        e.value.set(d);
        e.clear_more();
        Some(form)
    }

    /// The method `obj.name` binds (found on the class, not shadowed by the instance) and
    /// the LOAD_METHOD form that caches it for instances of `obj`'s class: `_NO_DICT` when
    /// they have no dict, else `_WITH_VALUES`.
    fn instance_method_form(&self, obj: &Value, name: &Value) -> Option<(Value, Op)> {
        let h = obj.header()?;
        if matches!(h.kind, Kind::Module | Kind::Class | Kind::Super) {
            return None;
        }
        let cls = class_ref(h);
        let d = self.class_lookup(&cls, name).filter(plain_method)?;
        if shadowed(obj, name) {
            return None;
        }
        let no_dict = match h.kind {
            Kind::Instance => cls
                .downcast::<ClassObj>()
                .is_some_and(|c| c.has(object::CLS_NO_DICT)),
            Kind::List | Kind::Dict => cls
                .downcast::<ClassObj>()
                .is_some_and(|c| c.has(object::CLS_BUILTIN)),
            k => !crate::runtime::attr::kind_has_dict(k),
        };
        let form = if no_dict {
            Op::LOAD_METHOD_NO_DICT
        } else {
            Op::LOAD_METHOD_WITH_VALUES
        };
        Some((d, form))
    }

    /// The method for `obj`, whose class is not the one in `e.key`, from the site's other
    /// classes, adding the class while there is room and the form fits it too (the caller
    /// has checked the epoch). `None`: a miss.
    #[inline(never)]
    fn poly_method(&self, e: &ExtCache, op: Op, obj: &Value, name: &Value) -> Option<Value> {
        let cls = obj.header()?.cls.get() as u64;
        let more = e.more.get_or_init(Default::default);
        for p in more.iter() {
            match p.key.get() {
                k if k == cls => return Some(p.value.get()),
                0 => {
                    let (d, form) = self.instance_method_form(obj, name)?;
                    if form != op {
                        return None;
                    }
                    p.key.set(cls);
                    p.value.set(d.clone());
                    return Some(d);
                }
                _ => {}
            }
        }
        None
    }

    /// Records the guard of a `*_ATTR_SLOT` form just installed at `ip` for `obj`: its class
    /// and the type epoch (the class's `name` is the slot member for as long as neither
    /// changes).
    pub(crate) fn fill_slot_guard(&self, code: &Code, ip: usize, op: Op, obj: &Value) {
        if let Some(h) = obj.header() {
            let e = code.ext_at(ip, op);
            e.key.set(h.cls.get() as u64);
            e.epoch.set(self.type_epoch.get());
        }
    }

    /// The instance behind a `*_ATTR_SLOT` form's `obj` when its guard holds: the object is
    /// a slotted instance of the class recorded at `ip`, in the same type epoch.
    #[inline(always)]
    pub(crate) fn slot_guard<'a>(
        &self,
        code: &Code,
        ip: usize,
        op: Op,
        obj: &'a Value,
    ) -> Option<&'a object::InstanceObj> {
        let h = obj.header()?;
        let e = code.ext_at(ip, op);
        if h.kind != Kind::Instance
            || h.cls.get() as u64 != e.key.get()
            || e.epoch.get() != self.type_epoch.get()
        {
            return None;
        }
        obj.downcast::<object::InstanceObj>()
    }

    /// A specialized LOAD_ATTR_CLASS / LOAD_ATTR_MODULE: the attribute, if the guard holds.
    #[inline(always)]
    pub(crate) fn load_attr_cached(
        &self,
        code: &Code,
        ip: usize,
        op: Op,
        obj: &Value,
        name: &Value,
    ) -> Option<Value> {
        let e = code.ext_at(ip, op);
        if obj.bits() != e.key.get() {
            return None;
        }
        if op == Op::LOAD_ATTR_MODULE {
            module_value(obj, e.epoch.get(), name)
        } else if e.epoch.get() == self.type_epoch.get() {
            Some(e.value.get())
        } else {
            None
        }
    }

    /// A specialized LOAD_METHOD form: what to push, if the guard holds.
    #[inline(always)]
    pub(crate) fn load_method_cached(
        &self,
        code: &Code,
        ip: usize,
        op: Op,
        obj: &Value,
        name: &Value,
    ) -> Option<MethodHit> {
        let e = code.ext_at(ip, op);
        match op {
            Op::LOAD_METHOD_WITH_VALUES | Op::LOAD_METHOD_NO_DICT => {
                let h = obj.header()?;
                if e.epoch.get() != self.type_epoch.get() {
                    return None;
                }
                let m = if h.cls.get() as u64 == e.key.get() {
                    e.value.get()
                } else {
                    self.poly_method(e, op, obj, name)?
                };
                if op == Op::LOAD_METHOD_WITH_VALUES && shadowed(obj, name) {
                    return None;
                }
                Some(MethodHit::Bound(m))
            }
            Op::LOAD_METHOD_MODULE => {
                if obj.bits() != e.key.get() {
                    return None;
                }
                module_value(obj, e.epoch.get(), name).map(MethodHit::Plain)
            }
            _ => {
                let ok = obj.bits() == e.key.get() && e.epoch.get() == self.type_epoch.get();
                ok.then(|| MethodHit::Plain(e.value.get()))
            }
        }
    }
}
