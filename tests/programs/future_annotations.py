"""from __future__ import annotations: annotations are stored as strings and
never evaluated, so they may name things that do not exist (yet)."""
from __future__ import annotations


def scale(v: Vector, factor: float = 2.0, *rest: int, key: str | None = None, **kw: Undefined) -> list[Vector]:
    return [v * factor]


print(scale.__annotations__)
print(scale(3), scale(1.5, factor=4), scale.__defaults__, scale.__kwdefaults__)
print({k: type(v).__name__ for k, v in scale.__annotations__.items()})


class Vector:
    dims: int = 2
    name: "quoted already"
    cache: dict[str, Vector]

    def __init__(self, x: float, y: float) -> None:
        self.x: float = x
        self.y = y

    def add(self, other: Vector) -> Vector:
        return Vector(self.x + other.x, self.y + other.y)

    def __repr__(self) -> str:
        return f"Vector({self.x}, {self.y})"


print(Vector.__annotations__, Vector.dims, hasattr(Vector, "name"), hasattr(Vector, "cache"))
print(Vector(1, 2).add(Vector(3, 4)), Vector.add.__annotations__, Vector.__init__.__annotations__)

# Module-level variable annotations: only annotated names with a value are bound.
count: int = 5
label: str
matrix: list[list[float]] = [[1.0]]
print(__annotations__, count, matrix, "label" in globals())


def local_annotations():
    inner: NotDefinedAnywhere = 10   # local annotations are not evaluated or stored
    return inner


print(local_annotations(), local_annotations.__annotations__)
lam = lambda x: x
print(lam.__annotations__, (lambda: 0).__annotations__ == {})


def spaced(a: dict[ str ,int ]=None, b: (1 + 2) * 3 = 0, c: "x" if True else y = 1) -> Callable[[int], None]:
    pass


print(spaced.__annotations__)
