"""str methods: split/join, strip, find/index, case, padding, predicates,
partition, replace, splitlines, prefix/suffix and translate."""

s = "  The quick brown fox  "
print(s.split(), s.split(" "), s.strip().split(" ", 2), s.rsplit(None, 1), s.rsplit(" ", 2))
print("a,b,,c".split(","), "a,b,,c".split(",", 1), ",".join(["x", "y", "z"]), "".join([]))
print("a--b--c".split("--"), "abc".split("abc"), "".split(","), "".split(), "   ".split())
print("1 2\t3\n4".split(), "a\tb".split("\t"), "-".join("abc"), " / ".join(map(str, range(4))))
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), "xxhixx".strip("x"), "abcba".strip("ab"))
print("www.example.com".lstrip("cmowz."), "mississippi".rstrip("ips"), repr("\t\n x \r\n".strip()))

t = "hello world, hello python"
print(t.find("hello"), t.find("hello", 1), t.rfind("hello"), t.find("xyz"), t.find(""), t.rfind(""))
print(t.index("world"), t.rindex("o"), t.count("l"), t.count("hello"), t.count(""), "aaaa".count("aa"))
try:
    t.index("nope")
except ValueError as e:
    print("ValueError:", e)
print(t.startswith("hello"), t.startswith(("x", "he")), t.endswith("python"), t.startswith("world", 6))
print(t.replace("hello", "bye"), t.replace("l", "L", 2), "aaa".replace("a", "bb"), "abc".replace("", "-"))

print("hello World".upper(), "Hello World".lower(), "hello world".title(), "hELLO wORLD".swapcase())
print("hello world".capitalize(), "HELLO".capitalize(), "they're bill's".title(), "ß".casefold())
print("42".zfill(5), "-42".zfill(5), "+7".zfill(4), "abc".zfill(2))
print(repr("ab".center(7)), repr("ab".center(6, "*")), repr("ab".ljust(5, ".")), repr("ab".rjust(5)))
print(repr("abc".center(2)), repr("x".center(4, "-")))

for w in ["123", "12.3", "abc", "Abc1", "   ", "", "ABC", "abc def", "_id1", "1id", "Title Case", "²", "٣"]:
    print(repr(w), w.isdigit(), w.isdecimal(), w.isnumeric(), w.isalpha(), w.isalnum(),
          w.isspace(), w.isupper(), w.islower(), w.isidentifier(), w.istitle())

print("key=value=x".partition("="), "key=value=x".rpartition("="), "novalue".partition("="))
print("novalue".rpartition("="))
print("a\nb\r\nc\rd\n".splitlines(), "a\nb\n".splitlines(True), "".splitlines(), "x".splitlines())
print(repr("a\tb\tc".expandtabs()), repr("ab\tc".expandtabs(4)), repr("\t".expandtabs(2)))
print("TestCase".removeprefix("Test"), "TestCase".removesuffix("Case"), "abc".removeprefix("x"))
table = str.maketrans("abc", "xyz", "d")
print("abcdabcd".translate(table), "hello".translate({ord("l"): "L", ord("o"): None}))
print("{} and {}".format("a", "b"), "x".join("123"))
print("abc".isascii(), "é".isascii(), "AbC".lower().upper(), " a b ".strip().replace(" ", ""))

# Method chaining and str on non-str elements.
words = "the Rain in SPAIN stays mainly".split()
print([w.lower().capitalize() for w in words], sorted(words, key=str.lower), max(words, key=len))
print(" ".join(reversed(words)), "|".join(w[::-1] for w in words))
try:
    ",".join([1, 2])
except TypeError as e:
    print("TypeError:", e)
