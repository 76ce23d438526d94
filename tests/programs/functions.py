"""Functions as values: recursion (direct, mutual, moderately deep),
lambdas, higher-order functions, attributes, docstrings and return values."""


def fact(n):
    """Factorial, recursively."""
    return 1 if n <= 1 else n * fact(n - 1)


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


print(fact(10), fact(25), is_even(10), is_odd(7), is_even(301))
print(fact.__name__, fact.__doc__, fact.__qualname__, type(fact).__name__, callable(fact))


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


print(depth(900))


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


print(ackermann(2, 3), ackermann(3, 3))


def hanoi(n, src, dst, via, moves):
    if n:
        hanoi(n - 1, src, via, dst, moves)
        moves.append((src, dst))
        hanoi(n - 1, via, dst, src, moves)
    return moves


print(len(hanoi(10, "A", "C", "B", [])), hanoi(2, "A", "C", "B", []))


def no_return():
    pass


def early(x):
    if x > 0:
        return "positive"
    elif x < 0:
        return "negative"


print(no_return(), early(1), early(-1), early(0))

square = lambda x: x * x
print(square(7), (lambda: "immediate")(), list(map(lambda p: p[0] * p[1], [(1, 2), (3, 4)])))
print(sorted([(1, "b"), (2, "a")], key=lambda t: t[1]), square.__name__)


def apply_n(fn, n, x):
    for _ in range(n):
        x = fn(x)
    return x


print(apply_n(square, 3, 2), apply_n(lambda s: s + "!", 3, "hey"))


def make_multiplier(k):
    def mul(x):
        return x * k
    mul.__name__ = f"times{k}"
    return mul


triple = make_multiplier(3)
print(triple(14), triple.__name__, triple.__qualname__)
triple.extra = "attribute"
print(triple.extra, "extra" in triple.__dict__)


def nested_defs():
    def helper(v):
        return v * 2
    return [helper(i) for i in range(3)]


print(nested_defs())

# Functions are first-class: stored in containers, compared by identity.
ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}
print([ops[o](6, 3) for o in "+-*"], ops["+"] is ops["+"], fact == fact, fact != is_even)


# Recursion building structures.
def flatten(x):
    if isinstance(x, list):
        out = []
        for item in x:
            out.extend(flatten(item))
        return out
    return [x]


print(flatten([1, [2, [3, [4, [5]]], 6], [[7]]]))


def permutations(items):
    if len(items) <= 1:
        return [items]
    out = []
    for i in range(len(items)):
        for p in permutations(items[:i] + items[i + 1:]):
            out.append(items[i:i + 1] + p)
    return out


print(permutations("abc"), len(permutations([1, 2, 3, 4, 5])))


def gen_doc():
    "single-quoted docstring"


print(gen_doc.__doc__, no_return.__doc__, fact.__defaults__, early.__code__.co_name)
