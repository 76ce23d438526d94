"""functools: reduce (with and without an initial value) and lru_cache
(memoisation, maxsize eviction, cache_info, cache_clear, typed keys)."""
import functools
from functools import lru_cache, reduce

print(reduce(lambda a, b: a + b, [1, 2, 3, 4]), reduce(lambda a, b: a * b, range(1, 11)), reduce(max, [3, 9, 2]))
print(reduce(lambda a, b: a + b, [], 0), reduce(lambda a, b: a + b, [5]), reduce(lambda acc, c: c + acc, "abc", ""))
print(reduce(lambda acc, x: acc + [x * x], range(5), []), reduce(lambda a, b: a * 10 + b, [1, 2, 3], 0))
print(reduce(lambda d, kv: {**d, kv[0]: kv[1]}, [("a", 1), ("b", 2)], {}), functools.reduce(pow, [2, 3, 2]))
try:
    reduce(lambda a, b: a + b, [])
except TypeError as e:
    print("TypeError:", e)
steps = []


def traced_add(a, b):
    steps.append((a, b))
    return a + b


reduce(traced_add, [1, 2, 3, 4], 100)
print(steps)

calls = []


@lru_cache(maxsize=None)
def fib(n):
    calls.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(80), len(calls), fib(80), len(calls), fib.cache_info())
fib.cache_clear()
print(fib.cache_info(), fib(10), fib.cache_info().misses)


@lru_cache(maxsize=2)
def square(x):
    print(f"  computing {x}")
    return x * x


print(square(2), square(3), square(2))
print(square(4))          # evicts 3, the least recently used
print(square(2), square(3))
print(square.cache_info(), square.__wrapped__(9), square.__name__)


@lru_cache
def describe(x):
    return f"{type(x).__name__}:{x}"


print(describe(1), describe("a"), describe(1), describe(2.5), describe.cache_info())


@lru_cache(maxsize=8, typed=True)
def typed(x):
    return f"{type(x).__name__}:{x}"


print(typed(1), typed(1.0), typed.cache_info())


@lru_cache(maxsize=None)
def kw(a, b=0, *, scale=1):
    print(f"  kw({a}, {b}, scale={scale})")
    return (a + b) * scale


# Only identical call patterns are repeated: whether kw(1, 2) and kw(1, b=2)
# share a cache entry is an implementation detail.
print(kw(1, 2), kw(1, 2), kw(1, 2, scale=3), kw(1, 2, scale=3), kw(4, b=5), kw(4, b=5), kw.cache_info())
try:
    kw([1])
except TypeError as e:
    print("TypeError:", e)


# lru_cache turning an exponential recursion into a linear one.
@lru_cache(maxsize=None)
def paths(r, c):
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)


print(paths(16, 16), paths.cache_info().currsize)
