"""Exceptions: try/except/else/finally control flow, exception objects
(args, str, repr), user exception hierarchies, explicit and implicit
chaining, re-raising, finally overriding returns."""


def flow(action):
    trace = []
    try:
        trace.append("try")
        if action == "raise":
            raise ValueError("boom")
        if action == "return":
            return trace + ["returned"]
    except ValueError as e:
        trace.append(f"except {e}")
    else:
        trace.append("else")
    finally:
        trace.append("finally")
    return trace


for action in ("none", "raise", "return"):
    print(action, flow(action))


def finally_wins():
    try:
        return "try"
    finally:
        return "finally"


def finally_swallows():
    for i in range(3):
        try:
            raise KeyError(i)
        finally:
            if i < 2:
                continue
            break
    return "swallowed"


print(finally_wins(), finally_swallows())


def finally_runs_on_break():
    out = []
    for i in range(5):
        try:
            if i == 2:
                break
            out.append(i)
        finally:
            out.append(f"f{i}")
    return out


print(finally_runs_on_break())

# Exception objects.
for exc in [Exception(), Exception("msg"), Exception("a", 2), ValueError(3.5), KeyError("k"), KeyError(), KeyError("a", "b"), OSError(2, "No such file"), StopIteration(7), IndexError("")]:
    print(type(exc).__name__, repr(exc), str(exc), exc.args)

# The hierarchy.
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(KeyError, LookupError), issubclass(IndexError, LookupError))
print(issubclass(RecursionError, RuntimeError), issubclass(NotImplementedError, RuntimeError), issubclass(StopIteration, Exception))
print(issubclass(KeyboardInterrupt, Exception), issubclass(SystemExit, BaseException), issubclass(UnboundLocalError, NameError))
print([c.__name__ for c in ModuleNotFoundError.__mro__], [c.__name__ for c in bool.__mro__])


class AppError(Exception):
    """Base class of this program's errors."""


class NotFound(AppError):
    def __init__(self, what, where="here"):
        super().__init__(what, where)
        self.what = what
        self.where = where

    def __str__(self):
        return f"{self.what} not found in {self.where}"


class Invalid(AppError):
    pass


for err in (NotFound("key"), NotFound("file", "disk"), Invalid("bad", 42), AppError()):
    try:
        raise err
    except NotFound as e:
        print("NotFound:", e, repr(e), e.args, e.what)
    except AppError as e:
        print(type(e).__name__, "AppError branch:", e, e.args)

# Catching several types, order of except clauses.
for fn in (lambda: 1 / 0, lambda: [][1], lambda: {}["x"], lambda: int("z"), lambda: None.foo, lambda: undefined_name):
    try:
        fn()
    except (ZeroDivisionError, IndexError) as e:
        print("first clause:", type(e).__name__, e)
    except LookupError as e:
        print("lookup clause:", type(e).__name__, e)
    except Exception as e:
        print("generic clause:", type(e).__name__, e)

# The name bound by "except ... as" is deleted at the end of the clause.
try:
    raise ValueError("gone")
except ValueError as err:
    pass
try:
    err
except NameError as e:
    print("NameError:", e)

# Explicit chaining with from, implicit chaining through __context__.
try:
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError("lookup failed") from e
except ValueError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise RuntimeError("while handling")
except RuntimeError as e:
    print(repr(e), e.__cause__, repr(e.__context__), e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise RuntimeError("hidden context") from None
except RuntimeError as e:
    print(repr(e), e.__cause__, repr(e.__context__), e.__suppress_context__)


# Bare raise re-raises the current exception; raise a class instantiates it.
def reraise():
    try:
        raise Invalid("original")
    except Invalid:
        raise


try:
    reraise()
except Invalid as e:
    print("re-raised:", e)
try:
    raise IndexError
except IndexError as e:
    print("class raised:", repr(e), e.args)
try:
    raise 42
except TypeError as e:
    print("TypeError:", e)


# Exceptions propagate through frames; finally blocks run on the way out.
def level(n, log):
    try:
        if n == 0:
            raise LookupError("deep")
        level(n - 1, log)
    finally:
        log.append(n)


log = []
try:
    level(4, log)
except LookupError as e:
    print("caught", e, "after unwinding", log)

# Nested handlers and exceptions raised in except/else/finally.
try:
    try:
        raise TypeError("inner")
    except TypeError:
        try:
            raise ValueError("nested")
        except ValueError as inner:
            print("handled nested:", inner)
        print("still handling")
    finally:
        print("outer finally")
except Exception:
    print("not reached")

try:
    try:
        pass
    except ZeroDivisionError:
        print("not reached")
    else:
        raise ArithmeticError("from else")
    finally:
        print("finally after else")
except ArithmeticError as e:
    print("caught:", e)

# Exception attributes and with_traceback.
e = ValueError("x")
e.custom = 123
print(e.custom, e.__traceback__ is None, isinstance(e, Exception), BaseException("b").args)
try:
    raise e
except ValueError as caught:
    print(caught is e, caught.__traceback__ is not None)

# Exception in a loop with continue and a retry counter.
attempts = 0
while True:
    try:
        attempts += 1
        if attempts < 3:
            raise ConnectionError(f"attempt {attempts}")
        print("succeeded after", attempts)
        break
    except ConnectionError as ce:
        print("retrying:", ce)
        continue
print(sorted(n for n in dir(ZeroDivisionError()) if n in ("args", "with_traceback", "__cause__", "add_note")))
