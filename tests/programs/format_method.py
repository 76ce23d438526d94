"""str.format and format(): positional and keyword fields, indexing and
attribute access in fields, conversions, nested width and __format__."""

print("{} {} {}".format(1, "two", 3.0))
print("{0} {1} {0}".format("a", "b"), "{1}{0}".format("x", "y"))
print("{name} is {age}".format(name="Bob", age=30), "{0} {x}".format(1, x=2))
print("{!r} {!s} {!a}".format("hi", "hi", "é"))
print("{:>8}|{:<8}|{:^8}|".format("r", "l", "c"), "{:*^9}".format("mid"))
print("{:.3f} {:10.2e} {:,} {:08.3f} {:+d} {: d}".format(3.14159, 12345.678, 10 ** 9, -3.14159, 5, 5))
print("{:x} {:#X} {:o} {:b} {:%} {:.1%}".format(255, 255, 8, 5, 0.5, 1 / 3))
print("{:>{}}|{:.{}f}|{:{}{}}".format("w", 6, 3.14159, 2, 7, "<", 4))
print("{{}} {{{}}}".format("in braces"))

point = {"x": 1, "y": 2}
print("{0[x]},{0[y]}".format(point), "{p[x]}".format(p=point), "{0[1]} {0[0]}".format(["a", "b"]))
print("x={x} y={y}".format(**point), "{} {}".format(*"ab"))


class P:
    def __init__(self):
        self.x = 10
        self.inner = [7, 8]


p = P()
print("{0.x} {0.inner[1]} {obj.x}".format(p, obj=p))
print("{:>6}".format(True), "{}".format(None), "{:d}".format(True), "{:5}".format(1.5))
print("{}".format([1, "a", None]), "{!r:>12}".format("q"), "{:g}".format(1e-10))

# format() builtin and __format__ protocol.
print(format(3.5), format(3.5, ".3f"), format(255, "x"), format("s", "^5"), format(12, ""), format(-0.0, "+"))


class Temp:
    def __init__(self, c):
        self.c = c

    def __format__(self, spec):
        if spec == "F":
            return f"{self.c * 9 / 5 + 32:.1f}F"
        return f"{self.c:.1f}C"


print("{} / {:F}".format(Temp(21.5), Temp(21.5)), format(Temp(0), "F"))

# Errors from format strings are well defined.
for template, args in [("{}{}", (1,)), ("{0}{}", (1, 2)), ("{:d}", ("x",)), ("{", ()), ("{x}", ())]:
    try:
        print("{!r}".format(template.format(*args)))
    except (IndexError, ValueError, KeyError) as e:
        print(type(e).__name__, e)
rows = [("apple", 3, 1.5), ("banana", 12, 0.25), ("cherry", 100, 10.0)]
for n, q, price in rows:
    print("{:<8}|{:>5}|{:>8.2f}|{:>8.2f}".format(n, q, price, q * price))
