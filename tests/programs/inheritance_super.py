"""Inheritance: overriding, super() in single and multiple inheritance,
the C3 method resolution order, isinstance/issubclass."""


class Animal:
    sound = "..."

    def __init__(self, name):
        self.name = name

    def speak(self):
        return f"{self.name} says {self.sound}"

    def kind(self):
        return "animal"


class Dog(Animal):
    sound = "woof"

    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed

    def kind(self):
        return "dog/" + super().kind()


class Puppy(Dog):
    def speak(self):
        return super().speak() + " (squeaky)"

    def kind(self):
        return "puppy/" + super(Puppy, self).kind()


p = Puppy("Bit", "pug")
print(p.speak(), p.kind(), p.breed, p.name)
print(isinstance(p, Animal), isinstance(p, Dog), issubclass(Puppy, Animal), issubclass(Animal, Puppy))
print(issubclass(Dog, (int, Animal)), isinstance(3, (str, int)), issubclass(bool, int), issubclass(Dog, object))
print([c.__name__ for c in Puppy.__mro__], Puppy.__bases__[0].__name__, Animal.__bases__)
print(Animal.speak(p), Dog.kind(p))


# Diamond: each __init__ runs once, in MRO order.
trace = []


class Base:
    def __init__(self):
        trace.append("Base")

    def who(self):
        return ["Base"]


class Left(Base):
    def __init__(self):
        trace.append("Left>")
        super().__init__()
        trace.append("<Left")

    def who(self):
        return ["Left"] + super().who()


class Right(Base):
    def __init__(self):
        trace.append("Right>")
        super().__init__()
        trace.append("<Right")

    def who(self):
        return ["Right"] + super().who()


class Bottom(Left, Right):
    def __init__(self):
        trace.append("Bottom>")
        super().__init__()
        trace.append("<Bottom")

    def who(self):
        return ["Bottom"] + super().who()


Bottom()
print(trace)
print(Bottom().who(), [c.__name__ for c in Bottom.mro()])


# The classic C3 example.
class O: pass
class A(O): pass
class B(O): pass
class C(O): pass
class D(O): pass
class E(O): pass
class K1(A, B, C): pass
class K2(D, B, E): pass
class K3(D, A): pass
class Z(K1, K2, K3): pass


print([c.__name__ for c in Z.__mro__])
try:
    class Bad(A, K1):
        pass
except TypeError as e:
    print("TypeError:", e)


# Attribute lookup follows the MRO, also for class attributes.
class X:
    val = "X"
    def f(self): return "X.f"


class Y(X):
    def f(self): return "Y.f"


class W(X):
    val = "W"


class V(Y, W):
    pass


print(V().val, V().f(), [c.__name__ for c in V.__mro__])


# super() with classmethods and an overridden class attribute.
class Shape:
    sides = 0

    @classmethod
    def describe(cls):
        return f"{cls.__name__} with {cls.sides} sides"


class Square(Shape):
    sides = 4

    @classmethod
    def describe(cls):
        return "square: " + super().describe()


print(Shape.describe(), Square.describe(), Square().describe())


# Abstract-style method.
class Base2:
    def area(self):
        raise NotImplementedError(f"{type(self).__name__}.area")

    def report(self):
        try:
            return self.area()
        except NotImplementedError as e:
            return f"not implemented: {e}"


class Circle(Base2):
    def __init__(self, r):
        self.r = r

    def area(self):
        return round(3.14159 * self.r ** 2, 3)


print(Circle(2).report(), Base2().report())


# Inherited __init__ and __repr__, overridden in the middle.
class R1:
    def __init__(self, v=0):
        self.v = v

    def __repr__(self):
        return f"{type(self).__name__}({self.v})"


class R2(R1):
    pass


class R3(R2):
    def __init__(self):
        super().__init__(v=33)


print(R1(1), R2(2), R3(), [R2()])
print(type(R3()).__mro__[1].__name__, R3.__base__.__name__, R3.__subclasses__(), R1.__subclasses__())
