"""f-strings: conversions, format specs for ints, floats and strings,
nested specs, self-documenting expressions and escaping braces."""

x, y, name, pi = 42, -7, "Ada", 3.14159265358979
print(f"{x} {y} {name} {pi}")
print(f"{name!r} {name!s} {'é'!a} {x!r} {[name]}")
print(f"[{x:5}] [{x:<5}] [{x:^5}] [{x:>5}] [{x:05}] [{y:05}] [{x:+}] [{y:+}] [{x: }] [{y: }]")
print(f"[{name:10}] [{name:>10}] [{name:^10}] [{name:*^11}] [{name:.2}] [{name:>6.1}]")
print(f"{pi:.2f} {pi:.0f} {pi:10.3f}| {pi:<10.3f}| {pi:e} {pi:.3e} {pi:E} {pi:g} {pi:.3g} {pi:%} {0.25:.1%}")
print(f"{x:x} {x:X} {x:#x} {x:o} {x:#o} {x:b} {x:#b} {x:08b} {255:#06x} {-255:x} {x:c}")
print(f"{1234567:,} {1234567:_} {1234567.891:,.2f} {-1234567:,} {0xdeadbeef:_x} {10**12:,}")
print(f"{1e-5:g} {123456789.0:g} {0.0001:g} {1e16:g} {100000.0:g} {1000000.0:g} {1.5:g} {0.0:g}")
print(f"{2.5:.0f} {3.5:.0f} {0.125:.2f} {0.375:.2f} {2.675:.2f} {1e20:.2f} {-0.0:.1f} {1/3:.20f}")
print(f"{float('inf'):f} {float('-inf'):.2f} {float('nan'):f} {float('inf'):e} {float('nan'):g}")
print(f"{12:=+6} {-12:=6} {3.5:=+8.2f} {42:_>8} {42:0<6} {x:{'>'}{8}}")
width, prec = 12, 4
print(f"[{pi:{width}.{prec}f}] [{name:{width}}] [{x:{'^'}{width}}]")
print(f"{x=} {name=} {pi=:.2f} {x + 1=} {name!r:>8} {x * 2 = }")
print(f"{{literal}} {{{x}}} {'{'}{x}{'}'}")
d = {"key": "value", 1: "one"}
items = [1, 2, 3]
print(f"{d['key']} {d[1]} {items[-1]} {items[1:]} {len(items)} {sum(items) / len(items):.3f}")
print(f"{'nested ' + f'{x:>4}'}|{x if x > 0 else -x}|{', '.join(str(i) for i in items)}")
print(f"""multi
line {x}""", f"{x}" f"{y}" "plain{}")


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __format__(self, spec):
        text = f"${self.cents / 100:.2f}"
        return format(text, spec) if spec else text

    def __repr__(self):
        return f"Money({self.cents})"

    def __str__(self):
        return "money!"


m = Money(12345)
print(f"{m} [{m:>12}] {m!r} {m!s}")
print(format(x, "08.3f"), format(pi, ""), format(name), format(1234.5, ",.1f"), format(True), format(True, "d"))
print(f"{True} {None} {1.0} {1e300 * 10} {-5 // 2} {2 ** 100}")
print(f"{3:{0}}" if False else "skip", f"{'a':>{3}}", f"{7:0{5}d}")
for i in range(1, 5):
    print(f"{i:>2} {i * i:>3} {i ** 0.5:.4f} {'#' * i:<4}|")
