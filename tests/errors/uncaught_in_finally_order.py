"""Output printed while unwinding: finally blocks run before the traceback."""
import sys


def inner():
    try:
        print("inner start")
        raise LookupError("lost")
    finally:
        print("inner finally")


def outer():
    try:
        inner()
    finally:
        print("outer finally")
        print("also on stderr", file=sys.stderr)


outer()
