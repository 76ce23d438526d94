# A hot float loop: nearly all the time is on line 8.


def kernel(n):
    x = 0.0
    y = 1.5
    for i in range(n):
        x = x * 0.999 + y * 1.0001
    return x


print(round(kernel(40_000_000), 3))
