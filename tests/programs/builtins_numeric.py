"""Numeric builtins: min, max (key, default), sum, any, all, abs, round
(banker's rounding, ndigits), divmod, pow (incl. 3-arg), hex, oct, bin,
chr, ord."""

print(min(3, 1, 2), max(3, 1, 2), min([4, 2, 8]), max("hello"), min("b", "a"), max([1, 2], [1, 3]), min(2, 2.0), max(2.0, 2))
print(max(["apple", "fig", "banana"], key=len), min(["apple", "fig", "banana"], key=len), max([-5, 3], key=abs), min({"a": 3, "b": 1}, key={"a": 3, "b": 1}.get))
print(max([], default="empty"), min([], default=None), max([1], default=0), max((x for x in []), default=-1))
print(max([1, 3, 3.0, 2]), max([3.0, 3, 1]), min([(1, "b"), (1, "a")]), max([2, 1], [2, 1, 0]))
for bad in (lambda: max([]), lambda: min(), lambda: max(1), lambda: max(1, "a")):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)

print(sum([1, 2, 3]), sum([]), sum([1.5, 2.5]), sum([1, 2], 10), sum([[1], [2]], []), sum(range(101)), sum([0.1] * 10), sum((True, True, False)))
print(sum([1, 2.5]), sum([], 0.0), sum([10 ** 20, 1.0]), sum(x * x for x in range(10)), sum([1, 2], start=5))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError:", e)

print(any([0, 0, 1]), any([]), any(x > 5 for x in range(3)), all([1, 2, 3]), all([]), all([1, 0]), any("a"), all(["", "x"]))

print(abs(-5), abs(5), abs(-3.5), abs(-0.0), abs(0), abs(-(10 ** 30)), abs(True), abs(float("-inf")))

# round(): ties go to the even neighbour; with ndigits it works on the exact binary value.
for v in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.675, 1.005, 0.125, 0.375, 1e16, 123.456, -123.456]:
    print(v, round(v), round(v, 0), round(v, 1), round(v, 2), round(v, -1), type(round(v)).__name__)
print(round(1234), round(1250, -2), round(1350, -2), round(-1250, -2), round(15, -1), round(25, -1), round(5, -1), round(7, 2), round(12345, -10))
print(round(2 ** 70 + 5, -1), round(0.0), round(-0.0), round(-0.4), round(1e300), round(float("inf"), 2), round(0.1, 20))
try:
    round(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    round(float("nan"))
except ValueError as e:
    print("ValueError:", e)

print(divmod(7, 2), divmod(-7, 2), divmod(7, -2), divmod(-7, -2), divmod(7.5, 2), divmod(-7.5, 2), divmod(0, 5), divmod(10 ** 20, 7))
print(divmod(1, 0.3), divmod(5, 0.5), divmod(-1e-20, 1.0), divmod(True, 2))
try:
    divmod(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)

print(pow(2, 10), pow(2, -1), pow(2.0, 3), pow(-2, 3), pow(4, 0.5), pow(0, 0), pow(2, 100), pow(-8, 1 / 3) == (-8) ** (1 / 3))
print(pow(3, 4, 5), pow(2, 100, 1000), pow(-3, 3, 7), pow(3, -1, 7), pow(10, -2, 13), pow(0, 0, 1), pow(5, 0, 3), pow(7, 10 ** 18, 10 ** 9 + 9))
for bad in (lambda: pow(2, 3, 0), lambda: pow(2, -1, 4), lambda: pow(2.0, 3, 5), lambda: pow(0, -1)):
    try:
        bad()
    except (ValueError, TypeError, ZeroDivisionError) as e:
        print(type(e).__name__, e)

print(hex(255), hex(-255), hex(0), hex(2 ** 64), oct(8), oct(-8), oct(0), bin(5), bin(-5), bin(0), bin(2 ** 40))
try:
    hex(1.5)
except TypeError as e:
    print("TypeError:", e)
print(chr(65), chr(97), chr(0x263A), repr(chr(0)), repr(chr(10)), chr(0x1F40D), ord("A"), ord("é"), ord("\n"), ord("🐍"))
for bad in (lambda: chr(-1), lambda: chr(0x110000), lambda: ord("ab"), lambda: ord("")):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print([chr(ord("a") + i) for i in range(5)], "".join(chr(c) for c in range(0x41, 0x48)))
