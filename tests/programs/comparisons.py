"""Comparisons: chaining (each operand evaluated once), identity, membership,
mixed int/float/bool, sequences, None, NaN and unorderable types."""

x = 5
print(1 < x < 10, 1 < x > 4, 10 > x >= 5 > 4, 1 < x < 3, x == 5 == 5.0, 1 < 2 < 3 < 4 < 5 < 4)
print(1 == 1.0 == True, 0 == 0.0 == False == -0.0, 2 ** 53 == 2.0 ** 53, 2 ** 53 + 1 == 2.0 ** 53 + 1)
print(3 != 3.0, 1 < True + 1, -1 < False, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-9)

calls = []


def val(label, v):
    calls.append(label)
    return v


print(val("a", 1) < val("b", 2) < val("c", 3), calls)
calls.clear()
print(val("a", 1) < val("b", 0) < val("c", 3), calls)  # stops after the first false comparison

a = [1, 2]
b = [1, 2]
c = a
print(a == b, a is b, a is c, a is not b, None is None, type(None) is type(None))
print(isinstance(None, object), True is True, (1 == 1) is True, [] == [], [] is not [])

print(2 in [1, 2, 3], 2.0 in [1, 2], "b" in "abc", "ab" in "abc", "ac" in "abc", 1 in {1: "x"}, "x" in {1: "x"})
print((1, 2) in [(1, 2)], [1] in [[1]], 3 in range(5), 3 in {3}, 5 not in (1, 2), "" in "a")
print(float("nan") in [float("nan")], (n := float("nan")) in [n], [n] == [n], n == n)

# Sequence comparisons are lexicographic, element by element.
print([1, 2, 3] < [1, 2, 4], [1, 2] < [1, 2, 3], (2,) > (1, 9, 9), "abc" < "abd", "Z" < "a", "" < " ")
print([1, [2, 3]] < [1, [2, 4]], (1, "a") < (1, "b"), [1.0, 2] == [1, 2.0], (1, 2) == [1, 2], "1" == 1)
print(max([3, 1], [2, 9]), min("b", "a", "c"), sorted([(1, "b"), (1, "a"), (0, "z")]))

# Mixed numeric types.
print(1 < 1.5, 2.5 > 2, 10 ** 20 > 1e19, 10 ** 400 > 1e308, -(10 ** 400) < -1e308, 10 ** 400 < float("inf"))
print(True < 2, False >= 0, 1.0 <= True, 0.5 < True < 1.5, (2 ** 63) > 9.2e18, 2 ** 64 == 18446744073709551616.0)

# NaN compares false with everything, except !=.
nan = float("nan")
print(nan < 1, nan > 1, nan == nan, nan != nan, nan <= nan, 1 < nan, sorted([3, 1, 2]) == [1, 2, 3])

# Ordering between unrelated types raises TypeError; equality does not.
for left, right in [(1, "1"), ([1], (1,)), (None, 0), ({}, {}), ({1}, [1])]:
    try:
        print(repr(left), "<", repr(right), left < right)
    except TypeError as e:
        print("TypeError:", e)
print(1 == "1", None == 0, [] == (), {} == [], {1} == frozenset({1}), {1} < {1, 2}, {1, 2} > {3})

# The result of a comparison operator on custom objects may be any object.


class Weird:
    def __lt__(self, other):
        return "not a bool"

    def __eq__(self, other):
        return [1]


print(Weird() < Weird(), Weird() == 1, 1 == Weird(), bool(Weird() == 1))
print(not 1 == 2, not (1 == 2), (not 1) == 2, 1 != 2 != 1, x is not None is not False)
