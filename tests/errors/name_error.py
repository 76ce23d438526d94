"""An undefined name read inside a function: NameError with a traceback."""


def compute(values):
    total = 0
    for v in values:
        total += v
    return total * undefined_multiplier_qq


print("before the error")
print(compute([1, 2, 3]))
print("not reached")
