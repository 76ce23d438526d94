"""Arbitrary-precision integers: arithmetic, signs, printing, conversions and
mixing with small ints and floats."""


def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


print(fact(20), fact(21))
print(fact(50))
print(2 ** 64, 2 ** 64 - 1, -(2 ** 63), 2 ** 100)
print(2 ** 200)
print(len(str(2 ** 1000)), str(2 ** 1000)[:20], str(2 ** 1000)[-20:])

# The small-int / big-int boundary (typical overflow points of machine ints).
for k in (30, 31, 32, 62, 63, 64, 65):
    v = 2 ** k
    print(k, v - 1, v, v + 1, -v, -v - 1, (v - 1) * (v + 1), v * v)

m = 9223372036854775807  # 2**63 - 1
print(m + 1, m * 2, m * m, -m - 2, m // 7, m % 1000, (m + 1) // -3, (m + 1) % -3)
print(m + 1 - 1 == m, type(m + 1 - 1).__name__, (m + 1) - (m + 1))

a = 123456789012345678901234567890
b = 987654321098765432109876543210
print(a + b, a - b, b - a, a * b)
print(b // a, b % a, -b // a, -b % a, b // -a, b % -a, divmod(b, a), divmod(-b, a))
print(a // 7, a % 7, -a // 7, -a % 7)
print(a ** 3)
print(a == a + 0, a < b, -a < -b, a != b, a > 10 ** 29, a < 10 ** 30)

# Big ints and floats.
print(a / b, b / a, (2 ** 100) / 3, 2 ** 53 + 1.0, float(2 ** 80), float(-(10 ** 30)))
print(10 ** 20 / 10 ** 10, 2 ** 64 * 0.5, 2 ** 64 // 1.5, 10 ** 25 == 1e25, 2 ** 60 == 2.0 ** 60)
try:
    float(2 ** 1024)
except OverflowError as e:
    print("OverflowError:", e)
try:
    print(2 ** 2000 / 3)
except OverflowError as e:
    print("OverflowError:", e)
print(int(1e30), int(-1.5e20), int(2.0 ** 70))

# Bit operations on big ints.
print(a & b, a | b, a ^ b, ~a, -a & 0xFFFF, a >> 50, a << 50, -a >> 50)
print((2 ** 100).bit_length(), (-(2 ** 100)).bit_length(), (1 << 200) >> 199)
print(hex(a), oct(a), bin(2 ** 70 + 5), hex(-(2 ** 70)))

# Parsing.
print(int("123456789012345678901234567890123"), int("-" + "9" * 40))
print(int("ffffffffffffffffffffffff", 16), int("1" * 80, 2), int("zzzzzzzzzzzzzz", 36))

# Modular exponentiation and gcd-like loops.
print(pow(3, 200, 10 ** 9 + 7), pow(2, 10 ** 5, 1000003), pow(7, 123456789123, 999999999989))
x, y = fact(30), fact(25) + 1
while y:
    x, y = y, x % y
print("gcd", x)

# Hashes of big ints are deterministic (reduced modulo 2**61 - 1).
print(hash(2 ** 61 - 1), hash(2 ** 61), hash(2 ** 100), hash(-(2 ** 100)), hash(10 ** 30))

# Fibonacci into big ints.
f0, f1 = 0, 1
for _ in range(300):
    f0, f1 = f1, f0 + f1
print("fib300", f0)

# Sum of big values and mixed sizes.
print(sum(2 ** i for i in range(100)), sum([10 ** 20, -(10 ** 20), 1]))
print(abs(-(10 ** 40)), max(10 ** 40, 10 ** 39), min(-(10 ** 40), 5))
print(str(-(10 ** 25)), repr(10 ** 25), f"{10 ** 25:,}", f"{-(2 ** 70):x}")

# CPython 3.11 limits int<->str conversion to 4300 decimal digits.
try:
    str(10 ** 5000)
except ValueError as e:
    print("ValueError:", e)
print(len(str(10 ** 4299)))
