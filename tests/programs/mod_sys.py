"""The sys module: argv (this program is run with the arguments listed in
mod_sys.args), stdout/stderr objects and write, the recursion limit,
sys.exit raising SystemExit, and a few constants."""
import sys

print(sys.argv, len(sys.argv), type(sys.argv).__name__)
print(sys.argv[0], sys.argv[1:], [len(a) for a in sys.argv[1:]])
args = sys.argv[1:]
if "--count" in args:
    print("count flag with value", int(args[args.index("--count") + 1]) * 2)

# stdout and stderr.
n = sys.stdout.write("written with sys.stdout.write\n")
print("write returned", n, sys.stdout.write(""))
sys.stdout.write("no newline, ")
sys.stdout.write("then one\n")
print("stderr write returned", sys.stderr.write("to stderr via write\n"))
print("print to stderr", file=sys.stderr)
sys.stdout.flush()
sys.stderr.flush()
print(hasattr(sys.stdout, "write"), sys.stdout is not sys.stderr, sys.__stdout__ is sys.stdout)

# The recursion limit: the default, raising it, and catching RecursionError.
print("default recursion limit", sys.getrecursionlimit())


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


try:
    depth(5000)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(10000)
print("limit now", sys.getrecursionlimit(), "depth", depth(5000))


def forever(n):
    return forever(n + 1)


try:
    forever(0)
except RecursionError as e:
    print("RecursionError again:", e)
print("still running after RecursionError", depth(100))
sys.setrecursionlimit(1000)
print(sys.getrecursionlimit())
for bad in (0, -5):
    try:
        sys.setrecursionlimit(bad)
    except ValueError as e:
        print("ValueError:", e)

# sys.exit raises SystemExit, which can be caught like any exception.
for arg in ((), (0,), (3,), ("message",), (None,)):
    try:
        sys.exit(*arg)
    except SystemExit as e:
        print("SystemExit", repr(e.code), e.args, isinstance(e, Exception), isinstance(e, BaseException))
try:
    raise SystemExit(5)
except SystemExit as e:
    print("raised directly:", e.code)
try:
    try:
        sys.exit(2)
    finally:
        print("finally runs during sys.exit")
except SystemExit as e:
    print("code", e.code)

# Constants.
print(sys.maxsize, sys.maxsize == 2 ** 63 - 1, sys.version_info[:2] >= (3, 11), sys.version_info.major)
print(type(sys.modules).__name__, "sys" in sys.modules, sys.byteorder, sys.float_info.max, sys.float_info.epsilon)
print(sys.int_info.bits_per_digit > 0, sys.platform.startswith("linux"), __name__)

# Exiting explicitly with code 0 ends the program successfully; nothing after runs.
print("exiting with 0")
sys.exit(0)
print("not reached")
