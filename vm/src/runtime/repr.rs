//! Values as text: `repr()`, `str()`, `format()`, `%`-formatting, and tracebacks.

use crate::fmt;
use crate::object::{
    BuiltinObj, ClassObj, DequeObj, DictObj, ExcObj, FuncObj, GenObj, InstanceObj, IntObj, Kind,
    ListObj, MethodObj, ModuleObj, RangeObj, SetObj, SliceObj, StrObj, TupleObj,
};
use crate::runtime::str::{as_str, from_string, intern};
use crate::runtime::{class_name, class_of, exc, int, tuple, type_name};
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};

/// Python's `repr()` of a str.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (c as u32) < 0x7f => out.push(c),
            c if !crate::builtins::str::is_printable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `<class 'name'>` for a class value.
pub fn class_repr(cls: &Value) -> String {
    let c = cls.downcast::<ClassObj>().unwrap();
    if c.has(crate::object::CLS_BUILTIN) {
        format!("<class '{}'>", class_name(c))
    } else {
        let module =
            crate::runtime::attr::dict_get_str(c.dict.downcast::<DictObj>().unwrap(), "__module__");
        let m = module
            .as_ref()
            .and_then(|m| as_str(m))
            .unwrap_or("__main__");
        format!(
            "<class '{}.{}'>",
            m,
            as_str(&c.qualname.get()).unwrap_or("?")
        )
    }
}

fn addr(v: &Value) -> String {
    format!("0x{:012x}", v.bits() & ((1 << 48) - 1))
}

impl Vm {
    /// `repr(v)` as a Rust string.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        if let Some(i) = v.as_small_int() {
            return Ok(i.to_string());
        }
        if let Some(f) = v.as_float() {
            return Ok(fmt::float_repr(f));
        }
        if !v.is_obj() {
            return Ok(match () {
                _ if v.is_none() => "None",
                _ if v.is(&Value::TRUE) => "True",
                _ if v.is(&Value::FALSE) => "False",
                _ if v.is(&Value::NOT_IMPLEMENTED) => "NotImplemented",
                _ if v.is(&Value::ELLIPSIS) => "Ellipsis",
                _ => "<undefined>",
            }
            .to_string());
        }
        let cls = class_of(v);
        let builtin = cls
            .downcast::<ClassObj>()
            .unwrap()
            .has(crate::object::CLS_BUILTIN);
        if !builtin
            && let Some(m) = self.class_lookup(&cls, &intern("__repr__"))
            && m.kind() != Some(Kind::Builtin)
        {
            let r = self.call(&m, std::slice::from_ref(v))?;
            return match as_str(&r) {
                Some(s) => Ok(s.to_string()),
                None => Err(exc::type_error(format!(
                    "__repr__ returned non-string (type {})",
                    type_name(&r)
                ))),
            };
        }
        self.native_repr(v, &cls)
    }

    fn guard<F: FnOnce(&mut Vm) -> PyResult<String>>(
        &mut self,
        v: &Value,
        recursive: &str,
        f: F,
    ) -> PyResult<String> {
        let key = v.bits();
        if self.repr_stack.len() >= self.recursion_limit || self.native_stack_low() {
            return Err(exc::recursion_error(
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        if self.repr_stack.contains(&key) {
            return Ok(recursive.to_string());
        }
        self.repr_stack.push(key);
        let r = f(self);
        self.repr_stack.pop();
        r
    }

    fn join_reprs(&mut self, items: &[Value]) -> PyResult<String> {
        let mut out = String::new();
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&self.repr(x)?);
        }
        Ok(out)
    }

    fn native_repr(&mut self, v: &Value, cls: &Value) -> PyResult<String> {
        let k = v.kind().unwrap();
        Ok(match k {
            Kind::Str => str_repr(as_str(v).unwrap()),
            Kind::Int => {
                let b = &v.downcast::<IntObj>().unwrap().v;
                // CPython 3.11's default limit on int → decimal string conversion.
                if b.bits() > 14_300 {
                    let s = b.to_string();
                    if s.trim_start_matches('-').len() > 4300 {
                        return Err(exc::value_error(
                            "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
                        ));
                    }
                    return Ok(s);
                }
                b.to_string()
            }
            Kind::List => {
                let items = v.downcast::<ListObj>().unwrap().snapshot();
                self.guard(v, "[...]", |vm| Ok(format!("[{}]", vm.join_reprs(&items)?)))?
            }
            Kind::Tuple => {
                let items = tuple::items(v).unwrap().to_vec();
                if items.len() == 1 {
                    format!("({},)", self.repr(&items[0])?)
                } else {
                    self.guard(v, "(...)", |vm| Ok(format!("({})", vm.join_reprs(&items)?)))?
                }
            }
            Kind::Dict => {
                let d = v.downcast::<DictObj>().unwrap();
                let items = d.items();
                let body = self.guard(v, "{...}", |vm| {
                    let mut out = String::from("{");
                    for (i, (k, x)) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        out.push_str(&vm.repr(k)?);
                        out.push_str(": ");
                        out.push_str(&vm.repr(x)?);
                    }
                    out.push('}');
                    Ok(out)
                })?;
                if cls.is(&crate::types::types().defaultdict) {
                    let f = d.default_factory.get();
                    let fr = if f.is_undef() || f.is_none() {
                        "None".to_string()
                    } else {
                        self.repr(&f)?
                    };
                    format!("defaultdict({fr}, {body})")
                } else {
                    body
                }
            }
            Kind::Set => {
                let s = v.downcast::<SetObj>().unwrap();
                let items = s.keys();
                let name = class_name(cls.downcast::<ClassObj>().unwrap());
                if items.is_empty() {
                    return Ok(format!("{name}()"));
                }
                let body = self.guard(v, "{...}", |vm| {
                    Ok(format!("{{{}}}", vm.join_reprs(&items)?))
                })?;
                if s.frozen || !cls.is(&crate::types::types().set) {
                    format!("{name}({body})")
                } else {
                    body
                }
            }
            Kind::Range => {
                let (start, stop, step) = v.downcast::<RangeObj>().unwrap().bounds();
                if step == 1.into() {
                    format!("range({start}, {stop})")
                } else {
                    format!("range({start}, {stop}, {step})")
                }
            }
            Kind::Slice => {
                let s = v.downcast::<SliceObj>().unwrap();
                format!(
                    "slice({}, {}, {})",
                    self.repr(&s.start)?,
                    self.repr(&s.stop)?,
                    self.repr(&s.step)?
                )
            }
            Kind::Function => {
                let f = v.downcast::<FuncObj>().unwrap();
                format!(
                    "<function {} at {}>",
                    as_str(&f.qualname.get()).unwrap_or("?"),
                    addr(v)
                )
            }
            Kind::Class => class_repr(v),
            Kind::Method => {
                let m = v.downcast::<MethodObj>().unwrap();
                let fname = match m.func.downcast::<FuncObj>() {
                    Some(f) => as_str(&f.qualname.get()).unwrap_or("?").to_string(),
                    None => "?".to_string(),
                };
                let s = m.self_.clone();
                format!("<bound method {} of {}>", fname, self.repr(&s)?)
            }
            Kind::Builtin => {
                let b = v.downcast::<BuiltinObj>().unwrap();
                if b.self_.is_undef() || b.self_.kind() == Some(Kind::Module) {
                    format!("<built-in function {}>", b.name)
                } else {
                    let s = b.self_.clone();
                    format!(
                        "<built-in method {} of {} object at {}>",
                        b.name,
                        type_name(&s),
                        addr(&s)
                    )
                }
            }
            Kind::Module => {
                let m = v.downcast::<ModuleObj>().unwrap();
                format!("<module '{}' (built-in)>", as_str(&m.name).unwrap_or("?"))
            }
            Kind::Generator => {
                let g = v.downcast::<GenObj>().unwrap();
                format!(
                    "<generator object {} at {}>",
                    as_str(&g.qualname).unwrap_or("?"),
                    addr(v)
                )
            }
            Kind::Exception => {
                let e = v.downcast::<ExcObj>().unwrap();
                let args = e.args.get();
                let items = tuple::items(&args).unwrap_or(&[]).to_vec();
                let name = class_name(cls.downcast::<ClassObj>().unwrap());
                if items.len() == 1 {
                    format!("{}({})", name, self.repr(&items[0])?)
                } else {
                    format!("{}({})", name, self.join_reprs(&items)?)
                }
            }
            Kind::Deque => {
                let d = v.downcast::<DequeObj>().unwrap();
                let items: Vec<Value> = d.with(|q| q.iter().cloned().collect());
                let body = self.guard(v, "[...]", |vm| vm.join_reprs(&items))?;
                match d.maxlen {
                    Some(m) => format!("deque([{body}], maxlen={m})"),
                    None => format!("deque([{body}])"),
                }
            }
            Kind::Cell => format!("<cell at {}>", addr(v)),
            Kind::Iter
                if cls.is(&crate::types::types().dict_keys)
                    || cls.is(&crate::types::types().dict_values)
                    || cls.is(&crate::types::types().dict_items) =>
            {
                let items = self.collect(v)?;
                let name = class_name(cls.downcast::<ClassObj>().unwrap());
                format!("{}([{}])", name, self.join_reprs(&items)?)
            }
            Kind::Property => format!("<property object at {}>", addr(v)),
            Kind::File => {
                let f = v.downcast::<crate::object::FileObj>().unwrap();
                format!(
                    "<_io.TextIOWrapper name='{}' mode='w' encoding='utf-8'>",
                    f.name
                )
            }
            Kind::Instance => {
                let inst = v.downcast::<InstanceObj>().unwrap();
                if !inst.payload.is_undef() {
                    let p = inst.payload.get();
                    return self.repr(&p);
                }
                if cls.is(&crate::types::types().none_type) {
                    return Ok("None".into());
                }
                let c = cls.downcast::<ClassObj>().unwrap();
                let module = crate::runtime::attr::dict_get_str(
                    c.dict.downcast::<DictObj>().unwrap(),
                    "__module__",
                );
                let m = module
                    .as_ref()
                    .and_then(|m| as_str(m))
                    .unwrap_or("__main__")
                    .to_string();
                format!(
                    "<{}.{} object at {}>",
                    m,
                    as_str(&c.qualname.get()).unwrap_or("?"),
                    addr(v)
                )
            }
            _ => {
                if let Some(r) = crate::stdlib::itertools::iter_repr(self, v) {
                    return r;
                }
                format!("<{} object at {}>", type_name(v), addr(v))
            }
        })
    }

    /// `str(v)` as a Rust string.
    pub fn str_of(&mut self, v: &Value) -> PyResult<String> {
        if let Some(s) = as_str(v) {
            return Ok(s.to_string());
        }
        if v.is_obj() {
            let cls = class_of(v);
            let builtin = cls
                .downcast::<ClassObj>()
                .unwrap()
                .has(crate::object::CLS_BUILTIN);
            if !builtin {
                if let Some(m) = self.class_lookup(&cls, &intern("__str__"))
                    && m.kind() != Some(Kind::Builtin)
                {
                    let r = self.call(&m, std::slice::from_ref(v))?;
                    return match as_str(&r) {
                        Some(s) => Ok(s.to_string()),
                        None => Err(exc::type_error(format!(
                            "__str__ returned non-string (type {})",
                            type_name(&r)
                        ))),
                    };
                }
                if let Some(i) = v.downcast::<InstanceObj>()
                    && !i.payload.is_undef()
                    && self
                        .class_lookup(&cls, &intern("__repr__"))
                        .is_none_or(|m| m.kind() == Some(Kind::Builtin))
                {
                    let p = i.payload.get();
                    return self.str_of(&p);
                }
            }
            if let Some(e) = v.downcast::<ExcObj>() {
                let args = e.args.get();
                let items = tuple::items(&args).unwrap_or(&[]).to_vec();
                if exc::is_subclass(&cls, &crate::types::types().key_error) && items.len() == 1 {
                    return self.repr(&items[0]);
                }
                if exc::is_subclass(&cls, &crate::types::types().os_error)
                    && (2..=3).contains(&items.len())
                {
                    let errno = self.str_of(&items[0])?;
                    let msg = self.str_of(&items[1])?;
                    if items.len() == 3 {
                        let fname = self.repr(&items[2])?;
                        return Ok(format!("[Errno {errno}] {msg}: {fname}"));
                    }
                    return Ok(format!("[Errno {errno}] {msg}"));
                }
                return match items.len() {
                    0 => Ok(String::new()),
                    1 => self.str_of(&items[0]),
                    _ => self.repr(&args),
                };
            }
        }
        self.repr(v)
    }

    /// `str(v)` as a value.
    pub fn str_value(&mut self, v: &Value) -> PyResult<Value> {
        if v.kind() == Some(Kind::Str) {
            return Ok(v.clone());
        }
        let s = self.str_of(v)?;
        Ok(from_string(s))
    }

    /// `format(v, spec)`.
    pub fn format(&mut self, v: &Value, spec: &str) -> PyResult<String> {
        if v.is_obj()
            && !class_of(v)
                .downcast::<ClassObj>()
                .unwrap()
                .has(crate::object::CLS_BUILTIN)
        {
            if let Some(m) = self.class_lookup(&class_of(v), &intern("__format__"))
                && m.kind() != Some(Kind::Builtin)
            {
                let r = self.call(&m, &[v.clone(), crate::runtime::str::new_str(spec)])?;
                return Ok(as_str(&r).unwrap_or("").to_string());
            }
            if let Some(i) = v.downcast::<InstanceObj>()
                && !i.payload.is_undef()
            {
                let p = i.payload.get();
                return self.format(&p, spec);
            }
            if spec.is_empty() {
                return self.str_of(v);
            }
            return Err(exc::type_error(format!(
                "unsupported format string passed to {}.__format__",
                type_name(v)
            )));
        }
        if spec.is_empty() {
            return self.str_of(v);
        }
        let tn = type_name(v);
        let map = |e: String| {
            if fmt::is_overflow_error(&e) {
                exc::overflow_error(e)
            } else {
                exc::value_error(e)
            }
        };
        let parsed = fmt::parse_spec(spec, &tn).map_err(map)?;
        if let Some(f) = v.as_float() {
            return fmt::format_float(f, &parsed, &tn).map_err(map);
        }
        if int::is_int(v) {
            return fmt::format_int(&int::to_bigint(v).unwrap(), &parsed, &tn).map_err(map);
        }
        if let Some(s) = as_str(v) {
            return fmt::format_str(s, &parsed, &tn).map_err(map);
        }
        if v.is_none()
            || matches!(
                v.kind(),
                Some(Kind::List) | Some(Kind::Tuple) | Some(Kind::Dict)
            )
        {
            return Err(exc::type_error(format!(
                "unsupported format string passed to {}.__format__",
                tn
            )));
        }
        let s = self.str_of(v)?;
        fmt::format_str(&s, &parsed, &tn).map_err(map)
    }

    /// FORMAT_VALUE: conversion then format spec.
    pub(crate) fn format_value(
        &mut self,
        v: Value,
        conv: u32,
        spec: Option<Value>,
    ) -> PyResult<Value> {
        let v = match conv {
            1 => self.str_value(&v)?,
            2 | 3 => {
                let r = self.repr(&v)?;
                from_string(if conv == 3 { ascii_escape(&r) } else { r })
            }
            _ => v,
        };
        let spec_s = spec.as_ref().and_then(|s| as_str(s)).unwrap_or("");
        if spec_s.is_empty() && v.kind() == Some(Kind::Str) {
            return Ok(v);
        }
        let s = self.format(&v, spec_s)?;
        Ok(from_string(s))
    }

    /// `fmt % args`.
    pub fn percent_format(&mut self, fmtv: &Value, args: &Value) -> PyResult<Value> {
        let template = as_str(fmtv).unwrap();
        let pieces = fmt::parse_percent(template).map_err(exc::value_error)?;
        let is_mapping = args.kind() == Some(Kind::Dict)
            || (args.is_obj()
                && self.user_has(args, "__getitem__")
                && tuple::items(args).is_none()
                && as_str(args).is_none());
        let argv: Vec<Value> = match tuple::items(args) {
            Some(items) => items.to_vec(),
            None => vec![args.clone()],
        };
        let mut next = 0usize;
        let mut out = String::with_capacity(template.len() + 16);
        let mut used_mapping = false;
        let map_err = |e: String| {
            if fmt::is_overflow_error(&e) {
                exc::overflow_error(e)
            } else {
                exc::value_error(e)
            }
        };
        for p in &pieces {
            match p {
                fmt::PercentPiece::Literal(s) => out.push_str(s),
                fmt::PercentPiece::Conv(c) => {
                    let mut take = |vm: &mut Vm| -> PyResult<Value> {
                        let _ = vm;
                        if next < argv.len() {
                            next += 1;
                            Ok(argv[next - 1].clone())
                        } else {
                            Err(exc::type_error("not enough arguments for format string"))
                        }
                    };
                    let mut flags = c.flags;
                    let width = match c.width {
                        Some(fmt::Count::Star) => {
                            let w = take(self)?;
                            let w =
                                int::as_i64(&w).ok_or_else(|| exc::type_error("* wants int"))?;
                            if w < 0 {
                                flags.minus = true;
                            }
                            Some(w.unsigned_abs() as usize)
                        }
                        Some(fmt::Count::N(n)) => Some(n),
                        None => None,
                    };
                    let precision = match c.precision {
                        Some(fmt::Count::Star) => {
                            let w = take(self)?;
                            Some(
                                int::as_i64(&w)
                                    .ok_or_else(|| exc::type_error("* wants int"))?
                                    .max(0) as usize,
                            )
                        }
                        Some(fmt::Count::N(n)) => Some(n),
                        None => None,
                    };
                    let v = match &c.key {
                        Some(k) => {
                            if !is_mapping {
                                return Err(exc::type_error("format requires a mapping"));
                            }
                            used_mapping = true;
                            self.getitem(args, &crate::runtime::str::new_str(k))?
                        }
                        None => {
                            if is_mapping && tuple::items(args).is_none() {
                                used_mapping = true;
                                args.clone()
                            } else {
                                take(self)?
                            }
                        }
                    };
                    let spec = fmt::PercentSpec {
                        flags,
                        width,
                        precision,
                        conv: c.conv,
                    };
                    let s = match c.conv {
                        'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                            let b = if let Some(f) = v.as_float() {
                                if c.conv == 'x' || c.conv == 'X' || c.conv == 'o' {
                                    return Err(exc::type_error(format!(
                                        "%{} format: an integer is required, not float",
                                        c.conv
                                    )));
                                }
                                int::to_bigint(&int::from_float(f)?).unwrap()
                            } else if let Some(b) = int::to_bigint(&v) {
                                b
                            } else {
                                let what = if c.conv == 'x' || c.conv == 'X' || c.conv == 'o' {
                                    "an integer is required"
                                } else {
                                    "a real number is required"
                                };
                                return Err(exc::type_error(format!(
                                    "%{} format: {}, not {}",
                                    c.conv,
                                    what,
                                    type_name(&v)
                                )));
                            };
                            fmt::percent_int(&b, &spec).map_err(map_err)?
                        }
                        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                            let x = crate::runtime::ops::to_f64(&v).map_err(|_| {
                                exc::type_error(format!(
                                    "must be real number, not {}",
                                    type_name(&v)
                                ))
                            })?;
                            fmt::percent_float(x, &spec).map_err(map_err)?
                        }
                        'c' => {
                            let ch = if let Some(s) = as_str(&v) {
                                if s.chars().count() != 1 {
                                    return Err(exc::type_error("%c requires int or char"));
                                }
                                s.to_string()
                            } else if let Some(i) = int::as_i64(&v) {
                                match char::from_u32(i as u32)
                                    .filter(|_| (0..0x110000).contains(&i))
                                {
                                    Some(ch) => ch.to_string(),
                                    None => {
                                        return Err(exc::overflow_error(
                                            "%c arg not in range(0x110000)",
                                        ));
                                    }
                                }
                            } else {
                                return Err(exc::type_error("%c requires int or char"));
                            };
                            fmt::percent_str(
                                &ch,
                                &fmt::PercentSpec {
                                    precision: None,
                                    ..spec
                                },
                            )
                            .map_err(map_err)?
                        }
                        's' => {
                            let s = self.str_of(&v)?;
                            fmt::percent_str(&s, &spec).map_err(map_err)?
                        }
                        'r' | 'a' => {
                            let s = self.repr(&v)?;
                            let s = if c.conv == 'a' { ascii_escape(&s) } else { s };
                            fmt::percent_str(&s, &spec).map_err(map_err)?
                        }
                        other => {
                            return Err(exc::value_error(format!(
                                "unsupported format character '{other}'"
                            )));
                        }
                    };
                    out.push_str(&s);
                }
            }
        }
        if next < argv.len() && !used_mapping && !(is_mapping && tuple::items(args).is_none()) {
            return Err(exc::type_error(
                "not all arguments converted during string formatting",
            ));
        }
        Ok(from_string(out))
    }

    fn user_has(&self, v: &Value, name: &str) -> bool {
        self.lookup_special(v, &intern(name))
            .is_some_and(|m| m.kind() != Some(Kind::Builtin))
    }

    /// CPython's traceback text for an uncaught exception (with its cause/context chain).
    pub fn format_exception(&mut self, e: &Value) -> String {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.format_exception_chain(e, &mut out, &mut seen);
        out
    }

    fn format_exception_chain(&mut self, e: &Value, out: &mut String, seen: &mut Vec<u64>) {
        seen.push(e.bits());
        if let Some(x) = e.downcast::<ExcObj>() {
            let cause = x.cause.get();
            let context = x.context.get();
            if !cause.is_none()
                && cause.downcast::<ExcObj>().is_some()
                && !seen.contains(&cause.bits())
            {
                self.format_exception_chain(&cause, out, seen);
                out.push_str(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                );
            } else if !x.suppress_context.get()
                && !context.is_none()
                && context.downcast::<ExcObj>().is_some()
                && !seen.contains(&context.bits())
            {
                self.format_exception_chain(&context, out, seen);
                out.push_str(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
            }
            let tb = x.traceback();
            if !tb.is_empty() {
                out.push_str("Traceback (most recent call last):\n");
                // As CPython: after three identical entries in a row (recursion), one line
                // says how many more there were.
                const RECURSIVE_CUTOFF: usize = 3;
                let repeated = |out: &mut String, count: usize| {
                    if count > RECURSIVE_CUTOFF {
                        let n = count - RECURSIVE_CUTOFF;
                        out.push_str(&format!(
                            "  [Previous line repeated {n} more time{}]\n",
                            if n > 1 { "s" } else { "" }
                        ));
                    }
                };
                let mut last: Option<(std::rc::Rc<str>, u32, u64)> = None;
                let mut count = 0;
                for entry in &tb {
                    let pos = entry
                        .code
                        .positions
                        .get(entry.ip as usize)
                        .copied()
                        .unwrap_or_default();
                    // (file, line, function name), as CPython compares them.
                    let key = (
                        entry.code.filename.clone(),
                        pos.line,
                        entry.code.name.bits(),
                    );
                    if last.as_ref() != Some(&key) {
                        repeated(out, count);
                        last = Some(key);
                        count = 0;
                    }
                    count += 1;
                    if count > RECURSIVE_CUTOFF {
                        continue;
                    }
                    let name = as_str(&entry.code.name).unwrap_or("?");
                    out.push_str(&format!(
                        "  File \"{}\", line {}, in {}\n",
                        entry.code.filename, pos.line, name
                    ));
                    if let Some(src) = self.source_line(&entry.code.filename, pos.line) {
                        let stripped = src.trim_start();
                        let indent = src.len() - stripped.len();
                        let text = stripped.trim_end();
                        out.push_str(&format!("    {text}\n"));
                        if pos.end_line == pos.line && (pos.end_col as usize) > (pos.col as usize) {
                            let start = (pos.col as usize).saturating_sub(indent);
                            let end = (pos.end_col as usize)
                                .saturating_sub(indent)
                                .min(text.chars().count());
                            if !(start == 0 && end >= text.chars().count()) && end > start {
                                out.push_str(&format!(
                                    "    {}{}\n",
                                    " ".repeat(start),
                                    "^".repeat(end - start)
                                ));
                            }
                        }
                    }
                }
                repeated(out, count);
            }
        }
        let cls = class_of(e);
        let c = cls.downcast::<ClassObj>().unwrap();
        let mut name = as_str(&c.qualname.get()).unwrap_or("?").to_string();
        if !c.has(crate::object::CLS_BUILTIN)
            && let Some(m) = crate::runtime::attr::dict_get_str(
                c.dict.downcast::<DictObj>().unwrap(),
                "__module__",
            )
            && let Some(m) = as_str(&m)
            && m != "__main__"
            && m != "builtins"
        {
            name = format!("{m}.{name}");
        }
        let msg = match self.str_of(e) {
            Ok(s) => s,
            Err(_) => "<exception str() failed>".to_string(),
        };
        if msg.is_empty() {
            out.push_str(&format!("{name}\n"));
        } else {
            out.push_str(&format!("{name}: {msg}\n"));
        }
    }
}

/// `ascii()`'s escaping of a repr.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n <= 0xff {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n <= 0xffff {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}

/// Builds an error for a message from the formatting module.
pub fn fmt_error(msg: String) -> PyErr {
    if fmt::is_overflow_error(&msg) {
        exc::overflow_error(msg)
    } else {
        exc::value_error(msg)
    }
}

#[allow(dead_code)]
fn _uses(_: &StrObj, _: &TupleObj) {}
