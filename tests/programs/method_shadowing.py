# Instance attributes that shadow methods, set under computed (non-interned) names and
# after a call site has warmed up: every call must find the instance's attribute.


class Base:
    def greet(self):
        return "base greet"

    def size(self):
        return 1


class Child(Base):
    def __init__(self, n):
        self.n = n


def call_all(objs):
    out = []
    for o in objs:
        out.append(o.greet())
    return out


objs = [Child(i) for i in range(40)]
for _ in range(60):
    first = call_all(objs)
print(first[:2])

# Shadow the method on one instance, under a name built at run time.
name = "gr" + "eet"
setattr(objs[5], name, lambda: "instance greet")
print(call_all(objs)[4:7])

# More attributes than the shared keys take (30): this instance moves to a dict, where a
# shadowing attribute is found there, and the class's other instances keep the method.
wide = Child(0)
for i in range(70):
    setattr(wide, "a%d" % i, i)
print(wide.size(), getattr(wide, "a" + "69"))
wide.size = lambda: 99
print(wide.size(), Child(1).size())

# A computed name that equals a key, read and tested.
key = "".join(["n"])
print(getattr(objs[3], key), hasattr(objs[3], key), hasattr(objs[3], "m"))
del objs[5].greet
print(call_all(objs)[5])
