# Instance attributes stored inline (over the class's shared keys) and the dict they turn
# into: every way out of the inline form, at sites that have specialized.


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def total(points):
    s = 0
    for p in points:
        s += p.x + p.y
    return s


pts = [Point(i, 2 * i) for i in range(500)]
print("sum", total(pts))

# __dict__ is a live view with a stable identity.
p = pts[3]
d = p.__dict__
print(d is p.__dict__, d)
d["x"] = 100
print(p.x, total(pts))
p.y = 7
print(d)
vars(p)["z"] = 1
print(p.z, sorted(vars(p)))

# A site that specialized on inline values sees dict-backed instances and back.
print("mixed", total(pts), total(pts[:10]))

# Setting attributes in another order than the first instance did.
q = Point.__new__(Point)
q.y = 1
q.x = 2
print(q.__dict__, q.x + q.y)

# A new attribute after the shared keys, then on other instances.
r = Point(1, 2)
r.extra = "e"
s = Point(3, 4)
s.extra = "f"
print(r.__dict__, s.__dict__, r.extra + s.extra)

# Deleting, then re-setting.
del r.x
print(hasattr(r, "x"), r.__dict__)
try:
    r.x
except AttributeError as e:
    print("AttributeError:", e)
r.x = 9
print(r.__dict__)

# Names made at run time, and getattr with a default.
t = Point(0, 0)
name = "".join(["na", "me"])
setattr(t, name, "dyn")
print(getattr(t, "name"), t.name, getattr(t, "nope", "default"), t.__dict__)

# Many attributes: past the shared-key limit.
class Wide:
    pass


w = Wide()
for i in range(40):
    setattr(w, "a%d" % i, i)
print(sum(getattr(w, "a%d" % i) for i in range(40)), len(w.__dict__))
w2 = Wide()
for i in range(40):
    setattr(w2, "a%d" % i, -i)
print(w2.a0, w2.a29, w2.a30, w2.a39)

# __class__ assignment: the values belong to the old class's keys.
class Other:
    def __init__(self):
        self.y = "oy"
        self.x = "ox"


o = Point("px", "py")
Other()
o.__class__ = Other
print(o.x, o.y, o.__dict__, type(o).__name__)

# A property added to the class after a site specialized wins over the instance value.
class Late:
    def __init__(self):
        self.v = 1


def get_v(obj):
    return obj.v


objs = [Late() for _ in range(200)]
print(sum(get_v(o) for o in objs))
Late.v = property(lambda self: 42)
print(sum(get_v(o) for o in objs))

# Methods shadowed by an instance attribute.
class M:
    def f(self):
        return "method"


ms = [M() for _ in range(100)]
print([m.f() for m in ms][:2])
ms[1].f = lambda: "instance"
print([m.f() for m in ms][:3])

# Stores at a specialized site, including the first store on a fresh instance.
class Counter:
    def __init__(self):
        self.n = 0

    def bump(self):
        self.n = self.n + 1


cs = [Counter() for _ in range(50)]
for _ in range(100):
    for c in cs:
        c.bump()
print(sum(c.n for c in cs))
cs[0].__dict__.clear()
try:
    cs[0].bump()
except AttributeError as e:
    print("AttributeError:", e)
cs[0].n = 5
cs[0].bump()
print(cs[0].n)

# Cycles through inline values are collected.
import gc


class Node:
    def __init__(self):
        self.me = self


for _ in range(1000):
    Node()
print(gc.collect() >= 0)

# A subclass has keys of its own.
class Point3(Point):
    def __init__(self, x, y, z):
        self.z = z
        super().__init__(x, y)


p3 = Point3(1, 2, 3)
print(p3.__dict__, total([p3, Point(5, 6)]))
