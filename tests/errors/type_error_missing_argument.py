"""Calling a method without a required argument."""


class Greeter:
    def greet(self, name, punctuation):
        return f"hello {name}{punctuation}"


g = Greeter()
print(g.greet("ann", "!"))
print(g.greet("bob"))
