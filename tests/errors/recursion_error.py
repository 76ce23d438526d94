"""Unbounded recursion: RecursionError, never a crash of the runtime."""


def countdown(n):
    return countdown(n - 1) + 1


print("recursing")
countdown(10)
