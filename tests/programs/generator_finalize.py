# A generator dropped while suspended inside try/finally or with is closed then, as
# CPython does when its last reference goes: its finally runs before the next call.

log = []

def res(name):
    try:
        yield 1
        yield 2
    finally:
        log.append("closed " + name)
        print("finally", name)

# Dropped by a for loop's break.
for v in res("a"):
    break
print("after break", log)

# Dropped by rebinding.
g = res("b")
next(g)
g = None
print("after rebind", log)

# Dropped inside a function's frame (locals released on return).
def use():
    h = res("c")
    next(h)
    return 5
print(use(), log)

# Not started, or finished: nothing runs.
r = res("never")
del r
f = res("done")
print(list(f), log[-1])
del f

# With a context manager.
class CM:
    def __enter__(self):
        return self
    def __exit__(self, *a):
        print("exit", a[0].__name__ if a[0] else None)
def withgen():
    with CM():
        yield 1
w = withgen()
next(w)
w = None
print("end")
def hot():
    t = 0
    for i in range(2000):
        for v in res("hot"):
            t += v
            break
    return t
print(hot(), len(log))

# Dropped inside `yield from`: the close goes to the inner generator first.
def inner_gen():
    try:
        yield 1
    finally:
        print("inner finally")


def outer_gen():
    try:
        yield from inner_gen()
    finally:
        print("outer finally")


og = outer_gen()
next(og)
og = None
print("after the delegating generator")
