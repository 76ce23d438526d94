"""property: decorator and function forms, setters with validation,
deleters, read-only properties, computed values and inheritance."""


class Temperature:
    def __init__(self, celsius=0.0):
        self._c = celsius

    @property
    def celsius(self):
        """Temperature in degrees Celsius."""
        return self._c

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError(f"below absolute zero: {value}")
        self._c = value

    @celsius.deleter
    def celsius(self):
        print("deleting celsius")
        del self._c

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32


t = Temperature(25)
print(t.celsius, t.fahrenheit)
t.celsius = 100
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError:", e)
try:
    t.fahrenheit = 5
except AttributeError as e:
    print("AttributeError:", e)
del t.celsius
try:
    t.celsius
except AttributeError as e:
    print("AttributeError:", e)
print(Temperature.celsius.__doc__, type(Temperature.celsius).__name__)


class Rect:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.reads = 0

    def get_area(self):
        self.reads += 1
        return self.w * self.h

    def set_area(self, value):
        ratio = (value / self.get_area()) ** 0.5
        self.w *= ratio
        self.h *= ratio

    area = property(get_area, set_area, None, "the area")


r = Rect(2, 8)
print(r.area, r.reads)
r.area = 64
print(r.w, r.h, r.area, r.reads, Rect.area.__doc__)


class Base:
    @property
    def name(self):
        return "base"

    @property
    def shout(self):
        return self.name.upper() + "!"


class Child(Base):
    @property
    def name(self):
        return "child of " + super().name


print(Base().shout, Child().shout, Child().name)


class Lazy:
    """Computes a value once and caches it in the instance dict."""

    def __init__(self):
        self.computations = 0

    @property
    def value(self):
        if "_value" not in self.__dict__:
            self.computations += 1
            self._value = sum(range(100))
        return self._value


z = Lazy()
print(z.value, z.value, z.computations)


class OnlyGetter:
    x = property(lambda self: 42)


o = OnlyGetter()
print(o.x)
try:
    o.x = 1
except AttributeError as e:
    print("AttributeError:", e)
try:
    del o.x
except AttributeError as e:
    print("AttributeError:", e)

# A property is a data descriptor: it wins over the instance dict.
o.__dict__["x"] = "shadow?"
print(o.x, o.__dict__)
p = property()
try:
    p.__get__(o)
except AttributeError as e:
    print("AttributeError:", e)
print(isinstance(Temperature.fahrenheit, property), Temperature.fahrenheit.fset is None)
