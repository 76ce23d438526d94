# A comparison of ints followed by a conditional jump: the JIT runs the pair as one fused
# stencil. Every operator, both jump senses, `while` and `if`, operands at the edges of the
# small-int range, and operands that stop being small ints in the middle of a hot loop (the
# fused stencil side-exits at the compare and the interpreter does both instructions).


def every_op(xs, ys):
    counts = [0] * 12
    for x in xs:
        for y in ys:
            if x < y:
                counts[0] += 1
            if x <= y:
                counts[1] += 1
            if x == y:
                counts[2] += 1
            if x != y:
                counts[3] += 1
            if x > y:
                counts[4] += 1
            if x >= y:
                counts[5] += 1
            if not x < y:
                counts[6] += 1
            if not x <= y:
                counts[7] += 1
            if not x == y:
                counts[8] += 1
            if not x != y:
                counts[9] += 1
            if not x > y:
                counts[10] += 1
            if not x >= y:
                counts[11] += 1
    return counts


EDGES = [-(2**47), -(2**47) + 1, -3, -1, 0, 1, 2, 7, 2**47 - 2, 2**47 - 1]
for _ in range(30):
    r = every_op(EDGES, EDGES)
print(r)

# Past the small-int range, and other types: the same answers.
print(every_op([2**47, 2**64, -(2**70)], EDGES))
print(every_op([0.5, -0.0, float("inf")], EDGES))
print(every_op([True, False], [0, 1, 2]))


def count_down(n):
    steps = 0
    while n > 0:
        n -= 1
        steps += 1
    return steps


def count_up(n):
    i = 0
    while i < n:
        i += 1
    return i


def until_equal(a, b):
    steps = 0
    while a != b:
        a += 1
        steps += 1
    return steps


for _ in range(40):
    t = count_down(200) + count_up(300) + until_equal(-50, 50)
print(t)
print(until_equal(2**60, 2**60 + 5), until_equal(2**47 - 3, 2**47 + 2))
print(count_down(3.5), count_up(2.5), until_equal(0.5, 4.5))


def switch_mid_loop(values, limit):
    # The hot loop compares small ints, then meets a big int, a float and a bool.
    below = 0
    for v in values:
        if v < limit:
            below += 1
        elif v == limit:
            below += 100
    return below


vals = list(range(-500, 500))
for _ in range(20):
    r = switch_mid_loop(vals, 10)
print(r)
print(switch_mid_loop(vals + [2**60, 9.5, 10.0, True, -(2**80)], 10))
print(switch_mid_loop([1, 2, 3], 2**50))


def chained(xs):
    inside = 0
    for x in xs:
        if 0 <= x < 10:
            inside += 1
        if -5 < x <= 5 != x:
            inside += 10
    return inside


for _ in range(20):
    r = chained(range(-20, 20))
print(r)


def mixed_bool(xs, ys):
    hits = 0
    for x, y in zip(xs, ys):
        if x < y and y < 10:
            hits += 1
        if x > y or y == 3:
            hits += 100
    return hits


for _ in range(20):
    r = mixed_bool(range(20), range(20, 0, -1))
print(r)


def strings(words):
    # Not ints at all: the compare is specialized for str, no fusion.
    n = 0
    for w in words:
        if w < "m":
            n += 1
    return n


for _ in range(20):
    r = strings(["apple", "zebra", "mango", "kiwi", "lemon"])
print(r)
