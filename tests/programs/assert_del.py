"""assert (passing, failing with and without a message) and del of names,
list items, slices, dict keys and attributes."""

assert True
assert 1 + 1 == 2, "math works"
try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("AssertionError:", e, e.args)
try:
    assert [], f"empty list is falsy: {[]!r}"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("AssertionError without message:", repr(e), e.args, repr(str(e)))
try:
    assert None, ("tuple", "message")
except AssertionError as e:
    print("AssertionError:", e, e.args)


def check(x):
    assert isinstance(x, int), f"expected int, got {type(x).__name__}"
    return x * 2


print(check(21))
try:
    check("s")
except AssertionError as e:
    print("AssertionError:", e)

a = 1
b = [1, 2, 3, 4, 5, 6]
c = {"k": 1, "j": 2}
del a
try:
    a
except NameError as e:
    print("NameError:", e)
del b[0]
print(b)
del b[-1], b[1]
print(b)
del b[:]
print(b)
b = list(range(10))
del b[1:8:3]
print(b)
del c["k"]
print(c)
try:
    del c["zz"]
except KeyError as e:
    print("KeyError:", e)
try:
    del b[100]
except IndexError as e:
    print("IndexError:", e)


class Obj:
    cls_attr = "class"

    def __init__(self):
        self.x = 1
        self.y = 2


o = Obj()
del o.x
print(vars(o), hasattr(o, "x"))
try:
    del o.x
except AttributeError as e:
    print("AttributeError:", e)
try:
    del o.cls_attr
except AttributeError as e:
    print("AttributeError:", e)
del Obj.cls_attr
print(hasattr(Obj, "cls_attr"))

p, q, r = 1, 2, 3
del p, q
print("p" in globals(), "q" in globals(), r)
(s, t) = (4, 5)
del (s, t)
print("s" in globals())
try:
    del undefined_name
except NameError as e:
    print("NameError:", e)


def local_del():
    v = 10
    del v
    try:
        return v
    except UnboundLocalError as e:
        return f"UnboundLocalError: {e}"


print(local_del())
for i in range(3):
    pass
del i
print("i" in globals())
