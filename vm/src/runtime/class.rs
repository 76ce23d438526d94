//! Classes: the `class` statement (`__build_class__`), `type(name, bases, ns)`, C3
//! linearisation, `__slots__`, and `super()`.

use crate::interp::args::Args;
use crate::object::{
    self, CLS_BASETYPE, CLS_BUILTIN, CLS_EXCEPTION, CLS_GETATTR, CLS_NO_DICT, CLS_SETATTR, CellObj,
    ClassObj, DictObj, FuncObj, Kind, SlotDescrObj, SuperObj,
};
use crate::runtime::attr::dict_get_str;
use crate::runtime::str::{as_str, hash_of, intern, new_str};
use crate::runtime::{class_name, class_of, exc, tuple};
use crate::types::{new_class, types};
use crate::value::Value;
use crate::{PyResult, Vm};

/// C3 linearisation of `bases` (the MRO of a new class, excluding itself).
fn c3(bases: &[Value]) -> PyResult<Vec<Value>> {
    let mut seqs: Vec<Vec<Value>> = bases
        .iter()
        .map(|b| {
            let mut s = vec![b.clone()];
            s.extend(b.downcast::<ClassObj>().unwrap().mro());
            s
        })
        .collect();
    seqs.push(bases.to_vec());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let mut found = None;
        for s in &seqs {
            let cand = &s[0];
            if !seqs.iter().any(|t| t[1..].iter().any(|x| x.is(cand))) {
                found = Some(cand.clone());
                break;
            }
        }
        let Some(c) = found else {
            let names: Vec<String> = bases
                .iter()
                .map(|b| class_name(b.downcast::<ClassObj>().unwrap()))
                .collect();
            return Err(exc::type_error(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            )));
        };
        for s in seqs.iter_mut() {
            if s[0].is(&c) {
                s.remove(0);
            }
        }
        out.push(c);
    }
}

impl Vm {
    /// `__build_class__(func, name, *bases, **kw)`.
    pub(crate) fn build_class(&mut self, a: &Args) -> PyResult<Value> {
        if a.npos() < 2 {
            return Err(exc::type_error("__build_class__: not enough arguments"));
        }
        let func = a.arg(0).clone();
        let name = a.arg(1).clone();
        let bases: Vec<Value> = a.pos()[2..].to_vec();
        let mut meta = a.kw("metaclass").cloned();
        let pf = func
            .downcast::<FuncObj>()
            .ok_or_else(|| exc::type_error("__build_class__: func must be a function"))?;
        let ns = object::alloc(&types().dict, DictObj::default());
        // Run the body with the namespace as its locals.
        let mut frame = self.bind_frame(&func, pf, &[], &[])?;
        frame.locals = ns.clone();
        self.depth += 1;
        let r = self.run_frame_to_end(frame);
        self.depth -= 1;
        let cell = r?;
        if meta.is_none() {
            meta = bases.first().map(class_of);
        }
        let meta = meta.unwrap_or_else(|| types().type_.clone());
        let cls = if meta.is(&types().type_)
            || meta
                .downcast::<ClassObj>()
                .is_some_and(|m| m.has(CLS_BUILTIN))
        {
            self.make_class(&name, bases, &ns)?
        } else {
            let b = tuple::new(bases);
            self.call(&meta, &[name.clone(), b, ns.clone()])?
        };
        if let Some(c) = cell.downcast::<CellObj>() {
            c.v.set(cls.clone());
        }
        Ok(cls)
    }

    /// `type(name, bases, dict)`.
    pub(crate) fn type_new(&mut self, _meta: &Value, a: &Args) -> PyResult<Value> {
        let bases = crate::runtime::ops::seq_items(a.arg(1));
        let ns = self.dict_copy(a.arg(2))?;
        self.make_class(a.arg(0), bases, &ns)
    }

    /// Creates a user class.
    pub fn make_class(
        &mut self,
        name: &Value,
        mut bases: Vec<Value>,
        ns: &Value,
    ) -> PyResult<Value> {
        let t = types();
        if bases.is_empty() {
            bases.push(t.object.clone());
        }
        for b in &bases {
            match b.downcast::<ClassObj>() {
                Some(c) if c.has(CLS_BASETYPE) => {}
                Some(c) => {
                    return Err(exc::type_error(format!(
                        "type '{}' is not an acceptable base type",
                        class_name(c)
                    )));
                }
                None => return Err(exc::type_error("bases must be types")),
            }
        }
        let mro = c3(&bases)?;
        // Layout: the most derived builtin layout among the bases.
        let mut layout = Kind::Instance;
        let mut new = None;
        let mut flags = CLS_BASETYPE;
        let mut payload_base = false;
        for c in &mro {
            let cc = c.downcast::<ClassObj>().unwrap();
            if cc.has(CLS_EXCEPTION) {
                flags |= CLS_EXCEPTION;
            }
            if cc.has(CLS_GETATTR) {
                flags |= CLS_GETATTR;
            }
            if cc.has(CLS_SETATTR) {
                flags |= CLS_SETATTR;
            }
            if cc.has(CLS_BUILTIN) && !c.is(&t.object) && layout == Kind::Instance && new.is_none()
            {
                let l = cc.layout.get();
                if matches!(l, Kind::List | Kind::Dict | Kind::Exception) {
                    layout = l;
                }
                if cc.new.get().is_some() {
                    new = cc.new.get();
                    payload_base = !matches!(l, Kind::List | Kind::Dict | Kind::Exception);
                }
            }
        }
        let _ = payload_base;
        let nd = ns.downcast::<DictObj>().unwrap();
        if dict_get_str(nd, "__getattr__").is_some() {
            flags |= CLS_GETATTR;
        }
        if dict_get_str(nd, "__setattr__").is_some() {
            flags |= CLS_SETATTR;
        }
        // __eq__ without __hash__ makes instances unhashable.
        if dict_get_str(nd, "__eq__").is_some() && dict_get_str(nd, "__hash__").is_none() {
            crate::runtime::attr::dict_set_str(nd, "__hash__", Value::NONE);
        }
        let name_s = as_str(name).unwrap_or("?").to_string();
        let cls = new_class(&t.type_, &name_s, bases.clone(), layout, new, flags);
        let c = cls.downcast::<ClassObj>().unwrap();
        c.set_mro(mro);
        // Copy the namespace into the class dict (`__qualname__` lives in the class object).
        let cd = c.dict.downcast::<DictObj>().unwrap();
        for (k, v) in nd.items() {
            if matches!(as_str(&k), Some("__classcell__" | "__qualname__")) {
                continue;
            }
            cd.insert_fast(k.clone(), hash_of(&k), v);
        }
        if let Some(q) = dict_get_str(nd, "__qualname__") {
            c.qualname.set(q);
        }
        // __slots__.
        let inherited: usize = bases
            .iter()
            .map(|b| b.downcast::<ClassObj>().unwrap().nslots.get())
            .max()
            .unwrap_or(0);
        let mut nslots = inherited;
        let mut no_dict = bases.iter().all(|b| {
            let bc = b.downcast::<ClassObj>().unwrap();
            bc.has(CLS_NO_DICT) || b.is(&t.object)
        });
        match dict_get_str(nd, "__slots__") {
            Some(slots) => {
                let names = if as_str(&slots).is_some() {
                    vec![slots]
                } else {
                    self.collect(&slots)?
                };
                for n in names {
                    let s = as_str(&n)
                        .ok_or_else(|| exc::type_error("__slots__ items must be strings"))?
                        .to_string();
                    if s == "__dict__" {
                        no_dict = false;
                        continue;
                    }
                    if dict_get_str(nd, &s).is_some() {
                        return Err(exc::value_error(format!(
                            "'{s}' in __slots__ conflicts with class variable"
                        )));
                    }
                    let d = object::alloc(
                        &t.member_descriptor,
                        SlotDescrObj {
                            name: intern(&s),
                            index: nslots,
                            owner_name: name.clone(),
                        },
                    );
                    crate::runtime::attr::dict_set_str(cd, &s, d);
                    nslots += 1;
                }
            }
            None => no_dict = false,
        }
        if layout != Kind::Instance {
            no_dict = false;
        }
        c.nslots.set(nslots);
        let descr_here = cd.values().iter().any(|v| {
            matches!(v.kind(), Some(Kind::Property) | Some(Kind::SlotDescr))
                || self.is_user_data_descriptor(v)
        });
        let descr_inherited = c.with_mro(|m| {
            m.iter().any(|b| {
                b.downcast::<ClassObj>()
                    .unwrap()
                    .has(object::CLS_DATA_DESCR)
            })
        });
        if descr_here || descr_inherited {
            c.flags.set(c.flags.get() | object::CLS_DATA_DESCR);
        }
        if no_dict {
            c.flags.set(c.flags.get() | CLS_NO_DICT);
        }
        // __init_subclass__ and __set_name__ are rare; __set_name__ is honoured for descriptors.
        for (k, v) in cd.items() {
            if v.kind() == Some(Kind::Instance)
                && let Some(m) = self.lookup_special(&v, &intern("__set_name__"))
                && m.kind() != Some(Kind::Builtin)
            {
                self.call(&m, &[v.clone(), cls.clone(), k.clone()])?;
            }
        }
        // `super(cls, cls).__init_subclass__()`: the nearest base's, an implicit classmethod
        // (object's does nothing).
        let hook = c.with_mro(|m| {
            m.iter().find_map(|b| {
                let d = b.downcast::<ClassObj>()?.dict.downcast::<DictObj>()?;
                dict_get_str(d, "__init_subclass__")
            })
        });
        if let Some(h) = hook {
            let f = match h.downcast::<object::ClassMethodObj>() {
                Some(cm) => cm.f.clone(),
                None => h,
            };
            if f.kind() != Some(Kind::Builtin) {
                self.call(&f, std::slice::from_ref(&cls))?;
            }
        }
        self.classes.push(cls.clone());
        self.type_epoch.set(self.type_epoch.get() + 1);
        Ok(cls)
    }

    /// `super()` / `super(cls, obj)`.
    pub(crate) fn make_super(&mut self, a: &Args) -> PyResult<Value> {
        let (cls, obj) = if a.npos() >= 2 {
            (a.arg(0).clone(), a.arg(1).clone())
        } else {
            // Zero-argument form: the calling frame's __class__ cell and first argument.
            let f = self
                .frames
                .last()
                .ok_or_else(|| exc::runtime_error("super(): no arguments"))?;
            let code = f.code.clone();
            let class_idx = code
                .freevars
                .iter()
                .position(|n| as_str(n) == Some("__class__"));
            let Some(ci) = class_idx else {
                return Err(exc::runtime_error("super(): __class__ cell not found"));
            };
            let cell = f.fast[code.varnames.len() + code.cellvars.len() + ci].clone();
            let cls = cell
                .downcast::<CellObj>()
                .map(|c| c.v.get())
                .unwrap_or(Value::UNDEF);
            if cls.is_undef() {
                return Err(exc::runtime_error("super(): empty __class__ cell"));
            }
            if code.argcount == 0 && code.flags & jitlens_compiler::bytecode::CO_VARARGS == 0 {
                return Err(exc::runtime_error("super(): no arguments"));
            }
            let mut first = f.fast[0].clone();
            if first.is_undef() {
                // The first argument may live in a cell (captured by a closure).
                if let Some(i) = code.cell2arg.iter().position(|c| *c == Some(0)) {
                    first = f.fast[code.varnames.len() + i]
                        .downcast::<CellObj>()
                        .map(|c| c.v.get())
                        .unwrap_or(Value::UNDEF);
                }
            }
            (cls, first)
        };
        let obj_type = if obj.kind() == Some(Kind::Class) && exc::is_subclass(&obj, &cls) {
            obj.clone()
        } else {
            class_of(&obj)
        };
        if !exc::is_subclass(&obj_type, &cls) {
            return Err(exc::type_error(
                "super(type, obj): obj must be an instance or subtype of type",
            ));
        }
        Ok(object::alloc(
            &types().super_,
            SuperObj { cls, obj, obj_type },
        ))
    }
}

/// A minimal traceback object (`tb_lineno`, `tb_next`, `tb_frame`) for code that inspects
/// `__traceback__` or receives one in `__exit__`.
pub fn traceback_object(line: u32) -> Value {
    let t = types();
    thread_local! {
        static CLS: std::cell::RefCell<Option<std::mem::ManuallyDrop<Value>>> = const { std::cell::RefCell::new(None) };
    }
    let cls = CLS.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(std::mem::ManuallyDrop::new(new_class(
                &t.type_,
                "traceback",
                vec![t.object.clone()],
                Kind::Instance,
                None,
                CLS_BUILTIN,
            )));
        }
        (**c.as_ref().unwrap()).clone()
    });
    let d = object::alloc(&t.dict, DictObj::default());
    let dd = d.downcast::<DictObj>().unwrap();
    crate::runtime::attr::dict_set_str(dd, "tb_lineno", Value::small_int(line as i64));
    crate::runtime::attr::dict_set_str(dd, "tb_next", Value::NONE);
    crate::runtime::attr::dict_set_str(dd, "tb_frame", Value::NONE);
    object::alloc(
        &cls,
        object::InstanceObj {
            dict: object::Slot::new(d),
            values: object::Values::default(),
            slots: object::Slots::new(0),
            payload: object::Slot::default(),
        },
    )
}

/// Makes a builtin function object.
pub fn builtin_fn(
    name: &'static str,
    owner: &'static str,
    f: crate::object::NativeFn,
    binding: crate::object::Binding,
) -> Value {
    object::alloc(
        &types().builtin_function,
        crate::object::BuiltinObj {
            name,
            owner,
            f,
            self_: Value::UNDEF,
            binding,
        },
    )
}

/// Adds a native method to a builtin class.
pub fn add_method(cls: &Value, name: &'static str, f: crate::object::NativeFn) {
    let c = cls.downcast::<ClassObj>().unwrap();
    let owner = Box::leak(class_name(c).into_boxed_str());
    let m = builtin_fn(name, owner, f, crate::object::Binding::Method);
    crate::runtime::attr::dict_set_str(c.dict.downcast::<DictObj>().unwrap(), name, m);
}

/// Adds a native class method to a builtin class.
pub fn add_classmethod(cls: &Value, name: &'static str, f: crate::object::NativeFn) {
    let c = cls.downcast::<ClassObj>().unwrap();
    let owner = Box::leak(class_name(c).into_boxed_str());
    let m = builtin_fn(name, owner, f, crate::object::Binding::ClassMethod);
    crate::runtime::attr::dict_set_str(c.dict.downcast::<DictObj>().unwrap(), name, m);
}

/// Adds a plain value to a builtin class's namespace.
pub fn add_attr(cls: &Value, name: &str, v: Value) {
    let c = cls.downcast::<ClassObj>().unwrap();
    crate::runtime::attr::dict_set_str(c.dict.downcast::<DictObj>().unwrap(), name, v);
}

#[allow(dead_code)]
fn _unused() -> Value {
    new_str("")
}
