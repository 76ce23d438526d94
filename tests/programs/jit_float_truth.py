# Conditional jumps on floats in compiled code: zeros, negative zero, NaN, infinities.
def count(xs):
    n = 0
    for x in xs:
        if x:
            n += 1
        if not x:
            n += 100
    return n
xs = [0.0, -0.0, 1.5, -2.5, float("nan"), float("inf"), -float("inf"), 5e-324, 0, 1, True, False, None]
t = 0
for _ in range(2000):
    t += count(xs)
print(t)
print(count([0.0] * 10), count([-0.0, 2.0]), count([float("nan")]))
