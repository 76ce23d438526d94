//! The `sys` module.

use crate::builtins::{def, set};
use crate::runtime::str::{as_str, intern, new_str};
use crate::runtime::{exc, int, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};

const PY_SRC: &str = r#"
def _struct(name, fields, values):
    ns = {'__slots__': (), '__module__': 'sys', 'n_fields': len(fields), 'n_sequence_fields': len(fields)}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, _i=i: self[_i])
    def __repr__(self):
        return name + '(' + ', '.join(f'{f}={v!r}' for f, v in zip(fields, self)) + ')'
    ns['__repr__'] = __repr__
    return type(name.rpartition('.')[2], (tuple,), ns)(values)
version_info = _struct('sys.version_info', ('major', 'minor', 'micro', 'releaselevel', 'serial'), (3, 11, 7, 'final', 0))
float_info = _struct('sys.float_info',
    ('max', 'max_exp', 'max_10_exp', 'min', 'min_exp', 'min_10_exp', 'dig', 'mant_dig', 'epsilon', 'radix', 'rounds'),
    (1.7976931348623157e+308, 1024, 308, 2.2250738585072014e-308, -1021, -307, 15, 53, 2.220446049250313e-16, 2, 1))
int_info = _struct('sys.int_info', ('bits_per_digit', 'sizeof_digit', 'default_max_str_digits', 'str_digits_check_threshold'), (30, 4, 4300, 640))
hash_info = _struct('sys.hash_info', ('width', 'modulus', 'inf', 'nan', 'imag', 'algorithm', 'hash_bits', 'seed_bits', 'cutoff'),
    (64, 2305843009213693951, 314159, 0, 1000003, 'siphash13', 64, 128, 0))
del _struct
"#;

/// Builds the module namespace.
pub fn build(vm: &mut Vm, d: &Value) -> PyResult<()> {
    let argv: Vec<Value> = vm.argv.iter().map(|s| new_str(s)).collect();
    set(d, "argv", crate::runtime::list::new(argv));
    let out = stdout_file();
    let err = stderr_file();
    set(d, "stdout", out.clone());
    set(d, "__stdout__", out);
    set(d, "stderr", err.clone());
    set(d, "__stderr__", err);
    set(d, "modules", vm.modules.clone());
    set(d, "path", crate::runtime::list::new(vec![]));
    set(d, "maxsize", int::from_i64(i64::MAX));
    set(d, "maxunicode", Value::small_int(0x10ffff));
    set(d, "version", new_str("3.11.7 (jitlens) [rustc]"));
    set(d, "hexversion", Value::small_int(0x030b07f0));
    set(d, "api_version", Value::small_int(1013));
    set(d, "platform", new_str("linux"));
    set(
        d,
        "byteorder",
        new_str(if cfg!(target_endian = "little") {
            "little"
        } else {
            "big"
        }),
    );
    set(
        d,
        "executable",
        new_str(
            &std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
    );
    set(d, "dont_write_bytecode", Value::TRUE);
    set(
        d,
        "builtin_module_names",
        crate::runtime::tuple::new(
            [
                "builtins",
                "sys",
                "math",
                "time",
                "itertools",
                "functools",
                "collections",
                "random",
                "gc",
            ]
            .iter()
            .map(|s| new_str(s))
            .collect(),
        ),
    );
    def(d, "exit", |_, a| {
        a.no_kw("exit")?;
        a.check("exit", 0, 1)?;
        let args = if a.npos() == 0 || a.arg(0).is_none() {
            vec![]
        } else {
            vec![a.arg(0).clone()]
        };
        Err(PyErr(exc::new_exc(&types().system_exit, args)))
    });
    def(d, "getrecursionlimit", |vm, a| {
        a.check("getrecursionlimit", 0, 0)?;
        Ok(int::from_i64(vm.recursion_limit as i64))
    });
    def(d, "setrecursionlimit", |vm, a| {
        a.check("setrecursionlimit", 1, 1)?;
        let v = a.arg(0);
        if v.as_float().is_some() || !int::is_int(v) {
            return Err(exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(v)
            )));
        }
        let n = int::as_i64(v)
            .ok_or_else(|| exc::overflow_error("Python int too large to convert to C int"))?;
        if n < 1 {
            return Err(exc::value_error(
                "recursion limit must be greater or equal than 1",
            ));
        }
        if n > i32::MAX as i64 {
            return Err(exc::overflow_error(
                "Python int too large to convert to C int",
            ));
        }
        vm.recursion_limit = n as _;
        Ok(Value::NONE)
    });
    def(d, "intern", |_, a| {
        a.check("intern", 1, 1)?;
        match as_str(a.arg(0)) {
            Some(s) => Ok(intern(s)),
            None => Err(exc::type_error(format!(
                "intern() argument must be str, not {}",
                type_name(a.arg(0))
            ))),
        }
    });
    def(d, "getdefaultencoding", |_, _| Ok(new_str("utf-8")));
    def(d, "getfilesystemencoding", |_, _| Ok(new_str("utf-8")));
    def(d, "getsizeof", |_, a| {
        a.check("getsizeof", 1, 2)?;
        Ok(Value::small_int(if a.arg(0).is_obj() { 56 } else { 24 }))
    });
    def(d, "exc_info", |vm, _| {
        let e = vm.handled.clone();
        if e.is_none() || e.is_undef() {
            return Ok(crate::runtime::tuple::new(vec![
                Value::NONE,
                Value::NONE,
                Value::NONE,
            ]));
        }
        Ok(crate::runtime::tuple::new(vec![
            crate::runtime::class_of(&e),
            e,
            Value::NONE,
        ]))
    });
    super::run_py(vm, d, PY_SRC, "<sys>")?;
    Ok(())
}

/// A file object for the process's stdout.
pub fn stdout_file() -> Value {
    crate::object::alloc(
        &crate::types::types().file,
        crate::object::FileObj {
            target: crate::object::FileTarget::Stdout,
            name: "<stdout>".into(),
            closed: std::cell::Cell::new(false),
        },
    )
}

/// A file object for the process's stderr.
pub fn stderr_file() -> Value {
    crate::object::alloc(
        &crate::types::types().file,
        crate::object::FileObj {
            target: crate::object::FileTarget::Stderr,
            name: "<stderr>".into(),
            closed: std::cell::Cell::new(false),
        },
    )
}
