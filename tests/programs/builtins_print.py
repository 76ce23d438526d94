"""print(): separators, line ends, file=sys.stderr, flush, and how it
converts its arguments (str() of each, repr() inside containers)."""
import sys

print()
print("a", "b", "c")
print("a", "b", "c", sep="")
print("a", "b", "c", sep=", ")
print("a", "b", sep="\n")
print("no newline", end="")
print(" <- continued", end="!\n")
print("x", "y", sep=None, end=None)
print(1, 2.5, None, True, [1, "two"], ("t",), {"k": "v"}, {3}, sep=" | ")
print("tab\tand 'quotes'", ["tab\tand 'quotes'"])
print(*range(5))
print(*"abc", sep="-")
print(*[], sep="ignored")
print("to stderr", 42, file=sys.stderr)
print("stderr with sep", "and end", sep="+", end="#\n", file=sys.stderr)
print("flushed", flush=True)
print("to stdout explicitly", file=sys.stdout)
print("", end="")
print("")
print(" ", end="|\n")
print("unicode: é ü 日本 😀")
print("multi\nline\nstring")
print(repr("repr in print"), str("str in print"))


class Custom:
    def __str__(self):
        return "Custom.__str__"

    def __repr__(self):
        return "Custom.__repr__"


print(Custom(), [Custom()], (Custom(),), {"k": Custom()})
print(1, end=" ")
print(2, end=" ")
print(3)
sys.stdout.write("via write\n")
n = sys.stderr.write("stderr write\n")
print("write returned", n)
try:
    print("x", sep=1)
except TypeError as e:
    print("TypeError:", e)
try:
    print("x", end=[])
except TypeError as e:
    print("TypeError:", e)
for i in range(3):
    print(i, i * i, sep=":", end="; " if i < 2 else "\n")
print(print.__name__, print("inner") is None)
