"""Slicing of lists, strings, tuples and ranges: negative indexes and steps,
out-of-range bounds, slice objects, slice assignment and deletion."""

L = list(range(10))
s = "abcdefghij"
t = tuple(L)
cases = [
    (None, None, None), (2, None, None), (None, 3, None), (2, 7, None), (-3, None, None),
    (None, -3, None), (-7, -2, None), (None, None, 2), (1, None, 3), (None, None, -1),
    (None, None, -2), (8, 2, -1), (8, 2, -3), (-1, -8, -2), (2, 8, -1), (100, None, None),
    (None, 100, None), (-100, 100, None), (-100, -50, None), (50, -100, -1), (5, 5, None),
    (7, 3, None), (3, None, -1), (None, 3, -1), (-2, None, -4), (0, 0, -1), (9, -11, -1),
]
for start, stop, step in cases:
    sl = slice(start, stop, step)
    print((start, stop, step), L[sl], s[sl], t[sl] == tuple(L[sl]), sl.indices(len(L)))

print(s[::-1], s[-1::-1], s[:-1], s[::3], s[1::3], "x"[5:], ""[::-1], s[3:1])
print(L[start] if (start := 3) else None, L[-1], L[-10])
print(repr(slice(1, 2)), slice(None), slice(3), slice(1, 2, 3) == slice(1, 2, 3))
print(range(10)[2:8:2], range(10)[::-1], range(1, 20, 3)[-2:], list(range(10)[::-3]))

# Slice assignment.
a = list(range(8))
a[2:4] = ["x", "y", "z"]; print(a)
a[1:6] = []; print(a)
a[:0] = [-2, -1]; print(a)
a[len(a):] = [100]; print(a)
a[::2] = "ABCD"[: len(a[::2])]; print(a)
a[1:3] = "pq"; print(a)
a[:] = range(5); print(a)
a[10:20] = [9]; print(a)
a[-2:] = (7, 8, 9); print(a)
a[3:1] = ["ins"]; print(a)
b = list(range(10))
b[::-3] = ["a", "b", "c", "d"]; print(b)
try:
    b[::2] = [1, 2]
except ValueError as e:
    print("ValueError:", e)
try:
    "abc"[0:1] = "z"
except TypeError as e:
    print("TypeError:", e)

# Deleting slices.
c = list(range(12))
del c[::3]; print(c)
del c[-2:]; print(c)
del c[1:-1:2]; print(c)
del c[:]; print(c)

# Slices copy (shallow).
orig = [[1], [2]]
cp = orig[:]
cp[0].append("shared")
cp[1] = "replaced"
print(orig, cp, orig[:] == orig, orig[:] is orig)

# Slicing with big and bool indexes.
print(L[True:], L[:False], L[2 ** 70:], L[-(2 ** 70):3], s[::2 ** 40], s[True])
