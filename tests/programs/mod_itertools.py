"""itertools: count, islice, permutations, combinations, product, chain,
repeat; laziness, infinite iterators cut by islice, and their errors."""
import itertools
from itertools import chain, combinations, count, islice, permutations, product, repeat

# count: infinite, with start and step (ints and floats).
c = count()
print(next(c), next(c), next(c), list(islice(count(10), 4)), list(islice(count(5, -2), 5)))
print(list(islice(count(0.5, 0.25), 4)), list(islice(count(2 ** 63 - 2), 4)), repr(count(3)), repr(count(1, 2)))
for i in count(1):
    if i * i > 50:
        print("first square over 50:", i)
        break

# islice: stop, start/stop, steps, None, and stopping early on short input.
print(list(islice("abcdefg", 3)), list(islice("abcdefg", 2, 5)), list(islice("abcdefg", 1, None, 2)))
print(list(islice(range(100), 10, 50, 15)), list(islice([1, 2], 10)), list(islice("abc", None)), list(islice("abc", 0)))
it = iter(range(10))
print(list(islice(it, 3)), list(islice(it, 3)), next(it))
for bad in [(-3,), (1, -2), (0, 5, 0), ("x",)]:
    try:
        islice("abc", *bad)
    except ValueError as e:
        print("ValueError:", e)

# permutations and combinations: order, r, and edge cases.
print(list(permutations([1, 2, 3])))
print(list(permutations("abcd", 2)), len(list(permutations(range(6)))), len(list(permutations(range(6), 3))))
print(list(permutations("ab", 0)), list(permutations("ab", 3)), list(permutations([])))
print(list(combinations("abcd", 2)), list(combinations(range(5), 3)))
print(list(combinations("abc", 0)), list(combinations("abc", 4)), len(list(combinations(range(20), 3))))
print(list(combinations([3, 1, 3], 2)), sum(1 for _ in combinations(range(10), 5)))

# product: repeat, several iterables, empty factors.
print(list(product("ab", [0, 1])), list(product([1, 2], repeat=2)))
print(list(product("ab", "cd", "ef")), list(product()), list(product("ab", [])), len(list(product(range(3), repeat=4))))
print(["".join(p) for p in product("01", repeat=3)])

# chain and chain.from_iterable: lazy concatenation.
print(list(chain([1, 2], "ab", (None,), range(2))), list(chain()), list(chain([], [])))
print(list(chain.from_iterable(["abc", [1, 2], range(2)])), list(chain.from_iterable([[i] * i for i in range(4)])))
lazy = chain.from_iterable(count(i * 10) for i in count())
print(next(lazy), next(lazy), next(lazy))

# repeat: finite and infinite.
print(list(repeat("x", 3)), list(repeat(None, 0)), list(repeat(1, -1)), list(islice(repeat(7), 4)), repr(repeat(2, 2)))
print(list(map(pow, range(5), repeat(2))), list(zip("abc", repeat(0))))

# Iterators are single-use and lazy.
p = permutations(range(3))
print(next(p), next(p), len(list(p)), list(p))
log = []


def tracked():
    for v in "xyz":
        log.append(v)
        yield v


ch = chain(tracked(), tracked())
before = list(log)
first = next(ch)
print(before, first, list(log), list(islice(ch, 2)), list(log))
print(type(count()).__name__, type(chain()).__name__, type(islice("", 1)).__name__, type(product()).__name__)
print(itertools.__name__, iter(permutations("a")) is not None)

# A small combinatorial search using these together.
coins = [1, 2, 5, 10]
ways = sum(1 for n in range(1, 5) for combo in product(coins, repeat=n) if list(combo) == sorted(combo) and sum(combo) == 12)
pairs = [(a, b) for a, b in combinations(range(1, 20), 2) if a * b == 36]
triples = [t for t in product(range(1, 15), repeat=3) if t[0] < t[1] < t[2] and t[0] ** 2 + t[1] ** 2 == t[2] ** 2]
print(ways, pairs, triples)
for bad in (lambda: permutations("abc", -1), lambda: combinations("abc", -1), lambda: product("a", repeat=-1), lambda: islice(count(), -5)):
    try:
        print(list(bad()))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
