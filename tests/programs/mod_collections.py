"""collections.deque and collections.defaultdict: both ends of a deque,
maxlen, rotate, indexing; defaultdict factories, __missing__ and repr."""
from collections import defaultdict, deque
import collections

d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, len(d), d[0], d[-1], d[2], list(d), type(d).__name__)
print(d.pop(), d.popleft(), d)
d.extend("ab")
d.extendleft([10, 20])  # each element is added on the left, so they end up reversed
print(d, d.count("a"), d.index(2), 3 in d, "z" in d)
d.rotate(2)
print(d)
d.rotate(-3)
print(d)
d.remove("a")
d[0] = "first"
del d[1]
print(d, d == deque(["first", 2, 3, "b", 20]), list(reversed(d)))
d.reverse()
print(d, d.copy(), d.copy() is d)
d.clear()
print(d, bool(d), deque(), deque(range(3)) + deque([9]), deque([1]) * 3)
for fn in (lambda: deque().pop(), lambda: deque().popleft(), lambda: deque([1]).remove(2), lambda: deque([1])[5]):
    try:
        fn()
    except (IndexError, ValueError) as e:
        print(type(e).__name__, e)

# maxlen: a sliding window that drops from the opposite end.
window = deque(maxlen=3)
for i in range(6):
    window.append(i)
    print(list(window), end=" ")
print()
window.appendleft("L")
print(window, window.maxlen, deque([1, 2]).maxlen)
w2 = deque(range(10), maxlen=4)
w2.extendleft("xy")
print(w2)
moving = deque(maxlen=3)
averages = []
for v in [10, 20, 30, 40, 50, 60]:
    moving.append(v)
    averages.append(sum(moving) / len(moving))
print(averages)

# A deque as a queue for breadth-first search.
graph = {"a": ["b", "c"], "b": ["d"], "c": ["d", "e"], "d": ["f"], "e": ["f"], "f": []}
seen, order, queue = {"a"}, [], deque(["a"])
while queue:
    node = queue.popleft()
    order.append(node)
    for nxt in graph[node]:
        if nxt not in seen:
            seen.add(nxt)
            queue.append(nxt)
print(order)

# defaultdict.
dd = defaultdict(list)
for word in ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]:
    dd[word[0]].append(word)
print(dd)
print(dict(dd), dd["z"], "z" in dd, len(dd), dd.get("q"), "q" in dd, dd.default_factory)
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(counts, sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), counts["x"])
nested = defaultdict(lambda: defaultdict(int))
nested["a"]["x"] += 1
nested["a"]["y"] += 2
nested["b"]["x"] += 3
print({k: dict(v) for k, v in nested.items()})
sets = defaultdict(set)
sets["k"].add(3)
sets["k"].add(1)
print(sets, isinstance(dd, dict), type(counts).__name__)
none_factory = defaultdict()
try:
    none_factory["missing"]
except KeyError as e:
    print("KeyError:", e)
print(none_factory, defaultdict(int, {"a": 1}, b=2), defaultdict(str)["s"] == "")


class Tally(defaultdict):
    def __missing__(self, key):
        print("  missing", key)
        return super().__missing__(key)


t = Tally(lambda: 100)
t["x"] += 1
t["x"] += 1
print(t["x"], dict(t), collections.deque.__name__)
