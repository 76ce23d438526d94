"""List, dict and set comprehensions and generator expressions: filters,
nesting, scoping rules (own scope, class bodies), closures and walrus."""

print([x * x for x in range(6)], [x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)], [c.upper() for c in "abc"])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[i] for row in matrix for i in range(len(row)) if i == 1], [[row[i] for row in matrix] for i in range(3)])
print([x for row in matrix for x in row], [[x * y for y in range(1, 4)] for x in range(1, 4)])
print({x: x ** 3 for x in range(5)}, {v: k for k, v in {"a": 1, "b": 2}.items()}, {x % 3: x for x in range(10)})
print({x % 4 for x in range(20)}, sorted({w.lower() for w in ["A", "a", "B"]}), {(x, x) for x in range(2)} == {(0, 0), (1, 1)})
print(list(x + 1 for x in range(3)), tuple(str(x) for x in range(3)), sum(x for x in range(101)), sorted(x for x in [3, 1, 2]))
print([("even" if n % 2 == 0 else "odd", n) for n in range(4)], [y for x in [[1], [2, 3], []] for y in x])
print([[]for _ in range(2)], [i for i in []], {k: [] for k in ()}, set(x for x in ""))

# The loop variable does not leak into the enclosing scope.
x = "outer x"
result = [x for x in range(3)]
print(x, result)
try:
    print(leaked)
except NameError as e:
    print("NameError:", e)
_ = [leaked for leaked in range(2)]
try:
    print(leaked)
except NameError as e:
    print("NameError:", e)

# The walrus target binds in the enclosing scope.
values = [4, 8, 15, 16, 23, 42]
big = [last := v for v in values if v > 10]
print(big, last)
total = 0
running = [total := total + v for v in values]
print(running, total)

# Late binding of closures made in a comprehension.
fns = [lambda: i for i in range(3)]
print([f() for f in fns])
fns = [lambda i=i: i for i in range(3)]
print([f() for f in fns])


# Class scope: only the first iterable is evaluated in the class body.
class Config:
    base = 10
    items = [base * i for i in range(3)] if False else [i for i in range(base)][:3]
    try:
        broken = [base + i for i in range(3)]
    except NameError as e:
        error = str(e)


print(Config.items, Config.error)


# Comprehension inside a function sees the function's locals.
def scale(factor):
    return [factor * v for v in range(4)], {v: factor for v in "ab"}


print(scale(3))

# Nested comprehensions create nested scopes.
print([[(i, j) for j in range(i)] for i in range(3)])
words = ["apple", "bob", "kayak", "python", "level"]
print([w for w in words if w == w[::-1]], {w: len(w) for w in words if len(w) > 3})
print(dict((k, v) for k, v in zip("xyz", range(3))), list(map(lambda t: t[0] * t[1], [(i, i) for i in range(4)])))
# Evaluation order: the outermost iterable is evaluated immediately.
order = []


def src(tag, n):
    order.append(tag)
    return range(n)


gen = (a * b for a in src("outer", 2) for b in src("inner", 2))
print(order)
print(list(gen), order)
# Dict comprehension with duplicate keys keeps the last value, first position.
print({k: v for k, v in [("a", 1), ("b", 2), ("a", 3)]})
primes = [n for n in range(2, 60) if all(n % d for d in range(2, int(n ** 0.5) + 1))]
print(primes)
