"""Iterable unpacking in assignments, for loops, calls and displays."""

a, b, c = [1, 2, 3]
print(a, b, c)
a, b, c = "xyz"
print(a, b, c)
(a, b), (c, d) = [(1, 2), (3, 4)]
print(a, b, c, d)
[a, [b, [c]]] = 1, (2, [3])
print(a, b, c)
first, *middle, last = range(6)
print(first, middle, last)
*head, tail = [1]
print(head, tail)
a, *b = "x"
print(a, b)
a, b, *c, d = 1, 2, 3
print(a, b, c, d)
(x, *y), z = "abc", 4
print(x, y, z)
k1, k2 = {"k1": 1, "k2": 2}
print(k1, k2)
v = w = [0]
v.append(1)
print(v, w, v is w)
i = 0
data = [10, 20, 30]
i, data[i] = 1, 99   # evaluated left to right: i is set before data[i]
print(i, data)
p = [1, 2]
p[0], p[1] = p[1], p[0]
print(p)

for idx, (name, (lo, hi)) in enumerate([("a", (1, 2)), ("b", (3, 4))]):
    print(idx, name, lo, hi)
for head, *rest in [(1, 2, 3), (4,)]:
    print(head, rest)

print(*[1, 2, 3], sep="-")
print([*range(3), *"ab", *(None,)], (*[1], *[2]), {*[1, 2], *[2, 3]})
print({**{"a": 1}, "b": 2, **{"a": 3}})


def f(*args, **kwargs):
    return args, kwargs


print(f(*"ab", *[1], **{"x": 1}, y=2))
try:
    a, b = 1
except TypeError as e:
    print("TypeError:", e)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    [a, b, c] = iter([1, 2])
except ValueError as e:
    print("ValueError:", e)
try:
    a, *b, c, d = "ab"
except ValueError as e:
    print("ValueError:", e)
try:
    f(**{"a": 1}, **{"a": 2})
except TypeError as e:
    print("TypeError:", e)
gen = (n * n for n in range(4))
q, r, s, t = gen
print(q, r, s, t)
