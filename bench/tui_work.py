# The fixed workload of bench/tui_cost: the same float loop as tests/top/busy.py, a fixed
# number of rounds, so its run time can be compared with and without the dashboard.
# The `# hot:` marks feed the record stand-in (tests/top/record-standin).
import sys


def mul(n):
    total = 1.0
    for i in range(n):  # hot: FOR_ITER_RANGE 2
        total *= 1.000001  # hot: BINARY_OP_MULTIPLY_FLOAT 7
    return total


rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
for r in range(rounds):
    x = mul(20000)  # hot: CALL_PY_EXACT_ARGS 1
    if r % 50 == 0:
        print("round", r, round(x, 3))
