"""Generators: laziness, next/StopIteration, send, return values,
yield from (delegation and its result), throw, close/GeneratorExit,
generator expressions and pipelines."""


def count_up(n):
    print("  start")
    for i in range(n):
        print(f"  yielding {i}")
        yield i
    print("  finished")


g = count_up(2)
print("created", type(g).__name__)
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", e.value, e.args)
print(next(g, "exhausted"), list(g))
print(list(count_up(3)), sum(count_up(4)))


def with_return():
    yield 1
    yield 2
    return "the result"


gen = with_return()
print(next(gen), next(gen))
try:
    next(gen)
except StopIteration as e:
    print("return value:", e.value)


def echo():
    received = []
    while True:
        value = yield len(received)
        if value is None:
            break
        received.append(value)
    return received


e = echo()
print(e.send(None), e.send("a"), e.send("b"), e.send("c"))
try:
    e.send(None)
except StopIteration as stop:
    print("echo returned", stop.value)
try:
    echo().send("too early")
except TypeError as err:
    print("TypeError:", err)


def averager():
    total, count, avg = 0.0, 0, None
    while True:
        term = yield avg
        total += term
        count += 1
        avg = total / count


avg = averager()
next(avg)
print([avg.send(x) for x in (10, 20, 60, 5)])


def inner():
    got = yield "inner-1"
    print("  inner got", got)
    yield "inner-2"
    return "inner-result"


def outer():
    result = yield from inner()
    print("  yield from returned", result)
    yield from [10, 20]
    yield from range(2)
    yield from "ab"
    return "outer-done"


o = outer()
print(next(o), o.send("sent-through"), list(o))


def flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


print(list(flatten([1, [2, [3, [4]], 5], [], [[6]]])))


def with_cleanup():
    try:
        yield 1
        yield 2
    except ValueError as err:
        print("  caught thrown", err)
        yield "recovered"
    finally:
        print("  cleanup")


c = with_cleanup()
print(next(c), c.throw(ValueError("oops")))
c.close()
print("closed")
c2 = with_cleanup()
next(c2)
c2.close()
c2.close()
print(next(c2, "closed gen yields nothing"))


def ignores_exit():
    try:
        yield 1
    except GeneratorExit:
        print("  got GeneratorExit")
        raise


ie = ignores_exit()
next(ie)
ie.close()


def refuses_exit():
    try:
        yield 1
    except GeneratorExit:
        yield "not allowed"


r = refuses_exit()
next(r)
try:
    r.close()
except RuntimeError as err:
    print("RuntimeError:", err)

# Generator expressions are lazy and single-use.
squares = (x * x for x in range(5))
print(next(squares), list(squares), list(squares))
print(sum(x for x in range(10) if x % 3), max((len(w), w) for w in "a bbb cc".split()))


def naturals():
    n = 0
    while True:
        yield n
        n += 1


def take(n, it):
    return [x for _, x in zip(range(n), it)]


def evens(it):
    return (x for x in it if x % 2 == 0)


print(take(5, evens(naturals())), take(3, (x * 10 for x in naturals())))


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


f = fib()
print([next(f) for _ in range(15)])

# A generator's frame state.
def stateful():
    x = yield
    print("  stateful got", x)


sg = stateful()
print(sg.gi_running, sg.gi_frame is not None)
next(sg)
try:
    sg.send(5)
except StopIteration:
    print("stopped; frame cleared:", sg.gi_frame is None)

# StopIteration raised inside a generator becomes RuntimeError (PEP 479).


def leaky():
    yield 1
    raise StopIteration("inside")


try:
    list(leaky())
except RuntimeError as err:
    print("RuntimeError:", err, "cause:", repr(err.__cause__))

# Iterator protocol on a generator, and generators in zip/enumerate.
it = iter(count_up(1))
print(it is iter(it), list(enumerate(x * 2 for x in range(3))), list(zip(naturals(), "xyz")))
