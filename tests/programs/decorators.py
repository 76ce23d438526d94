"""Decorators: plain, parametrised, stacked (application order), on methods
and classes, functools.wraps, and decorators that keep state."""
import functools

log = []


def trace(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        log.append(f"call {fn.__name__}{args}")
        result = fn(*args, **kwargs)
        log.append(f"ret {fn.__name__} -> {result!r}")
        return result
    return wrapper


@trace
def add(a, b):
    """Add two numbers."""
    return a + b


print(add(2, 3), add.__name__, add.__doc__, add.__wrapped__(10, 20))
print(log)


def repeat(times):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return deco


@repeat(3)
def greet(name):
    return "hi " + name


print(greet("ann"), greet.__name__)


def tag(label):
    def deco(fn):
        print("decorating", fn.__name__, "with", label)

        def wrapper():
            return f"<{label}>{fn()}</{label}>"
        return wrapper
    return deco


@tag("b")
@tag("i")
def text():
    return "word"


print(text())


def count_calls(fn):
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return fn(*args, **kwargs)
    wrapper.calls = 0
    return wrapper


@count_calls
def noop(x=None):
    return x


for i in range(4):
    noop(i)
print("calls:", noop.calls)


def register(registry):
    def deco(fn):
        registry[fn.__name__] = fn
        return fn
    return deco


handlers = {}


@register(handlers)
def on_start():
    return "started"


@register(handlers)
def on_stop():
    return "stopped"


print(sorted(handlers), handlers["on_stop"](), on_start())


def singleton(cls):
    instances = {}

    def get(*args):
        if cls not in instances:
            instances[cls] = cls(*args)
        return instances[cls]
    return get


@singleton
class Config:
    def __init__(self, value):
        self.value = value


c1 = Config(1)
c2 = Config(2)
print(c1 is c2, c1.value, c2.value)


def add_method(cls):
    cls.describe = lambda self: f"{type(self).__name__}:{self.n}"
    return cls


@add_method
class Thing:
    def __init__(self, n):
        self.n = n


print(Thing(7).describe())


class Validator:
    """A decorator implemented as a class with __call__."""

    def __init__(self, fn):
        self.fn = fn
        self.seen = []

    def __call__(self, x):
        if x < 0:
            raise ValueError(f"negative: {x}")
        self.seen.append(x)
        return self.fn(x)


@Validator
def sqrt_int(x):
    return int(x ** 0.5)


print(sqrt_int(17), sqrt_int(100), sqrt_int.seen)
try:
    sqrt_int(-1)
except ValueError as e:
    print("ValueError:", e)


def method_logger(fn):
    def wrapper(self, *args):
        print(f"{type(self).__name__}.{fn.__name__}{args}")
        return fn(self, *args)
    return wrapper


class Account:
    def __init__(self):
        self.balance = 0

    @method_logger
    def deposit(self, amount):
        self.balance += amount
        return self.balance


acct = Account()
acct.deposit(10)
print(acct.deposit(5))

# Decorator expressions (3.9+): any expression is allowed.
decos = {"upper": lambda f: lambda: f().upper()}


@decos["upper"]
def shout():
    return "quiet"


print(shout())


@functools.lru_cache(maxsize=None)
def slow_square(n):
    print("computing", n)
    return n * n


print(slow_square(4), slow_square(4), slow_square(5))
