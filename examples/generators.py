"""A generator pipeline: synthetic web-server log lines flow through lazy stages
(generate -> parse -> filter -> enrich -> window), with yield from, generator
expressions, itertools and a send()-driven coroutine collecting statistics.
Nothing is materialised until the end of the pipe.

    jitlens run examples/generators.py [LINES]
"""
import itertools
import sys

PATHS = ["/", "/login", "/search", "/cart", "/checkout", "/api/items", "/api/users", "/static/app.js"]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]


def lcg(seed):
    """An endless stream of pseudo-random ints (deterministic)."""
    state = seed
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        yield state >> 33


def log_lines(count, seed=7):
    rnd = lcg(seed)
    for t in range(count):
        r = next(rnd)
        method = METHODS[r % len(METHODS)]
        path = PATHS[(r >> 3) % len(PATHS)]
        status = 200 if r % 17 else (404 if r % 2 else 500)
        ms = 1 + (r >> 7) % 250
        size = (r >> 11) % 20_000
        yield f"{t} {method} {path} {status} {ms}ms {size}"


def parse(lines):
    for line in lines:
        t, method, path, status, ms, size = line.split()
        yield {"t": int(t), "method": method, "path": path, "status": int(status),
               "ms": int(ms[:-2]), "size": int(size)}


def only_api_and_pages(records):
    yield from (r for r in records if not r["path"].startswith("/static"))


def enrich(records):
    for r in records:
        r["slow"] = r["ms"] > 200
        r["error"] = r["status"] >= 400
        yield r


def windows(records, size):
    """Consecutive non-overlapping batches of `size` records."""
    it = iter(records)
    while True:
        batch = list(itertools.islice(it, size))
        if not batch:
            return
        yield batch


def stats():
    """A coroutine: send it records, send None to get the summary back."""
    count = errors = slow = total_ms = 0
    by_path = {}
    while True:
        r = yield
        if r is None:
            break
        count += 1
        errors += r["error"]
        slow += r["slow"]
        total_ms += r["ms"]
        by_path[r["path"]] = by_path.get(r["path"], 0) + 1
    return count, errors, slow, total_ms, by_path


def run_stats(records):
    collector = stats()
    next(collector)
    for r in records:
        collector.send(r)
    try:
        collector.send(None)
    except StopIteration as done:
        return done.value


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 250_000
    pipeline = enrich(only_api_and_pages(parse(log_lines(lines))))
    worst_window = None
    worst_errors = -1
    collected = []

    def tap(batches):
        nonlocal worst_window, worst_errors
        for i, batch in enumerate(batches):
            e = sum(1 for r in batch if r["error"])
            if e > worst_errors:
                worst_errors, worst_window = e, i
            yield from batch

    def keep_some(records):
        for r in records:
            if r["t"] % 10_000 == 0:
                collected.append((r["t"], r["method"], r["path"]))
            yield r

    count, errors, slow, total_ms, by_path = run_stats(keep_some(tap(windows(pipeline, 1000))))
    print(f"records: {count} of {lines} lines, errors: {errors}, slow: {slow}")
    print(f"mean latency: {total_ms / count:.3f} ms")
    print("busiest paths:", sorted(by_path.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    print(f"worst window: #{worst_window} with {worst_errors} errors")
    print("samples:", collected[:4])
    squares = sum(x * x for x in itertools.islice(lcg(1), 1000) if x % 3 == 0) % 1_000_003
    print("checksum:", squares)


main()
