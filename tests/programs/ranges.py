"""range objects: arguments, emptiness, length, indexing, slicing,
membership, equality, reversal and use in loops."""

for args in [(5,), (0,), (-3,), (2, 8), (8, 2), (0, 10, 3), (10, 0, -3), (10, 0, 3), (-5, 5, 2), (5, -5, -2), (1, 2, 10)]:
    r = range(*args)
    print(args, r, list(r), len(r), bool(r))
r = range(3, 30, 4)
print(r[0], r[-1], r[2], r[-3], r.start, r.stop, r.step, r.index(11), r.count(11), r.count(12))
print(11 in r, 12 in r, 3.0 in r, 31 in r, -1 in range(-5, 0))
print(r[1:4], r[::-1], r[::2], r[5:1:-2], list(r[::-1]), range(10)[-100:100])
print(range(0) == range(5, 5), range(0, 3) == range(3), range(1, 10, 2) == range(1, 11, 2), range(2) == [0, 1])
print(list(reversed(range(5))), list(reversed(range(1, 10, 4))), sum(range(101)), max(range(7)), min(range(3, 9)))
big = range(10 ** 20)
print(big[-1], 10 ** 19 in big, big[10 ** 18:10 ** 18 + 3], range(2 ** 70, 2 ** 70 + 3)[1])
try:
    range(5)[5]
except IndexError as e:
    print("IndexError:", e)
try:
    range(0, 5, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    range(1.5)
except TypeError as e:
    print("TypeError:", e)
try:
    range(3).index(7)
except ValueError as e:
    print("ValueError:", e)
total = 0
for i in range(10, 0, -2):
    total += i
    print(i, end=",")
print(" total", total)
for i in range(3):
    for j in range(i, 3):
        print((i, j), end=" ")
print()
print(list(zip(range(3), range(10, 13))), list(enumerate(range(5, 8))), [i for i in range(20) if i % 7 == 0])
print(repr(range(1, 5, 1)), str(range(-2, 2)), hash(range(3)) == hash(range(0, 3, 1)))
try:
    len(big)
except OverflowError as e:
    print("OverflowError:", e)
