# `yield from` chains, which the interpreter runs without nesting its loop: values, return
# values, exceptions leaving and caught across levels, PEP 479, re-entrancy, throw/close
# delegation and the recursion limit.
import sys


def leaf(n):
    for i in range(n):
        got = yield i
        if got is not None:
            yield ("got", got)
    return n * 10


def middle(n):
    r = yield from leaf(n)
    yield ("leaf returned", r)
    return r + 1


def top(n):
    r = yield from middle(n)
    return ("top", r)


g = top(3)
print(next(g), next(g), g.send("hello"), list(g))
print(list(top(2)))


def chain(depth):
    if depth == 0:
        yield "bottom"
        return "done0"
    r = yield from chain(depth - 1)
    return r + "+"


def run_chain(depth):
    out = []
    g = chain(depth)
    try:
        while True:
            out.append(next(g))
    except StopIteration as e:
        out.append(e.value)
    return out


print(run_chain(30))


def raiser():
    yield 1
    raise KeyError("inner")


def catcher():
    try:
        yield from raiser()
    except KeyError as e:
        yield ("caught", repr(e))
    yield "after"


print(list(catcher()))


def bad_stop():
    yield 1
    raise StopIteration("oops")


def outer_stop():
    yield from bad_stop()


try:
    list(outer_stop())
except RuntimeError as e:
    print("RuntimeError:", e, "| cause:", repr(e.__cause__))


def reenter():
    yield 1
    yield next(me)


me = reenter()


def drive():
    yield from me


try:
    list(drive())
except ValueError as e:
    print("ValueError:", e)


def with_finally(log):
    try:
        yield from leaf(5)
    finally:
        log.append("finally")


log = []
g = with_finally(log)
print(next(g), next(g))
g.close()
print(log, list(g))

g = middle(4)
print(next(g), g.throw(IndexError, IndexError("x")) if False else next(g))
try:
    g.throw(ValueError("thrown"))
except ValueError as e:
    print("thrown through:", e)
print(list(g))


def fresh_sender():
    x = yield from leaf(0)
    yield x


g = fresh_sender()
print(next(g), list(g))


def deep(n):
    if n:
        yield from deep(n - 1)
    else:
        yield "deep"


sys.setrecursionlimit(200)
try:
    print(list(deep(500)))
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(1000)
print(list(deep(100)))


class Tree:
    def __init__(self, left, value, right):
        self.left, self.value, self.right = left, value, right

    def __iter__(self):
        if self.left:
            yield from self.left
        yield self.value
        if self.right:
            yield from self.right


def build(lo, hi):
    if lo >= hi:
        return None
    mid = (lo + hi) // 2
    return Tree(build(lo, mid), mid, build(mid + 1, hi))


t = build(0, 3000)
total = 0
for _ in range(5):
    for v in t:
        total += v
print(total, sum(t), list(t)[:5])
