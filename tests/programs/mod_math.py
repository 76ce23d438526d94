"""The math module: constants, exact integer functions, rounding functions,
correctly rounded operations (printed exactly) and transcendental functions
(printed to 12 significant digits, so a 1-ulp libm difference cannot show)."""
import math


def g(x):
    """12 significant digits: enough to check a value, robust to libm ulps."""
    return f"{x:.12g}"


print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan, type(math.pi).__name__)
print(math.isnan(math.nan), math.isnan(1.0), math.isinf(math.inf), math.isinf(-math.inf), math.isinf(1e308))
print(math.isfinite(1.0), math.isfinite(math.nan), math.isfinite(math.inf))

# Exact integer functions.
print(math.factorial(0), math.factorial(5), math.factorial(20), math.factorial(30))
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(-12, 18), math.gcd(), math.gcd(2 ** 80, 6 ** 40), math.gcd(12, 18, 27))
print(math.lcm(4, 6), math.lcm(3, 5, 7), math.lcm(), math.lcm(0, 5))
print(math.comb(5, 2), math.comb(52, 5), math.comb(10, 0), math.comb(3, 5), math.comb(100, 50))
print(math.perm(5, 2), math.perm(5), math.perm(10, 10), math.perm(3, 5))
print(math.isqrt(0), math.isqrt(15), math.isqrt(16), math.isqrt(10 ** 30), math.isqrt(2 ** 127 - 1))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod(range(1, 21)), math.prod([1.5, 2]), math.prod([2, 3], start=10))

# Rounding to integers: results are ints.
for v in (2.5, -2.5, 2.0, -0.5, 0.0, 1e20, -1e-300, 7, 3.9999999999999996):
    print(v, math.floor(v), math.ceil(v), math.trunc(v), type(math.floor(v)).__name__)
print(math.floor(10 ** 30), math.ceil(-(10 ** 30)), math.trunc(-7.9))

# Correctly rounded operations: printed exactly.
print(math.sqrt(2), math.sqrt(16), math.sqrt(0.25), math.sqrt(1e-300), math.sqrt(2 ** 100), math.sqrt(0.0), math.sqrt(-0.0))
print(math.fabs(-3), math.fabs(2.5), math.copysign(3, -0.0), math.copysign(-2.5, 1), math.copysign(1, math.nan) > 0)
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(5.5, 2), -7 % 3, math.remainder(7, 3), math.remainder(5, 2))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100]), math.fsum([]), math.fsum([1, 2, 3]))
print(math.ldexp(1.5, 3), math.frexp(12.0), math.frexp(0.0), math.modf(3.75), math.modf(-2.5))
print(math.degrees(math.pi), math.radians(180), math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.1), math.isclose(1, 1.05, rel_tol=0.1))
print(math.isclose(0.0, 1e-10), math.isclose(0.0, 1e-10, abs_tol=1e-9), math.pow(2, 10), math.isclose(math.pow(2, 0.5), math.sqrt(2)), math.pow(4, -0.5))
print(math.hypot(3, 4), math.hypot(5, 12), math.hypot(), math.hypot(-8), math.dist((0, 0), (3, 4)))

# Transcendental functions.
print(g(math.exp(1)), g(math.exp(-2.5)), g(math.exp(100)), g(math.expm1(1e-10)), math.exp(0))
print(g(math.log(10)), g(math.log(8, 2)), g(math.log(100, 10)), math.log(1), g(math.log1p(1e-10)), g(math.log(2 ** 1000)))
print(math.log2(1024), g(math.log2(2 ** 0.5)), math.log10(1000), g(math.log10(2)), g(math.log2(10)))
print(g(math.sin(1)), g(math.cos(1)), g(math.tan(1)), math.sin(0), math.cos(0), g(math.sin(math.pi / 6)))
print(g(math.asin(0.5)), g(math.acos(0.5)), g(math.atan(1)), g(math.atan2(1, -1)), math.atan2(0, -1) == math.pi, math.atan2(-0.0, 1))
print(g(math.sinh(1)), g(math.cosh(1)), g(math.tanh(0.5)), g(math.asinh(1)), g(math.acosh(2)), g(math.atanh(0.5)))
print(g(math.erf(0.5)), g(math.erfc(0.5)), g(math.gamma(5.5)), math.gamma(5), g(math.lgamma(10)), g(math.cbrt(27.0)))

# Domain and range errors.
for name, args in [("sqrt", (-1,)), ("log", (0,)), ("log", (-1,)), ("acos", (2,)), ("factorial", (-1,)),
                   ("factorial", (2.5,)), ("exp", (1000,)), ("pow", (0, -1)), ("isqrt", (-1,)), ("comb", (-1, 2))]:
    try:
        print(name, args, getattr(math, name)(*args))
    except (ValueError, OverflowError, TypeError) as e:
        print(name, args, type(e).__name__, e)
try:
    math.floor(math.inf)
except OverflowError as e:
    print("floor(inf): OverflowError:", e)
try:
    math.ceil(math.nan)
except ValueError as e:
    print("ValueError:", e)

# A numeric loop using the module: a crude integral of sin over [0, pi].
n = 1000
h = math.pi / n
area = math.fsum(math.sin((i + 0.5) * h) * h for i in range(n))
print(g(area), round(area, 6), math.isclose(area, 2.0, rel_tol=1e-6))
from math import sqrt as root, floor
print(root(81), floor(-0.5), math.__name__)
