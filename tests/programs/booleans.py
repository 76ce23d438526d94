"""Truthiness, and/or/not (which return operands), short-circuiting, the
conditional expression, None and the walrus operator."""

values = [0, 1, -1, 0.0, -0.0, 0.1, "", " ", "0", [], [0], (), ((),), {}, {0: 0}, set(), None, True, False, range(0), range(1)]
for v in values:
    print(repr(v), bool(v), not v, "truthy" if v else "falsy")

print(1 and 2, 0 and 2, 1 or 2, 0 or 2, "" or "default", None or 0 or [] or "last", 1 and "" and 3)
print([] and [1], [1] and [], not [], not not [1], (0 or None) is None, 1 and 2 or 3, 0 and 2 or 3)

calls = []


def t(label, value):
    calls.append(label)
    return value


print(t("a", 0) and t("b", 1), calls)
calls.clear()
print(t("a", 1) or t("b", 1), calls)
calls.clear()
print(t("a", 1) and t("b", 0) or t("c", "c-val"), calls)

print(True + False, True & False, True | False, True ^ True, ~False, -True, True == 1.0, str(True), repr(False))
print(type(True), isinstance(False, int), bool(), bool(2 ** 100), int(True), float(False))
print(None is None, None == None, None != 0, repr(None), type(None).__name__, bool(None))

x = 5
print("big" if x > 3 else "small", "neg" if x < 0 else "zero" if x == 0 else "pos")
print([("even" if i % 2 == 0 else "odd") for i in range(4)])

# Walrus.
if (n := len("hello")) > 3:
    print("length", n)
data = [1, 5, 3, 8, 2]
print([y for v in data if (y := v * 2) > 5], y)
it = iter(range(5))
while (item := next(it, None)) is not None:
    print(item, end=" ")
print()


class Weird:
    def __init__(self, truth, length=None):
        self.truth = truth
        self.length = length

    def __bool__(self):
        print("__bool__ called")
        return self.truth


class Sized:
    def __len__(self):
        return 0


print(bool(Weird(False)), not Weird(True), bool(Sized()), bool(object()))
print(Weird(True) and "then", Weird(False) or "else")
try:
    class Bad:
        def __bool__(self):
            return 1
    bool(Bad())
except TypeError as e:
    print("TypeError:", e)
print(all([]), any([]), all([1, "x"]), any([0, ""]), all(x > 0 for x in [1, 2, -1]))

# Truth of plain instances is cached per class; every change to a class along the MRO, and
# a change of an instance's class, must still be seen.
class Plain:
    pass

class Child(Plain):
    pass

class Falsy:
    def __bool__(self):
        return False

p, c = Plain(), Child()
seen = []
for step in range(6):
    if step == 2:
        Plain.__len__ = lambda self: 0
    if step == 3:
        del Plain.__len__
    if step == 4:
        Child.__bool__ = lambda self: False
    if step == 5:
        del Child.__bool__
        c.__class__ = Falsy
    seen.append((step, bool(p), bool(c), "yes" if c else "no", not p))
print(seen)
