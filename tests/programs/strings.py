"""String basics: literals, escapes and their repr, indexing, concatenation,
repetition, comparison, iteration and unicode."""

# repr picks the quote character and escapes what is needed.
samples = [
    "plain", "it's", 'say "hi"', "both ' and \"", "tab\there", "new\nline", "cr\r",
    "back\\slash", "\x00\x01\x1f\x7f", "\x80\xa0\xad", "é", "naïve café", "日本語",
    "\u200b", "\u2028", "😀", "\U0001F600", "\ud800", "a\u0301", "", " ", "\\n",
    "\a\b\f\v", "\x1b[0m", "\N{GREEK SMALL LETTER ALPHA}", r"raw\n\t", "\0",
]
for s in samples:
    print(len(s), repr(s), ascii(s))

print(repr("'"), repr('"'), repr("'\""), repr("\"'"), str("x'y"))

# Literal forms.
print("implicit" " concat" ' works')
print("""triple
quoted""", '''single
triple''')
print(r"C:\new\table", "C:\\new\\table" == r"C:\new\table")
print("line1\
continued")
print("\x41\101\u0041\U00000041")

# Indexing and iteration.
s = "Hello, World"
print(s[0], s[-1], s[7], s[-5], len(s))
print([c for c in "abc"], list("xyz"), tuple("ab"))
for i, ch in enumerate("héllo"):
    print(i, ch, ord(ch))

# Concatenation, repetition, membership.
print("ab" + "cd", "ab" * 3, 3 * "xy", "ab" * 0, "ab" * -2, repr("" * 5))
print("ell" in s, "xyz" in s, "" in s, "" in "", "W" not in s)
t = ""
for i in range(5):
    t += str(i) * i
print(t, len(t))

# Comparison is by code point.
print("a" < "b", "Z" < "a", "abc" < "abd", "ab" < "abc", "" < "a", "é" > "z", "B" > "A")
print(sorted(["banana", "Apple", "cherry", "apple", "Banana", "éclair", "zebra", "Zoo"]))
print(max("hello"), min("hello"), "abc" == "abc", "abc" != "ABC", "abc".__eq__("abc"))

# Unicode.
print("straße".upper(), "ǅ".lower(), "ǅ".upper(), "İ".lower(), len("İ".lower()))
print("ÀÉÎ".lower(), "ﬁ".upper(), "Σ".lower(), "ΟΔΟΣ".lower())
print(len("😀😀"), "😀"[0] == "\U0001F600", "日本語"[1], "日本語"[::-1])
print(chr(0x1F600), chr(233), chr(0x10FFFF) == "\U0010FFFF", ord("€"), hex(ord("😀")))

# Strings are immutable.
try:
    s[0] = "h"
except TypeError as e:
    print("TypeError:", e)

# str() of various objects.
print(str(1), str(1.5), str(None), str(True), str([1, "a"]), str(("x",)), str({"k": "v"}))
print(repr(str), str(str), repr("multi\nline\ttab'quote"))
