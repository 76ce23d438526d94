//! The standard modules jitlens provides natively (`math`, `random`, `itertools`, `time`,
//! `sys`, `functools`, `collections`, …), and `import`.
//!
//! Each module is a function that builds its namespace dict; modules are created on first
//! import and cached in `Vm::modules`.

pub mod collections;
pub mod functools;
pub mod itertools;
pub mod math;
pub mod mt;
pub mod random;
pub mod sys;
pub mod time;

use crate::object::{DictObj, ModuleObj};
use crate::runtime::attr::dict_get_str;
use crate::runtime::exc;
use crate::runtime::str::{as_str, intern};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};

/// A module builder: fills the module's dict.
type Builder = fn(&mut Vm, &Value) -> PyResult<()>;

fn builder(name: &str) -> Option<Builder> {
    Some(match name {
        "math" => math::build,
        "random" => random::build,
        "itertools" => itertools::build,
        "time" => time::build,
        "sys" => sys::build,
        "functools" => functools::build,
        "collections" => collections::build,
        "collections.abc" => collections::build_abc,
        "__future__" => |_, _| Ok(()),
        "gc" => build_gc,
        _ => return None,
    })
}

fn build_gc(_vm: &mut Vm, d: &Value) -> PyResult<()> {
    crate::builtins::def(d, "collect", |_, _| {
        Ok(Value::small_int(crate::object::gc::collect() as i64))
    });
    crate::builtins::def(d, "enable", |_, _| {
        crate::object::gc::set_enabled(true);
        Ok(Value::NONE)
    });
    crate::builtins::def(d, "disable", |_, _| {
        crate::object::gc::set_enabled(false);
        Ok(Value::NONE)
    });
    Ok(())
}

/// Runs Python source `src` with the module dict `d` as its globals (for the parts of a
/// module that are simplest written in Python).
pub(crate) fn run_py(vm: &mut Vm, d: &Value, src: &str, filename: &str) -> PyResult<()> {
    let unit = jitlens_compiler::compile(src, filename)
        .map_err(|e| exc::runtime_error(format!("stdlib source: {}", e.render())))?;
    let code = crate::code::Code::load(&unit)
        .map_err(|e| exc::runtime_error(format!("stdlib source {filename}: bad bytecode: {e}")))?;
    crate::builtins::set(d, "__builtins__", vm.builtins.clone());
    vm.run_code(code, d.clone(), d.clone())?;
    Ok(())
}

/// Registers modules that exist from the start (`sys`).
pub fn init(vm: &mut Vm) {
    let _ = vm.load_module("sys");
}

impl Vm {
    /// The module `name`, creating it on first use.
    pub fn load_module(&mut self, name: &str) -> PyResult<Value> {
        if let Some(m) = dict_get_str(self.modules.downcast::<DictObj>().unwrap(), name) {
            return Ok(m);
        }
        let Some(b) = builder(name) else {
            return Err(crate::PyErr(crate::runtime::exc::new_exc(
                &types().module_not_found_error,
                vec![crate::runtime::str::new_str(&format!(
                    "No module named '{name}'"
                ))],
            )));
        };
        let d = crate::object::alloc(&types().dict, DictObj::default());
        let m = self.new_module(name, d.clone());
        b(self, &d)?;
        // A submodule becomes an attribute of its package.
        if let Some((pkg, sub)) = name.rsplit_once('.') {
            let p = self.load_module(pkg)?;
            let pd = p.downcast::<ModuleObj>().unwrap().dict.clone();
            crate::builtins::set(&pd, sub, m.clone());
        }
        Ok(m)
    }

    /// IMPORT_NAME: `import a.b` gives `a` (when `fromlist` is None), else `a.b`.
    pub(crate) fn import(&mut self, name: &Value, fromlist: &Value) -> PyResult<Value> {
        let n = as_str(name)
            .ok_or_else(|| exc::type_error("module name must be a string"))?
            .to_string();
        let m = self.load_module(&n)?;
        if fromlist.is_none() && n.contains('.') {
            let top = n.split('.').next().unwrap();
            return self.load_module(top);
        }
        Ok(m)
    }

    /// `sys.stdout` as currently set.
    pub fn sys_stdout(&mut self) -> Value {
        let sys = dict_get_str(self.modules.downcast::<DictObj>().unwrap(), "sys");
        if let Some(s) = sys {
            let d = s.downcast::<ModuleObj>().unwrap().dict.clone();
            if let Some(o) = dict_get_str(d.downcast::<DictObj>().unwrap(), "stdout") {
                return o;
            }
        }
        sys::stdout_file()
    }

    /// `isinstance(v, cls)` for the structural ABCs of `collections.abc`; `None` if `cls`
    /// is not one of them.
    pub fn abc_check(&mut self, cls: &Value, v: &Value) -> Option<bool> {
        let c = cls.downcast::<crate::object::ClassObj>()?;
        let abc = dict_get_str(c.dict.downcast::<DictObj>().unwrap(), "__abc_methods__")?;
        let names = crate::runtime::tuple::items(&abc)?.to_vec();
        // A method set to None (`__hash__ = None`) counts as absent.
        Some(names.iter().all(|n| {
            let name = as_str(n).unwrap_or("");
            match self.lookup_special(v, &intern(name)) {
                Some(m) => !m.is_none(),
                None => native_has(v, name),
            }
        }))
    }
}

/// Whether a builtin value supports a protocol method natively.
fn native_has(v: &Value, name: &str) -> bool {
    use crate::object::Kind::*;
    let k = v.kind();
    match name {
        "__iter__" => matches!(
            k,
            Some(List)
                | Some(Tuple)
                | Some(Dict)
                | Some(Set)
                | Some(Str)
                | Some(Range)
                | Some(Iter)
                | Some(Generator)
                | Some(Deque)
        ),
        "__next__" => matches!(k, Some(Iter) | Some(Generator)),
        "__len__" | "__contains__" => matches!(
            k,
            Some(List)
                | Some(Tuple)
                | Some(Dict)
                | Some(Set)
                | Some(Str)
                | Some(Range)
                | Some(Deque)
        ),
        "__getitem__" => matches!(
            k,
            Some(List) | Some(Tuple) | Some(Dict) | Some(Str) | Some(Range) | Some(Deque)
        ),
        "__call__" => matches!(
            k,
            Some(Function) | Some(Builtin) | Some(Method) | Some(Class)
        ),
        "__hash__" => !matches!(k, Some(List) | Some(Dict) | Some(Set)),
        _ => false,
    }
}
