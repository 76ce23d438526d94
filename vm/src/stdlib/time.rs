//! The `time` module: clocks, `sleep`, `gmtime`/`localtime` (`struct_time`), `strftime`.

use crate::builtins::def;
use crate::interp::args::Args;
use crate::runtime::str::{as_str, new_str};
use crate::runtime::{exc, int, tuple, type_name};
use crate::value::Value;
use crate::{PyResult, Vm};

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

#[repr(C)]
struct Tm {
    tm_sec: i32,
    tm_min: i32,
    tm_hour: i32,
    tm_mday: i32,
    tm_mon: i32,
    tm_year: i32,
    tm_wday: i32,
    tm_yday: i32,
    tm_isdst: i32,
    tm_gmtoff: i64,
    tm_zone: *const i8,
}

unsafe extern "C" {
    fn clock_gettime(clk: i32, ts: *mut Timespec) -> i32;
    fn localtime_r(t: *const i64, out: *mut Tm) -> *mut Tm;
    fn mktime(tm: *mut Tm) -> i64;
}

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;
const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;

fn clock_ns(clk: i32) -> i64 {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a plain libc call writing the struct we own.
    unsafe { clock_gettime(clk, &mut ts) };
    ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

fn secs(clk: i32) -> Value {
    Value::float(clock_ns(clk) as f64 / 1e9)
}

fn no_args(a: &Args, name: &str) -> PyResult<()> {
    a.check(name, 0, 0)
}

/// Days since 1970-01-01 to (year, month, day) (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// The 9 fields of `struct_time` for a UTC timestamp.
fn gm_fields(t: i64) -> [i64; 9] {
    let days = t.div_euclid(86400);
    let rem = t.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let wday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday (Monday = 0)
    const CUM: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = CUM[(m - 1) as usize] + d + if m > 2 && is_leap(y) { 1 } else { 0 };
    [
        y,
        m,
        d,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        wday,
        yday,
        0,
    ]
}

fn local_fields(t: i64) -> ([i64; 9], String, i64) {
    let mut tm = Tm {
        tm_sec: 0,
        tm_min: 0,
        tm_hour: 0,
        tm_mday: 0,
        tm_mon: 0,
        tm_year: 0,
        tm_wday: 0,
        tm_yday: 0,
        tm_isdst: 0,
        tm_gmtoff: 0,
        tm_zone: std::ptr::null(),
    };
    // SAFETY: a plain libc call writing the struct we own.
    let r = unsafe { localtime_r(&t, &mut tm) };
    if r.is_null() {
        return (gm_fields(t), "UTC".into(), 0);
    }
    let zone = if tm.tm_zone.is_null() {
        "UTC".to_string()
    } else {
        // SAFETY: tm_zone points at a NUL-terminated static string of the C library.
        unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
            .to_string_lossy()
            .into_owned()
    };
    (
        [
            tm.tm_year as i64 + 1900,
            tm.tm_mon as i64 + 1,
            tm.tm_mday as i64,
            tm.tm_hour as i64,
            tm.tm_min as i64,
            tm.tm_sec as i64,
            (tm.tm_wday as i64 + 6) % 7,
            tm.tm_yday as i64 + 1,
            tm.tm_isdst as i64,
        ],
        zone,
        tm.tm_gmtoff,
    )
}

fn timestamp_arg(a: &Args, name: &str) -> PyResult<i64> {
    a.check(name, 0, 1)?;
    if a.npos() == 0 || a.arg(0).is_none() {
        return Ok(clock_ns(CLOCK_REALTIME).div_euclid(1_000_000_000));
    }
    let v = a.arg(0);
    if let Some(f) = v.as_float() {
        if !f.is_finite() {
            return Err(if f.is_nan() {
                exc::value_error("Invalid value NaN (not a number)")
            } else {
                exc::overflow_error("timestamp out of range for platform time_t")
            });
        }
        return Ok(f.floor() as i64);
    }
    if int::is_int(v) {
        return int::as_i64(v)
            .ok_or_else(|| exc::overflow_error("timestamp out of range for platform time_t"));
    }
    Err(exc::type_error(format!(
        "'{}' object cannot be interpreted as an integer",
        type_name(v)
    )))
}

fn make_struct(vm: &mut Vm, f: [i64; 9], zone: &str, gmtoff: i64) -> PyResult<Value> {
    let m = vm.load_module("time")?;
    let cls = vm.getattr(&m, &crate::runtime::str::intern("struct_time"))?;
    let t = tuple::new(f.iter().map(|&x| int::from_i64(x)).collect());
    vm.call(&cls, &[t, new_str(zone), int::from_i64(gmtoff)])
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn strftime_fields(fmt: &str, f: &[i64; 9], zone: &str, gmtoff: i64) -> String {
    let mut out = String::new();
    let mut chars = fmt.chars();
    let (y, mo, d, h, mi, s, wd, yd) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    let wd_idx = wd.rem_euclid(7) as usize;
    let mo_idx = (mo - 1).clamp(0, 11) as usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(k) = chars.next() else {
            out.push('%');
            break;
        };
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        match k {
            'Y' => out.push_str(&y.to_string()),
            'y' => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            'C' => out.push_str(&format!("{:02}", y.div_euclid(100))),
            'm' => out.push_str(&format!("{mo:02}")),
            'd' => out.push_str(&format!("{d:02}")),
            'e' => out.push_str(&format!("{d:2}")),
            'H' => out.push_str(&format!("{h:02}")),
            'I' => out.push_str(&format!("{h12:02}")),
            'M' => out.push_str(&format!("{mi:02}")),
            'S' => out.push_str(&format!("{s:02}")),
            'p' => out.push_str(if h < 12 { "AM" } else { "PM" }),
            'j' => out.push_str(&format!("{yd:03}")),
            'a' => out.push_str(&DAYS[wd_idx][..3]),
            'A' => out.push_str(DAYS[wd_idx]),
            'b' | 'h' => out.push_str(&MONTHS[mo_idx][..3]),
            'B' => out.push_str(MONTHS[mo_idx]),
            'w' => out.push_str(&((wd_idx + 1) % 7).to_string()),
            'u' => out.push_str(&(wd_idx + 1).to_string()),
            'Z' => out.push_str(zone),
            'z' => {
                let sign = if gmtoff < 0 { '-' } else { '+' };
                let g = gmtoff.abs();
                out.push_str(&format!("{sign}{:02}{:02}", g / 3600, g % 3600 / 60));
            }
            'D' => out.push_str(&format!("{mo:02}/{d:02}/{:02}", y.rem_euclid(100))),
            'F' => out.push_str(&format!("{y}-{mo:02}-{d:02}")),
            'T' | 'X' => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            'R' => out.push_str(&format!("{h:02}:{mi:02}")),
            'x' => out.push_str(&format!("{mo:02}/{d:02}/{:02}", y.rem_euclid(100))),
            'c' => out.push_str(&format!(
                "{} {} {d:2} {h:02}:{mi:02}:{s:02} {y}",
                &DAYS[wd_idx][..3],
                &MONTHS[mo_idx][..3]
            )),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '%' => out.push('%'),
            'U' => {
                let wday_sun = (wd_idx + 1) % 7;
                out.push_str(&format!("{:02}", (yd - 1 + 7 - wday_sun as i64) / 7));
            }
            'W' => out.push_str(&format!("{:02}", (yd - 1 + 7 - wd_idx as i64) / 7)),
            other => {
                out.push('%');
                out.push(other);
            }
        }
    }
    out
}

fn t_strftime(vm: &mut Vm, a: &Args) -> PyResult<Value> {
    a.check("strftime", 1, 2)?;
    let fmt = as_str(a.arg(0))
        .ok_or_else(|| {
            exc::type_error(format!(
                "strftime() argument 1 must be str, not {}",
                type_name(a.arg(0))
            ))
        })?
        .to_string();
    let (fields, zone, off) = if a.npos() == 1 {
        local_fields(clock_ns(CLOCK_REALTIME).div_euclid(1_000_000_000))
    } else {
        let st = a.arg(1);
        let items = vm.collect(st)?;
        if items.len() != 9 {
            return Err(exc::type_error("strftime(): illegal time tuple argument"));
        }
        let mut f = [0i64; 9];
        for (i, v) in items.iter().enumerate() {
            f[i] = int::as_i64(v).ok_or_else(|| {
                exc::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    type_name(v)
                ))
            })?;
        }
        let zone = vm
            .getattr_opt(st, &crate::runtime::str::intern("tm_zone"))?
            .and_then(|z| as_str(&z).map(|s| s.to_string()))
            .unwrap_or_else(|| "UTC".into());
        let off = vm
            .getattr_opt(st, &crate::runtime::str::intern("tm_gmtoff"))?
            .and_then(|z| int::as_i64(&z))
            .unwrap_or(0);
        (f, zone, off)
    };
    Ok(new_str(&strftime_fields(&fmt, &fields, &zone, off)))
}

const PY_SRC: &str = r#"
class struct_time(tuple):
    __slots__ = ('_zone', '_gmtoff')
    n_fields = 11
    n_sequence_fields = 9
    n_unnamed_fields = 0
    _names = ('tm_year', 'tm_mon', 'tm_mday', 'tm_hour', 'tm_min', 'tm_sec', 'tm_wday', 'tm_yday', 'tm_isdst')

    def __new__(cls, seq, zone=None, gmtoff=None):
        seq = tuple(seq)
        if len(seq) != 9:
            raise TypeError(f"time.struct_time() takes a 9-sequence ({len(seq)}-sequence given)")
        self = tuple.__new__(cls, seq)
        self._zone = zone
        self._gmtoff = gmtoff
        return self

    tm_year = property(lambda self: self[0])
    tm_mon = property(lambda self: self[1])
    tm_mday = property(lambda self: self[2])
    tm_hour = property(lambda self: self[3])
    tm_min = property(lambda self: self[4])
    tm_sec = property(lambda self: self[5])
    tm_wday = property(lambda self: self[6])
    tm_yday = property(lambda self: self[7])
    tm_isdst = property(lambda self: self[8])
    tm_zone = property(lambda self: self._zone)
    tm_gmtoff = property(lambda self: self._gmtoff)

    def __repr__(self):
        return 'time.struct_time(' + ', '.join(f'{n}={v!r}' for n, v in zip(self._names, self)) + ')'

struct_time.__module__ = 'time'

def asctime(t=None):
    if t is None:
        t = localtime()
    return strftime('%a %b %e %H:%M:%S %Y', t)

def ctime(secs=None):
    return asctime(localtime(secs))
"#;

/// Builds the module namespace.
pub fn build(vm: &mut Vm, d: &Value) -> PyResult<()> {
    def(d, "time", |_, a| {
        no_args(a, "time")?;
        Ok(secs(CLOCK_REALTIME))
    });
    def(d, "time_ns", |_, a| {
        no_args(a, "time_ns")?;
        Ok(int::from_i64(clock_ns(CLOCK_REALTIME)))
    });
    def(d, "perf_counter", |_, a| {
        no_args(a, "perf_counter")?;
        Ok(secs(CLOCK_MONOTONIC))
    });
    def(d, "perf_counter_ns", |_, a| {
        no_args(a, "perf_counter_ns")?;
        Ok(int::from_i64(clock_ns(CLOCK_MONOTONIC)))
    });
    def(d, "monotonic", |_, a| {
        no_args(a, "monotonic")?;
        Ok(secs(CLOCK_MONOTONIC))
    });
    def(d, "monotonic_ns", |_, a| {
        no_args(a, "monotonic_ns")?;
        Ok(int::from_i64(clock_ns(CLOCK_MONOTONIC)))
    });
    def(d, "process_time", |_, a| {
        no_args(a, "process_time")?;
        Ok(secs(CLOCK_PROCESS_CPUTIME_ID))
    });
    def(d, "process_time_ns", |_, a| {
        no_args(a, "process_time_ns")?;
        Ok(int::from_i64(clock_ns(CLOCK_PROCESS_CPUTIME_ID)))
    });
    def(d, "sleep", |vm, a| {
        a.check("sleep", 1, 1)?;
        let v = a.arg(0);
        let s = if v.as_float().is_some() || int::is_int(v) {
            crate::runtime::ops::to_f64(v)?
        } else {
            return Err(exc::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                type_name(v)
            )));
        };
        if s.is_nan() {
            return Err(exc::value_error("Invalid value NaN (not a number)"));
        }
        if s < 0.0 {
            return Err(exc::value_error("sleep length must be non-negative"));
        }
        vm.flush_stdout();
        std::thread::sleep(std::time::Duration::from_secs_f64(s));
        Ok(Value::NONE)
    });
    def(d, "gmtime", |vm, a| {
        let t = timestamp_arg(a, "gmtime")?;
        make_struct(vm, gm_fields(t), "UTC", 0)
    });
    def(d, "localtime", |vm, a| {
        let t = timestamp_arg(a, "localtime")?;
        let (f, z, off) = local_fields(t);
        make_struct(vm, f, &z, off)
    });
    def(d, "strftime", t_strftime);
    def(d, "mktime", |vm, a| {
        a.check("mktime", 1, 1)?;
        let items = vm.collect(a.arg(0))?;
        if items.len() != 9 {
            return Err(exc::type_error("mktime(): illegal time tuple argument"));
        }
        let f: Vec<i32> = items
            .iter()
            .map(|v| int::as_i64(v).unwrap_or(0) as i32)
            .collect();
        let mut tm = Tm {
            tm_sec: f[5],
            tm_min: f[4],
            tm_hour: f[3],
            tm_mday: f[2],
            tm_mon: f[1] - 1,
            tm_year: f[0] - 1900,
            tm_wday: f[6],
            tm_yday: f[7] - 1,
            tm_isdst: f[8],
            tm_gmtoff: 0,
            tm_zone: std::ptr::null(),
        };
        // SAFETY: a plain libc call on the struct we own.
        let t = unsafe { mktime(&mut tm) };
        Ok(Value::float(t as f64))
    });
    crate::builtins::set(d, "timezone", Value::small_int(-local_fields(0).2));
    crate::builtins::set(d, "altzone", Value::small_int(-local_fields(0).2));
    crate::builtins::set(d, "daylight", Value::small_int(0));
    super::run_py(vm, d, PY_SRC, "<time>")?;
    Ok(())
}
