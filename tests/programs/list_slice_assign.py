# List slicing and slice assignment: same-size assignments swap in place; the others splice.
a = list(range(10))
print(a[2:5], a[:], a[5:2], a[-3:], a[8:100], a[100:], a[::-1], a[::2], a[7:2:-2])
b = list(range(6))
b[1:3] = ['x', 'y']; print(b)
b[1:3] = [1]; print(b)
b[2:2] = [7, 8, 9]; print(b)
b[:] = b[::-1]; print(b)
b[:3] = b; print(b)
b[4:1] = [5]; print(b)
c = [1, 2, 3]
c[0:3] = (x * 2 for x in c); print(c)
c[1:2] = 'ab'; print(c)
try:
    c[::2] = [1]
except ValueError as e:
    print(e)
