"""An exception raised while handling another: implicit chaining."""
try:
    print("dividing")
    1 / 0
except ZeroDivisionError:
    print("handling")
    [].pop()
