"""A failing assert without a message."""
x = 3
assert x > 0
print("x is positive")
assert x > 5
