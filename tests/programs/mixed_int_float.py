# Hot sites that see a float and a small int together (the float forms take those pairs),
# and sites whose operands change kind mid-loop. Every result must be CPython's.


def arith(a, b):
    return a + b, a - b, a * b, a / b


def compare(a, b):
    return a < b, a <= b, a == b, a != b, a > b, a >= b


def div(a, b):
    return a / b


pairs = [(1.5, 2), (3, 0.25), (-7, 2.0), (0.0, 5), (2 ** 40, 0.5), (-(2 ** 47), 3.0),
         (1, 1.0), (float("nan"), 1), (1, float("inf")), (-0.0, 3), (7, 2), (-9, 4)]
total = 0.0
for _ in range(300):
    for a, b in pairs:
        s, d, m, q = arith(a, b)
        t = s + d + m + q
        if t == t and t - t == 0:  # finite
            total += t
print("arith", round(total, 6))
for a, b in pairs:
    print(a, b, arith(a, b), compare(a, b))

# int / int is a float division, exact for small ints.
acc = 0.0
for i in range(1, 3000):
    acc += div(i, 7) + div(-i, 3) + div(10 ** 12, i)
print("int/int", acc, div(1, 3), div(2 ** 47 - 1, 2 ** 20), div(-1, 2 ** 46))

# Division by a zero int or float still raises, from a specialized site.
for z in (0, 0.0, -0.0):
    try:
        div(1.5, z)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
    try:
        div(3, z)
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)

# Big ints beyond the small range are not converted by the fast path.
print(div(2 ** 60, 3), 2 ** 60 * 0.5, 2.0 * 10 ** 20, 1.0 < 2 ** 70, 2 ** 53 + 1 == 2.0 ** 53)


# A site warmed on floats, then given ints (int + int must stay an int), then strs.
def add(a, b):
    return a + b


out = []
for i in range(2000):
    out.append(add(i * 0.5, 1))
for i in range(2000):
    out.append(add(i, 1))
out.append(add("a", "b"))
print(out[1999], out[2000], out[3999], type(out[3999]).__name__, out[-1])


# Warmed on floats, then small ints whose results leave the 48-bit range: big ints.
def mul(a, b):
    return a * b - b


for i in range(2000):
    mul(i * 0.5, 3)
print(mul(2 ** 47 - 1, 2 ** 47 - 1), mul(-(2 ** 47), 2), mul(2 ** 24, 2 ** 24), mul(3, 4))
print(add(2 ** 47 - 1, 2 ** 47 - 1), add(-(2 ** 47), -1), type(add(2 ** 46, 2 ** 46)).__name__)


# A comparison that sees ints against floats, in a branch.
def count_below(xs, limit):
    n = 0
    for x in xs:
        if x < limit:
            n += 1
    return n


xs = [i * 0.25 for i in range(400)] + list(range(400))
print(count_below(xs, 50), count_below(xs, 50.5), count_below(xs, -1))
