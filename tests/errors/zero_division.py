"""Integer division by zero deep in a call chain."""


def ratio(a, b):
    return a // b


def report(pairs):
    for a, b in pairs:
        print(a, b, ratio(a, b))


report([(10, 2), (9, 3), (1, 0), (4, 4)])
