"""Subclassing list, dict, int and str: overridden methods, __missing__,
which operations return the base type, and super() calls into the builtin."""


class Stack(list):
    def push(self, item):
        self.append(item)
        return self

    def peek(self):
        return self[-1]

    def append(self, item):
        print("  append", item)
        super().append(item)


s = Stack([1, 2])
s.push(3).push(4)
print(s, len(s), s.peek(), s[1:3], type(s[1:3]).__name__, type(s + [5]).__name__, type(s).__name__)
print(isinstance(s, list), s == [1, 2, 3, 4], sum(s), sorted(s, reverse=True), s.pop(), s)
s.extend([9])  # extend does not call the overridden append
print(s, repr(s), str(s))


class SortedList(list):
    def __init__(self, items=()):
        super().__init__(sorted(items))

    def add(self, item):
        i = 0
        while i < len(self) and self[i] < item:
            i += 1
        self.insert(i, item)


sl = SortedList([5, 1, 3])
sl.add(4)
sl.add(0)
sl.add(9)
print(sl, sl.__class__.__name__, SortedList.__mro__[1].__name__)


class DefaultDict(dict):
    def __init__(self, factory, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.factory = factory

    def __missing__(self, key):
        print("  missing", repr(key))
        value = self[key] = self.factory()
        return value


dd = DefaultDict(list, a=[1])
dd["a"].append(2)
dd["b"].append(3)
print(dd, dd.get("zzz"), "zzz" in dd, len(dd), dict(dd), isinstance(dd, dict))


class LowerDict(dict):
    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())


ld = LowerDict()
ld["HeLLo"] = 1
ld["WORLD"] = 2
print(ld, ld["hello"], ld["HELLO"], ld.get("HELLO"), list(ld.keys()))
ld2 = LowerDict({"UPPER": 1})  # the constructor does not call __setitem__
print(ld2, ld2.get("UPPER"))


class Counter(dict):
    def __init__(self, items):
        super().__init__()
        for x in items:
            self[x] = self.get(x, 0) + 1

    def most_common(self):
        return sorted(self.items(), key=lambda kv: (-kv[1], kv[0]))


print(Counter("abracadabra").most_common(), Counter([3, 1, 3]))


class Meters(int):
    def __repr__(self):
        return f"{int(self)}m"

    def __add__(self, other):
        return Meters(int(self) + int(other))


m = Meters(5)
print(m, m + 3, 3 + m, type(3 + m).__name__, m * 2, type(m * 2).__name__, m == 5, hash(m) == hash(5))


class Shout(str):
    def shout(self):
        return self.upper() + "!"

    def __len__(self):
        return 99


sh = Shout("hey")
print(sh, repr(sh), sh.shout(), len(sh), sh + "x", type(sh + "x").__name__, type(sh.upper()).__name__, sh == "hey")


class Pair(tuple):
    def __new__(cls, a, b):
        return super().__new__(cls, (a, b))

    @property
    def first(self):
        return self[0]


pr = Pair(1, 2)
print(pr, pr.first, len(pr), type(pr).__name__, pr + (3,), pr == (1, 2))
