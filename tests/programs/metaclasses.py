# Metaclasses derived from type: __new__ editing the namespace and calling up, __init__,
# __call__, methods on the metaclass, inheritance of the metaclass; __init_subclass__.

class Meta(type):
    pass
class T(metaclass=Meta):
    x = 1
print(T.x, type(T).__name__)
class M2(type):
    def __init__(cls, n, b, d):
        super().__init__(n, b, d)
        cls.reg = n
class U(metaclass=M2):
    pass
print(U.reg)
class V(U):
    pass
print(V.reg, type(V).__name__)

class Base:
    registry = []
    def __init_subclass__(cls, **kw):
        Base.registry.append(cls.__name__)
        cls.sub = True
class D(Base): pass
class E(D): pass
print(Base.registry, D.sub, E.sub, hasattr(Base, "sub"))
class CB:
    @classmethod
    def __init_subclass__(cls):
        print("classmethod hook for", cls.__name__)
class F(CB): pass
class G:
    def __init_subclass__(cls):
        super().__init_subclass__()
        print("G hook", cls.__name__)
class H(G): pass
X = type("X", (Base,), {})
print(Base.registry)
class Meta3(type):
    def __new__(m, n, b, d):
        d["tag"] = n.lower()
        return super().__new__(m, n, b, d)
    def __call__(cls, *a):
        print("Meta.__call__", cls.__name__, a)
        return super().__call__(*a)
    def hello(cls):
        return "hello from " + cls.__name__
class T(metaclass=Meta3):
    def __init__(self, v):
        self.v = v
print(T.tag, T.hello(), type(T).__name__, isinstance(T, Meta3), isinstance(T, type))
class U(T): pass
print(U.tag, type(U).__name__)
print(T(3).v)
