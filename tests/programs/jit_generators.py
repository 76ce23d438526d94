# Generators compiled by the JIT: loops that yield, send(), throw(), close(), yield from,
# return values, exceptions raised inside, finally blocks, and closures over cells, each
# run long enough to be compiled (and entered at loop headers) under the default threshold.


def counter(n):
    i = 0
    while i < n:
        got = yield i
        if got is not None:
            i += got
        i += 1
    return "done %d" % i


def squares(xs):
    for x in xs:
        yield x * x


def chain(a, b):
    r1 = yield from a
    r2 = yield from b
    return (r1, r2)


def guarded(n):
    try:
        for i in range(n):
            try:
                yield i
            except ValueError as e:
                yield "caught %s" % e
    finally:
        print("guarded finally", n)


def closure_gen(k):
    scale = k
    def inner(xs):
        return (x * scale for x in xs)
    return inner


total = 0
for _ in range(300):
    total += sum(squares(range(20)))
print(total)

g = counter(5000)
acc = []
for v in g:
    acc.append(v)
print(len(acc), acc[:5], acc[-3:])

g = counter(3000)
next(g)
seen = [g.send(2) for _ in range(500)]
print(seen[:5], seen[-2:])
try:
    while True:
        g.send(None)
except StopIteration as e:
    print("stop", e.value)

c = chain(counter(1500), squares(range(1500)))
n = 0
last = None
while True:
    try:
        last = next(c)
        n += 1
    except StopIteration as e:
        print("chain", n, last, e.value)
        break

g = guarded(2000)
out = []
for i, v in enumerate(g):
    out.append(v)
    if i == 1500:
        out.append(g.throw(ValueError("x")))
    if i == 1800:
        g.close()
        break
print(len(out), out[1499:1504])


def raiser(n):
    for i in range(n):
        if i == n - 1:
            raise KeyError(i)
        yield i


try:
    print(sum(raiser(4000)))
except KeyError as e:
    print("KeyError", e)

f = closure_gen(3)
print(sum(sum(f(range(50))) for _ in range(200)))
print(list(x + y for x in range(3) for y in range(1200))[-3:])
print(sorted(set(i % 7 for i in range(5000))))
