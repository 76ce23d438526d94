# Floor division and modulo on small ints once specialized (and compiled), then the cases
# their fast paths must leave to the generic op: a zero divisor, a result past the small-int
# range, and big ints.
def f(a, b):
    return a // b, a % b
def loop(pairs):
    acc = []
    for a, b in pairs:
        acc.append(f(a, b))
    return acc
small = [(a, b) for a in range(-13, 14) for b in range(-7, 8) if b != 0]
for _ in range(200):
    r = loop(small)
print(sum(q for q, m in r), sum(m for q, m in r), r[:10])
for a, b in [(7, 0), (-2**47, -1), (-2**47, 1), (2**47 - 1, -1), (2**60, 3), (-5, 2**50), (5, -2**50)]:
    try:
        print(a, b, f(a, b))
    except ZeroDivisionError as e:
        print(a, b, "ZeroDivisionError", e)
print(loop(small)[-5:])
