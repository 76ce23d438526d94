"""A small n-body simulation: the Sun and the four gas giants, integrated with a
fixed time step. A tight loop of float arithmetic on locals and lists, the kind of
code a specializing interpreter and a JIT make fast.

    jitlens run examples/nbody_mini.py [STEPS]
"""
import sys

PI = 3.14159265358979323
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24

# name, position (AU), velocity (AU/day -> AU/year), mass (solar masses)
BODIES = [
    ("sun", [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], 1.0),
    ("jupiter",
     [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
     [1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05],
     9.54791938424326609e-04),
    ("saturn",
     [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
     [-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05],
     2.85885980666130812e-04),
    ("uranus",
     [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01],
     [2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05],
     4.36624404335156298e-05),
    ("neptune",
     [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01],
     [2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05],
     5.15138902046611451e-05),
]


def make_system():
    """Lists of [x, y, z], [vx, vy, vz] and masses, with momentum balanced by the Sun."""
    pos = [list(p) for _, p, _, _ in BODIES]
    vel = [[c * DAYS_PER_YEAR for c in v] for _, _, v, _ in BODIES]
    mass = [m * SOLAR_MASS for _, _, _, m in BODIES]
    px = py = pz = 0.0
    for v, m in zip(vel, mass):
        px += v[0] * m
        py += v[1] * m
        pz += v[2] * m
    vel[0] = [-px / SOLAR_MASS, -py / SOLAR_MASS, -pz / SOLAR_MASS]
    return pos, vel, mass


def energy(pos, vel, mass):
    e = 0.0
    n = len(mass)
    for i in range(n):
        vx, vy, vz = vel[i]
        e += 0.5 * mass[i] * (vx * vx + vy * vy + vz * vz)
        for j in range(i + 1, n):
            dx = pos[i][0] - pos[j][0]
            dy = pos[i][1] - pos[j][1]
            dz = pos[i][2] - pos[j][2]
            e -= mass[i] * mass[j] / (dx * dx + dy * dy + dz * dz) ** 0.5
    return e


def advance(pos, vel, mass, dt, steps):
    n = len(mass)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    for _ in range(steps):
        for i, j in pairs:
            pi, pj = pos[i], pos[j]
            dx = pi[0] - pj[0]
            dy = pi[1] - pj[1]
            dz = pi[2] - pj[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * d2 ** 0.5)
            mi = mass[i] * mag
            mj = mass[j] * mag
            vi, vj = vel[i], vel[j]
            vi[0] -= dx * mj
            vi[1] -= dy * mj
            vi[2] -= dz * mj
            vj[0] += dx * mi
            vj[1] += dy * mi
            vj[2] += dz * mi
        for i in range(n):
            p, v = pos[i], vel[i]
            p[0] += dt * v[0]
            p[1] += dt * v[1]
            p[2] += dt * v[2]


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    pos, vel, mass = make_system()
    print(f"energy before: {energy(pos, vel, mass):.9f}")
    advance(pos, vel, mass, 0.01, steps)
    print(f"energy after {steps} steps: {energy(pos, vel, mass):.9f}")
    for (name, *_), p in zip(BODIES, pos):
        print(f"  {name:<8} x={p[0]:+.6f} y={p[1]:+.6f} z={p[2]:+.6f}")


main()
