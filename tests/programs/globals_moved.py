# A module global whose dict entry moves (the globals dict grows, or the name is deleted
# and set again) while code that loads it is hot: every load sees the current binding.

counter = 1


def read():
    return counter


def loop(n):
    t = 0
    for _ in range(n):
        t += read()
    return t


print(loop(3000))
# Grow the module dict well past its size: its entries are rebuilt elsewhere.
for i in range(2000):
    globals()["filler_%d" % i] = i
print(loop(3000))
counter = 5
print(loop(3000))
del counter
try:
    loop(10)
except NameError as e:
    print("NameError:", e)
counter = 7
print(loop(3000))
# Delete fillers (tombstones), then rebind: still the right value.
for i in range(0, 2000, 2):
    del globals()["filler_%d" % i]
counter = 9
print(loop(3000))
# Shadowing a builtin after a site specialized on it.
def length(x):
    return len(x)


print(sum(length("abc") for _ in range(3000)))
len = lambda x: 42
print(length("abc"))
del len
print(length("abc"))
