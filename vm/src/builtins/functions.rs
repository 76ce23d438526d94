//! Builtin functions: `print`, `len`, `sorted`, `min`, `isinstance`, …

use super::def;
use crate::interp::args::Args;
use crate::object::{self, ClassObj, DictObj, FileObj, FileTarget, Kind, ListObj, SetObj, StrObj};
use crate::runtime::str::{as_str, from_string, intern, new_str};
use crate::runtime::{class_of, exc, int, list, ops::to_f64, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

/// Registers the builtin functions.
pub fn init(_vm: &mut Vm, b: &Value) {
    def(b, "print", print);
    def(b, "len", len);
    def(b, "repr", repr);
    def(b, "ascii", ascii);
    def(b, "abs", abs);
    def(b, "min", min);
    def(b, "max", max);
    def(b, "sum", sum);
    def(b, "any", any);
    def(b, "all", all);
    def(b, "sorted", sorted);
    def(b, "isinstance", isinstance);
    def(b, "issubclass", issubclass);
    def(b, "hasattr", hasattr);
    def(b, "getattr", getattr);
    def(b, "setattr", setattr);
    def(b, "delattr", delattr);
    def(b, "id", id);
    def(b, "hash", hash);
    def(b, "iter", iter);
    def(b, "next", next);
    def(b, "chr", chr);
    def(b, "ord", ord);
    def(b, "hex", hex);
    def(b, "oct", oct);
    def(b, "bin", bin);
    def(b, "round", round);
    def(b, "divmod", divmod);
    def(b, "pow", pow);
    def(b, "callable", callable);
    def(b, "vars", vars);
    def(b, "format", format);
    def(b, "globals", globals);
    def(b, "locals", locals);
    def(b, "dir", dir);
    def(b, "open", open);
    def(b, "input", input);
    def(b, "exit", exit);
    def(b, "quit", exit);
    def(b, "__build_class__", build_class);
    def(b, "__import__", import);
}

fn build_class(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    vm.build_class(a)
}

fn import(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("__import__", 1, 5)?;
    vm.import(a.arg(0), &Value::NONE)
}

/// Writes `s` to a file-like value (sys.stdout / sys.stderr / an object with `write`).
pub fn write_to(vm: &mut Vm, file: &Value, s: &str) -> PyResult<()> {
    if let Some(f) = file.downcast::<FileObj>() {
        if f.closed.get() {
            return Err(exc::value_error("I/O operation on closed file."));
        }
        match &f.target {
            FileTarget::Stdout => vm.write_stdout(s),
            FileTarget::Stderr => vm.write_stderr(s),
            FileTarget::Write(w) => {
                use std::io::Write;
                // SAFETY: single-threaded; the writer is not reachable from Python code run here.
                let w = unsafe { &mut *w.get() };
                w.write_all(s.as_bytes())
                    .map_err(|e| exc::os_error(e.to_string()))?;
            }
            FileTarget::Read(_) => return Err(exc::os_error("not writable")),
        }
        return Ok(());
    }
    let w = vm.getattr(file, &intern("write"))?;
    vm.call(&w, &[new_str(s)])?;
    Ok(())
}

fn print(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("print", &["sep", "end", "file", "flush"])?;
    let sep = match a.kw("sep") {
        Some(v) if !v.is_none() => as_str(v)
            .ok_or_else(|| {
                exc::type_error(format!(
                    "sep must be None or a string, not {}",
                    type_name(v)
                ))
            })?
            .to_string(),
        _ => " ".to_string(),
    };
    let end = match a.kw("end") {
        Some(v) if !v.is_none() => as_str(v)
            .ok_or_else(|| {
                exc::type_error(format!(
                    "end must be None or a string, not {}",
                    type_name(v)
                ))
            })?
            .to_string(),
        _ => "\n".to_string(),
    };
    let mut out = String::new();
    for (i, v) in a.pos().iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        match as_str(v) {
            Some(s) => out.push_str(s),
            None => out.push_str(&vm.str_of(v)?),
        }
    }
    out.push_str(&end);
    match a.kw("file") {
        Some(f) if !f.is_none() => write_to(vm, f, &out)?,
        _ => {
            let f = vm.sys_stdout();
            write_to(vm, &f, &out)?
        }
    }
    if a.kw("flush").is_some_and(|v| v.is(&Value::TRUE)) {
        vm.flush_stdout();
    }
    Ok(Value::NONE)
}

/// `len(v)` as usize.
pub fn len_of(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    let user = v.is_obj()
        && !class_of(v)
            .downcast::<ClassObj>()
            .unwrap()
            .has(object::CLS_BUILTIN);
    if user
        && let Some(m) = vm.lookup_special(v, &intern("__len__"))
        && m.kind() != Some(Kind::Builtin)
    {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        let n = int::as_i64(&r).filter(|_| int::is_int(&r)).ok_or_else(|| {
            exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(&r)
            ))
        })?;
        if n < 0 {
            return Err(exc::value_error("__len__() should return >= 0"));
        }
        return Ok(n as usize);
    }
    Ok(match v.kind() {
        Some(Kind::Str) => v.downcast::<StrObj>().unwrap().nchars,
        Some(Kind::List) => v.downcast::<ListObj>().unwrap().len(),
        Some(Kind::Tuple) => tuple::items(v).unwrap().len(),
        Some(Kind::Dict) => v.downcast::<DictObj>().unwrap().len(),
        Some(Kind::Set) => v.downcast::<SetObj>().unwrap().len(),
        Some(Kind::Range) => {
            let n = v.downcast::<object::RangeObj>().unwrap().big_len();
            n.to_usize()
                .filter(|&n| n <= i64::MAX as usize)
                .ok_or_else(|| {
                    exc::overflow_error("Python int too large to convert to C ssize_t")
                })?
        }
        Some(Kind::Deque) => v.downcast::<object::DequeObj>().unwrap().with(|d| d.len()),
        Some(Kind::Iter) => {
            let c = class_of(v);
            let t = types();
            if c.is(&t.dict_keys) || c.is(&t.dict_values) || c.is(&t.dict_items) {
                let it = v.downcast::<object::IterObj>().unwrap();
                // SAFETY: short read of the view's state.
                match unsafe { &*it.state.get() } {
                    object::IterState::Dict { d, .. } => d.downcast::<DictObj>().unwrap().len(),
                    _ => 0,
                }
            } else {
                return Err(exc::type_error(format!(
                    "object of type '{}' has no len()",
                    type_name(v)
                )));
            }
        }
        _ => {
            if let Some(i) = v.downcast::<object::InstanceObj>()
                && !i.payload.is_undef()
            {
                let p = i.payload.get();
                return len_of(vm, &p);
            }
            return Err(exc::type_error(format!(
                "object of type '{}' has no len()",
                type_name(v)
            )));
        }
    })
}

fn len(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("len")?;
    a.check("len", 1, 1)?;
    Ok(int::from_i64(len_of(vm, a.arg(0))? as i64))
}

fn repr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("repr")?;
    a.check("repr", 1, 1)?;
    Ok(from_string(vm.repr(a.arg(0))?))
}

fn ascii(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("ascii")?;
    a.check("ascii", 1, 1)?;
    Ok(from_string(crate::runtime::repr::ascii_escape(
        &vm.repr(a.arg(0))?,
    )))
}

fn abs(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("abs")?;
    a.check("abs", 1, 1)?;
    let v = a.arg(0);
    if let Some(f) = v.as_float() {
        return Ok(Value::float(f.abs()));
    }
    if let Some(i) = v.as_small_int() {
        return Ok(int::from_i64(i.abs()));
    }
    if int::is_int(v) && v.kind() != Some(Kind::Instance) {
        return Ok(int::from_bigint(int::to_bigint(v).unwrap().abs()));
    }
    if let Some(m) = vm.lookup_special(v, &intern("__abs__")) {
        return vm.call(&m, std::slice::from_ref(v));
    }
    Err(exc::type_error(format!(
        "bad operand type for abs(): '{}'",
        type_name(v)
    )))
}

fn min_max(vm: &mut Vm, a: &Args, name: &str, want_max: bool) -> PyResult<Value> {
    a.only_kw(name, &["key", "default"])?;
    let key = a.kw("key").filter(|k| !k.is_none()).cloned();
    let default = a.kw("default").cloned();
    let items = if a.npos() == 1 {
        vm.collect(a.arg(0))?
    } else if a.npos() == 0 {
        return Err(exc::type_error(format!(
            "{name} expected at least 1 argument, got 0"
        )));
    } else {
        if default.is_some() {
            return Err(exc::type_error(format!(
                "Cannot specify a default for {name}() with multiple positional arguments"
            )));
        }
        a.pos().to_vec()
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &key {
            Some(f) => vm.call(f, std::slice::from_ref(&item))?,
            None => item.clone(),
        };
        best = Some(match best {
            None => (k, item),
            Some((bk, bi)) => {
                let op = if want_max {
                    jitlens_compiler::bytecode::cmpop::GT
                } else {
                    jitlens_compiler::bytecode::cmpop::LT
                };
                let r = vm.compare(&k, &bk, op)?;
                let better = vm.truthy(&r)?;
                if better { (k, item) } else { (bk, bi) }
            }
        });
    }
    match best {
        Some((_, v)) => Ok(v),
        None => {
            default.ok_or_else(|| exc::value_error(format!("{name}() arg is an empty sequence")))
        }
    }
}

fn min(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    min_max(vm, a, "min", false)
}

fn max(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    min_max(vm, a, "max", true)
}

fn sum(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("sum", &["start"])?;
    a.check("sum", 1, 2)?;
    let mut acc = a.get(1, "start").cloned().unwrap_or(Value::small_int(0));
    if as_str(&acc).is_some() {
        return Err(exc::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    let it = vm.get_iter(a.arg(0))?;
    // Fast paths for runs of small ints and of floats.
    let mut iacc: Option<i64> = acc.as_small_int();
    let mut facc: Option<f64> = None;
    while let Some(x) = vm.next(&it)? {
        if let (Some(s), Some(i)) = (iacc, x.as_small_int())
            && let Some(r) = s.checked_add(i)
        {
            iacc = Some(r);
            continue;
        }
        if let Some(s) = iacc.take() {
            acc = int::from_i64(s);
        }
        if let Some(f) = x.as_float() {
            match facc {
                Some(s) => {
                    facc = Some(s + f);
                    continue;
                }
                None if acc.is_float() || acc.is_small_int() => {
                    facc = Some(to_f64(&acc)? + f);
                    continue;
                }
                None => {}
            }
        }
        if let Some(s) = facc.take() {
            acc = Value::float(s);
        }
        acc = vm.binary_op(&acc, &x, jitlens_compiler::bytecode::binop::ADD)?;
        iacc = acc.as_small_int();
    }
    if let Some(s) = iacc {
        return Ok(int::from_i64(s));
    }
    if let Some(s) = facc {
        return Ok(Value::float(s));
    }
    Ok(acc)
}

fn any(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("any")?;
    a.check("any", 1, 1)?;
    let it = vm.get_iter(a.arg(0))?;
    while let Some(x) = vm.next(&it)? {
        if vm.truthy(&x)? {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

fn all(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("all")?;
    a.check("all", 1, 1)?;
    let it = vm.get_iter(a.arg(0))?;
    while let Some(x) = vm.next(&it)? {
        if !vm.truthy(&x)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

/// Stable merge sort with a comparison that may raise.
pub fn sort_values(
    vm: &mut Vm,
    items: Vec<Value>,
    key: Option<&Value>,
    reverse: bool,
) -> PyResult<Vec<Value>> {
    let keys: Vec<Value> = match key {
        Some(f) => {
            let mut k = Vec::with_capacity(items.len());
            for x in &items {
                k.push(vm.call(f, std::slice::from_ref(x))?);
            }
            k
        }
        None => items.clone(),
    };
    let mut idx: Vec<usize> = (0..items.len()).collect();
    if reverse {
        idx.reverse();
    }
    let mut buf = idx.clone();
    merge_sort(vm, &keys, &mut idx, &mut buf)?;
    if reverse {
        idx.reverse();
    }
    Ok(idx.into_iter().map(|i| items[i].clone()).collect())
}

fn merge_sort(vm: &mut Vm, keys: &[Value], v: &mut [usize], buf: &mut [usize]) -> PyResult<()> {
    let n = v.len();
    if n <= 16 {
        // Insertion sort (stable).
        for i in 1..n {
            let mut j = i;
            while j > 0 && vm.lt(&keys[v[j]], &keys[v[j - 1]])? {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return Ok(());
    }
    let mid = n / 2;
    {
        let (l, r) = v.split_at_mut(mid);
        let (bl, br) = buf.split_at_mut(mid);
        merge_sort(vm, keys, l, bl)?;
        merge_sort(vm, keys, r, br)?;
    }
    if !vm.lt(&keys[v[mid]], &keys[v[mid - 1]])? {
        return Ok(());
    }
    buf[..n].copy_from_slice(v);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if vm.lt(&keys[buf[j]], &keys[buf[i]])? {
            v[k] = buf[j];
            j += 1;
        } else {
            v[k] = buf[i];
            i += 1;
        }
        k += 1;
    }
    while i < mid {
        v[k] = buf[i];
        i += 1;
        k += 1;
    }
    while j < n {
        v[k] = buf[j];
        j += 1;
        k += 1;
    }
    Ok(())
}

fn sorted(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("sorted", &["key", "reverse"])?;
    if a.npos() != 1 {
        return Err(exc::type_error(format!(
            "sorted expected 1 argument, got {}",
            a.npos()
        )));
    }
    let items = vm.collect(a.arg(0))?;
    let key = a.kw("key").filter(|k| !k.is_none());
    let reverse = match a.kw("reverse") {
        Some(r) => vm.truthy(r)?,
        None => false,
    };
    let out = sort_values(vm, items, key, reverse)?;
    Ok(list::new(out))
}

/// `isinstance(v, cls)` for one class or a tuple of them.
pub fn is_instance(vm: &mut Vm, v: &Value, cls: &Value) -> PyResult<bool> {
    if let Some(items) = tuple::items(cls) {
        for c in items {
            if is_instance(vm, v, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if cls.kind() != Some(Kind::Class) {
        return Err(exc::type_error(
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        ));
    }
    let t = class_of(v);
    if exc::is_subclass(&t, cls) {
        return Ok(true);
    }
    // Abstract classes from collections.abc check structurally.
    if let Some(check) = vm.abc_check(cls, v) {
        return Ok(check);
    }
    Ok(false)
}

fn isinstance(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("isinstance")?;
    a.check("isinstance", 2, 2)?;
    Ok(Value::bool(is_instance(vm, a.arg(0), a.arg(1))?))
}

fn issubclass(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("issubclass")?;
    a.check("issubclass", 2, 2)?;
    if a.arg(0).kind() != Some(Kind::Class) {
        return Err(exc::type_error("issubclass() arg 1 must be a class"));
    }
    let c = a.arg(1);
    if let Some(items) = tuple::items(c) {
        return Ok(Value::bool(
            items.iter().any(|x| exc::is_subclass(a.arg(0), x)),
        ));
    }
    if c.kind() != Some(Kind::Class) {
        return Err(exc::type_error(
            "issubclass() arg 2 must be a class, a tuple of classes, or a union",
        ));
    }
    Ok(Value::bool(exc::is_subclass(a.arg(0), c)))
}

fn attr_name(v: &Value) -> PyResult<Value> {
    match as_str(v) {
        Some(s) => Ok(intern(s)),
        None => Err(exc::type_error(format!(
            "attribute name must be string, not '{}'",
            type_name(v)
        ))),
    }
}

fn hasattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("hasattr")?;
    a.check("hasattr", 2, 2)?;
    let n = attr_name(a.arg(1))?;
    Ok(Value::bool(vm.getattr_opt(a.arg(0), &n)?.is_some()))
}

fn getattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("getattr")?;
    a.check("getattr", 2, 3)?;
    let n = attr_name(a.arg(1))?;
    if a.npos() == 3 {
        return Ok(vm
            .getattr_opt(a.arg(0), &n)?
            .unwrap_or_else(|| a.arg(2).clone()));
    }
    vm.getattr(a.arg(0), &n)
}

fn setattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("setattr")?;
    a.check("setattr", 3, 3)?;
    let n = attr_name(a.arg(1))?;
    vm.setattr(a.arg(0), &n, a.arg(2).clone())?;
    Ok(Value::NONE)
}

fn delattr(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("delattr")?;
    a.check("delattr", 2, 2)?;
    let n = attr_name(a.arg(1))?;
    vm.delattr(a.arg(0), &n)?;
    Ok(Value::NONE)
}

fn id(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("id")?;
    a.check("id", 1, 1)?;
    Ok(int::from_i64((a.arg(0).bits() & ((1 << 48) - 1)) as i64))
}

fn hash(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("hash")?;
    a.check("hash", 1, 1)?;
    Ok(int::from_i64(vm.hash(a.arg(0))?))
}

fn iter(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("iter")?;
    a.check("iter", 1, 2)?;
    if a.npos() == 2 {
        return Ok(crate::runtime::iter::new_iter(
            &types().callable_iterator,
            object::IterState::Callable {
                f: a.arg(0).clone(),
                sentinel: a.arg(1).clone(),
            },
        ));
    }
    vm.get_iter(a.arg(0))
}

fn next(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("next")?;
    a.check("next", 1, 2)?;
    let it = a.arg(0);
    if !matches!(it.kind(), Some(Kind::Iter) | Some(Kind::Generator))
        && vm.lookup_special(it, &intern("__next__")).is_none()
    {
        return Err(exc::type_error(format!(
            "'{}' object is not an iterator",
            type_name(it)
        )));
    }
    match vm.next(it)? {
        Some(v) => Ok(v),
        None => match a.pos().get(1) {
            Some(d) => Ok(d.clone()),
            None => {
                let v = vm.take_stop_value();
                Err(exc::stop_iteration(v))
            }
        },
    }
}

fn chr(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("chr")?;
    a.check("chr", 1, 1)?;
    let i = int::as_i64(a.arg(0))
        .filter(|_| int::is_int(a.arg(0)))
        .ok_or_else(|| {
            exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(a.arg(0))
            ))
        })?;
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => Ok(crate::runtime::str::from_char(c)),
        None => Err(exc::value_error("chr() arg not in range(0x110000)")),
    }
}

fn ord(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("ord")?;
    a.check("ord", 1, 1)?;
    let Some(s) = as_str(a.arg(0)) else {
        return Err(exc::type_error(format!(
            "ord() expected string of length 1, but {} found",
            type_name(a.arg(0))
        )));
    };
    let mut cs = s.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) => Ok(Value::small_int(c as i64)),
        _ => Err(exc::type_error(format!(
            "ord() expected a character, but string of length {} found",
            s.chars().count()
        ))),
    }
}

fn to_index(vm: &mut Vm, v: &Value) -> PyResult<BigInt> {
    if let Some(b) = int::to_bigint(v) {
        return Ok(b);
    }
    if let Some(m) = vm.lookup_special(v, &intern("__index__")) {
        let r = vm.call(&m, std::slice::from_ref(v))?;
        if let Some(b) = int::to_bigint(&r) {
            return Ok(b);
        }
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

fn radix(vm: &mut Vm, a: &Args, name: &str, base: u32, prefix: &str) -> PyResult<Value> {
    a.no_kw(name)?;
    a.check(name, 1, 1)?;
    let b = to_index(vm, a.arg(0))?;
    let digits = crate::fmt::int_to_base(&b.abs(), base, false);
    Ok(from_string(format!(
        "{}{}{}",
        if b.is_negative() { "-" } else { "" },
        prefix,
        digits
    )))
}

fn hex(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    radix(vm, a, "hex", 16, "0x")
}

fn oct(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    radix(vm, a, "oct", 8, "0o")
}

fn bin(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    radix(vm, a, "bin", 2, "0b")
}

/// Round half to even of a float to an int value.
pub fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

fn round(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("round", &["ndigits"])?;
    a.check("round", 1, 2)?;
    let x = a.arg(0);
    let nd = a.get(1, "ndigits").filter(|v| !v.is_none()).cloned();
    if let Some(f) = x.as_float() {
        return match nd {
            None => int::from_float(round_half_even(f)),
            Some(n) => {
                let n = int::as_i64(&n).ok_or_else(|| {
                    exc::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        type_name(&n)
                    ))
                })?;
                Ok(Value::float(
                    crate::fmt::round_float(f, n).map_err(crate::runtime::repr::fmt_error)?,
                ))
            }
        };
    }
    if int::is_int(x) && x.kind() != Some(Kind::Instance) {
        let Some(n) = nd else {
            return Ok(int::from_bigint(int::to_bigint(x).unwrap()));
        };
        let n = int::as_i64(&n).unwrap_or(0);
        if n >= 0 {
            return Ok(int::from_bigint(int::to_bigint(x).unwrap()));
        }
        let v = int::to_bigint(x).unwrap();
        let p = num_traits::Pow::pow(BigInt::from(10), (-n) as u32);
        let (q, r) = num_integer::Integer::div_mod_floor(&v, &p);
        let twice = &r * 2;
        let q = if twice > p || (twice == p && num_integer::Integer::is_odd(&q)) {
            q + 1
        } else {
            q
        };
        return Ok(int::from_bigint(q * p));
    }
    if let Some(m) = vm.lookup_special(x, &intern("__round__")) {
        let mut args = vec![x.clone()];
        if let Some(n) = nd {
            args.push(n);
        }
        return vm.call(&m, &args);
    }
    Err(exc::type_error(format!(
        "type {} doesn't define __round__ method",
        type_name(x)
    )))
}

fn divmod(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("divmod")?;
    a.check("divmod", 2, 2)?;
    let (x, y) = (a.arg(0), a.arg(1));
    if (x.is_float() || y.is_float())
        && let (Ok(p), Ok(q)) = (to_f64(x), to_f64(y))
    {
        if q == 0.0 {
            return Err(exc::zero_division_error("float divmod()"));
        }
        let (d, m) = crate::runtime::float::py_divmod(p, q);
        return Ok(tuple::new(vec![Value::float(d), Value::float(m)]));
    }
    if int::is_int(x) && int::is_int(y) {
        if int::to_bigint(y).unwrap().is_zero() {
            return Err(exc::zero_division_error(
                "integer division or modulo by zero",
            ));
        }
        let d = vm.binary_op(x, y, jitlens_compiler::bytecode::binop::FLOOR_DIVIDE)?;
        let m = vm.binary_op(x, y, jitlens_compiler::bytecode::binop::REMAINDER)?;
        return Ok(tuple::new(vec![d, m]));
    }
    if let Some(m) = vm.lookup_special(x, &intern("__divmod__")) {
        return vm.call(&m, &[x.clone(), y.clone()]);
    }
    Err(exc::type_error(format!(
        "unsupported operand type(s) for divmod(): '{}' and '{}'",
        type_name(x),
        type_name(y)
    )))
}

fn pow(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("pow", 2, 3)?;
    let m = a.get(2, "mod").filter(|v| !v.is_none());
    match m {
        None => vm.binary_op(a.arg(0), a.arg(1), jitlens_compiler::bytecode::binop::POWER),
        Some(m) => {
            let (Some(b), Some(e), Some(md)) = (
                int::to_bigint(a.arg(0)),
                int::to_bigint(a.arg(1)),
                int::to_bigint(m),
            ) else {
                return Err(exc::type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ));
            };
            if md.is_zero() {
                return Err(exc::value_error("pow() 3rd argument cannot be 0"));
            }
            let r = if e.is_negative() {
                let inv = mod_inverse(&b, &md).ok_or_else(|| {
                    exc::value_error("base is not invertible for the given modulus")
                })?;
                inv.modpow(&(-e), &md.abs())
            } else {
                b.modpow(&e, &md.abs())
            };
            let r = if md.is_negative() && !r.is_zero() {
                r + md
            } else {
                r
            };
            Ok(int::from_bigint(r))
        }
    }
}

fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let m = m.abs();
    let (mut t, mut newt) = (BigInt::zero(), BigInt::from(1));
    let (mut r, mut newr) = (m.clone(), num_integer::Integer::mod_floor(a, &m));
    while !newr.is_zero() {
        let q = &r / &newr;
        let t2 = &t - &q * &newt;
        t = std::mem::replace(&mut newt, t2);
        let r2 = &r - &q * &newr;
        r = std::mem::replace(&mut newr, r2);
    }
    if r > BigInt::from(1) {
        return None;
    }
    Some(num_integer::Integer::mod_floor(&t, &m))
}

fn callable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("callable")?;
    a.check("callable", 1, 1)?;
    let v = a.arg(0);
    let c = matches!(
        v.kind(),
        Some(Kind::Function) | Some(Kind::Builtin) | Some(Kind::Method) | Some(Kind::Class)
    ) || vm.lookup_special(v, &intern("__call__")).is_some();
    Ok(Value::bool(c))
}

fn vars(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("vars")?;
    a.check("vars", 1, 1)?;
    vm.getattr(a.arg(0), &intern("__dict__"))
        .map_err(|_| exc::type_error("vars() argument must have __dict__ attribute"))
}

fn format(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("format")?;
    a.check("format", 1, 2)?;
    let spec = a
        .pos()
        .get(1)
        .map(|s| as_str(s).unwrap_or("").to_string())
        .unwrap_or_default();
    Ok(from_string(vm.format(a.arg(0), &spec)?))
}

fn globals(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    Ok(vm
        .frames
        .last()
        .map(|f| f.globals.clone())
        .unwrap_or(Value::NONE))
}

fn locals(vm: &mut Vm, _a: &Args) -> PyResult<Value> {
    let Some(f) = vm.frames.last() else {
        return Ok(Value::NONE);
    };
    if !f.locals.is_undef() {
        return Ok(f.locals.clone());
    }
    let d = object::alloc(&types().dict, DictObj::default());
    let dd = d.downcast::<DictObj>().unwrap();
    let code = f.code.clone();
    for (i, n) in code.varnames.iter().enumerate() {
        if !f.fast[i].is_undef() {
            dd.insert_fast(
                n.clone(),
                crate::runtime::str::hash_of(n),
                f.fast[i].clone(),
            );
        }
    }
    Ok(d)
}

fn dir(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("dir")?;
    a.check("dir", 0, 1)?;
    let mut names: Vec<String> = Vec::new();
    if a.npos() == 1 {
        let v = a.arg(0);
        if let Some(d) = crate::runtime::attr::instance_dict(v) {
            names.extend(
                d.downcast::<DictObj>()
                    .unwrap()
                    .keys()
                    .iter()
                    .filter_map(|k| as_str(k).map(String::from)),
            );
        }
        if v.kind() == Some(Kind::Exception) {
            // Attributes of the exception layout, served by getattr rather than a dict.
            names.extend(
                [
                    "args",
                    "__cause__",
                    "__context__",
                    "__suppress_context__",
                    "__traceback__",
                ]
                .map(String::from),
            );
        }
        let cls = if v.kind() == Some(Kind::Class) {
            v.clone()
        } else {
            class_of(v)
        };
        let c = cls.downcast::<ClassObj>().unwrap();
        let mut all = vec![cls.clone()];
        all.extend(c.mro());
        for k in all {
            let kd = k.downcast::<ClassObj>().unwrap();
            names.extend(
                kd.dict
                    .downcast::<DictObj>()
                    .unwrap()
                    .keys()
                    .iter()
                    .filter_map(|k| as_str(k).map(String::from)),
            );
        }
    } else if let Some(f) = vm.frames.last() {
        let g = f.globals.clone();
        names.extend(
            g.downcast::<DictObj>()
                .unwrap()
                .keys()
                .iter()
                .filter_map(|k| as_str(k).map(String::from)),
        );
    }
    names.sort();
    names.dedup();
    Ok(list::new(names.iter().map(|s| new_str(s)).collect()))
}

fn open(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("open", &["mode", "encoding", "newline", "errors"])?;
    a.check("open", 1, 3)?;
    let path = as_str(a.arg(0))
        .ok_or_else(|| exc::type_error("open(): path must be a str"))?
        .to_string();
    let mode = a
        .get(1, "mode")
        .and_then(|m| as_str(m).map(String::from))
        .unwrap_or_else(|| "r".into());
    let os_err = |e: std::io::Error| {
        let t = types();
        let cls = match e.kind() {
            std::io::ErrorKind::NotFound => &t.file_not_found_error,
            std::io::ErrorKind::PermissionDenied => &t.permission_error,
            _ => &t.os_error,
        };
        let errno = e.raw_os_error().unwrap_or(0);
        let msg = e.to_string();
        let msg = msg.split(" (os error").next().unwrap_or("").to_string();
        exc::err(cls, format!("[Errno {errno}] {msg}: '{path}'"))
    };
    let target = if mode.contains('w') || mode.contains('a') {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .append(mode.contains('a'))
            .truncate(mode.contains('w'))
            .open(&path)
            .map_err(os_err)?;
        FileTarget::Write(std::cell::UnsafeCell::new(std::io::BufWriter::new(f)))
    } else {
        let s = std::fs::read_to_string(&path).map_err(os_err)?;
        FileTarget::Read(std::cell::UnsafeCell::new((s, 0)))
    };
    Ok(object::alloc(
        &types().file,
        FileObj {
            target,
            name: path,
            closed: std::cell::Cell::new(false),
        },
    ))
}

fn input(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("input", 0, 1)?;
    if a.npos() == 1 {
        let p = vm.str_of(a.arg(0))?;
        vm.write_stdout(&p);
    }
    vm.flush_stdout();
    let mut line = String::new();
    let n = std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| exc::os_error(e.to_string()))?;
    if n == 0 {
        return Err(exc::err(&types().eof_error, "EOF when reading a line"));
    }
    if line.ends_with('\n') {
        line.pop();
    }
    Ok(from_string(line))
}

fn exit(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let args = a.pos().to_vec();
    Err(crate::PyErr(crate::runtime::exc::new_exc(
        &types().system_exit,
        args,
    )))
}

#[allow(dead_code)]
fn _unused(v: &BigInt) -> Option<i64> {
    v.to_i64()
}
