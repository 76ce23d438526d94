"""classmethod and staticmethod: alternative constructors, polymorphic
class methods, calling through instances and classes, class-level state."""


class Date:
    created = 0

    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
        type(self).created += 1

    @classmethod
    def from_string(cls, s):
        y, m, d = map(int, s.split("-"))
        return cls(y, m, d)

    @classmethod
    def today_ish(cls):
        return cls(2000, 1, 1)

    @staticmethod
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)

    @staticmethod
    def nothing():
        return "static without args"

    def leap(self):
        return self.is_leap(self.y)

    def __repr__(self):
        return f"{type(self).__name__}({self.y}, {self.m}, {self.d})"


class EuroDate(Date):
    def __repr__(self):
        return f"{self.d:02}.{self.m:02}.{self.y}"


d = Date.from_string("2024-02-29")
e = EuroDate.from_string("1999-12-31")
print(d, e, type(e).__name__, EuroDate.today_ish(), d.from_string("1-2-3"))
print(Date.is_leap(1900), Date.is_leap(2000), d.is_leap(2023), d.leap(), e.leap(), Date.nothing(), e.nothing())
print(Date.created, EuroDate.created, "created" in EuroDate.__dict__)


class Registry:
    _items = None

    @classmethod
    def register(cls, item):
        if cls._items is None:
            cls._items = []
        cls._items.append(item)
        return len(cls._items)

    @classmethod
    def items(cls):
        return list(cls._items or [])


class SubRegistry(Registry):
    pass


Registry.register("a")
Registry.register("b")
SubRegistry.register("x")
print(Registry.items(), SubRegistry.items())


# The descriptor objects themselves.
print(type(Date.__dict__["from_string"]).__name__, type(Date.__dict__["is_leap"]).__name__)
bound = Date.from_string
print(bound.__self__ is Date, bound("2001-01-01"), Date.__dict__["is_leap"].__func__(2024))


# classmethod/staticmethod used as plain functions (no decorator syntax).
class Plain:
    def _make(cls):
        return cls.__name__
    make = classmethod(_make)
    twice = staticmethod(lambda x: x * 2)


print(Plain.make(), Plain().make(), Plain.twice(21), Plain().twice("ab"))


# Counter of instances per class, using cls in a classmethod.
class Counted:
    instances = 0

    def __init__(self):
        self.bump()

    @classmethod
    def bump(cls):
        cls.instances += 1


class CountedChild(Counted):
    instances = 0


for _ in range(3):
    Counted()
for _ in range(2):
    CountedChild()
print(Counted.instances, CountedChild.instances)
