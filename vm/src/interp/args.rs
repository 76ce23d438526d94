//! [`Args`]: the arguments of a call as native functions see them.

use crate::PyResult;
use crate::runtime::exc;
use crate::runtime::str::as_str;
use crate::value::Value;

/// Positional arguments followed by keyword values, and the keywords' names.
pub struct Args<'a> {
    /// Positional arguments, then the values of keyword arguments.
    pub all: &'a [Value],
    /// Names of the trailing keyword arguments (strs).
    pub kwnames: &'a [Value],
}

impl<'a> Args<'a> {
    /// Positional-only call arguments.
    pub fn new(all: &'a [Value]) -> Args<'a> {
        Args { all, kwnames: &[] }
    }

    /// The positional arguments.
    #[inline]
    pub fn pos(&self) -> &'a [Value] {
        &self.all[..self.all.len() - self.kwnames.len()]
    }

    /// Number of positional arguments.
    #[inline]
    pub fn npos(&self) -> usize {
        self.all.len() - self.kwnames.len()
    }

    /// Argument `i` (UNDEF if missing: natives check counts first, and a missing argument
    /// must never crash the VM).
    #[inline]
    pub fn arg(&self, i: usize) -> &'a Value {
        static MISSING: Value = Value::UNDEF;
        self.all.get(i).unwrap_or(&MISSING)
    }

    /// Keyword arguments as (name, value).
    pub fn kwargs(&self) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
        let n = self.npos();
        self.kwnames
            .iter()
            .zip(&self.all[n..])
            .map(|(k, v)| (as_str(k).unwrap_or(""), v))
    }

    /// The keyword argument `name`, if given.
    pub fn kw(&self, name: &str) -> Option<&'a Value> {
        self.kwargs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Errors unless there are no keyword arguments.
    pub fn no_kw(&self, fname: &str) -> PyResult<()> {
        if self.kwnames.is_empty() {
            Ok(())
        } else {
            Err(exc::type_error(format!(
                "{fname}() takes no keyword arguments"
            )))
        }
    }

    /// Errors unless every keyword is in `allowed`.
    pub fn only_kw(&self, fname: &str, allowed: &[&str]) -> PyResult<()> {
        for (k, _) in self.kwargs() {
            if !allowed.contains(&k) {
                return Err(exc::type_error(format!(
                    "{fname}() got an unexpected keyword argument '{k}'"
                )));
            }
        }
        Ok(())
    }

    /// Checks the positional count is in `min..=max` (CPython's messages for builtins).
    pub fn check(&self, fname: &str, min: usize, max: usize) -> PyResult<()> {
        let n = self.npos();
        if n >= min && n <= max {
            return Ok(());
        }
        Err(exc::type_error(if min == max {
            match min {
                0 => format!("{fname}() takes no arguments ({n} given)"),
                1 => format!("{fname}() takes exactly one argument ({n} given)"),
                _ => format!("{fname} expected {min} arguments, got {n}"),
            }
        } else if n < min {
            format!(
                "{fname} expected at least {min} argument{}, got {n}",
                if min == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{fname} expected at most {max} argument{}, got {n}",
                if max == 1 { "" } else { "s" }
            )
        }))
    }

    /// Positional argument `i`, or the keyword `name`, or `None`.
    pub fn get(&self, i: usize, name: &str) -> Option<&'a Value> {
        if i < self.npos() {
            Some(&self.all[i])
        } else {
            self.kw(name)
        }
    }
}
