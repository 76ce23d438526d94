# range() with small-int, big-int, negative and bool bounds (small ints take a fast path).
print(list(range(5)), list(range(2, 9, 3)), list(range(9, 2, -2)), list(range(-3)), len(range(0, 10**3, 7)))
print(range(1, 10, 2), range(5), range(-5, 5)[3], list(range(2**47-3, 2**47+2)))
try:
    range(1, 2, 0)
except ValueError as e:
    print(e)
print(list(range(True, 4)))
