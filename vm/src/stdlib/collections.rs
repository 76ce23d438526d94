//! The `collections` module (`deque` and its methods, `defaultdict`, `namedtuple`,
//! `Counter`, `OrderedDict`) and `collections.abc` (structural ABCs).

use crate::builtins::set;
use crate::interp::args::Args;
use crate::object::{self, DequeObj, PropertyObj};
use crate::runtime::class::{add_attr, add_method, builtin_fn};
use crate::runtime::str::new_str;
use crate::runtime::{exc, int, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};
use std::cell::UnsafeCell;
use std::collections::VecDeque;

fn dq(v: &Value) -> PyResult<&DequeObj> {
    v.downcast::<DequeObj>().ok_or_else(|| {
        exc::type_error(format!(
            "descriptor requires a 'collections.deque' object but received '{}'",
            type_name(v)
        ))
    })
}

fn one(a: &Args, name: &str) -> PyResult<()> {
    a.no_kw(name)?;
    if a.npos() != 2 {
        return Err(exc::type_error(format!(
            "deque.{name}() takes exactly one argument ({} given)",
            a.npos() - 1
        )));
    }
    Ok(())
}

fn none(a: &Args, name: &str) -> PyResult<()> {
    a.no_kw(name)?;
    if a.npos() != 1 {
        return Err(exc::type_error(format!(
            "deque.{name}() takes no arguments ({} given)",
            a.npos() - 1
        )));
    }
    Ok(())
}

/// Appends on the right (`left == false`) or left, honouring `maxlen`.
fn push(d: &DequeObj, v: Value, left: bool) {
    let old = d.with(|q| {
        if d.maxlen == Some(0) {
            return Some(v);
        }
        let mut dropped = None;
        if let Some(m) = d.maxlen
            && q.len() >= m
        {
            dropped = if left { q.pop_back() } else { q.pop_front() };
        }
        if left {
            q.push_front(v);
        } else {
            q.push_back(v);
        }
        dropped
    });
    drop(old);
}

fn d_append(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    one(a, "append")?;
    push(dq(a.arg(0))?, a.arg(1).clone(), false);
    Ok(Value::NONE)
}

fn d_appendleft(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    one(a, "appendleft")?;
    push(dq(a.arg(0))?, a.arg(1).clone(), true);
    Ok(Value::NONE)
}

fn d_pop(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none(a, "pop")?;
    dq(a.arg(0))?
        .with(|q| q.pop_back())
        .ok_or_else(|| exc::index_error("pop from an empty deque"))
}

fn d_popleft(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none(a, "popleft")?;
    dq(a.arg(0))?
        .with(|q| q.pop_front())
        .ok_or_else(|| exc::index_error("pop from an empty deque"))
}

fn d_extend(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    one(a, "extend")?;
    let items = vm.collect(a.arg(1))?;
    let d = dq(a.arg(0))?;
    for v in items {
        push(d, v, false);
    }
    Ok(Value::NONE)
}

fn d_extendleft(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    one(a, "extendleft")?;
    let items = vm.collect(a.arg(1))?;
    let d = dq(a.arg(0))?;
    for v in items {
        push(d, v, true);
    }
    Ok(Value::NONE)
}

fn d_rotate(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("rotate")?;
    let n = if a.npos() > 1 {
        let v = a.arg(1);
        if v.as_float().is_some() || !int::is_int(v) {
            return Err(exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(v)
            )));
        }
        int::as_i64(v).unwrap_or(0)
    } else {
        1
    };
    dq(a.arg(0))?.with(|q| {
        let len = q.len() as i64;
        if len > 1 {
            let k = n.rem_euclid(len) as usize;
            q.rotate_right(k);
        }
    });
    Ok(Value::NONE)
}

fn d_clear(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none(a, "clear")?;
    let old = dq(a.arg(0))?.with(std::mem::take);
    drop(old);
    Ok(Value::NONE)
}

fn d_reverse(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none(a, "reverse")?;
    dq(a.arg(0))?.with(|q| q.make_contiguous().reverse());
    Ok(Value::NONE)
}

fn snapshot(d: &DequeObj) -> Vec<Value> {
    d.with(|q| q.iter().cloned().collect())
}

fn d_count(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    one(a, "count")?;
    let items = snapshot(dq(a.arg(0))?);
    let mut n = 0;
    for x in &items {
        if x.is(a.arg(1)) || vm.eq(x, a.arg(1))? {
            n += 1;
        }
    }
    Ok(Value::small_int(n))
}

fn find(
    vm: &mut Vm,
    items: &[Value],
    x: &Value,
    start: usize,
    stop: usize,
) -> PyResult<Option<usize>> {
    for (i, v) in items.iter().enumerate().take(stop).skip(start) {
        if v.is(x) || vm.eq(v, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn d_index(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("index")?;
    if a.npos() < 2 || a.npos() > 4 {
        return Err(exc::type_error(format!(
            "index expected at least 1 argument, got {}",
            a.npos() - 1
        )));
    }
    let items = snapshot(dq(a.arg(0))?);
    let n = items.len() as i64;
    let norm = |v: &Value| -> PyResult<usize> {
        let i = int::as_i64(v).ok_or_else(|| {
            exc::type_error("slice indices must be integers or have an __index__ method")
        })?;
        let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
        Ok(i as usize)
    };
    let start = if a.npos() > 2 { norm(a.arg(2))? } else { 0 };
    let stop = if a.npos() > 3 {
        norm(a.arg(3))?
    } else {
        n as usize
    };
    match find(vm, &items, a.arg(1), start, stop)? {
        Some(i) => Ok(Value::small_int(i as i64)),
        None => {
            let r = vm.repr(a.arg(1))?;
            Err(exc::value_error(format!("{r} is not in deque")))
        }
    }
}

fn d_remove(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    one(a, "remove")?;
    let d = dq(a.arg(0))?;
    let items = snapshot(d);
    match find(vm, &items, a.arg(1), 0, items.len())? {
        Some(i) => {
            let old = d.with(|q| q.remove(i));
            drop(old);
            Ok(Value::NONE)
        }
        None => {
            let r = vm.repr(a.arg(1))?;
            Err(exc::value_error(format!("{r} is not in deque")))
        }
    }
}

fn d_insert(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.no_kw("insert")?;
    if a.npos() != 3 {
        return Err(exc::type_error(format!(
            "insert expected 2 arguments, got {}",
            a.npos() - 1
        )));
    }
    let d = dq(a.arg(0))?;
    let i = int::as_i64(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(a.arg(1))
        ))
    })?;
    let full = d.maxlen.is_some_and(|m| d.with(|q| q.len()) >= m);
    if full {
        return Err(exc::index_error("deque already at its maximum size"));
    }
    let v = a.arg(2).clone();
    d.with(|q| {
        let n = q.len() as i64;
        let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
        q.insert(i as usize, v);
    });
    Ok(Value::NONE)
}

fn new_deque_like(cls: &Value, items: VecDeque<Value>, maxlen: Option<usize>) -> Value {
    object::alloc(
        cls,
        DequeObj {
            items: UnsafeCell::new(items),
            maxlen,
        },
    )
}

fn d_copy(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    none(a, "copy")?;
    let d = dq(a.arg(0))?;
    let items: VecDeque<Value> = d.with(|q| q.clone());
    Ok(new_deque_like(
        &crate::runtime::class_of(a.arg(0)),
        items,
        d.maxlen,
    ))
}

fn d_maxlen(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    Ok(match dq(a.arg(0))?.maxlen {
        Some(m) => int::from_i64(m as i64),
        None => Value::NONE,
    })
}

fn d_add(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = dq(a.arg(0))?;
    let Some(o) = a.arg(1).downcast::<DequeObj>() else {
        return Err(exc::type_error(format!(
            "can only concatenate deque (not \"{}\") to deque",
            type_name(a.arg(1))
        )));
    };
    let _ = vm;
    let mut items: VecDeque<Value> = d.with(|q| q.clone());
    let other = snapshot(o);
    let r = new_deque_like(&types().deque, VecDeque::new(), d.maxlen);
    let rd = r.downcast::<DequeObj>().unwrap();
    for v in items.drain(..).chain(other) {
        push(rd, v, false);
    }
    Ok(r)
}

fn d_mul(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = dq(a.arg(0))?;
    let n = int::as_i64(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            type_name(a.arg(1))
        ))
    })?;
    let items = snapshot(d);
    let r = new_deque_like(&types().deque, VecDeque::new(), d.maxlen);
    let rd = r.downcast::<DequeObj>().unwrap();
    for _ in 0..n.max(0) {
        for v in &items {
            push(rd, v.clone(), false);
        }
    }
    Ok(r)
}

fn d_contains(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let items = snapshot(dq(a.arg(0))?);
    Ok(Value::bool(
        find(vm, &items, a.arg(1), 0, items.len())?.is_some(),
    ))
}

fn d_eq(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let x = snapshot(dq(a.arg(0))?);
    let Some(o) = a.arg(1).downcast::<DequeObj>() else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let y = snapshot(o);
    if x.len() != y.len() {
        return Ok(Value::FALSE);
    }
    for (p, q) in x.iter().zip(&y) {
        if !(p.is(q) || vm.eq(p, q)?) {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

fn d_delitem(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let d = dq(a.arg(0))?;
    let i = int::as_i64(a.arg(1)).ok_or_else(|| {
        exc::type_error(format!(
            "sequence index must be integer, not '{}'",
            type_name(a.arg(1))
        ))
    })?;
    let old = d.with(|q| {
        let n = q.len() as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            None
        } else {
            q.remove(j as usize)
        }
    });
    match old {
        Some(_) => Ok(Value::NONE),
        None => Err(exc::index_error("deque index out of range")),
    }
}

fn install_deque_methods() {
    let t = types();
    let d = &t.deque;
    add_method(d, "append", d_append);
    add_method(d, "appendleft", d_appendleft);
    add_method(d, "pop", d_pop);
    add_method(d, "popleft", d_popleft);
    add_method(d, "extend", d_extend);
    add_method(d, "extendleft", d_extendleft);
    add_method(d, "rotate", d_rotate);
    add_method(d, "clear", d_clear);
    add_method(d, "reverse", d_reverse);
    add_method(d, "count", d_count);
    add_method(d, "index", d_index);
    add_method(d, "remove", d_remove);
    add_method(d, "insert", d_insert);
    add_method(d, "copy", d_copy);
    add_method(d, "__copy__", d_copy);
    add_method(d, "__add__", d_add);
    add_method(d, "__mul__", d_mul);
    add_method(d, "__contains__", d_contains);
    add_method(d, "__eq__", d_eq);
    add_method(d, "__delitem__", d_delitem);
    let getter = builtin_fn("maxlen", "deque", d_maxlen, object::Binding::Function);
    let prop = object::alloc(
        &t.property,
        PropertyObj {
            fget: getter,
            fset: Value::NONE,
            fdel: Value::NONE,
            doc: Value::NONE,
        },
    );
    add_attr(d, "maxlen", prop);
    add_attr(d, "__module__", new_str("collections"));
}

const PY_SRC: &str = r#"
def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    field_names = list(map(str, field_names))
    typename = str(typename)
    if rename:
        seen = set()
        for index, name in enumerate(field_names):
            if (not name.isidentifier() or name.startswith('_') or name in seen):
                field_names[index] = f'_{index}'
            seen.add(name)
    for name in [typename] + field_names:
        if type(name) is not str:
            raise TypeError('Type names and field names must be strings')
        if not name.isidentifier():
            raise ValueError('Type names and field names must be valid '
                             f'identifiers: {name!r}')
    seen = set()
    for name in field_names:
        if name.startswith('_') and not rename:
            raise ValueError('Field names cannot start with an underscore: '
                             f'{name!r}')
        if name in seen:
            raise ValueError(f'Encountered duplicate field name: {name!r}')
        seen.add(name)
    field_names = tuple(field_names)
    nf = len(field_names)
    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > nf:
            raise TypeError('Got more default values than field names')
        field_defaults = dict(reversed(list(zip(reversed(field_names),
                                                reversed(defaults)))))

    def __new__(_cls, *args, **kwargs):
        if len(args) > nf:
            raise TypeError(f"{typename}.__new__() takes {nf + 1} positional arguments but {len(args) + 1} were given")
        values = list(args)
        missing = []
        for name in field_names[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                missing.append(name)
        for name in field_names[:len(args)]:
            if name in kwargs:
                raise TypeError(f"{typename}.__new__() got multiple values for argument '{name}'")
        if kwargs:
            raise TypeError(f"{typename}.__new__() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if missing:
            if len(missing) == 1:
                raise TypeError(f"{typename}.__new__() missing 1 required positional argument: '{missing[0]}'")
            names = ", ".join(repr(m) for m in missing[:-1]) + f" and {missing[-1]!r}"
            raise TypeError(f"{typename}.__new__() missing {len(missing)} required positional arguments: {names}")
        return tuple.__new__(_cls, values)

    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != nf:
            raise TypeError(f'Expected {nf} arguments, got {len(result)}')
        return result

    def _replace(self, /, **kwds):
        result = self._make(map(kwds.pop, field_names, self))
        if kwds:
            raise ValueError(f'Got unexpected field names: {list(kwds)!r}')
        return result

    def __repr__(self):
        return typename + '(' + ', '.join(f'{n}={v!r}' for n, v in zip(field_names, self)) + ')'

    def _asdict(self):
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        return tuple(self)

    ns = {
        '__doc__': f'{typename}({", ".join(field_names)})',
        '__slots__': (),
        '_fields': field_names,
        '_field_defaults': field_defaults,
        '__new__': __new__,
        '_make': classmethod(_make),
        '_replace': _replace,
        '__repr__': __repr__,
        '_asdict': _asdict,
        '__getnewargs__': __getnewargs__,
        '__match_args__': field_names,
    }
    for index, name in enumerate(field_names):
        ns[name] = property(lambda self, _i=index: self[_i], doc=f'Alias for field number {index}')
    if module is None:
        try:
            import sys
            module = sys._getframe(1).f_globals.get('__name__', '__main__')
        except Exception:
            module = '__main__'
    ns['__module__'] = module
    result = type(typename, (tuple,), ns)
    if defaults is not None:
        __new__.__defaults__ = None
    return result


class Counter(dict):
    def __init__(self, iterable=None, /, **kwds):
        super().__init__()
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = sorted(self.items(), key=lambda kv: kv[1], reverse=True)
        if n is None:
            return items
        return items[:max(n, 0)]

    def elements(self):
        for elem, count in self.items():
            for _ in range(count):
                yield elem

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            'Counter.fromkeys() is undefined.  Use Counter(iterable) instead.')

    def update(self, iterable=None, /, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                if self:
                    for elem, count in iterable.items():
                        self[elem] = count + self.get(elem, 0)
                else:
                    dict.update(self, iterable)
            else:
                for elem in iterable:
                    self[elem] = self.get(elem, 0) + 1
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, /, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                for elem, count in iterable.items():
                    self[elem] = self.get(elem, 0) - count
            else:
                for elem in iterable:
                    self[elem] = self.get(elem, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        return self.__class__(self)

    def __delitem__(self, elem):
        if elem in self:
            dict.__delitem__(self, elem)

    def __repr__(self):
        if not self:
            return f'{self.__class__.__name__}()'
        d = ', '.join(f'{k!r}: {v!r}' for k, v in self.most_common())
        return f'{self.__class__.__name__}({{{d}}})'

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count < 0:
                result[elem] = 0 - count
        return result

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = other_count if count < other_count else count
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = count if count < other_count else other_count
            if newcount > 0:
                result[elem] = newcount
        return result

    def __pos__(self):
        result = Counter()
        for elem, count in self.items():
            if count > 0:
                result[elem] = count
        return result

    def __neg__(self):
        result = Counter()
        for elem, count in self.items():
            if count < 0:
                result[elem] = 0 - count
        return result


class OrderedDict(dict):
    def move_to_end(self, key, last=True):
        value = self.pop(key)
        if last:
            self[key] = value
        else:
            rest = list(self.items())
            self.clear()
            self[key] = value
            for k, v in rest:
                self[k] = v

    def popitem(self, last=True):
        if not self:
            raise KeyError('dictionary is empty')
        key = next(reversed(self)) if last else next(iter(self))
        value = self.pop(key)
        return key, value

    def __repr__(self):
        if not self:
            return f'{self.__class__.__name__}()'
        return f'{self.__class__.__name__}({list(self.items())!r})'

    def copy(self):
        return self.__class__(self)
"#;

/// `defaultdict(...)`: the builtin constructor does not run `defaultdict.__init__` for the
/// builtin class itself (call_class skips `__init__` of builtin classes), so this
/// constructor allocates and then runs it.
fn new_defaultdict(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let inst = object::alloc(cls, object::DictObj::default());
    if cls.is(&types().defaultdict)
        && let Some(init) = crate::runtime::attr::dict_get_str(
            types()
                .defaultdict
                .downcast::<object::ClassObj>()
                .unwrap()
                .dict
                .downcast::<object::DictObj>()
                .unwrap(),
            "__init__",
        )
    {
        let mut all = Vec::with_capacity(a.all.len() + 1);
        all.push(inst.clone());
        all.extend(a.all.iter().cloned());
        vm.call_args(
            &init,
            &Args {
                all: &all,
                kwnames: a.kwnames,
            },
        )?;
    }
    Ok(inst)
}

/// Builds the module namespace.
pub fn build(vm: &mut Vm, d: &Value) -> PyResult<()> {
    install_deque_methods();
    let t = types();
    t.defaultdict
        .downcast::<object::ClassObj>()
        .unwrap()
        .new
        .set(Some(new_defaultdict));
    let fget = builtin_fn(
        "default_factory",
        "defaultdict",
        |_, a| {
            let d = a
                .arg(0)
                .downcast::<object::DictObj>()
                .ok_or_else(|| exc::type_error("defaultdict expected"))?;
            let f = d.default_factory.get();
            Ok(if f.is_undef() { Value::NONE } else { f })
        },
        object::Binding::Function,
    );
    let fset = builtin_fn(
        "default_factory",
        "defaultdict",
        |_, a| {
            let d = a
                .arg(0)
                .downcast::<object::DictObj>()
                .ok_or_else(|| exc::type_error("defaultdict expected"))?;
            d.default_factory.set(a.arg(1).clone());
            Ok(Value::NONE)
        },
        object::Binding::Function,
    );
    let prop = object::alloc(
        &t.property,
        PropertyObj {
            fget,
            fset,
            fdel: Value::NONE,
            doc: Value::NONE,
        },
    );
    add_attr(&t.defaultdict, "default_factory", prop);
    add_method(&t.defaultdict, "__missing__", |vm, a| {
        if a.npos() != 2 {
            return Err(exc::type_error(format!(
                "defaultdict.__missing__() takes exactly one argument ({} given)",
                a.npos() - 1
            )));
        }
        let d = a
            .arg(0)
            .downcast::<object::DictObj>()
            .ok_or_else(|| exc::type_error("defaultdict expected"))?;
        let f = d.default_factory.get();
        if f.is_undef() || f.is_none() {
            return Err(exc::key_error(a.arg(1).clone()));
        }
        let v = vm.call(&f, &[])?;
        vm.dict_set(a.arg(0), a.arg(1).clone(), v.clone())?;
        Ok(v)
    });
    set(d, "deque", t.deque.clone());
    set(d, "defaultdict", t.defaultdict.clone());
    add_attr(&t.defaultdict, "__module__", new_str("collections"));
    super::run_py(vm, d, PY_SRC, "<collections>")?;
    let abc = vm.load_module("collections.abc")?;
    set(d, "abc", abc);
    Ok(())
}

const ABC_SRC: &str = r#"
def _generic(cls, item):
    return cls

class Hashable:
    __abc_methods__ = ('__hash__',)
    __class_getitem__ = classmethod(_generic)

class Awaitable:
    __abc_methods__ = ('__await__',)
    __class_getitem__ = classmethod(_generic)

class Coroutine(Awaitable):
    __abc_methods__ = ('__await__', 'send', 'throw', 'close')

class AsyncIterable:
    __abc_methods__ = ('__aiter__',)
    __class_getitem__ = classmethod(_generic)

class AsyncIterator(AsyncIterable):
    __abc_methods__ = ('__aiter__', '__anext__')
    def __aiter__(self):
        return self

class Iterable:
    __abc_methods__ = ('__iter__',)
    __class_getitem__ = classmethod(_generic)

class Iterator(Iterable):
    __abc_methods__ = ('__iter__', '__next__')
    def __iter__(self):
        return self

class Reversible(Iterable):
    __abc_methods__ = ('__iter__', '__reversed__')

class Generator(Iterator):
    __abc_methods__ = ('__iter__', '__next__', 'send', 'throw', 'close')
    def __next__(self):
        return self.send(None)
    def close(self):
        try:
            self.throw(GeneratorExit)
        except (GeneratorExit, StopIteration):
            pass
        else:
            raise RuntimeError("generator ignored GeneratorExit")

class Sized:
    __abc_methods__ = ('__len__',)
    __class_getitem__ = classmethod(_generic)

class Container:
    __abc_methods__ = ('__contains__',)
    __class_getitem__ = classmethod(_generic)

class Callable:
    __abc_methods__ = ('__call__',)
    __class_getitem__ = classmethod(_generic)

class Collection(Sized, Iterable, Container):
    __abc_methods__ = ('__len__', '__iter__', '__contains__')

class Sequence(Reversible, Collection):
    __abc_methods__ = ('__len__', '__getitem__', '__iter__')
    def __iter__(self):
        i = 0
        try:
            while True:
                v = self[i]
                yield v
                i += 1
        except IndexError:
            return
    def __contains__(self, value):
        for v in self:
            if v is value or v == value:
                return True
        return False
    def __reversed__(self):
        for i in reversed(range(len(self))):
            yield self[i]
    def index(self, value, start=0, stop=None):
        i = start
        while stop is None or i < stop:
            try:
                v = self[i]
            except IndexError:
                break
            if v is value or v == value:
                return i
            i += 1
        raise ValueError
    def count(self, value):
        return sum(1 for v in self if v is value or v == value)

class MutableSequence(Sequence):
    __abc_methods__ = ('__len__', '__getitem__', '__setitem__', '__delitem__', 'insert')
    def append(self, value):
        self.insert(len(self), value)
    def extend(self, values):
        for v in values:
            self.append(v)
    def pop(self, index=-1):
        v = self[index]
        del self[index]
        return v
    def remove(self, value):
        del self[self.index(value)]
    def clear(self):
        try:
            while True:
                self.pop()
        except IndexError:
            pass
    def reverse(self):
        n = len(self)
        for i in range(n // 2):
            self[i], self[n - i - 1] = self[n - i - 1], self[i]
    def __iadd__(self, values):
        self.extend(values)
        return self

class Set(Collection):
    __abc_methods__ = ('__len__', '__iter__', '__contains__')

class MutableSet(Set):
    __abc_methods__ = ('__len__', '__iter__', '__contains__', 'add', 'discard')

class Mapping(Collection):
    __abc_methods__ = ('__len__', '__getitem__', '__iter__', 'keys', 'items', 'values')
    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default
    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        return True
    def keys(self):
        return list(self)
    def items(self):
        return [(k, self[k]) for k in self]
    def values(self):
        return [self[k] for k in self]
    def __eq__(self, other):
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())
    __hash__ = None

class MutableMapping(Mapping):
    __abc_methods__ = ('__len__', '__getitem__', '__setitem__', '__delitem__', 'keys')
    def pop(self, key, *default):
        try:
            value = self[key]
        except KeyError:
            if default:
                return default[0]
            raise
        del self[key]
        return value
    def setdefault(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default
    def update(self, other=(), /, **kwds):
        if hasattr(other, 'keys'):
            for key in other.keys():
                self[key] = other[key]
        else:
            for key, value in other:
                self[key] = value
        for key, value in kwds.items():
            self[key] = value
    def clear(self):
        for k in list(self):
            del self[k]

class MappingView(Sized):
    __abc_methods__ = ('__len__',)

class KeysView(MappingView, Set):
    __abc_methods__ = ('__len__', '__iter__', '__contains__')

class ItemsView(MappingView, Set):
    __abc_methods__ = ('__len__', '__iter__', '__contains__')

class ValuesView(MappingView, Collection):
    __abc_methods__ = ('__len__', '__iter__')

del _generic
"#;

/// Builds `collections.abc`.
pub fn build_abc(vm: &mut Vm, d: &Value) -> PyResult<()> {
    super::run_py(vm, d, ABC_SRC, "<collections.abc>")
}

/// `a <op> b` when `a` is a deque (`+`, `*`, `+=`, `*=`); `None` if not supported.
/// `op` is BINARY_OP's argument (in-place forms included). Hooked from `runtime/ops.rs`.
pub fn deque_binop(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    use jitlens_compiler::bytecode::binop;
    if a.downcast::<DequeObj>().is_none() {
        return Ok(None);
    }
    let args = [a.clone(), b.clone()];
    let args = Args::new(&args);
    match op {
        binop::ADD if b.downcast::<DequeObj>().is_some() => d_add(vm, &args).map(Some),
        binop::MULTIPLY if int::is_int(b) && b.as_float().is_none() => d_mul(vm, &args).map(Some),
        x if x == binop::ADD + binop::INPLACE => {
            d_extend(vm, &args)?;
            Ok(Some(a.clone()))
        }
        x if x == binop::MULTIPLY + binop::INPLACE && int::is_int(b) && b.as_float().is_none() => {
            let n = int::as_i64(b).unwrap_or(0);
            let d = dq(a)?;
            let items = snapshot(d);
            let old = d.with(std::mem::take);
            drop(old);
            for _ in 0..n.max(0) {
                for v in &items {
                    push(d, v.clone(), false);
                }
            }
            Ok(Some(a.clone()))
        }
        _ => Ok(None),
    }
}

/// `a == b` / `a != b` for two deques (`None` otherwise). Hooked from `runtime/ops.rs`.
pub fn deque_compare(vm: &mut Vm, a: &Value, b: &Value, op: u32) -> PyResult<Option<Value>> {
    use jitlens_compiler::bytecode::cmpop;
    if a.downcast::<DequeObj>().is_none()
        || b.downcast::<DequeObj>().is_none()
        || !(op == cmpop::EQ || op == cmpop::NE)
    {
        return Ok(None);
    }
    let args = [a.clone(), b.clone()];
    let r = d_eq(vm, &Args::new(&args))?;
    Ok(Some(Value::bool(r.is(&Value::TRUE) == (op == cmpop::EQ))))
}

/// `del d[i]` for a deque. Hooked from `runtime/ops.rs`.
pub fn deque_delitem(vm: &mut Vm, d: &Value, k: &Value) -> PyResult<()> {
    let args = [d.clone(), k.clone()];
    d_delitem(vm, &Args::new(&args)).map(|_| ())
}
