"""Reading past the end of a list."""
items = [10, 20, 30]
for i in range(5):
    print(i, items[i])
