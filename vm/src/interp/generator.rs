//! Generators: resuming a suspended generator frame with a value or an exception, and
//! `yield from` delegation.
//!
//! A generator suspended inside `yield from` sits on the loop's `YIELD_VALUE`, right after
//! its `SEND`, with the sub-iterator (the receiver) on top of its stack. Sending goes through
//! `SEND` as usual; throwing and closing are delegated to the receiver first, as CPython's
//! `_gen_throw` does, and only what the receiver raises back reaches the outer generator.

use super::eval::{FrameExit, stop_value};
use super::frame::Frame;
use crate::object::{ExcObj, GenObj, TbEntry};
use crate::runtime::exc;
use crate::types::types;
use crate::value::Value;
use crate::{PyErr, PyResult, Vm};
use jitlens_compiler::bytecode::Op;

/// What a throw into a `yield from` receiver came to.
enum Delegated {
    /// The receiver yielded: so does the outer generator.
    Yield(Value),
    /// The receiver finished with this value: the `yield from` evaluates to it.
    Return(Value),
    /// The receiver raised (or cannot take a throw): raise it in the outer generator.
    Raise(PyErr),
}

/// How a suspended generator frame goes on.
enum Resume {
    /// With this value as the result of its `yield` (pushed).
    Send(Value),
    /// With this exception raised at its `yield`.
    Throw(PyErr),
    /// Its stack is already set (a delegated `yield from` finished).
    Continue,
}

/// The receiver of the `yield from` that `frame` is suspended in, and the instruction
/// after the loop (its `SEND`'s target), if it is suspended in one.
fn yield_from_receiver(frame: &Frame) -> Option<(Value, usize)> {
    let lasti = frame.lasti;
    if lasti == 0 || frame.code.instr(lasti).0 != Op::YIELD_VALUE {
        return None;
    }
    // SEND has no cache words: it is the instruction just before the YIELD_VALUE.
    let (prev, target) = frame.code.instr(lasti - 1);
    if prev != Op::SEND {
        return None;
    }
    Some((frame.stack.last()?.clone(), target as usize))
}

impl Vm {
    /// The frame of generator `g`, taken out for the interpreter loop to run in place of
    /// a `SEND` (as for a call, without a nested run of the loop: CPython 3.12's
    /// `SEND_GEN`), with `v` pushed unless the generator is fresh, and `g` marked running.
    /// `Err(v)` when the resumption is not the plain case (running, finished, a value sent
    /// to a fresh generator, the recursion limit), which `gen_resume` handles and reports.
    #[inline(always)]
    pub(crate) fn gen_take_for_inline(
        &mut self,
        g: &GenObj,
        v: Value,
    ) -> Result<Box<Frame>, Value> {
        if g.running.get() || self.depth >= self.recursion_limit {
            return Err(v);
        }
        let fresh = g.fresh.get();
        if fresh && !v.is_none() {
            return Err(v);
        }
        let Some(mut frame) = g.take_frame() else {
            return Err(v);
        };
        if fresh {
            g.fresh.set(false);
        } else {
            frame.stack.push(v);
        }
        g.running.set(true);
        self.depth += 1;
        Ok(frame)
    }

    /// The end of an inline generator's run (see [`Vm::gen_take_for_inline`]): `frame`
    /// yielded and goes back into generator `g`, or (`None`) it returned or raised.
    #[inline(always)]
    pub(crate) fn gen_leave_inline(&mut self, g: &Value, frame: Option<Box<Frame>>) {
        let go = g.downcast::<GenObj>().expect("a generator");
        go.running.set(false);
        self.depth -= 1;
        match frame {
            Some(f) => go.put_frame(f),
            None => go.finished.set(true),
        }
    }

    /// The exception a generator's caller sees for `e` leaving the generator: a
    /// StopIteration becomes a RuntimeError (PEP 479).
    pub(crate) fn gen_error(e: PyErr) -> PyErr {
        if !exc::matches(&e.0, &types().stop_iteration) {
            return e;
        }
        let r = exc::runtime_error("generator raised StopIteration");
        let x = r.0.downcast::<ExcObj>().unwrap();
        x.cause.set(e.0.clone());
        x.context.set(e.0.clone());
        x.suppress_context.set(true);
        r
    }

    /// Resumes a generator or calls `send`/`__next__` on another iterator (`yield from`).
    pub(crate) fn send(&mut self, recv: &Value, v: Value) -> PyResult<FrameExit> {
        if recv.downcast::<GenObj>().is_some() {
            return self.gen_resume(recv, v, None);
        }
        let r = if v.is_none() {
            self.next(recv)
        } else {
            let m = self.getattr(recv, &crate::runtime::str::intern("send"))?;
            match self.call(&m, &[v]) {
                Ok(x) => Ok(Some(x)),
                Err(e) if exc::matches(&e.0, &types().stop_iteration) => {
                    return Ok(FrameExit::Return(stop_value(&e.0)));
                }
                Err(e) => Err(e),
            }
        };
        match r? {
            Some(y) => Ok(FrameExit::Yield(y)),
            None => Ok(FrameExit::Return(self.take_stop_value())),
        }
    }

    /// Resumes generator `g` with `v` (or throws `throw` into it, through the receiver of
    /// the `yield from` it is suspended in, if any).
    pub fn gen_resume(&mut self, g: &Value, v: Value, throw: Option<PyErr>) -> PyResult<FrameExit> {
        let g_obj = g.downcast::<GenObj>().unwrap();
        if g_obj.running.get() {
            return Err(exc::value_error("generator already executing"));
        }
        let Some(mut frame) = g_obj.take_frame() else {
            // Finished: a throw raises its exception, a send returns None.
            return match throw {
                Some(e) => Err(e),
                None => Ok(FrameExit::Return(Value::NONE)),
            };
        };
        let fresh = g_obj.fresh.replace(false);
        let resume = match throw {
            Some(e) if fresh => {
                // Throwing into a fresh generator raises at its start.
                g_obj.finished.set(true);
                drop(frame);
                return Err(e);
            }
            Some(e) => match yield_from_receiver(&frame) {
                Some((recv, after)) => {
                    g_obj.running.set(true);
                    let r = self.throw_into_receiver(&recv, e);
                    g_obj.running.set(false);
                    match r {
                        Delegated::Yield(y) => {
                            g_obj.put_frame(frame);
                            return Ok(FrameExit::Yield(y));
                        }
                        Delegated::Return(r) => {
                            // The `yield from` is done: its value replaces the receiver.
                            frame.stack.pop();
                            frame.stack.push(r);
                            frame.ip = after;
                            Resume::Continue
                        }
                        Delegated::Raise(e) => Resume::Throw(e),
                    }
                }
                None => Resume::Throw(e),
            },
            None if fresh && !v.is_none() => {
                g_obj.put_frame(frame);
                g_obj.fresh.set(true);
                return Err(exc::type_error(
                    "can't send non-None value to a just-started generator",
                ));
            }
            None if fresh => Resume::Continue,
            None => Resume::Send(v),
        };
        g_obj.running.set(true);
        if self.depth >= self.recursion_limit {
            g_obj.running.set(false);
            g_obj.put_frame(frame);
            return Err(exc::recursion_error("maximum recursion depth exceeded"));
        }
        self.depth += 1;
        let (r, frame) = match resume {
            Resume::Throw(e) => {
                // Raise the exception at the suspended yield.
                frame.stack.push(e.0);
                frame.ip = frame.lasti;
                self.run_frame_throw(frame)
            }
            Resume::Continue => self.run_frame(frame),
            Resume::Send(v) => {
                frame.stack.push(v);
                match self.resume_in_jit(frame) {
                    Ok(done) => done,
                    Err(frame) => self.run_frame(frame),
                }
            }
        };
        self.depth -= 1;
        g_obj.running.set(false);
        match r {
            Ok(FrameExit::Yield(y)) => {
                g_obj.put_frame(frame);
                Ok(FrameExit::Yield(y))
            }
            Ok(FrameExit::Return(r)) => {
                g_obj.finished.set(true);
                self.release_frame(frame);
                Ok(FrameExit::Return(r))
            }
            Err(e) => {
                g_obj.finished.set(true);
                self.release_frame(frame);
                Err(Self::gen_error(e))
            }
        }
    }

    /// Closes generator `g` (`g.close()`): raises `GeneratorExit` at its yield. An error if
    /// it yields again or raises something else.
    pub fn gen_close(&mut self, g: &Value) -> PyResult<()> {
        let go = g.downcast::<GenObj>().expect("a generator");
        if go.finished.get() || go.fresh.get() {
            go.finished.set(true);
            drop(go.take_frame());
            return Ok(());
        }
        let e = exc::new_exc(&types().generator_exit, vec![]);
        match self.gen_resume(g, Value::NONE, Some(PyErr(e))) {
            Ok(FrameExit::Yield(_)) => Err(exc::runtime_error("generator ignored GeneratorExit")),
            Ok(FrameExit::Return(_)) => Ok(()),
            Err(e)
                if exc::matches(&e.0, &types().generator_exit)
                    || exc::matches(&e.0, &types().stop_iteration) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Closes the generators dropped while suspended inside a handler (see
    /// [`crate::object::finalize`]). Each comes back as a generator object for its
    /// `close()` (as CPython's finalizer resurrects it), so a `yield from` is delegated as
    /// for any close. What the close raises is reported on stderr and otherwise ignored.
    pub(crate) fn run_finalizers(&mut self) {
        while let Some((frame, name, qualname)) = crate::object::finalize::take() {
            let go = GenObj::new(frame, name, qualname);
            go.fresh.set(false);
            let g = crate::object::alloc(&types().generator, go);
            let r = self.gen_close(&g);
            // A generator that yielded again is dropped now, not queued once more.
            let go = g.downcast::<GenObj>().unwrap();
            go.finished.set(true);
            drop(go.take_frame());
            if let Err(err) = r {
                let what = self.repr(&g).unwrap_or_else(|_| "a generator".into());
                let text = self.format_exception(&err.0);
                self.write_stderr(&format!("Exception ignored in: {what}\n{text}"));
            }
        }
    }

    /// Throws `e` into `recv`, the receiver of a suspended `yield from`: `GeneratorExit`
    /// closes it (and is then raised in the outer generator), anything else goes to its
    /// `throw` (a generator's own, or a `throw` method; without one, straight back).
    fn throw_into_receiver(&mut self, recv: &Value, e: PyErr) -> Delegated {
        if exc::matches(&e.0, &types().generator_exit) {
            let closed = if recv.downcast::<GenObj>().is_some() {
                self.gen_close(recv)
            } else {
                self.call_method_if_any(recv, "close", &[]).map(|_| ())
            };
            return Delegated::Raise(closed.err().unwrap_or(e));
        }
        if recv.downcast::<GenObj>().is_some() {
            return match self.gen_resume(recv, Value::NONE, Some(e)) {
                Ok(FrameExit::Yield(y)) => Delegated::Yield(y),
                Ok(FrameExit::Return(r)) => Delegated::Return(r),
                Err(e) => Delegated::Raise(e),
            };
        }
        let exc_value = e.0.clone();
        match self.call_method_if_any(recv, "throw", &[exc_value]) {
            Ok(Some(y)) => Delegated::Yield(y),
            Ok(None) => Delegated::Raise(e),
            Err(x) if exc::matches(&x.0, &types().stop_iteration) => {
                Delegated::Return(stop_value(&x.0))
            }
            Err(x) => Delegated::Raise(x),
        }
    }

    /// Calls `obj.name(*args)` if `obj` has that attribute; `None` if it has not.
    fn call_method_if_any(
        &mut self,
        obj: &Value,
        name: &str,
        args: &[Value],
    ) -> PyResult<Option<Value>> {
        match self.getattr_opt(obj, &crate::runtime::str::intern(name))? {
            Some(m) => self.call(&m, args).map(Some),
            None => Ok(None),
        }
    }

    /// Runs a generator frame whose top of stack is an exception to raise at `lasti`.
    pub(crate) fn run_frame_throw(
        &mut self,
        mut frame: Box<Frame>,
    ) -> (PyResult<FrameExit>, Box<Frame>) {
        let e = frame.stack.pop().unwrap();
        // Find a handler covering the yield; if none, the exception leaves the generator.
        if let Some(x) = e.downcast::<ExcObj>() {
            x.push_tb(TbEntry {
                code: frame.code.clone(),
                ip: frame.lasti as u32,
            });
        }
        match frame.code.handler_for(frame.lasti as u32).copied() {
            Some(h) => {
                frame.stack.truncate(h.depth as usize);
                if h.push_lasti {
                    frame.stack.push(Value::small_int(frame.lasti as i64));
                }
                frame.stack.push(e);
                frame.ip = h.target as usize;
                self.run_frame(frame)
            }
            None => (Err(PyErr(e)), frame),
        }
    }
}
