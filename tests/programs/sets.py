"""sets and frozensets: algebra, membership, mutation, comparison and
hashing.  Sets of strings are always sorted before printing (their order
depends on string hashing); sets of small non-negative ints print directly."""

a = {1, 2, 3, 4}
b = {3, 4, 5, 6}
print(a, b, {3, 1, 2}, {5, 5, 5}, set(), len(a))
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union(b, [7]), a.intersection(b, {4}), a.difference([1]), a.symmetric_difference(range(3)))
print({1, 2} <= a, {1, 2} < a, a < a, a <= a, a >= {1}, a > a, {1, 2}.issubset(a), a.issuperset([1, 9]))
print(a.isdisjoint({7, 8}), a.isdisjoint(b), a == {4, 3, 2, 1}, a != b)
s = set()
s.add(3); s.add(1); s.add(3); print(s)
s.update([2, 5], (8,)); print(s)
s.discard(99); s.discard(5); print(s)
s.remove(8); print(s)
try:
    s.remove(42)
except KeyError as e:
    print("KeyError:", e)
c = {10, 20, 30}
c |= {40}; c &= {10, 40, 50}; print(c)
c -= {10}; c ^= {1, 40}; print(c)
print(c.pop(), c, {7}.pop())
c.clear(); print(c)

words = set("mississippi")
print(sorted(words), len(words), "s" in words, "z" not in words)
names = {"bob", "amy", "cal"}
print(sorted(names | {"dee"}), sorted(names - {"amy"}), sorted(names & {"amy", "zed"}))

# frozensets are hashable.
fs = frozenset([3, 1, 2])
print(fs, frozenset(), fs | {9}, type(fs | {9}).__name__, type({9} | fs).__name__)
print(fs == {1, 2, 3}, {fs: "key"}[frozenset({1, 2, 3})], {frozenset([1]), frozenset([1])})
try:
    fs.add(4)
except AttributeError as e:
    print("AttributeError:", e)
try:
    {[1, 2]}
except TypeError as e:
    print("TypeError:", e)
print({1, 1.0, True}, {0, False, 0.0}, len({(1, 2), (1, 2), (2, 1)}))
print(sorted({(2, "b"), (1, "a"), (1, "b")}), sorted({-5, 3, -1, 100, 2 ** 70}))

# Comprehensions and deduplication.
print({x % 5 for x in range(20)}, sorted({x * x for x in range(-3, 4)}), sorted(set([3, 1, 3, 2, 1])))
# The exact iteration order of CPython's hash table for small ints, including
# values larger than the table (which wrap around) and after deletions.
print({x * x for x in range(-3, 4)}, {40, 10}, {8, 1, 16}, {100, 3, 7}, set([9, 1, 17]))
seen = set()
unique_in_order = []
for ch in "abracadabra":
    if ch not in seen:
        seen.add(ch)
        unique_in_order.append(ch)
print(unique_in_order)
print(set(range(10)) - set(range(0, 10, 2)), set(range(5)).copy(), set([1, 2]) == frozenset([1, 2]))
print(min({4, 2, 8}), max({4, 2, 8}), sum({1, 2, 3}), sorted({3, 1, 2}, reverse=True), len(set("aab")))
print(repr(set()), repr(frozenset({5})), {1, 2, 3} - {1, 2, 3})
