"""list methods and behaviour: mutation, aliasing, sorting (stable, key,
reverse), comparison, nesting and self-referencing repr."""

a = [3, 1, 2]
a.append(4); print(a)
a.extend([5, 6]); print(a)
a.extend(range(2)); print(a)
a.extend("xy"); print(a)
a.insert(0, "first"); a.insert(-1, "before-last"); a.insert(100, "end"); a.insert(-100, "start"); print(a)
print(a.pop(), a.pop(0), a.pop(-2), a)
a.remove("first"); print(a)
print(a.index(5), a.index(0), a.count(1), a.count("nope"))
a.reverse(); print(a)
b = a.copy(); b.clear(); print(a, b)

# Aliasing vs copying.
x = [1, 2, 3]
y = x
z = x[:]
w = list(x)
y.append(4)
print(x, y, z, w, x is y, x is z, x == z + [4])
grid = [[0] * 3] * 2
grid[0][0] = 9
print(grid, "aliased rows")
grid = [[0] * 3 for _ in range(2)]
grid[0][0] = 9
print(grid, "independent rows")

# Operators.
print([1, 2] + [3], [0] * 4, 2 * ["a"], [] * 5, [1] * 0)
c = [1]
c += (2, 3)
c += "ab"
c *= 2
print(c)
print([1, 2, 3] == [1, 2, 3], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 99], [] < [0])
print(3 in [1, 2, 3], [1] in [[1], [2]], 4 not in [1, 2])

# Sorting.
nums = [5, 2, 9, 1, 5, 6, -3, 0]
print(sorted(nums), sorted(nums, reverse=True), nums)
print(nums.sort(), nums)
nums.sort(key=lambda v: -v); print(nums)
nums.sort(key=abs); print(nums)
words = ["banana", "Apple", "cherry", "date", "Fig", "elderberry", "apple"]
print(sorted(words), sorted(words, key=len), sorted(words, key=str.lower))
print(sorted(words, key=len, reverse=True))
# Stability: equal keys keep their original order, also with reverse=True.
pairs = [("b", 2), ("a", 2), ("c", 1), ("d", 3), ("e", 1), ("f", 2)]
print(sorted(pairs, key=lambda p: p[1]))
print(sorted(pairs, key=lambda p: p[1], reverse=True))
print(sorted(pairs, key=lambda p: (p[1], p[0])))
recs = [(2, "x"), (1, "y"), (2, "a"), (1, "b")]
recs.sort(key=lambda r: r[1]); recs.sort(key=lambda r: r[0]); print(recs)
print(sorted([[2, 1], [1, 2], [1, 1], [2]]), sorted([1.5, 1, 0.5, True, -2]))
try:
    sorted([1, "a"])
except TypeError as e:
    print("TypeError:", e)

# Nesting and repr.
nested = [1, [2, [3, [4, []]]], "s", None, True, 1.0, (5,), {"k": [6]}]
print(nested, len(nested), nested[1][1][1])
selfref = [1, 2]
selfref.append(selfref)
print(selfref, len(selfref), selfref[2][2][0])
d = {"a": 1}
loop = [d]
d["me"] = loop
print(loop)

# Deletion.
e = list(range(10))
del e[0]; del e[-1]; del e[2:4]; del e[::2]
print(e)

# min/max/sum/len and list().
print(len([]), min([4, 2, 8]), max([4, 2, 8]), sum([1, 2, 3]), list(), list((1, 2)), list({1: "a", 2: "b"}))

# Modifying a list while iterating over it (well defined, if surprising).
m = [1, 2, 3, 4, 5, 6]
for item in m:
    if item % 2 == 0:
        m.remove(item)
print(m)
m = [1, 2, 2, 3]
for item in m:
    if item == 2:
        m.remove(item)
print(m)

# Errors with messages.
for fn in (lambda: [].pop(), lambda: [1].pop(5), lambda: [1, 2].index(9), lambda: [1].remove(2), lambda: [1][3]):
    try:
        fn()
    except (IndexError, ValueError) as err:
        print(type(err).__name__, err)

# A list as a stack and a queue.
stack = []
for i in range(5):
    stack.append(i * i)
while stack:
    print(stack.pop(), end=" ")
print()
queue = list("abcde")
while queue:
    print(queue.pop(0), end="")
print()
big = list(range(1000))
print(sum(big), big[-1], len(big[::7]), big[500:505])
