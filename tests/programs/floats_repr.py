"""Float arithmetic and the shortest-round-trip repr: classic edge cases,
special values, signed zero, rounding and float methods."""

values = [
    0.1, 0.2, 0.1 + 0.2, 0.3, 1 / 3, 2 / 3, 1.0, -1.0, 100.0, 1e16, 1e15, 123456789.0,
    1234567890123456.0, 12345678901234567.0, 1e22, 1e23, 1e-4, 1e-5, 0.0001, 0.00001,
    1.5e-7, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 3.141592653589793,
    2.718281828459045, 1.1 * 1.1, 0.1 * 3, 3 * 0.1, 1.1 + 2.2, 100.0 / 3, 9007199254740993.0,
    float(2 ** 53 + 1), 1e100, 1.23e-100, 0.5, 0.25, 0.125, 1e21, 1e20, 99999999999999999.0,
    0.30000000000000004, 4.35, 4.35 * 100, 2.675, 1.0000000000000002, 0.9999999999999999,
]
for v in values:
    print(repr(v), str(v), v == float(repr(v)))

print([0.1, 0.2, 1e16, -0.0], (1.5,), {1.5: 2.5})

# Signed zero.
nz = -0.0
print(nz, 0.0 == nz, repr(-0.0 * 1), 0.0 * -1, -0.0 + 0.0, -0.0 - 0.0, abs(-0.0), -(0.0))
print((-1.0) % 1.0, 1.0 % -1.0, -1.0 // 1.0, (-0.0) // 1.0, divmod(-0.0, 1.0))

# Infinity and NaN.
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, repr(inf), [inf, -inf, nan])
print(inf + 1, inf - inf, inf * 0, inf / inf, -inf * -1, 1 / inf, -1 / inf)
print(nan == nan, nan != nan, nan < 1, nan > 1, inf > 1e308, -inf < -1e308)
print(1e308 * 10, -1e308 * 10, 1e-320 / 1e10, 2.0 ** 1023 * 2)
print(inf == float("infinity"), float("-INF"), float("nAn"), float("+inf"))

# Float operations.
print(7.5 // 2, 7.5 % 2, -7.5 // 2, -7.5 % 2, 7.5 // -2, 7.5 % -2)
print(2.0 ** 0.5, 10.0 ** 20, 10.0 ** -20, 1.5 ** 2, (-1.5) ** 3, 2.0 ** -1074)
print(0.1 + 0.7, 0.7 + 0.1, 0.1 * 0.1, 1 - 0.9, 3.3 - 1.1, 1e16 + 1, 1e16 + 2)
print(sum([0.1] * 10), 0.1 * 10, sum([1e100, 1.0, -1e100]))

# Methods.
print((3.0).is_integer(), (3.5).is_integer(), (0.75).as_integer_ratio(), (0.1).as_integer_ratio())
print(float.fromhex("0x1.8p1"), (1.5).hex(), (0.1).hex(), (-0.0).hex())
print(int(2.5), int(-2.5), round(2.5), round(3.5), round(-2.5), round(0.5), round(1.5))
print(float(3), float(-7), float("  1.25  "), float("1e3"), float("-1.5E-3"), float("1_000.5"))
print(3.0 == 3, 3.1 > 3, 2 ** 63 == 2.0 ** 63, 2 ** 63 + 1 == 2.0 ** 63, 10 ** 16 + 1 > 1e16)

# Repr of products that must print the shortest decimal that round-trips.
x = 0.0
for i in range(10):
    x += 0.1
    print(i, x, round(x, 2), x * 3)

# Accumulated float error compared against exact steps.
acc = 1.0
for i in range(20):
    acc = acc * 1.1 - 0.05
print(acc)
print(1.0 / 7, 22 / 7, 355 / 113, 1e-7, 1e-6, 0.000123, 123e-10)
