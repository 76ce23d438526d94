"""Loops: for/else and while/else, break/continue in nested loops, loop
variables after the loop, iterating over various containers."""


def find(items, target):
    for i, item in enumerate(items):
        if item == target:
            print("found", target, "at", i)
            break
    else:
        print(target, "not found")
        return -1
    return i


print(find([3, 1, 4], 4), find([3, 1, 4], 9), find([], 0))

n = 0
while n < 3:
    n += 1
else:
    print("while finished normally, n =", n)
while True:
    n -= 1
    if n == 0:
        break
else:
    print("not printed")
print("after break, n =", n)

# else runs for an empty loop.
for _ in []:
    pass
else:
    print("else after empty for")
while False:
    pass
else:
    print("else after while False")

# continue skips the rest of the body, but not else.
out = []
for i in range(10):
    if i % 3 == 0:
        continue
    if i == 8:
        break
    out.append(i)
else:
    out.append("else")
print(out)
for i in range(3):
    continue
else:
    print("else after loop whose body always continues, i =", i)

# break only leaves the innermost loop.
pairs = []
for i in range(4):
    for j in range(4):
        if j > i:
            break
        if (i + j) % 2:
            continue
        pairs.append((i, j))
    else:
        pairs.append(f"inner else {i}")
print(pairs)

# Primes with for/else.
primes = []
for cand in range(2, 40):
    for d in range(2, cand):
        if cand % d == 0:
            break
    else:
        primes.append(cand)
print(primes)

# The loop variable keeps its last value; the range is evaluated once.
for k in range(5):
    pass
print("k =", k)
limit = 3
for k in range(limit):
    limit = 100
print("k =", k, "limit =", limit)

# Iterating over different containers.
for ch in "hey":
    print(ch, end=".")
print()
for key in {"b": 1, "a": 2}:
    print(key, end=" ")
print()
for key, value in {"x": 1, "y": 2}.items():
    print(key, value, end="; ")
print()
for idx, (a, b) in enumerate(zip("ab", [10, 20]), start=1):
    print(idx, a, b)
for v in (1,):
    print("single", v)
for x in reversed([1, 2, 3]):
    print(x, end="")
print()

# Nested while with flags and counters.
i = 0
total = 0
while i < 5:
    j = 0
    while j < 5:
        if j == i:
            j += 1
            continue
        if j > 3:
            break
        total += i * j
        j += 1
    i += 1
print("total", total)

# Collatz lengths: a while loop with a data-dependent trip count.
lengths = []
for start in range(1, 16):
    steps, v = 0, start
    while v != 1:
        v = v // 2 if v % 2 == 0 else 3 * v + 1
        steps += 1
    lengths.append(steps)
print(lengths)

# Loops over a function's results with early return.


def first_negative(xs):
    for x in xs:
        if x < 0:
            return x
    return None


print(first_negative([1, 2, -3, -4]), first_negative([1]))
# Countdown with while/else and a counter.
count = 3
while count:
    print("count", count)
    count -= 1
else:
    print("liftoff")
