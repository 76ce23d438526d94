# Floor division and modulo of long ints, the short-quotient path and the long one,
# with every sign, exact multiples and remainders next to the divisor.
import random

random.seed(5)

y = 3 ** 400
for q in (0, 1, 2, 7, 2 ** 31 - 1, 2 ** 61 + 5, 2 ** 62 - 1, 2 ** 63, 2 ** 100 + 3):
    for r in (0, 1, y - 1):
        x = y * q + r
        for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            a, b = sx * x, sy * y
            d, m = divmod(a, b)
            assert d * b + m == a and (m == 0 or (m < 0) == (b < 0)) and abs(m) < abs(b)
            print(q, r == 0, sx, sy, d == a // b, m == a % b, d % 1000003, m % 1000003)

total = 0
for i in range(2000):
    n = random.randint(1, 3000)
    y = random.getrandbits(n) + 1
    if random.random() < 0.5:
        y = -y
    x = y * random.getrandbits(random.randint(0, 70)) + random.getrandbits(random.randint(1, 3000))
    if random.random() < 0.5:
        x = -x
    total = (total * 31 + (x // y) % 1000000007 + (x % y) % 998244353) % (2 ** 61 - 1)
print(total)
