"""__slots__: fixed attribute sets, no instance __dict__, missing slot
values, inheritance with and without slots."""


class P:
    __slots__ = ("x", "y")

    def __init__(self, x):
        self.x = x

    def __repr__(self):
        return f"P(x={self.x!r}, y={getattr(self, 'y', '<unset>')!r})"


p = P(1)
print(p, hasattr(p, "__dict__"), hasattr(p, "y"), P.__slots__)
p.y = 2
print(p, p.x + p.y)
try:
    p.z = 3
except AttributeError as e:
    print("AttributeError:", e)
del p.y
try:
    p.y
except AttributeError as e:
    print("AttributeError:", e)
try:
    del p.y
except AttributeError as e:
    print("AttributeError:", e)
print(type(P.__dict__["x"]).__name__)


class Q(P):
    """Subclass without __slots__: instances get a __dict__ again."""


q = Q(5)
q.z = "allowed"
print(q.x, q.z, hasattr(q, "__dict__"), q.__dict__)


class R(P):
    __slots__ = ("w",)

    def __init__(self):
        super().__init__("rx")
        self.w = "rw"


r = R()
r.y = "ry"
print(r.x, r.y, r.w, hasattr(r, "__dict__"))
try:
    r.v = 0
except AttributeError as e:
    print("AttributeError:", e)


class WithDict:
    __slots__ = ("a", "__dict__")


wd = WithDict()
wd.a = 1
wd.b = 2
print(wd.a, wd.b, wd.__dict__)

try:
    class Conflict:
        __slots__ = ("v",)
        v = 1
except ValueError as e:
    print("ValueError:", e)


class Counter:
    __slots__ = "count"    # a single string is one slot name

    def __init__(self):
        self.count = 0


c = Counter()
for _ in range(5):
    c.count += 1
print(c.count, Counter.__slots__)
