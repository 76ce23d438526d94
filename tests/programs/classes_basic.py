"""Classes: class vs instance attributes, methods, bound methods, __dict__,
__repr__/__str__, dynamic attributes and class-level state."""


class Dog:
    species = "canis"          # class attribute, shared
    tricks = []                # mutable class attribute: shared by all instances!
    count = 0

    def __init__(self, name, age=1):
        self.name = name       # instance attributes
        self.age = age
        self.own_tricks = []
        Dog.count += 1

    def add_trick(self, trick):
        self.tricks.append(trick)
        self.own_tricks.append(trick)
        return self

    def describe(self):
        return f"{self.name} ({self.age}) is a {self.species}"

    def birthday(self):
        self.age += 1
        return self.describe()


a = Dog("Rex", 3)
b = Dog("Fido")
print(a.describe(), "|", b.describe(), "|", Dog.count, a.count)
a.add_trick("roll").add_trick("sit")
b.add_trick("beg")
print(a.tricks, b.tricks, Dog.tricks, a.own_tricks, b.own_tricks, a.tricks is b.tricks)

# Assigning through an instance shadows the class attribute.
a.species = "wolf"
print(a.species, b.species, Dog.species, "species" in a.__dict__, "species" in b.__dict__)
Dog.species = "dog"
print(a.species, b.species)
del a.species
print(a.species)
print(a.__dict__)
print(b.birthday(), b.birthday())

# Bound methods remember their instance.
m = a.describe
a.name = "Rexy"
print(m(), m.__self__ is a, m.__func__ is Dog.describe, Dog.describe(b))
print(type(a).__name__, type(a) is Dog, isinstance(a, Dog), Dog.__name__, Dog.__qualname__, a.__class__ is Dog)
print(hasattr(a, "name"), hasattr(a, "nope"), getattr(a, "nope", "default"))
a.new_attr = 123
setattr(b, "dynamic", [1])
print(a.new_attr, b.dynamic, sorted(vars(b)))
try:
    print(b.new_attr)
except AttributeError as e:
    print("AttributeError:", e)
try:
    Dog.missing
except AttributeError as e:
    print("AttributeError:", e)


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"

    def __str__(self):
        return f"({self.x}, {self.y})"


p = Point(1, 2.5)
print(p, repr(p), str(p), [p], {"p": p}, (p,), f"{p} {p!r}")


class OnlyRepr:
    def __repr__(self):
        return "<OnlyRepr>"


print(OnlyRepr(), str(OnlyRepr()), [OnlyRepr()])


class Empty:
    pass


e = Empty()
e.x = 1
print(vars(e), Empty.__name__, type(Empty).__name__, type(e).__name__, Empty.__doc__)


class Documented:
    """A docstring."""
    value = 10
    doubled = value * 2          # class body runs top to bottom like a function
    names = [i * 2 for i in range(value)]   # only the first iterable sees class scope

    def method(self):
        return self.value


print(Documented.__doc__, Documented.doubled, Documented.names, Documented().method())


# Methods calling methods, class constants referenced through self and the class.
class Stack:
    LIMIT = 3

    def __init__(self):
        self.items = []

    def push(self, item):
        if self.is_full():
            raise OverflowError(f"stack full at {len(self.items)}")
        self.items.append(item)

    def is_full(self):
        return len(self.items) >= Stack.LIMIT

    def pop(self):
        return self.items.pop()


s = Stack()
for i in range(5):
    try:
        s.push(i)
    except OverflowError as err:
        print("OverflowError:", err)
print(s.items, s.pop(), s.items)


# Class defined inside a function: each call creates a new class.
def make_class(tag):
    class Tagged:
        label = tag

        def show(self):
            return self.label
    return Tagged


T1, T2 = make_class("one"), make_class("two")
print(T1().show(), T2().show(), T1 is T2, T1.__qualname__)

# Instances compare by identity unless __eq__ is defined.
e1, e2 = Empty(), Empty()
print(e1 == e2, e1 == e1, e1 != e2, e1 is e1)
# Functions stored on an instance are not bound.
e1.fn = lambda x: x * 2
print(e1.fn(21))
# Class attribute lookup goes through the class when the instance lacks it.
Empty.shared = "from class"
print(e1.shared, e2.shared)
e1.shared = "own"
print(e1.shared, e2.shared, Empty.shared)
