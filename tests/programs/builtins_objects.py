"""Object/type builtins: isinstance, issubclass, hasattr, getattr, setattr,
delattr, id, hash, type (1 and 3 args), object, super, property,
classmethod, staticmethod, callable, vars, dir membership."""


class Base:
    kind = "base"

    def hello(self):
        return "hello from " + type(self).__name__


class Derived(Base):
    def hello(self):
        return "derived: " + super().hello()


d = Derived()
print(isinstance(d, Derived), isinstance(d, Base), isinstance(d, object), isinstance(d, (int, Base)), isinstance(1, (str, list)))
print(isinstance(True, int), isinstance(1, bool), isinstance(1.0, int), isinstance(None, type(None)), isinstance(Base, type), isinstance(type, type))
print(issubclass(Derived, Base), issubclass(Base, Derived), issubclass(Base, Base), issubclass(bool, (str, int)), issubclass(int, object), issubclass(type, object))
try:
    issubclass(d, Base)
except TypeError as e:
    print("TypeError:", e)
try:
    isinstance(d, "Base")
except TypeError as e:
    print("TypeError:", e)

print(hasattr(d, "hello"), hasattr(d, "kind"), hasattr(d, "nope"), hasattr(Base, "hello"), hasattr(5, "real"), hasattr("s", "upper"))
print(getattr(d, "kind"), getattr(d, "nope", None), getattr(Base, "kind"), getattr(5, "real"), getattr(d, "hello")())
try:
    getattr(d, "nope")
except AttributeError as e:
    print("AttributeError:", e)
setattr(d, "kind", "instance kind")
setattr(Base, "added", 99)
print(d.kind, Base.kind, d.added, Derived.added)
delattr(d, "kind")
print(d.kind)
try:
    setattr(5, "x", 1)
except AttributeError as e:
    print("AttributeError:", e)
try:
    getattr(d, 5)
except TypeError as e:
    print("TypeError:", e)

# id(): stable and unique among live objects (values are never printed).
a, b = [], []
print(id(a) == id(a), id(a) != id(b), type(id(a)).__name__, id(a) > 0, id(None) == id(None))

# hash(): equal objects hash equal; ints hash to themselves (except -1).
print(hash(0), hash(1), hash(-1), hash(-2), hash(123456789), hash(True), hash(False), hash(2 ** 61 - 2), hash(2 ** 61 - 1))
print(hash(1.0) == hash(1), hash(0.5), hash(1.5), hash(-0.0) == hash(0), hash(float("inf")), hash(-1.0))
print(hash("abc") == hash("abc"), hash((1, 2)) == hash((1, 2)), hash(frozenset([1, 2])) == hash(frozenset([2, 1])), hash(None) == hash(None))
for unhashable in ([], {}, set()):
    try:
        hash(unhashable)
    except TypeError as e:
        print("TypeError:", e)

# type(): with one argument the class, with three a new class.
print(type(1), type("s"), type(1.0), type([]), type(()), type({}), type(set()), type(None), type(type), type(print), type(len))
print(type(d), type(d).__name__, type(Derived), type(lambda: 0).__name__, type(range(1)), type(iter([])).__name__, type(x for x in []).__name__)
Dyn = type("Dyn", (Base,), {"kind": "dynamic", "shout": lambda self: self.kind.upper()})
dy = Dyn()
print(Dyn.__name__, dy.kind, dy.shout(), dy.hello(), isinstance(dy, Base), [c.__name__ for c in Dyn.__mro__])
print(type(1) is int, type(True) is bool, type(True) == int, type(d) is Derived)

# object(): the root of everything.
o1, o2 = object(), object()
print(o1 == o1, o1 == o2, o1 != o2, type(o1).__name__, isinstance(o1, object), object.__name__, object.__bases__)
try:
    o1.attr = 1
except AttributeError as e:
    print("AttributeError:", e)
print(str(object), hasattr(o1, "__dict__"), object.__doc__[:18])


# super, property, classmethod and staticmethod as callables.
class Shape:
    def __init__(self, w):
        self._w = w

    def area(self):
        return self._w * self._w

    def _get_w(self):
        return self._w

    def _set_w(self, v):
        self._w = max(0, v)

    width = property(_get_w, _set_w, doc="non-negative width")

    def _create(cls, w):
        return cls(w)

    create = classmethod(_create)
    unit = staticmethod(lambda: "meters")


class Square(Shape):
    def area(self):
        return "square " + str(super().area())

    def base_area(self):
        return super(Square, self).area()


sq = Square.create(3)
print(type(sq).__name__, sq.area(), sq.base_area(), sq.width, Square.unit(), sq.unit(), Shape.width.__doc__)
sq.width = -5
print(sq.width, isinstance(Shape.__dict__["create"], classmethod), isinstance(Shape.__dict__["unit"], staticmethod))
sup = super(Square, sq)
print(sup.area(), type(sup).__name__)

# callable, vars and dir.
print(callable(len), callable(Base), callable(d), callable(d.hello), callable(None), callable("s"))
print(vars(sq), sorted(vars(Square).keys() - {"__module__", "__doc__"}))
print("hello" in dir(d), "kind" in dir(Derived), "append" in dir([]), "__len__" in dir("s"))
print(len.__name__, type(len).__name__, isinstance(len, type(print)), int.__name__, float.__mro__)
