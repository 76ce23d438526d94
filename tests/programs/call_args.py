"""Calling conventions: defaults, keyword arguments, *args, **kwargs,
keyword-only and positional-only parameters, unpacking at the call site,
mutable default pitfalls and the TypeErrors for bad calls."""


def f(a, b=2, *args, c, d=4, **kwargs):
    return (a, b, args, c, d, kwargs)


print(f(1, c=3))
print(f(1, 2, 3, 4, 5, c=6, e=7, d=8, z=9))
print(f(c=1, a=2), f(*[1, 2, 3], **{"c": 4, "x": 5}), f(1, *(2, 3), *[4], c=5, **{"y": 6}, **{"w": 7}))


def pos_only(a, b, /, c, *, d):
    return a, b, c, d


print(pos_only(1, 2, 3, d=4), pos_only(1, 2, c=3, d=4))


def defaults(x, y=[], z={}):
    y.append(x)
    z[x] = len(y)
    return y, z


print(defaults(1), defaults(2), defaults(3, []), defaults(4))


def safe(x, y=None):
    if y is None:
        y = []
    y.append(x)
    return y


print(safe(1), safe(2))

counter = 0


def evaluated_once(v=counter):
    return v


counter = 99
print(evaluated_once(), evaluated_once(7))


def kwonly(*, key, default="dflt"):
    return key, default


print(kwonly(key=1), kwonly(default=2, key=3))


def star_only(*args):
    return args, type(args).__name__


def kw_only_collect(**kw):
    return kw


print(star_only(), star_only(1, [2]), kw_only_collect(), kw_only_collect(b=1, a=2))
print(f.__defaults__, f.__kwdefaults__, defaults.__defaults__, f.__code__.co_argcount, f.__code__.co_kwonlyargcount)

# Keyword arguments may be given in any order; kwargs keeps call order.
print(kw_only_collect(z=1, y=2, x=3), dict(kw_only_collect(**{"q": 1}, r=2)))

# Lambdas accept the same parameter kinds.
lam = lambda a, b=10, *r, k=0, **kw: (a, b, r, k, kw)
print(lam(1), lam(1, 2, 3, k=4, m=5))

# Recursion with keyword arguments.


def power(base, exp=2, *, acc=1):
    return acc if exp == 0 else power(base, exp - 1, acc=acc * base)


print(power(3), power(2, exp=10), power(base=5, exp=3))

# Bad calls raise TypeError with precise messages.


def two(a, b):
    return a + b


class K:
    def meth(self, x):
        return x

    def __init__(self, v):
        self.v = v


bad_calls = [
    lambda: two(1),
    lambda: two(),
    lambda: two(1, 2, 3),
    lambda: two(1, b=2, c=3),
    lambda: two(1, a=1),
    lambda: f(1),
    lambda: pos_only(1, b=2, c=3, d=4),
    lambda: kwonly(1),
    lambda: kwonly(),
    lambda: K(1).meth(),
    lambda: K(1).meth(1, 2),
    lambda: K(),
    lambda: (lambda: 0)(1),
    lambda: two(*[1], **{"a": 2}),
    lambda: two(**{1: 2}),
    lambda: len(),
    lambda: len([], []),
    lambda: abs(x=1),
    lambda: int("1", 2, 3),
]
for call in bad_calls:
    try:
        call()
        print("no error?")
    except TypeError as e:
        print("TypeError:", e)
