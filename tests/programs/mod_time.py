"""The time module, used only in ways whose output does not depend on when
or how fast the program runs: types, signs and monotonicity."""
import time

t0 = time.time()
print(type(t0).__name__, t0 > 1.6e9, t0 < 1e11)
ns = time.time_ns()
print(type(ns).__name__, ns > 1.6e18, abs(ns / 1e9 - t0) < 60)
p0 = time.perf_counter()
m0 = time.monotonic()
total = 0
for i in range(20000):
    total += i * i
p1 = time.perf_counter()
m1 = time.monotonic()
print(total, type(p0).__name__, p1 >= p0, m1 >= m0, p1 - p0 < 60)
print(type(time.perf_counter_ns()).__name__, time.perf_counter_ns() <= time.perf_counter_ns())
print(type(time.monotonic_ns()).__name__, time.monotonic_ns() <= time.monotonic_ns())
print(type(time.process_time()).__name__, time.process_time() >= 0)
before = time.monotonic()
print(time.sleep(0), time.sleep(0.001))
print(time.monotonic() - before >= 0.0009)
try:
    time.sleep(-1)
except ValueError as e:
    print("ValueError:", e)
# Formatting a fixed timestamp in UTC is deterministic.
st = time.gmtime(0)
print(st.tm_year, st.tm_mon, st.tm_mday, st.tm_hour, st.tm_wday, st.tm_yday)
print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(1700000000)), time.gmtime(86400 * 365).tm_year)
