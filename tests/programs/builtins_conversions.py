"""Conversion builtins: int (bases, strings, floats), float (strings incl.
inf/nan), str, repr, bool, list, tuple, dict, set, frozenset."""

print(int(), int(42), int("42"), int(" -42 "), int("+7"), int("1_000"), int("0"), int("-0"), int("  12\n"), int("٣"))
print(int(3.99), int(-3.99), int(1e20), int(True), int(False), int(-0.0), int(2.5e-5))
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0xff", 0), int("0o17", 0), int("0b101", 0), int("101", 2), int("z", 36), int("Zz", 36), int("-10", 8), int("10", base=3))
print(int("0", 0), int("00", 0), int(" 0x_1_f ", 0), int("1" * 30), int("-" + "7" * 25))
for bad in ["x", "", " ", "1.5", "1e3", "0x10", "1__0", "_1", "12a", "--1", "١٢x"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
for args in [("9", 8), ("10", 1), ("10", 37), ("08", 0)]:
    try:
        int(*args)
    except ValueError as e:
        print("ValueError:", e)
for bad in [None, [1], 1j]:
    try:
        print(int(bad))
    except TypeError as e:
        print("TypeError:", e)
for bad in [float("inf"), float("nan")]:
    try:
        int(bad)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)

print(float(), float(3), float("1.5"), float("  -2.5e3 "), float(".5"), float("5."), float("1_000.000_1"), float("1e-400"), float("1e400"), float(True))
print(float("inf"), float("-inf"), float("+Infinity"), float("INF"), float("nan"), float("-nan"), float("NaN"), float(10 ** 20), float("0x10" if False else "16"))
for bad in ["abc", "", "1.2.3", "1e", "in f", "0x10", "1_", "--1.0"]:
    try:
        float(bad)
    except ValueError as e:
        print("ValueError:", e)

print(str(), str(5), str(-1.5), str(1e100), str([1, "a"]), str(None), str(str), str(True), str(("s",)), str({"a": 1.0}))
print(repr(5), repr("s"), repr([1, "a"]), repr(None), repr(1.0), repr("it's"), repr(repr("x")), repr(2 ** 64), repr(-0.0), repr(()))
print(bool(), bool(0), bool(1), bool(-1), bool(0.0), bool(""), bool("False"), bool([]), bool([0]), bool(None), bool({}), bool(range(0)))
print(list(), list("abc"), list((1, 2)), list(range(3)), list({"a": 1, "b": 2}), list({"a": 1}.items()), list(x for x in "xy"))
print(tuple(), tuple([1, 2]), tuple("ab"), tuple({1: 2}), tuple(range(2)), tuple((1,)))
print(dict(), dict(a=1), dict([("a", 1), ("b", 2)]), dict({"x": 1}, y=2), dict(zip("ab", [1, 2])), dict([["k", "v"]]), dict(((1, 2),)))
for bad in ([1, 2], [("a",)], [("a", 1, 2)], 5):
    try:
        dict(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(set(), set([1, 2, 2]), sorted(set("hello")), set(range(3)), set({1: "a"}), set((3, 3, 3)))
print(frozenset(), frozenset([1, 2, 2]), sorted(frozenset("aab")), frozenset(range(2)) == {0, 1}, type(frozenset()).__name__)
print(int("  +0b1_0", 0), float(" \t 2.5 \n"), str(0.1 + 0.2), int(float("1e5")), float(int("9" * 20)))
print(type(int("5")).__name__, type(float("5")).__name__, type(str(5)).__name__, isinstance(bool(1), int))
