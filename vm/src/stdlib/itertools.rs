//! The `itertools` module. `count`, `islice`, `chain`, `repeat`, `permutations`,
//! `combinations` and `product` are native iterators (`IterState`, stepped in
//! `runtime/iter.rs`); the rest are written in Python (generators) below.

use crate::builtins::set;
use crate::interp::args::Args;
use crate::object::{ClassObj, CombKind, IterObj, IterState, NewFn};
use crate::runtime::class::{add_classmethod, add_method};
use crate::runtime::iter::new_iter;
use crate::runtime::str::{intern, new_str};
use crate::runtime::{class_of, exc, int, tuple, type_name};
use crate::types::types;
use crate::value::Value;
use crate::{PyResult, Vm};

fn set_new(cls: &Value, f: NewFn) {
    cls.downcast::<ClassObj>().unwrap().new.set(Some(f));
}

fn is_number(v: &Value) -> bool {
    v.as_float().is_some() || int::is_int(v) || crate::runtime::ops::to_f64(v).is_ok()
}

fn new_count(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("count", &["start", "step"])?;
    if a.npos() > 2 {
        return Err(exc::type_error(format!(
            "count expected at most 2 arguments, got {}",
            a.npos()
        )));
    }
    let start = a.get(0, "start").cloned().unwrap_or(Value::small_int(0));
    let step = a.get(1, "step").cloned().unwrap_or(Value::small_int(1));
    for v in [&start, &step] {
        let user = v.is_obj()
            && !class_of(v)
                .downcast::<ClassObj>()
                .is_some_and(|c| c.has(crate::object::CLS_BUILTIN));
        if !(is_number(v) || user && vm.lookup_special(v, &intern("__add__")).is_some()) {
            return Err(exc::type_error("a number is required"));
        }
    }
    Ok(new_iter(
        &types().count,
        IterState::Count { cur: start, step },
    ))
}

/// `PyNumber_AsSsize_t` with errors folded into -1 (as islice does); `None` for None.
fn islice_index(vm: &mut Vm, v: &Value) -> Option<i64> {
    if v.is_none() {
        return None;
    }
    match super::math::index_big(vm, v) {
        Ok(b) => Some(num_traits::ToPrimitive::to_i64(&b).unwrap_or(-1)),
        Err(_) => Some(-1),
    }
}

fn new_islice(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.no_kw("islice")?;
    a.check("islice", 2, 4)?;
    let it = vm.get_iter(a.arg(0))?;
    let stop_msg = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    let (mut start, mut stop, mut step) = (0i64, -1i64, 1i64);
    if a.npos() == 2 {
        if let Some(s) = islice_index(vm, a.arg(1)) {
            if s == -1 {
                return Err(exc::value_error(stop_msg));
            }
            stop = s;
        }
    } else {
        if let Some(s) = islice_index(vm, a.arg(1)) {
            start = s;
        }
        if let Some(s) = islice_index(vm, a.arg(2)) {
            if s == -1 {
                return Err(exc::value_error(stop_msg));
            }
            stop = s;
        }
    }
    if start < 0 || stop < -1 {
        return Err(exc::value_error(
            "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.",
        ));
    }
    if a.npos() == 4
        && let Some(s) = islice_index(vm, a.arg(3))
    {
        step = s;
    }
    if step < 1 {
        return Err(exc::value_error(
            "Step for islice() must be a positive integer or None.",
        ));
    }
    let stop = if stop == -1 { None } else { Some(stop) };
    Ok(new_iter(
        &types().islice,
        IterState::Islice {
            it,
            next: start,
            stop,
            step,
            pos: 0,
            done: false,
        },
    ))
}

fn new_chain(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.no_kw("chain")?;
    let its = vm.get_iter(&tuple::new(a.pos().to_vec()))?;
    Ok(new_iter(
        &types().chain,
        IterState::Chain {
            its,
            cur: Value::UNDEF,
        },
    ))
}

fn chain_from_iterable(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    // a.arg(0) is the class.
    if a.npos() != 2 {
        return Err(exc::type_error(format!(
            "chain.from_iterable() takes exactly one argument ({} given)",
            a.npos() - 1
        )));
    }
    let its = vm.get_iter(a.arg(1))?;
    Ok(new_iter(
        &types().chain,
        IterState::Chain {
            its,
            cur: Value::UNDEF,
        },
    ))
}

fn new_repeat(_vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("repeat", &["object", "times"])?;
    let Some(v) = a.get(0, "object") else {
        return Err(exc::type_error(
            "repeat() missing required argument 'object' (pos 1)",
        ));
    };
    let left = match a.get(1, "times") {
        Some(t) => {
            if t.as_float().is_some() || !int::is_int(t) {
                return Err(exc::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    type_name(t)
                )));
            }
            Some(int::as_i64(t).unwrap_or(i64::MAX).max(0))
        }
        None => None,
    };
    Ok(new_iter(
        &types().repeat,
        IterState::Repeat { v: v.clone(), left },
    ))
}

fn r_arg(v: &Value) -> PyResult<usize> {
    if v.as_float().is_some() || !int::is_int(v) {
        return Err(exc::type_error("Expected int as r"));
    }
    let r = int::as_i64(v).unwrap_or(i64::MAX);
    if r < 0 {
        return Err(exc::value_error("r must be non-negative"));
    }
    Ok(r as usize)
}

fn comb_state(pool: Vec<Value>, kind: CombKind, r: usize) -> IterState {
    let n = pool.len();
    let (indices, cycles) = match kind {
        CombKind::Permutations => (
            (0..n).collect(),
            if r <= n {
                (n - r + 1..=n).rev().collect()
            } else {
                Vec::new()
            },
        ),
        _ => ((0..r).collect(), Vec::new()),
    };
    IterState::Combinatoric {
        pool,
        kind,
        indices,
        cycles,
        r,
        first: true,
        done: false,
        pools: Vec::new(),
    }
}

fn new_permutations(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("permutations", &["iterable", "r"])?;
    let Some(it) = a.get(0, "iterable") else {
        return Err(exc::type_error(
            "permutations() missing required argument 'iterable' (pos 1)",
        ));
    };
    let pool = vm.collect(it)?;
    let r = match a.get(1, "r").filter(|v| !v.is_none()) {
        Some(v) => r_arg(v)?,
        None => pool.len(),
    };
    Ok(new_iter(
        &types().permutations,
        comb_state(pool, CombKind::Permutations, r),
    ))
}

fn new_combinations(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("combinations", &["iterable", "r"])?;
    let (Some(it), Some(r)) = (a.get(0, "iterable"), a.get(1, "r")) else {
        let missing = if a.get(0, "iterable").is_none() {
            "'iterable' (pos 1)"
        } else {
            "'r' (pos 2)"
        };
        return Err(exc::type_error(format!(
            "combinations() missing required argument {missing}"
        )));
    };
    let pool = vm.collect(it)?;
    let r = r_arg(r)?;
    Ok(new_iter(
        &types().combinations,
        comb_state(pool, CombKind::Combinations, r),
    ))
}

fn new_product(vm: &mut Vm, _cls: &Value, a: &Args) -> PyResult<Value> {
    a.only_kw("product", &["repeat"])?;
    let repeat = match a.kw("repeat") {
        Some(v) => {
            if v.as_float().is_some() || !int::is_int(v) {
                return Err(exc::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    type_name(v)
                )));
            }
            let r = int::as_i64(v).unwrap_or(i64::MAX);
            if r < 0 {
                return Err(exc::value_error("repeat argument cannot be negative"));
            }
            r as usize
        }
        None => 1,
    };
    let mut base = Vec::with_capacity(a.npos());
    for x in a.pos() {
        base.push(vm.collect(x)?);
    }
    let mut pools = Vec::with_capacity(base.len() * repeat);
    for _ in 0..repeat {
        pools.extend(base.iter().cloned());
    }
    let indices = vec![0; pools.len()];
    Ok(new_iter(
        &types().product,
        IterState::Combinatoric {
            pool: Vec::new(),
            kind: CombKind::Product,
            indices,
            cycles: Vec::new(),
            r: 0,
            first: true,
            done: false,
            pools,
        },
    ))
}

/// `repr()` of a `count` or `repeat` iterator; `None` for other values.
pub fn iter_repr(vm: &mut Vm, v: &Value) -> Option<PyResult<String>> {
    let it = v.downcast::<IterObj>()?;
    let cls = class_of(v);
    let t = types();
    if !cls.is(&t.count) && !cls.is(&t.repeat) {
        return None;
    }
    // SAFETY: a short read of the state; values are cloned out before any Python runs.
    let (a, b, is_count) = match unsafe { &*it.state.get() } {
        IterState::Count { cur, step } => (cur.clone(), Some(step.clone()), true),
        IterState::Repeat { v, left } => (v.clone(), left.map(int::from_i64), false),
        _ => return None,
    };
    let name = if is_count { "count" } else { "repeat" };
    Some((|| {
        let ra = vm.repr(&a)?;
        match b {
            Some(s) if !(is_count && s.as_small_int() == Some(1)) => {
                let rb = vm.repr(&s)?;
                Ok(format!("{name}({ra}, {rb})"))
            }
            _ => Ok(format!("{name}({ra})")),
        }
    })())
}

const PY_SRC: &str = r#"
def accumulate(iterable, func=None, *, initial=None):
    it = iter(iterable)
    total = initial
    if initial is None:
        try:
            total = next(it)
        except StopIteration:
            return
    yield total
    if func is None:
        for element in it:
            total = total + element
            yield total
    else:
        for element in it:
            total = func(total, element)
            yield total

def starmap(function, iterable):
    for args in iterable:
        yield function(*args)

def takewhile(predicate, iterable):
    for x in iterable:
        if predicate(x):
            yield x
        else:
            break

def dropwhile(predicate, iterable):
    it = iter(iterable)
    for x in it:
        if not predicate(x):
            yield x
            break
    for x in it:
        yield x

def filterfalse(predicate, iterable):
    if predicate is None:
        predicate = bool
    for x in iterable:
        if not predicate(x):
            yield x

def compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d

def zip_longest(*args, fillvalue=None):
    iterators = [iter(it) for it in args]
    num_active = len(iterators)
    if not num_active:
        return
    while True:
        values = []
        for i, it in enumerate(iterators):
            try:
                value = next(it)
            except StopIteration:
                num_active -= 1
                if not num_active:
                    return
                iterators[i] = repeat(fillvalue)
                value = fillvalue
            values.append(value)
        yield tuple(values)

def cycle(iterable):
    saved = []
    for element in iterable:
        yield element
        saved.append(element)
    if not saved:
        return
    while True:
        for element in saved:
            yield element

def pairwise(iterable):
    it = iter(iterable)
    try:
        a = next(it)
    except StopIteration:
        return
    for b in it:
        yield a, b
        a = b

def combinations_with_replacement(iterable, r):
    pool = tuple(iterable)
    n = len(pool)
    if not isinstance(r, int):
        raise TypeError("Expected int as r")
    if r < 0:
        raise ValueError("r must be non-negative")
    if not n and r:
        return
    indices = [0] * r
    yield tuple(pool[i] for i in indices)
    while True:
        for i in reversed(range(r)):
            if indices[i] != n - 1:
                break
        else:
            return
        indices[i:] = [indices[i] + 1] * (r - i)
        yield tuple(pool[i] for i in indices)

class _GroupByState:
    __slots__ = ("it", "keyfunc", "tgtkey", "currkey", "currvalue", "done", "gen")

def groupby(iterable, key=None):
    st = _GroupByState()
    st.it = iter(iterable)
    st.keyfunc = (lambda x: x) if key is None else key
    st.done = False
    st.gen = 0
    sentinel = st.tgtkey = st.currkey = st.currvalue = object()

    def advance():
        try:
            st.currvalue = next(st.it)
        except StopIteration:
            st.done = True
            return False
        st.currkey = st.keyfunc(st.currvalue)
        return True

    def grouper(tgtkey, gen):
        while st.gen == gen and st.currkey == tgtkey:
            yield st.currvalue
            if not advance():
                return

    while True:
        if st.currkey is sentinel:
            if not advance():
                return
        else:
            while st.currkey == st.tgtkey:
                if not advance():
                    return
        st.tgtkey = st.currkey
        st.gen += 1
        yield (st.currkey, grouper(st.tgtkey, st.gen))

def tee(iterable, n=2):
    if not isinstance(n, int):
        raise TypeError(f"'{type(n).__name__}' object cannot be interpreted as an integer")
    if n < 0:
        raise ValueError("n must be >= 0")
    it = iter(iterable)
    buffers = [[] for _ in range(n)]
    def gen(mybuf):
        while True:
            if not mybuf:
                try:
                    newval = next(it)
                except StopIteration:
                    return
                for b in buffers:
                    b.append(newval)
            yield mybuf.pop(0)
    return tuple(gen(b) for b in buffers)
"#;

/// Builds the module namespace.
pub fn build(vm: &mut Vm, d: &Value) -> PyResult<()> {
    let t = types();
    set_new(&t.count, new_count);
    set_new(&t.islice, new_islice);
    set_new(&t.chain, new_chain);
    set_new(&t.repeat, new_repeat);
    set_new(&t.permutations, new_permutations);
    set_new(&t.combinations, new_combinations);
    set_new(&t.product, new_product);
    add_classmethod(&t.chain, "from_iterable", chain_from_iterable);
    add_method(&t.repeat, "__length_hint__", |_, a| {
        let it = a
            .arg(0)
            .downcast::<IterObj>()
            .ok_or_else(|| exc::type_error("repeat expected"))?;
        // SAFETY: a short read of the state.
        match unsafe { &*it.state.get() } {
            IterState::Repeat { left: Some(n), .. } => Ok(int::from_i64(*n)),
            _ => Err(exc::type_error("len() of unsized object")),
        }
    });
    for (name, cls) in [
        ("count", &t.count),
        ("islice", &t.islice),
        ("chain", &t.chain),
        ("repeat", &t.repeat),
        ("permutations", &t.permutations),
        ("combinations", &t.combinations),
        ("product", &t.product),
    ] {
        crate::runtime::class::add_attr(cls, "__module__", new_str("itertools"));
        set(d, name, cls.clone());
    }
    super::run_py(vm, d, PY_SRC, "<itertools>")?;
    Ok(())
}
