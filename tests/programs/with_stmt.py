"""The with statement: __enter__/__exit__ order, the value bound by as,
exception information passed to __exit__, suppression, multiple managers,
and exits through return, break and continue."""


class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print(f"enter {self.name}")
        return f"resource-{self.name}"

    def __exit__(self, exc_type, exc, tb):
        print(f"exit {self.name}: {exc_type.__name__ if exc_type else None} {exc!r} tb={tb is not None}")
        return self.suppress


with CM("a") as res:
    print("body with", res)

try:
    with CM("b"):
        raise ValueError("not suppressed")
except ValueError as e:
    print("propagated:", e)

with CM("c", suppress=True):
    raise KeyError("suppressed")
print("after suppressed block")

with CM("outer") as o, CM("inner") as i:
    print("both:", o, i)

with CM("x") as x:
    with CM("y") as y:
        print("nested", x, y)

try:
    with CM("first"), CM("second", suppress=True), CM("third"):
        raise RuntimeError("only second suppresses")
    print("after multi")
except RuntimeError:
    print("not reached")


def early_return():
    with CM("ret"):
        return "returned value"


print(early_return())

for k in range(3):
    with CM(f"loop{k}"):
        if k == 0:
            continue
        if k == 1:
            break
print("loop done, k =", k)


class Timer:
    """A manager that returns itself and records what happened."""

    def __enter__(self):
        self.events = ["start"]
        return self

    def __exit__(self, *exc):
        self.events.append("stop")
        return False


with Timer() as t:
    t.events.append("work")
print(t.events)


class Lock:
    def __init__(self):
        self.held = False

    def __enter__(self):
        assert not self.held
        self.held = True
        return self

    def __exit__(self, et, ev, tb):
        self.held = False


lock = Lock()
with lock:
    print("held:", lock.held)
print("held:", lock.held)


class BadEnter:
    def __enter__(self):
        raise OSError("enter failed")

    def __exit__(self, *a):
        print("never called")


try:
    with BadEnter():
        print("never")
except OSError as e:
    print("OSError:", e)


class ExitRaises:
    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        raise LookupError("from exit")


try:
    with ExitRaises():
        raise ValueError("original")
except LookupError as e:
    print("LookupError:", e, "context:", repr(e.__context__))

try:
    with 42:
        pass
except (TypeError, AttributeError) as e:
    print(type(e).__name__, e)

# Parenthesised multi-line form (3.10+).
with (
    CM("p1") as p1,
    CM("p2") as p2,
):
    print(p1, p2)
