"""The random module with integer seeds: exact Mersenne Twister sequences from
random, getrandbits, randrange, randint, choice, shuffle and uniform, the
module-level functions and independent Random instances."""
import random

random.seed(42)
print([random.random() for _ in range(5)])
print([random.getrandbits(k) for k in (1, 8, 31, 32, 33, 64, 65, 100)], random.getrandbits(0))
print([random.randrange(10) for _ in range(10)])
print([random.randrange(5, 50, 5) for _ in range(8)], [random.randrange(-10, 10) for _ in range(6)])
print([random.randrange(10, 0, -3) for _ in range(6)], random.randrange(2 ** 70), random.randrange(1, 2))
print([random.randint(1, 6) for _ in range(20)])
print([random.randint(-(2 ** 40), 2 ** 40) for _ in range(3)], random.randint(7, 7))
colors = ["red", "green", "blue", "cyan", "magenta"]
print([random.choice(colors) for _ in range(8)], random.choice("xyz"), random.choice(range(100, 200)))
deck = list(range(20))
random.shuffle(deck)
print(deck)
words = ["a", "b", "c", "d", "e", "f"]
random.shuffle(words)
print(words)
print([random.uniform(1.0, 2.0) for _ in range(3)], random.uniform(-5, 5), random.uniform(10, 0))

# Reseeding reproduces the sequence; different seeds differ.
random.seed(12345)
first = [random.random() for _ in range(3)]
random.seed(12345)
print(first == [random.random() for _ in range(3)], first)
random.seed(0)
print(random.random(), random.randrange(1000), random.getrandbits(16))
random.seed(1)
print(random.random(), random.randrange(1000), random.getrandbits(16))
random.seed(-1)  # the absolute value of an int seed is used
print(random.random())
random.seed(2 ** 100 + 7)  # seeds wider than 32 bits use several key words
print(random.random(), random.getrandbits(40))
random.seed(2 ** 32)
print(random.random())

# Independent generators do not disturb each other or the module state.
random.seed(7)
a = random.Random(7)
b = random.Random(99)
print(a.random() == random.random(), b.random(), a.randint(0, 100), b.choice(colors), random.randint(0, 100))
c = random.Random()
c.seed(99)
print(c.random() == random.Random(99).random())

# getstate/setstate round-trip.
r = random.Random(2024)
r.random()
state = r.getstate()
after = [r.randrange(10 ** 6) for _ in range(4)]
r.setstate(state)
print(after == [r.randrange(10 ** 6) for _ in range(4)], after, type(state).__name__, len(state[1]))

# A long stream: a checksum over many draws, and a simple Monte Carlo pi.
r = random.Random(31337)
total = 0
for _ in range(5000):
    total = (total * 31 + r.getrandbits(32)) % (2 ** 61 - 1)
print("checksum", total)
r = random.Random(5)
inside = 0
for _ in range(4000):
    x, y = r.random(), r.random()
    if x * x + y * y <= 1.0:
        inside += 1
print("pi estimate", inside * 4 / 4000)

# Argument errors.
for fn in (lambda: random.randrange(0), lambda: random.randrange(5, 1), lambda: random.randrange(1, 10, 0),
           lambda: random.choice([]), lambda: random.getrandbits(-1), lambda: random.randint(5, 1)):
    try:
        fn()
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)
