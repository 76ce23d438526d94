"""Special methods: arithmetic and reflected operators, NotImplemented,
in-place operators, comparisons and hashing, container protocol, __call__,
__bool__, __getattr__, numeric conversions."""


class Vec:
    def __init__(self, *xs):
        self.xs = tuple(xs)

    def __repr__(self):
        return "Vec" + repr(self.xs)

    def __str__(self):
        return "<" + ", ".join(map(str, self.xs)) + ">"

    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(*(a + b for a, b in zip(self.xs, other.xs)))
        if isinstance(other, (int, float)):
            return Vec(*(a + other for a in self.xs))
        return NotImplemented

    def __radd__(self, other):
        print(f"  __radd__({other!r})")
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __mul__(self, k):
        if isinstance(k, (int, float)):
            return Vec(*(a * k for a in self.xs))
        if isinstance(k, Vec):
            return sum(a * b for a, b in zip(self.xs, k.xs))
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, k):
        return Vec(*(a / k for a in self.xs))

    def __floordiv__(self, k):
        return Vec(*(a // k for a in self.xs))

    def __mod__(self, k):
        return Vec(*(a % k for a in self.xs))

    def __pow__(self, k):
        return Vec(*(a ** k for a in self.xs))

    def __neg__(self):
        return Vec(*(-a for a in self.xs))

    def __pos__(self):
        return self

    def __abs__(self):
        return sum(a * a for a in self.xs) ** 0.5

    def __invert__(self):
        return Vec(*reversed(self.xs))

    def __eq__(self, other):
        return isinstance(other, Vec) and self.xs == other.xs

    def __hash__(self):
        return hash(self.xs)

    def __lt__(self, other):
        return abs(self) < abs(other)

    def __le__(self, other):
        return abs(self) <= abs(other)

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return Vec(*self.xs[i])
        return self.xs[i]

    def __iter__(self):
        return iter(self.xs)

    def __contains__(self, x):
        print(f"  __contains__({x!r})")
        return x in self.xs

    def __bool__(self):
        return any(self.xs)


v, w = Vec(1, 2, 3), Vec(4, 5, 6)
print(v + w, v - w, v * 2, 3 * v, v * w, v / 2, w // 4, w % 4, v ** 2, -v, +v, ~v, abs(Vec(3, 4)))
print(v + 1, 1 + v)
print(sum([v, w]), sum([v, w], Vec(0, 0, 0)))
print(v == Vec(1, 2, 3), v != w, v == (1, 2, 3), v < w, w <= v, w > v, v >= v)
print(len(v), v[0], v[-1], v[1:], list(v), 2 in v, 9 not in v, bool(v), bool(Vec(0, 0)))
print(sorted([w, Vec(0, 1), v]), max(v, w), min([w, v]), {v: "hash ok"}[Vec(1, 2, 3)], len({v, Vec(1, 2, 3), w}))
print(str(v), repr(v), f"{v}", [v], str([v]))
a, b, c = v
print(a, b, c, *v, dict(zip("abc", v)))
try:
    v + "str"
except TypeError as e:
    print("TypeError:", e)
try:
    "str" * v
except TypeError as e:
    print("TypeError:", e)


class Acc:
    """In-place operators: __iadd__ mutates and returns self."""

    def __init__(self):
        self.items = []

    def __iadd__(self, item):
        self.items.append(item)
        return self

    def __repr__(self):
        return f"Acc{self.items}"


acc = Acc()
same = acc
acc += 1
acc += "two"
print(acc, same is acc)


class NoIAdd:
    def __init__(self, n):
        self.n = n

    def __add__(self, o):
        return NoIAdd(self.n + o)


x = NoIAdd(1)
y = x
x += 5  # falls back to __add__, rebinding x to a new object
print(x.n, y.n, x is y)


class Grid:
    """__getitem__/__setitem__/__delitem__ with tuple keys."""

    def __init__(self):
        self.cells = {}

    def __setitem__(self, key, value):
        print("  set", key, value)
        self.cells[key] = value

    def __getitem__(self, key):
        return self.cells.get(key, ".")

    def __delitem__(self, key):
        del self.cells[key]

    def __missing__(self, key):  # only used by dict subclasses; never called here
        return "never"


g = Grid()
g[0, 0] = "a"
g[1, 2] = "b"
g[1, 2] += "c"
print(g[0, 0], g[1, 2], g[5, 5], len(g.cells))
del g[0, 0]
print(g.cells)


class Countdown:
    """Old-style iteration through __getitem__ raising IndexError."""

    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return 3 - i


print(list(Countdown()), 2 in Countdown(), 7 in Countdown())


class Multiplier:
    def __init__(self, k):
        self.k = k

    def __call__(self, x, *rest, scale=1):
        return (x * self.k + sum(rest)) * scale


m = Multiplier(3)
print(m(2), m(2, 1, 1), m(2, scale=10), callable(m), callable(Vec), callable(v))


class EqOnly:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        print(f"  EqOnly.__eq__({self.v}, {getattr(other, 'v', other)!r})")
        if not isinstance(other, EqOnly):
            return NotImplemented
        return self.v == other.v


print(EqOnly(1) == EqOnly(1), EqOnly(1) != EqOnly(2), EqOnly(1) == 1, 1 == EqOnly(1))
try:
    hash(EqOnly(1))
except TypeError as e:
    print("TypeError:", e)
try:
    EqOnly(1) < EqOnly(2)
except TypeError as e:
    print("TypeError:", e)


class Reflect:
    def __init__(self, name):
        self.name = name

    def __lt__(self, other):
        print(f"  {self.name}.__lt__({other.name})")
        return NotImplemented

    def __gt__(self, other):
        print(f"  {self.name}.__gt__({other.name})")
        return True


print(Reflect("a") < Reflect("b"))


class Sub(Reflect):
    pass


print(Reflect("base") > Sub("sub"))  # the subclass's reflected method is tried first


class Dyn:
    existing = "real"

    def __getattr__(self, name):
        if name.startswith("x_"):
            return name[2:].upper()
        raise AttributeError(f"Dyn has no {name}")


d = Dyn()
print(d.existing, d.x_hello, getattr(d, "x_a"), hasattr(d, "nope"), getattr(d, "nope", "dflt"))


class Num:
    def __init__(self, v):
        self.v = v

    def __int__(self):
        return int(self.v)

    def __float__(self):
        return float(self.v)

    def __index__(self):
        return int(self.v)

    def __round__(self, nd=None):
        return f"rounded({nd})"


n = Num(6.7)
print(int(n), float(n), [10, 20, 30, 40, 50, 60, 70][n], hex(n), bin(n), round(n), round(n, 2), range(n))


class Ordered:
    def __init__(self, k):
        self.k = k

    def __lt__(self, other):
        return self.k < other.k

    def __repr__(self):
        return f"O{self.k}"


print(sorted([Ordered(3), Ordered(1), Ordered(2)]), max(Ordered(5), Ordered(9)), Ordered(1) > Ordered(0))
