# The program of tests/top.rs: a hot float loop for about three seconds, with output.
# The `# hot:` marks feed the record stand-in (tests/top/record-standin); the real
# `jitlens record` ignores them.
import sys
import time


def mul(n):
    total = 1.0
    for i in range(n):  # hot: FOR_ITER_RANGE 2
        total *= 1.000001  # hot: BINARY_OP_MULTIPLY_FLOAT 7
    return total


def main(seconds):
    start = time.time()
    rounds = 0
    while time.time() - start < seconds:
        print("round", rounds, round(mul(20000), 3))  # hot: CALL_PY_EXACT_ARGS 1
        sys.stdout.flush()
        rounds += 1
    print("done after", rounds, "rounds", file=sys.stderr)
    return 3


sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0))
