"""StopIteration leaking out of a generator becomes RuntimeError (PEP 479),
chained to the StopIteration."""


def pairs(items):
    it = iter(items)
    while True:
        a = next(it)
        b = next(it)
        yield a, b


for p in pairs([1, 2, 3, 4, 5]):
    print(p)
