"""Tuples: creation, packing/unpacking, immutability, hashing, comparison
and methods."""

empty = ()
one = (1,)
not_tuple = (1)
print(empty, one, not_tuple, type(one).__name__, type(not_tuple).__name__, len(empty))
t = 1, "two", 3.0, None, [5]
print(t, t[1], t[-1], t[1:3], len(t))
a, b, c, d, e = t
print(a, b, c, d, e)
x, y = 1, 2
x, y = y, x
print(x, y)
(p, q), r = (1, 2), 3
print(p, q, r)
first, *rest = (1, 2, 3, 4)
*init, last = [1, 2, 3, 4]
h, *mid, tl = "abcde"
print(first, rest, init, last, h, mid, tl)
print((1, 2) + (3,), (0,) * 3, 2 * ("a", "b"), (1, 2) * 0)
print((1, 2) == (1, 2), (1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 99), () < (0,), (1, "a") < (1, "b"))
print((1, 2, 3, 2, 2).count(2), (1, 2, 3, 2).index(2), (1, 2, 3, 2).index(2, 2), 3 in (1, 2, 3))
try:
    t[0] = 5
except TypeError as e:
    print("TypeError:", e)
t[4].append(6)
print(t)
try:
    hash(t)
except TypeError as e:
    print("TypeError:", e)
coords = {(0, 0): "origin", (1, 2): "p", (1, 2.0): "same key"}
print(coords, coords[(1, 2)], (1, 2) in coords)
print(hash((1, 2)) == hash((1, 2)), hash((1, 2)) == hash((1.0, 2.0)), hash(()) == hash(()))
print(tuple(), tuple([1, 2]), tuple("ab"), tuple(range(3)), tuple(i * i for i in range(4)))
print(tuple({3: 0, 1: 0}), repr((("nested",),)), ((),), (((1,),),))
print(max((3, 1), (2, 9)), min([(1, "b"), (1, "a")]), sorted([(2, 1), (1, 2), (1, 1)]))


def multi():
    return 1, [2], "three"


res = multi()
print(res, type(res).__name__)
n1, n2, n3 = multi()
print(n1, n2, n3)
for i, (k, v) in enumerate([("a", 1), ("b", 2)]):
    print(i, k, v)
try:
    a, b = (1, 2, 3)
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = (1, 2)
except ValueError as e:
    print("ValueError:", e)
try:
    a, *b, c = (1,)
except ValueError as e:
    print("ValueError:", e)
print(t.__len__(), (1, 2).__add__((3,)), (1, 2).__contains__(2))
