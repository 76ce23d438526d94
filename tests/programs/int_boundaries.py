"""Integers at the edges of machine representations: around 2**47 (a typical
NaN-boxed small-int limit) and 2**63 (i64), where arithmetic must overflow
silently into big ints and shrink back again."""

edges = []
for k in (31, 32, 46, 47, 48, 52, 53, 54, 62, 63, 64):
    for d in (-1, 0, 1):
        edges.append(2 ** k + d)
        edges.append(-(2 ** k) + d)

# Every operation on values next to the boundaries.
for v in edges:
    print(v, v + 1, v - 1, v * 2, v * -3, -v, abs(v), v // 3, v % 7, -v // 5, v >> 1, v << 1, v & 0xFF, v ^ -1)

# The exact boundary values of 48-bit and 64-bit signed ints.
lo47, hi47 = -(2 ** 47), 2 ** 47 - 1
lo63, hi63 = -(2 ** 63), 2 ** 63 - 1
print(hi47 + 1, lo47 - 1, hi47 * hi47, lo47 * lo47, lo47 * -1, lo47 // -1, -lo47, abs(lo47))
print(hi63 + 1, lo63 - 1, hi63 * 2, lo63 * -1, lo63 // -1, -lo63, abs(lo63), lo63 % -1, divmod(lo63, -1))
print(hi63 + 1 - 1 == hi63, (hi63 + 1) - 1, lo63 - 1 + 1, (lo63 * lo63) // lo63 == lo63)
print(type(hi63 + 1).__name__, (hi63 + 1) // 2 == 2 ** 62, (2 ** 64) // (2 ** 32), 2 ** 64 % (2 ** 32 + 1))

# Multiplications whose product just fits or just overflows.
for a, b in [(2 ** 23, 2 ** 24), (2 ** 24, 2 ** 24), (-(2 ** 23), 2 ** 24), (3037000499, 3037000499),
             (3037000500, 3037000500), (-3037000500, 3037000500), (2 ** 31, 2 ** 32), (2 ** 32, 2 ** 31 - 1),
             (94906265, 94906266), (2 ** 62, 2), (-(2 ** 62), 2), (-(2 ** 62), -2), (2 ** 47, 2 ** 16)]:
    print(a, b, a * b, -a * b, a * b // b == a, (a * b) % 1000003)

# Shifts across the boundaries, including large shift counts.
for s in (15, 16, 17, 30, 31, 32, 33, 46, 47, 48, 62, 63, 64, 65, 100):
    print(s, 1 << s, -1 << s, 3 << s, (1 << s) >> s, (1 << s) - 1, ((1 << s) - 1) >> (s // 2), -(1 << s) >> 3)

# Powers that cross the boundaries.
print([3 ** i for i in (29, 30, 39, 40, 41)], [(-7) ** i for i in (16, 17, 22, 23)], 10 ** 18, 10 ** 19)
print(pow(2, 47), pow(2, 63), pow(-2, 63), pow(2, 64) - 1, pow(2, 47, 10 ** 9), pow(3, 63, 2 ** 64))

# A running sum that grows past 2**47 and 2**63 one step at a time.
x = 2 ** 47 - 3
steps = []
for _ in range(6):
    x += 1
    steps.append(x)
print(steps)
x = 2 ** 63 - 3
steps = []
for _ in range(6):
    x += 1
    steps.append(x)
print(steps)
x = -(2 ** 63) + 2
steps = []
for _ in range(5):
    x -= 1
    steps.append(x)
print(steps)
acc = 1
for i in range(1, 25):
    acc *= 7
    if i in (16, 17, 22, 23, 24):
        print(i, acc, acc.bit_length())
# Shrinking back: big results that become small again.
big = 2 ** 63 + 12345
print(big - 2 ** 63, big // 2 ** 40, big % 2 ** 20, big >> 62, (big * big) // big - 2 ** 63, big - big)

# Comparisons and equality across the boundary, with ints and floats.
print(2 ** 47 == 2.0 ** 47, 2 ** 47 + 1 > 2.0 ** 47, 2 ** 63 == 2.0 ** 63, 2 ** 63 - 1 < 2.0 ** 63, 2 ** 63 + 1 == 2.0 ** 63)
print(2 ** 53 + 1 == 2 ** 53 + 1.0, 2 ** 53 + 1 > 2 ** 53 + 1.0, -(2 ** 63) == -(2.0 ** 63), float(2 ** 63 - 1), float(2 ** 47 + 1))
print(sorted([2 ** 63, 2 ** 47, -(2 ** 63), 2 ** 63 - 1, 2.0 ** 63, -(2 ** 47) - 1, 0]))
print(max(2 ** 63, 2 ** 63 - 1), min(-(2 ** 63) - 1, -(2 ** 63)), 2 ** 64 > 2 ** 63 > 2 ** 47 > -(2 ** 47) > -(2 ** 63))

# True division, int() and conversions at the boundaries.
print((2 ** 63) / 2, (2 ** 63 + 1) / 1, (2 ** 47) / 3, int(2.0 ** 63), int(-(2.0 ** 63)), int(2.0 ** 47 + 0.5))
print(str(2 ** 63), repr(-(2 ** 63)), hex(2 ** 63), hex(-(2 ** 47)), bin(2 ** 47), oct(2 ** 63 - 1))
print(int("9223372036854775807"), int("9223372036854775808"), int("-9223372036854775809"), int("140737488355328"))
print(f"{2 ** 63:,} {-(2 ** 47):_} {2 ** 64 - 1:x} {2 ** 47:>20} {2 ** 63:e}")

# Hashes are reduced modulo 2**61 - 1, with -1 mapped to -2.
print([hash(v) for v in (2 ** 47, 2 ** 61 - 2, 2 ** 61 - 1, 2 ** 61, 2 ** 63 - 1, 2 ** 63, -(2 ** 63), -(2 ** 61 - 1) - 1)])
print(hash(2 ** 63) == hash(2.0 ** 63), hash(2 ** 47) == hash(2.0 ** 47), {2 ** 63: "a"}[2.0 ** 63])

# Bitwise operations that straddle the boundaries.
m47, m64 = (1 << 47) - 1, (1 << 64) - 1
print(m47 & -1, m47 | (1 << 47), m47 ^ m64, ~m47, ~m64, -1 & m64, (-(2 ** 63)) & m64, (2 ** 63) | 1)
print((2 ** 64 + 5) & 7, (2 ** 64 + 5) | -8, (2 ** 64) ^ (2 ** 64), (-(2 ** 64)) >> 1, (-(2 ** 64) - 1) >> 64)
print((2 ** 47).bit_length(), (2 ** 47 - 1).bit_length(), (-(2 ** 63)).bit_length(), (2 ** 63).bit_length())

# Containers and indexing with boundary-sized ints.
r = range(2 ** 63 - 2, 2 ** 63 + 2)
print(len(r), list(r), r[1], 2 ** 63 in r, r.index(2 ** 63))
d = {2 ** 47: "a", 2 ** 63: "b", -(2 ** 63): "c"}
print(d[2 ** 47], d[2 ** 62 * 2], d[-(2 ** 62) * 2], sum(d), [0, 1, 2][2 ** 47 - 2 ** 47 + 1])
try:
    [1, 2][2 ** 63]
except IndexError as e:
    print("IndexError:", e)
