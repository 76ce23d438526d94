"""Reading a local variable before it is assigned: UnboundLocalError."""
total = 100


def add_to_total(n):
    total += n
    return total


print("start")
add_to_total(5)
