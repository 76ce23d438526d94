"""dicts: insertion order, views, methods, merging, equal keys of different
types, comprehensions and errors."""

d = {"one": 1, "two": 2, "three": 3}
print(d, len(d), d["two"], list(d), list(d.keys()), list(d.values()), list(d.items()))
d["four"] = 4
d["one"] = 100  # overwriting keeps the position
print(d)
del d["two"]
d["two"] = 22  # re-inserting goes to the end
print(d)
print(d.get("one"), d.get("zzz"), d.get("zzz", "default"), "one" in d, "zzz" not in d, 1 in d)
print(d.setdefault("five", 5), d.setdefault("one", -1), d)
print(d.pop("five"), d.pop("missing", None), d)
print(d.popitem(), d.popitem(), d)
try:
    d.pop("missing")
except KeyError as e:
    print("KeyError:", e)
try:
    d["missing"]
except KeyError as e:
    print("KeyError:", e, repr(e), e.args)
try:
    {}.popitem()
except KeyError as e:
    print("KeyError:", e)

# Views are live.
inv = {"apple": 3, "pear": 0, "kiwi": 7}
keys, values, items = inv.keys(), inv.values(), inv.items()
inv["fig"] = 1
print(keys, values, items, len(keys))
del inv["pear"]
print(list(keys), list(values), ("kiwi", 7) in items, "apple" in keys, 7 in values)
print(sorted(keys & {"apple", "fig", "x"}), sorted(keys | {"z"}), sorted(keys - {"apple"}), sorted(items)[0])
print(list(reversed(inv)), list(reversed(inv.values())))

# Construction.
print(dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict(zip("abc", range(3))), dict({1: 2}, extra=3))
print(dict.fromkeys("abc"), dict.fromkeys([1, 2], 0), {k: k * k for k in range(5)}, dict())
print({**{"a": 1, "b": 2}, **{"b": 3, "c": 4}}, {"a": 1} | {"a": 2, "z": 0})
u = {"a": 1}
u |= {"b": 2}
u.update({"c": 3}, d=4)
u.update([("e", 5)])
print(u)

# Keys that compare equal are the same key: 1, 1.0 and True.
same = {1: "int"}
same[1.0] = "float"
same[True] = "bool"
print(same, {True: "a", 1: "b", 1.0: "c"}, {0: "z", False: "f", 0.0: "g"})
print({(1, 2): "tuple", None: "none", -1: "neg", 2 ** 70: "big", "": "empty", 3.5: "float"})

# Equality ignores order; copies are shallow.
print({"a": 1, "b": 2} == {"b": 2, "a": 1}, {"a": 1} != {"a": 1.0}, {} == dict())
orig = {"lst": [1]}
cp = orig.copy()
cp["lst"].append(2)
cp["new"] = 0
print(orig, cp)

# Iteration patterns.
scores = {"bob": 72, "amy": 95, "cal": 88, "dee": 95}
for name in scores:
    print(name, scores[name], end="; ")
print()
for name, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
    print(name, score)
print(max(scores, key=scores.get), min(scores.values()), sum(scores.values()))
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
groups = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups.setdefault(word[0], []).append(word)
print(groups)

# Mutation during iteration is an error.
try:
    for k in scores:
        scores[k + "!"] = 0
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    {[1]: 2}
except TypeError as e:
    print("TypeError:", e)

# Nested dicts and repr of various keys/values.
nested = {"a": {"b": {"c": [1, {"d": None}]}}, 5: (1.5, "x'y")}
print(nested, nested["a"]["b"]["c"][1]["d"])
self_ref = {}
self_ref["me"] = self_ref
print(self_ref)
big = {i: i * i for i in range(200)}
for i in range(0, 200, 2):
    del big[i]
big[0] = "back"
print(len(big), list(big)[:5], list(big)[-3:], big[199])
