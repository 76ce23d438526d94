"""Iteration builtins: len, range, enumerate, zip, map, filter, sorted,
reversed, iter (incl. the sentinel form), next (with default)."""

print(len("abc"), len([1, 2]), len(()), len({1: 2}), len({1, 2, 3}), len(range(10)), len("😀"), len(range(5, 0, -2)))
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)


class HasLen:
    def __len__(self):
        return 7


print(len(HasLen()))
print(list(enumerate("abc")), list(enumerate("abc", 1)), list(enumerate([], 5)), list(enumerate(range(3), start=-1)))
e = enumerate(["x", "y"])
print(next(e), next(e), next(e, "done"))

print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1])), list(zip(range(3), range(3), range(3))))
print(dict(zip(["a", "b"], [1, 2])), list(zip(*[(1, "a"), (2, "b")])))
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as e:
    print("ValueError:", e)

print(list(map(abs, [-1, 2, -3])), list(map(pow, [2, 3], [3, 2])), list(map(str.upper, "ab")), list(map(lambda a, b, c: a + b + c, [1, 2], [10, 20], [100])))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])), list(filter(lambda v: v % 2, range(10))), list(filter(str.isdigit, "a1b2")))

log = []
lazy = map(lambda v: log.append(v) or v * 2, [1, 2, 3])
print("map created, log =", log)
print(next(lazy), log)
print(list(lazy), log)

print(sorted([3, 1, 2]), sorted("hello"), sorted((3, 1)), sorted({3: "a", 1: "b"}), sorted([]), sorted({5, 1, 3}))
print(sorted(["bb", "a", "ccc"], key=len), sorted(["bb", "a", "ccc"], key=len, reverse=True), sorted([1, -2, 3], key=abs))
print(sorted([(1, "b"), (1, "a")], key=lambda t: t[0]), sorted("BaAb", key=str.lower), sorted([0.5, 1, -1.5, True]))
try:
    sorted([3, 1], lambda v: v)
except TypeError as e:
    print("TypeError:", e)

print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed(range(4))), list(reversed((1, 2))), list(reversed({"a": 1, "b": 2})))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)


class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return i * 10


print(list(reversed(Seq())), list(Seq()), list(iter(Seq())))

it = iter([1, 2, 3])
print(next(it), next(it), next(it), next(it, "default"), next(it, None))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", repr(e))
print(iter(it) is it, list(iter("xy")), list(iter((1,))), sorted(iter({3, 1, 2})))
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
try:
    next([1, 2])
except TypeError as e:
    print("TypeError:", e)

# iter(callable, sentinel) calls until the sentinel is returned.
state = [5, 4, 3, 0, 2]
print(list(iter(lambda: state.pop(0), 0)), state)


class CountDown:
    def __init__(self, start):
        self.n = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1


cd = CountDown(3)
print(list(cd), list(cd), [x for x in CountDown(2)], sum(CountDown(4)), max(CountDown(5)), 2 in CountDown(3))
print(list(range(3)), list(range(-3, 3, 2)), all(map(bool, range(1, 5))), list(map(len, ["", "ab"])))
