"""printf-style formatting with the % operator."""

print("%d %s %r" % (42, "str", "str"))
print("%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o" % (42, 42, 42, 42, 42, 255, 255, 255, 8, 8))
print("%f|%.2f|%10.3f|%-10.1f|%e|%.2E|%g|%G|%g" % (3.14159, 3.14159, 3.14159, 2.5, 12345.678, 0.00012, 1e-5, 1e20, 123.0))
print("%s %s %s" % (None, [1, 2], (3,)), "%s" % "single", "%s" % (("tuple",),))
print("%(name)s is %(age)d years" % {"name": "Ann", "age": 7}, "%(x)r" % {"x": "q"})
print("%c%c%c" % (72, "i", 33), "%i" % 3.99, "%d" % -3.99, "%d" % True, "%s" % True)
print("100%%", "%d%%" % 50, "%.3s|" % "abcdef", "%5.1s|" % "xyz", "%-6s|" % "ab")
print("%*d|%-*d|%.*f" % (6, 1, 6, 2, 3, 3.14159))
print("%r %a" % ("é\n", "é\n"), "%s" % 1.0, "%s" % 1e16, "%s" % 0.1, "%r" % 1e-7)
print("%.0f %.0f %.0f %.1f" % (0.5, 1.5, 2.5, 0.05), "%x" % -255, "%o" % -8)
print("%d items" % 3, "%s" % [], "%s-%s" % ("a", "b"))
print("%08.3f|%-8.3f|%+.2e" % (-3.14159, 3.14159, 12345.6789))
print("%s" % {"k": 1}, "%(a)s%(a)s" % {"a": "x"})
for template, args in [("%d", "x"), ("%d %d", (1,)), ("%s", (1, 2)), ("%z", (1,))]:
    try:
        print(template % args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for i in range(3):
    print("row %2d: %-6s %6.2f" % (i, "x" * i, i / 7))
