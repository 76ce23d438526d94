"""sys.exit(3): no traceback, exit code 3, finally blocks still run."""
import sys

print("working")
try:
    sys.exit(3)
finally:
    print("cleanup in finally")
print("not reached")
