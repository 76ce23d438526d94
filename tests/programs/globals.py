"""Global variables: reading, the global statement, UnboundLocalError,
globals() as a dict, del of globals, and __name__."""

counter = 0
config = {"debug": False}


def read_global():
    return counter


def bump():
    global counter
    counter += 1
    return counter


def mutate_without_global():
    config["debug"] = True  # mutation needs no global statement


def shadow():
    counter = "local"
    return counter


print(read_global(), bump(), bump(), read_global(), shadow(), counter)
mutate_without_global()
print(config)


def unbound():
    try:
        print(counter)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    counter = 5
    return counter


print(unbound(), isinstance(UnboundLocalError(), NameError))


def create_global():
    global created_later
    created_later = "made inside a function"


try:
    print(created_later)
except NameError as e:
    print("NameError:", e)
create_global()
print(created_later)

globals()["via_dict"] = 42
print(via_dict, globals()["counter"], "counter" in globals(), "nope" in globals())
print(__name__, __name__ == "__main__", type(globals()).__name__)

temp = 1
del temp
try:
    temp
except NameError as e:
    print("NameError:", e)


def outer():
    x = "outer local"

    def inner():
        global x
        x = "global from inner"
    inner()
    return x


print(outer(), x)


def loop_global():
    global total
    total = 0
    for i in range(5):
        total += i


loop_global()
print(total)

# Builtins can be shadowed by globals and restored with del.
len = lambda obj: "shadowed"
print(len([1, 2]))
del len
print(len([1, 2]))


def uses_later_defined():
    return later_function()


def later_function():
    return "defined after the caller"


print(uses_later_defined())

# A global declared in a function that is never called does not exist.


def never_called():
    global phantom
    phantom = 1


print("phantom" in globals())
import math as _m
print("_m" in globals(), _m.floor(2.5))
