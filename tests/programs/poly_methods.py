# One method-call site that meets instances of several classes: subclasses sharing a base
# method, subclasses with their own, a fifth class past the site's room, a method shadowed
# in one instance's dict, a method added to a subclass mid-loop, and __class__ assignment.


class Base:
    def who(self):
        return "base"

    def size(self):
        return 1


class A(Base):
    pass


class B(Base):
    def who(self):
        return "b"


class C(Base):
    def size(self):
        return 3


class D(Base):
    __slots__ = ()


class E:
    def who(self):
        return "e"

    def size(self):
        return 5


def call_all(objs):
    out = []
    total = 0
    for o in objs:
        out.append(o.who())
        total += o.size()
    return out, total


objs = [A(), B(), C(), D(), E(), Base()]
for round in range(300):
    out, total = call_all(objs)
print(out, total)

# Shadow a method in one instance's dict.
objs[0].who = lambda: "shadowed"
print(call_all(objs))
del objs[0].who

# Give a subclass its own method mid-run.
for round in range(300):
    out, total = call_all(objs)
    if round == 150:
        A.size = lambda self: 10
print(out, total)

# Change an object's class.
objs[1].__class__ = C
print(call_all(objs))

# Many classes at one site.
classes = [type("K%d" % i, (Base,), {"who": (lambda i: lambda self: "k%d" % i)(i)}) for i in range(8)]
many = [k() for k in classes]
for round in range(200):
    out, total = call_all(many)
print(out, total)
