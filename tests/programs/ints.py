"""Small-integer arithmetic: floor division and modulo signs, int/float mixing,
bit operations, literals, precedence and augmented assignment."""

# Floor division and modulo for every sign combination.  Python rounds toward
# negative infinity, so the remainder always has the sign of the divisor.
for a in (7, -7, 0, 1, -1, 13, -13):
    for b in (2, -2, 3, -3, 7):
        q, r = a // b, a % b
        assert a == q * b + r
        print(f"{a:>3} {b:>3}  //={q:>3}  %={r:>3}  divmod={divmod(a, b)}  /={a / b!r}")

# True division always gives a float, even when exact.
print(6 / 3, 7 / 2, -7 / 2, 1 / 3, 0 / 5, -0 / 5)
print(type(6 / 3).__name__, type(6 // 3).__name__)

# Mixing int and float: the result is a float; floor division of floats stays float.
print(3 + 0.5, 3 * 1.5, 7 // 2.0, -7 // 2.0, 7 % 2.5, -7 % 2.5, 7 % -2.5)
print(5.5 // -2, 5.5 % -2, divmod(-5.5, 2), divmod(5, -1.5))
print(2 ** 10, 2 ** -1, (-2) ** 3, -2 ** 2, (-2) ** 2, 10 ** -2, 0 ** 0)
print(pow(2, -2), 4 ** 0.5, 2 ** 0.5, (-8) ** 2)

# Bitwise operations, including negative numbers (infinite two's complement).
print(5 & 3, 5 | 3, 5 ^ 3, ~5, ~-1, ~0)
print(-5 & 3, -5 | 3, -5 ^ 3, -8 & -3, -8 | -3)
print(1 << 10, 1 << 0, 3 << 62, -1 << 4)
print(1024 >> 3, -8 >> 1, -1 >> 10, -7 >> 1, 7 >> 1, 1 >> 100)

# Literals.
print(0xff, 0XFF, 0o17, 0b1011, 1_000_000, 0x_dead_beef, 0b_1_0)
print(int.bit_length(255), (256).bit_length(), (-256).bit_length(), (0).bit_length())

# Bool is an int.
print(True + True, True * 10, False - 1, True / 2, -True, ~True)
print(isinstance(True, int), True == 1, False == 0, type(True).__name__)

# Precedence: ** binds tighter than unary minus on its left, unary minus on its right.
print(-3 ** 2, 2 ** -1, 2 * 3 + 4, 2 * (3 + 4), 2 + 3 * 4 ** 2, 10 - 4 - 3, 2 ** 3 ** 2)
print(7 // 2 * 2, 7 % 3 * 2, -7 // 2 * -1, not 0 + 1, 1 + 2 == 3)

# Augmented assignment.
x = 10
x += 5; print(x)
x -= 20; print(x)
x *= -3; print(x)
x //= 4; print(x)
x %= 7; print(x)
x **= 3; print(x)
x <<= 2; print(x)
x >>= 1; print(x)
x &= 0b1010; print(x)
x |= 1; print(x)
x ^= 0xff; print(x)
x /= 4; print(x)

# Conversions and comparisons between int and float.
print(int(3.9), int(-3.9), int(-0.5), int(1e15), float(7), 1 == 1.0, 1 < 1.5 < 2)
print(hash(1) == hash(1.0), hash(-1), hash(-2), hash(0), hash(12345))
print(abs(-5), abs(5), -(-5), +7, max(3, 3.0), min(3.0, 3))

# Accumulating in a loop.
total = 0
for i in range(1, 101):
    total += i * i if i % 2 else -i
print("total", total)

# Integer methods.
print((10).__add__(5), (10).__sub__(3), (-7).__floordiv__(2), (7).__mod__(-3))
print((3).__truediv__(2), (2).__pow__(5), (5).__neg__(), (12).__rshift__(2))
