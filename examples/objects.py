"""An object-heavy workload: a tiny inventory and order system. Classes with
inheritance and properties, many small method calls, attribute access, dicts of
objects and dunder methods, the code a specializing interpreter rewrites into
fast attribute and call paths.

    jitlens run examples/objects.py [ORDERS]
"""
import sys


class Money:
    __slots__ = ("cents",)

    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        return Money(self.cents + other.cents)

    def __mul__(self, k):
        return Money(self.cents * k)

    def __lt__(self, other):
        return self.cents < other.cents

    def __eq__(self, other):
        return isinstance(other, Money) and self.cents == other.cents

    def __hash__(self):
        return hash(self.cents)

    def __repr__(self):
        return f"${self.cents // 100}.{self.cents % 100:02d}"


class Product:
    def __init__(self, sku, name, price):
        self.sku = sku
        self.name = name
        self.price = price

    def unit_price(self, quantity):
        return self.price

    def __repr__(self):
        return f"{type(self).__name__}({self.sku})"


class BulkProduct(Product):
    """Ten percent off from ten units."""

    def unit_price(self, quantity):
        base = super().unit_price(quantity)
        return Money(base.cents * 9 // 10) if quantity >= 10 else base


class Line:
    __slots__ = ("product", "quantity")

    def __init__(self, product, quantity):
        self.product = product
        self.quantity = quantity

    @property
    def total(self):
        return self.product.unit_price(self.quantity) * self.quantity


class Order:
    def __init__(self, number, customer):
        self.number = number
        self.customer = customer
        self.lines = []

    def add(self, product, quantity):
        self.lines.append(Line(product, quantity))
        return self

    @property
    def total(self):
        t = Money(0)
        for line in self.lines:
            t = t + line.total
        return t

    def __len__(self):
        return len(self.lines)


class Inventory:
    def __init__(self):
        self.products = {}
        self.stock = {}

    def register(self, product, count):
        self.products[product.sku] = product
        self.stock[product.sku] = count

    def take(self, sku, quantity):
        have = self.stock[sku]
        if have < quantity:
            raise LookupError(f"only {have} of {sku} left")
        self.stock[sku] = have - quantity
        return self.products[sku]

    def restock(self, amount):
        for sku in self.stock:
            self.stock[sku] += amount


class Rng:
    """A small deterministic generator (a linear congruential one), so the run is repeatable."""

    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state % n


def main():
    orders_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    inv = Inventory()
    for i in range(50):
        cls = BulkProduct if i % 3 == 0 else Product
        inv.register(cls(f"P{i:03d}", f"product {i}", Money(199 + 37 * i)), 500)
    rng = Rng(2024)
    revenue = Money(0)
    per_customer = {}
    per_product = {}
    failed = 0
    biggest = None
    for n in range(orders_wanted):
        order = Order(n, f"customer{rng.next(300)}")
        for _ in range(1 + rng.next(4)):
            sku = f"P{rng.next(50):03d}"
            qty = 1 + rng.next(15)
            try:
                order.add(inv.take(sku, qty), qty)
            except LookupError:
                failed += 1
                inv.restock(100)
        total = order.total
        revenue = revenue + total
        per_customer[order.customer] = per_customer.get(order.customer, Money(0)) + total
        for line in order.lines:
            key = line.product.sku
            per_product[key] = per_product.get(key, 0) + line.quantity
        if biggest is None or biggest.total < total:
            biggest = order
    top = sorted(per_customer.items(), key=lambda kv: (-kv[1].cents, kv[0]))[:3]
    best = max(per_product, key=lambda sku: (per_product[sku], sku))
    print(f"orders: {orders_wanted}, revenue: {revenue}, failed lines: {failed}")
    print(f"top customers: {top}")
    print(f"best seller: {inv.products[best]!r} x{per_product[best]}")
    print(f"biggest order: #{biggest.number} with {len(biggest)} lines, {biggest.total}")
    print(f"stock left: {sum(inv.stock.values())}")


main()
