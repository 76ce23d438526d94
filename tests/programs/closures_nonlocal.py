"""Closures: captured variables, nonlocal rebinding, late binding in loops,
cells shared between inner functions and nested scopes."""


def make_counter(start=0):
    count = start

    def inc(step=1):
        nonlocal count
        count += step
        return count

    def get():
        return count

    return inc, get


inc, get = make_counter(10)
print(inc(), inc(), inc(5), get())
inc2, get2 = make_counter()
print(inc2(), get(), get2())

# Late binding: every lambda sees the final value of i.
late = [lambda: i for i in range(3)]
print([f() for f in late])
# Binding at definition time with a default argument.
early = [lambda i=i: i for i in range(3)]
print([f() for f in early])
funcs = []
for j in range(3):
    funcs.append(lambda: j * 10)
j = 100
print([f() for f in funcs])


def make_adders():
    adders = []
    for k in range(3):
        def add(x, k=k):
            return x + k
        adders.append(add)
    return adders


print([a(100) for a in make_adders()])


# Three levels of nesting with nonlocal at each level.
def outer():
    x = "outer"
    trace = []

    def middle():
        nonlocal x
        x = "middle"
        y = 1

        def inner():
            nonlocal x, y
            x = "inner"
            y += 1
            trace.append((x, y))
            return y

        inner()
        inner()
        return y

    r = middle()
    return x, r, trace


print(outer())


# A closure over a variable assigned after the inner function is defined.
def later():
    def show():
        return value
    value = "assigned later"
    return show()


print(later())


# Closures keep the environment alive after the outer function returns.
def accumulator():
    items = []

    def add(item):
        items.append(item)
        return list(items)

    return add


acc = accumulator()
acc(1)
acc("two")
print(acc(3.0))
print(acc.__closure__ is not None, len(acc.__closure__), acc.__code__.co_freevars)

# Global vs nonlocal vs local with the same name.
name = "global"


def scopes():
    name = "enclosing"

    def read():
        return name

    def write_local():
        name = "local"
        return name

    def write_nonlocal():
        nonlocal name
        name = "changed"

    before = read()
    loc = write_local()
    write_nonlocal()
    return before, loc, read(), name


print(scopes(), name)


# Recursive closure and a closure returning closures.
def fib_memo():
    memo = {}

    def fib(n):
        if n < 2:
            return n
        if n not in memo:
            memo[n] = fib(n - 1) + fib(n - 2)
        return memo[n]

    return fib


print(fib_memo()(90))


def compose(*fs):
    def run(x):
        for f in reversed(fs):
            x = f(x)
        return x
    return run


print(compose(lambda x: x + 1, lambda x: x * 2, abs)(-5))


def curry(a):
    return lambda b: lambda c: a * 100 + b * 10 + c


print(curry(1)(2)(3))


# A nonlocal that is unbound when read raises NameError.
def unbound():
    def inner():
        return v
    try:
        return inner()
    except NameError as e:
        return "NameError: " + str(e)
    v = 1


print(unbound())

# Class bodies do not create an enclosing scope for methods.
x = "module x"


class C:
    x = "class x"

    def method(self):
        return x


print(C().method(), C.x)
