"""next() on an exhausted iterator at module level: a bare StopIteration."""
it = iter([1, 2])
print(next(it))
print(next(it))
print(next(it))
