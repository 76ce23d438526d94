# throw() and close() go through `yield from` to the sub-iterator first (CPython's
# _gen_throw); only what it raises back reaches the outer generator.


def inner(log):
    try:
        yield 1
        yield 2
    except ValueError as e:
        log.append("inner caught " + str(e))
        yield "recovered"
        return "inner-result"
    finally:
        log.append("inner finally")


def outer(log):
    try:
        r = yield from inner(log)
        log.append("outer got " + repr(r))
        yield "after"
    except ValueError as e:
        log.append("outer caught " + str(e))
        yield "outer-handler"
    finally:
        log.append("outer finally")


log = []
g = outer(log)
print(next(g))
print(g.throw(ValueError("boom")))
print(next(g))
print(log)

# The sub-generator does not handle it: it propagates to the outer one.
def plain():
    yield 1
    yield 2


def wrap(log):
    try:
        yield from plain()
    except KeyError as e:
        log.append("wrap caught " + repr(e))
        yield "wrapped"


log = []
g = wrap(log)
print(next(g))
print(g.throw(KeyError("k")))
print(log)

# close() closes the innermost generator first, then the outer one.
log = []
g = outer(log)
print(next(g))
g.close()
print(log)

# Three levels deep.
def level(n, log):
    try:
        if n == 0:
            yield "leaf"
        else:
            yield from level(n - 1, log)
    except RuntimeError as e:
        log.append(f"level {n} caught {e}")
        yield f"handled at {n}"
    finally:
        log.append(f"level {n} done")


log = []
g = level(3, log)
print(next(g))
print(g.throw(RuntimeError("deep")))
g.close()
print(log)

# A sub-generator that returns when thrown into: the yield from evaluates to its value.
def returner():
    try:
        yield 1
    except ValueError:
        return "returned"


def taker(log):
    v = yield from returner()
    log.append(v)
    yield "next"


log = []
g = taker(log)
print(next(g))
print(g.throw(ValueError))
print(log)

# A sub-iterator with throw() and close() methods.
class Iter:
    def __init__(self, log):
        self.log = log

    def __iter__(self):
        return self

    def __next__(self):
        return "it"

    def throw(self, e):
        self.log.append("Iter.throw " + type(e).__name__)
        raise StopIteration("from-iter")

    def close(self):
        self.log.append("Iter.close")


def over_iter(log):
    r = yield from Iter(log)
    log.append(r)
    yield "done"


log = []
g = over_iter(log)
print(next(g))
print(g.throw(ValueError("x")))
g2 = over_iter(log)
next(g2)
g2.close()
print(log)

# A plain iterator without throw(): the exception is raised in the outer generator.
def over_list(log):
    try:
        yield from iter([1, 2, 3])
    except ZeroDivisionError:
        log.append("outer handled ZeroDivisionError")
        yield "z"


log = []
g = over_list(log)
print(next(g))
print(g.throw(ZeroDivisionError))
print(log)

# A sub-generator whose close() fails: the error comes out of the outer close().
def stubborn():
    try:
        yield 1
    finally:
        raise OSError("cannot close")


def holder():
    yield from stubborn()


g = holder()
next(g)
try:
    g.close()
except OSError as e:
    print("close raised", e)

# Running generator: throwing into the inner one while the outer is delegating.
def selfish():
    yield from inner2()


def inner2():
    try:
        yield 1
    except ValueError:
        try:
            g.throw(KeyError)
        except ValueError as e:
            print("re-entry:", e)
        yield 2


g = selfish()
next(g)
print(g.throw(ValueError))
