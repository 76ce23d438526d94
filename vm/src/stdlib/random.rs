//! The `random` module: the `random.Random` class over [`super::mt::Random`] (CPython's
//! exact sequences), and the module-level functions bound to a hidden instance.

use super::mt::{self, RandomError, SeedArg};
use crate::builtins::set;
use crate::interp::args::Args;
use crate::object::{self, CLS_BASETYPE, CLS_BUILTIN, Kind, ListObj, NativeData, NativeObj};
use crate::runtime::class::add_method;
use crate::runtime::str::{as_str, intern};
use crate::runtime::{exc, int, tuple, type_name};
use crate::types::{new_class, types};
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use num_bigint::BigInt;
use std::cell::RefCell;

struct RandomData {
    r: RefCell<mt::Random>,
}

impl NativeData for RandomData {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn err(e: RandomError) -> PyErr {
    let t = types();
    let cls = match &e {
        RandomError::ValueError(_) => &t.value_error,
        RandomError::IndexError(_) => &t.index_error,
        RandomError::TypeError(_) => &t.type_error,
        RandomError::OverflowError(_) => &t.overflow_error,
        RandomError::ZeroDivisionError(_) => &t.zero_division_error,
        RandomError::HashRequired => &t.type_error,
    };
    exc::err(cls, e.message())
}

/// The generator of a `Random` instance (`self`).
fn gen_of(v: &Value) -> PyResult<&RefCell<mt::Random>> {
    v.downcast::<NativeObj>()
        .and_then(|n| n.data.as_any().downcast_ref::<RandomData>())
        .map(|d| &d.r)
        .ok_or_else(|| {
            exc::type_error(format!(
                "descriptor requires a 'Random' object but received '{}'",
                type_name(v)
            ))
        })
}

fn with<R>(a: &Args, f: impl FnOnce(&mut mt::Random) -> R) -> PyResult<R> {
    let g = gen_of(a.arg(0))?;
    Ok(f(&mut g.borrow_mut()))
}

fn new_random(vm: &mut Vm, cls: &Value, a: &Args) -> PyResult<Value> {
    let obj = object::alloc(
        cls,
        NativeObj {
            data: Box::new(RandomData {
                r: RefCell::new(mt::Random::new()),
            }),
        },
    );
    let seed = if a.npos() > 0 {
        a.arg(0).clone()
    } else {
        Value::NONE
    };
    do_seed(vm, &obj, &seed, 2)?;
    Ok(obj)
}

fn do_seed(vm: &mut Vm, obj: &Value, a: &Value, version: i64) -> PyResult<()> {
    let g = gen_of(obj)?;
    let r = if a.is_none() {
        g.borrow_mut().seed(SeedArg::None, version)
    } else if let Some(f) = a.as_float() {
        g.borrow_mut().seed(SeedArg::Float(f), version)
    } else if int::is_int(a) {
        let b = int::to_bigint(a).unwrap();
        g.borrow_mut().seed(SeedArg::Int(&b), version)
    } else if let Some(s) = as_str(a) {
        let s = s.to_string();
        g.borrow_mut().seed(SeedArg::Str(&s), version)
    } else if version == 2 {
        return Err(exc::type_error(mt::SEED_TYPE_ERROR));
    } else {
        Err(RandomError::HashRequired)
    };
    match r {
        Err(RandomError::HashRequired) => {
            let h = vm.hash(a)?;
            gen_of(obj)?
                .borrow_mut()
                .seed(SeedArg::Hash(h), version)
                .map_err(err)
        }
        r => r.map_err(err),
    }
}

fn r_seed(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("seed", &["a", "version"])?;
    let seed = a.get(1, "a").cloned().unwrap_or(Value::NONE);
    let version = match a.get(2, "version") {
        Some(v) => int::as_i64(v).unwrap_or(2),
        None => 2,
    };
    do_seed(vm, a.arg(0), &seed, version)?;
    Ok(Value::NONE)
}

fn nargs(a: &Args, name: &str, min: usize, max: usize) -> PyResult<()> {
    let n = a.npos() - 1;
    if n < min || n > max {
        let what = if min == max {
            format!("{min}")
        } else if n < min {
            format!("at least {min}")
        } else {
            format!("at most {max}")
        };
        return Err(exc::type_error(format!(
            "{name}() takes {what} positional argument{} but {} were given",
            if max == 1 && min == max { "" } else { "s" },
            n + 1
        )));
    }
    Ok(())
}

fn fl(a: &Args, i: usize, name: &str, default: Option<f64>) -> PyResult<f64> {
    match a.get(i, name) {
        Some(v) => crate::runtime::ops::to_f64(v),
        None => {
            default.ok_or_else(|| exc::type_error(format!("missing required argument '{name}'")))
        }
    }
}

/// An int argument of randrange (integral floats accepted, as 3.11 still does).
fn rr_int(v: &Value, what: &str) -> PyResult<BigInt> {
    if let Some(f) = v.as_float() {
        if f.is_finite() && f == f.trunc() {
            return Ok(int::float_to_bigint(f));
        }
        return Err(exc::value_error(format!(
            "non-integer {what} for randrange()"
        )));
    }
    int::to_bigint(v).ok_or_else(|| {
        exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(v)
        ))
    })
}

fn big_or_small(b: BigInt) -> Value {
    int::from_bigint(b)
}

fn r_randrange(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("randrange", &["start", "stop", "step"])?;
    let start = a.get(1, "start").ok_or_else(|| {
        exc::type_error("randrange() missing 1 required positional argument: 'start'")
    })?;
    let stop = a.get(2, "stop").filter(|v| !v.is_none());
    let step = a.get(3, "step");
    // Fast path: small ints.
    if let (Some(s), None, None) = (start.as_small_int(), stop, step) {
        return with(a, |r| r.randrange_i64(s, None, 1))?
            .map(Value::small_int)
            .map_err(err);
    }
    if let (Some(s), Some(e), None) = (
        start.as_small_int(),
        stop.and_then(|v| v.as_small_int()),
        step,
    ) {
        return with(a, |r| r.randrange_i64(s, Some(e), 1))?
            .map(int::from_i64)
            .map_err(err);
    }
    let istart = rr_int(start, "arg 1")?;
    let istop = match stop {
        Some(v) => Some(rr_int(v, "stop")?),
        None => None,
    };
    let istep = match step {
        Some(v) => rr_int(v, "step")?,
        None => BigInt::from(1),
    };
    with(a, |r| r.randrange(&istart, istop.as_ref(), &istep))?
        .map(big_or_small)
        .map_err(err)
}

fn r_randint(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    nargs(a, "randint", 2, 2)?;
    let (x, y) = (a.arg(1), a.arg(2));
    if let (Some(x), Some(y)) = (x.as_small_int(), y.as_small_int()) {
        return with(a, |r| r.randint_i64(x, y))?
            .map(big_or_small)
            .map_err(err);
    }
    let x = rr_int(x, "arg 1")?;
    let y = rr_int(y, "stop")?;
    with(a, |r| r.randint(&x, &y))?
        .map(big_or_small)
        .map_err(err)
}

fn r_getrandbits(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    nargs(a, "getrandbits", 1, 1)?;
    let k = a.arg(1);
    if k.as_float().is_some() || !int::is_int(k) {
        return Err(exc::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            type_name(k)
        )));
    }
    let k = int::as_i64(k).unwrap_or(i64::MAX);
    if (0..=47).contains(&k) {
        return with(a, |r| Value::small_int(r.getrandbits_u64(k as u32) as i64));
    }
    let b = with(a, |r| r.getrandbits(k))?.map_err(err)?;
    Ok(int::from_bigint(BigInt::from(b)))
}

fn seq_len(vm: &mut Vm, v: &Value) -> PyResult<usize> {
    crate::builtins::functions::len_of(vm, v)
}

fn r_choice(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    nargs(a, "choice", 1, 1)?;
    let seq = a.arg(1).clone();
    let n = seq_len(vm, &seq)?;
    let i = with(a, |r| r.choice_index(n))?.map_err(err)?;
    if let Some(l) = seq.downcast::<ListObj>()
        && let Some(v) = l.get(i)
    {
        return Ok(v);
    }
    vm.getitem(&seq, &int::from_i64(i as i64))
}

fn r_shuffle(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    nargs(a, "shuffle", 1, 1)?;
    let x = a.arg(1).clone();
    if let Some(l) = x.downcast::<ListObj>() {
        let n = l.len();
        let swaps = with(a, |r| r.shuffle_swaps(n))?;
        l.with(|v| {
            for (i, j) in swaps {
                if i < v.len() && j < v.len() {
                    v.swap(i, j);
                }
            }
        });
        return Ok(Value::NONE);
    }
    let n = seq_len(vm, &x)?;
    let swaps = with(a, |r| r.shuffle_swaps(n))?;
    for (i, j) in swaps {
        let (iv, jv) = (int::from_i64(i as i64), int::from_i64(j as i64));
        let xi = vm.getitem(&x, &iv)?;
        let xj = vm.getitem(&x, &jv)?;
        vm.setitem(&x, &iv, xj)?;
        vm.setitem(&x, &jv, xi)?;
    }
    Ok(Value::NONE)
}

fn population(vm: &mut Vm, v: &Value) -> PyResult<Vec<Value>> {
    match v.kind() {
        Some(Kind::List) | Some(Kind::Tuple) | Some(Kind::Str) | Some(Kind::Range)
        | Some(Kind::Deque) => vm.collect(v),
        Some(Kind::Set) | Some(Kind::Dict) => Err(exc::type_error(
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        )),
        _ => {
            if vm.lookup_special(v, &intern("__getitem__")).is_some()
                && vm.lookup_special(v, &intern("__len__")).is_some()
            {
                let n = seq_len(vm, v)?;
                let mut out = Vec::with_capacity(n);
                for i in 0..n {
                    out.push(vm.getitem(v, &int::from_i64(i as i64))?);
                }
                Ok(out)
            } else {
                Err(exc::type_error(
                    "Population must be a sequence.  For dicts or sets, use sorted(d).",
                ))
            }
        }
    }
}

fn r_sample(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("sample", &["population", "k", "counts"])?;
    let pop = a.get(1, "population").ok_or_else(|| {
        exc::type_error("sample() missing 2 required positional arguments: 'population' and 'k'")
    })?;
    let k = a
        .get(2, "k")
        .ok_or_else(|| exc::type_error("sample() missing 1 required positional argument: 'k'"))?;
    let items = population(vm, pop)?;
    let k = int::as_i64(k)
        .filter(|_| int::is_int(k) && k.as_float().is_none())
        .ok_or_else(|| {
            exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(k)
            ))
        })?;
    let idx = match a.kw("counts").filter(|c| !c.is_none()) {
        Some(c) => {
            let cs = vm.collect(c)?;
            let counts: Vec<i64> = cs.iter().map(|v| int::as_i64(v).unwrap_or(0)).collect();
            with(a, |r| r.sample_counts_indices(items.len(), &counts, k))?.map_err(err)?
        }
        None => with(a, |r| r.sample_indices(items.len(), k))?.map_err(err)?,
    };
    Ok(crate::runtime::list::new(
        idx.into_iter().map(|i| items[i].clone()).collect(),
    ))
}

fn floats(vm: &mut Vm, v: &Value) -> PyResult<Vec<f64>> {
    let items = vm.collect(v)?;
    items.iter().map(crate::runtime::ops::to_f64).collect()
}

fn r_choices(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.only_kw("choices", &["population", "weights", "cum_weights", "k"])?;
    let pop = a.get(1, "population").ok_or_else(|| {
        exc::type_error("choices() missing 1 required positional argument: 'population'")
    })?;
    let items = population(vm, pop)?;
    let k = match a.kw("k") {
        Some(v) => int::as_i64(v).ok_or_else(|| {
            exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(v)
            ))
        })?,
        None => 1,
    };
    let w = match a.get(2, "weights").filter(|v| !v.is_none()) {
        Some(v) => Some(floats(vm, v)?),
        None => None,
    };
    let cw = match a.kw("cum_weights").filter(|v| !v.is_none()) {
        Some(v) => Some(floats(vm, v)?),
        None => None,
    };
    let idx = with(a, |r| {
        r.choices_weighted_indices(items.len(), w.as_deref(), cw.as_deref(), k)
    })?
    .map_err(err)?;
    let mut out = Vec::with_capacity(idx.len());
    for i in idx {
        match items.get(i) {
            Some(v) => out.push(v.clone()),
            None => return Err(exc::index_error("list index out of range")),
        }
    }
    Ok(crate::runtime::list::new(out))
}

fn f1(a: &Args, name: &str, p: [(&str, Option<f64>); 2]) -> PyResult<(f64, f64)> {
    a.only_kw(name, &[p[0].0, p[1].0])?;
    nargs(a, name, 0, 2)?;
    Ok((fl(a, 1, p[0].0, p[0].1)?, fl(a, 2, p[1].0, p[1].1)?))
}

fn r_getstate(_vm: &mut Vm, a: &Args) -> PyResult<Value> {
    let st = with(a, |r| r.getstate())?;
    let internal = tuple::new(
        st.internal
            .iter()
            .map(|&w| int::from_i64(w as i64))
            .collect(),
    );
    let g = match st.gauss_next {
        Some(f) => Value::float(f),
        None => Value::NONE,
    };
    Ok(tuple::new(vec![Value::small_int(st.version), internal, g]))
}

fn r_setstate(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    nargs(a, "setstate", 1, 1)?;
    let st = vm.collect(a.arg(1))?;
    if st.len() != 3 {
        return Err(exc::value_error(format!(
            "state with version {} passed to Random.setstate() of version 3",
            st.len()
        )));
    }
    let version = int::as_i64(&st[0]).unwrap_or(-1);
    let words = vm.collect(&st[1])?;
    let mut internal = Vec::with_capacity(words.len());
    for w in &words {
        internal.push(
            int::to_bigint(w)
                .ok_or_else(|| exc::type_error("state vector items must be integers"))?,
        );
    }
    let g = if st[2].is_none() {
        None
    } else {
        Some(crate::runtime::ops::to_f64(&st[2])?)
    };
    with(a, |r| r.setstate(version, &internal, g))?.map_err(err)?;
    Ok(Value::NONE)
}

const NAMES: &[&str] = &[
    "seed",
    "random",
    "uniform",
    "triangular",
    "randint",
    "choice",
    "randrange",
    "sample",
    "shuffle",
    "choices",
    "normalvariate",
    "lognormvariate",
    "expovariate",
    "vonmisesvariate",
    "gammavariate",
    "gauss",
    "betavariate",
    "paretovariate",
    "weibullvariate",
    "getstate",
    "setstate",
    "getrandbits",
];

/// Builds the module namespace.
pub fn build(vm: &mut Vm, d: &Value) -> PyResult<()> {
    let t = types();
    let cls = new_class(
        &t.type_,
        "Random",
        vec![t.object.clone()],
        Kind::Native,
        Some(new_random),
        CLS_BUILTIN | CLS_BASETYPE,
    );
    crate::runtime::class::add_attr(&cls, "__module__", crate::runtime::str::new_str("random"));
    crate::runtime::class::add_attr(&cls, "VERSION", Value::small_int(mt::STATE_VERSION));
    add_method(&cls, "seed", r_seed);
    add_method(&cls, "random", |_, a| {
        nargs(a, "random", 0, 0)?;
        with(a, |r| Value::float(r.random()))
    });
    add_method(&cls, "getrandbits", r_getrandbits);
    add_method(&cls, "randrange", r_randrange);
    add_method(&cls, "randint", r_randint);
    add_method(&cls, "choice", r_choice);
    add_method(&cls, "choices", r_choices);
    add_method(&cls, "shuffle", r_shuffle);
    add_method(&cls, "sample", r_sample);
    add_method(&cls, "uniform", |_, a| {
        nargs(a, "uniform", 2, 2)?;
        let (x, y) = (fl(a, 1, "a", None)?, fl(a, 2, "b", None)?);
        with(a, |r| Value::float(r.uniform(x, y)))
    });
    add_method(&cls, "triangular", |_, a| {
        a.only_kw("triangular", &["low", "high", "mode"])?;
        let low = fl(a, 1, "low", Some(0.0))?;
        let high = fl(a, 2, "high", Some(1.0))?;
        let mode = match a.get(3, "mode").filter(|v| !v.is_none()) {
            Some(v) => Some(crate::runtime::ops::to_f64(v)?),
            None => None,
        };
        with(a, |r| r.triangular(low, high, mode))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "gauss", |_, a| {
        let (mu, sigma) = f1(a, "gauss", [("mu", Some(0.0)), ("sigma", Some(1.0))])?;
        with(a, |r| Value::float(r.gauss(mu, sigma)))
    });
    add_method(&cls, "normalvariate", |_, a| {
        let (mu, sigma) = f1(
            a,
            "normalvariate",
            [("mu", Some(0.0)), ("sigma", Some(1.0))],
        )?;
        with(a, |r| Value::float(r.normalvariate(mu, sigma)))
    });
    add_method(&cls, "lognormvariate", |_, a| {
        let (mu, sigma) = f1(a, "lognormvariate", [("mu", None), ("sigma", None)])?;
        with(a, |r| r.lognormvariate(mu, sigma))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "expovariate", |_, a| {
        a.only_kw("expovariate", &["lambd"])?;
        let l = fl(a, 1, "lambd", Some(1.0))?;
        with(a, |r| r.expovariate(l))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "vonmisesvariate", |_, a| {
        let (mu, k) = f1(a, "vonmisesvariate", [("mu", None), ("kappa", None)])?;
        with(a, |r| r.vonmisesvariate(mu, k))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "gammavariate", |_, a| {
        let (x, y) = f1(a, "gammavariate", [("alpha", None), ("beta", None)])?;
        with(a, |r| r.gammavariate(x, y))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "betavariate", |_, a| {
        let (x, y) = f1(a, "betavariate", [("alpha", None), ("beta", None)])?;
        with(a, |r| r.betavariate(x, y))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "paretovariate", |_, a| {
        a.only_kw("paretovariate", &["alpha"])?;
        let x = fl(a, 1, "alpha", None)?;
        with(a, |r| r.paretovariate(x))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "weibullvariate", |_, a| {
        let (x, y) = f1(a, "weibullvariate", [("alpha", None), ("beta", None)])?;
        with(a, |r| r.weibullvariate(x, y))?
            .map(Value::float)
            .map_err(err)
    });
    add_method(&cls, "getstate", r_getstate);
    add_method(&cls, "setstate", r_setstate);
    add_method(&cls, "__reduce__", |_, _| {
        Err(exc::type_error("cannot pickle 'Random' object"))
    });
    set(d, "Random", cls.clone());
    let inst = vm.call(&cls, &[])?;
    set(d, "_inst", inst.clone());
    for name in NAMES {
        let m = vm.getattr(&inst, &intern(name))?;
        set(d, name, m);
    }
    Ok(())
}
