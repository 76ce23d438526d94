# Slot loads and stores that specialize, then meet another class with other slot
# positions, a class attribute that replaces the slot member, and an unset slot.
class P:
    __slots__ = ('x', 'y')
    def __init__(self, x, y):
        self.x = x; self.y = y
class Q:
    __slots__ = ('y', 'x')
    def __init__(self, x, y):
        self.x = x; self.y = y
def f(objs):
    t = 0
    for o in objs:
        t += o.x
        o.y = o.x + 1
    return t
ps = [P(i, 0) for i in range(3000)]
print(f(ps))
print(f(ps + [Q(5, 6)] * 10))
P.x = property(lambda self: 100)
try:
    print(f(ps[:3]))
except AttributeError as e:
    print("AttributeError", e)
class R:
    __slots__ = ('x',)
r = R()
try:
    print(f([r]*2000))
except AttributeError as e:
    print("AttributeError", e)
