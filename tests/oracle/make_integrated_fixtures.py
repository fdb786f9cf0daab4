#!/usr/bin/python3
"""Independent oracle for cp_ownership_integrated (host/ownership_integrated.c): integrated ownership
through chains (Vitali, Glattfelder and Battiston 2011, PLoS ONE 6(10): e25995),

    U = W + W^2 + W^3 + ... = (I - W)^-1 W,

computed densely with numpy on small random ownership graphs, written to
tests/fixtures/ownership/integrated_NN.dat (not .txt: the closure suite reads every .txt file of
that folder as one of its own fixtures).

W[u][v] is the share u holds in v: each edge's share is rounded to parts per million exactly as the
library does (the decimal text times 1e6, or 1e4 for percent units, rounded half away from zero,
with exact decimal arithmetic), then divided by 1e6; parallel edges add; self-loops are left out.
The full series is np.linalg.solve(I - W, W) (a dense LU solve: no iteration, no sparsity); the
depth-bounded sums are W + W^2 + ... + W^d from explicit dense matrix powers. Both are compared
with the library element by element (every entry of every requested column, zeros included).

Graphs: random owner -> owned edges with shares drawn so that every entity's incoming shares sum
to less than 100% (so the series converges), cycles (cross-holdings) planted on purpose, plus
self-loops, parallel edges, zero shares and isolated nodes. Each fixture asks for a subset of
target columns (or all). The spectral radius of W is recorded and checked below 1.

Output format, one record a line ('#' lines are comments):
    units <text>                       the layer's units
    nodes <n> edges <m>
    e <src> <dst> <weight>             m edge lines, weight as decimal text
    targets <k> <t1> ... <tk>          the columns asked for (ascending); k = -1: all nodes
    depth <d>                          0: the full series; d > 0: W + ... + W^d
    rho <value>                        spectral radius of W (information)
    u <owner> <target> <value>         every entry of the requested columns, zeros included,
                                       value printed with 17 significant digits

Run: /usr/bin/python3 tests/oracle/make_integrated_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files.
"""

import math
import platform
import random
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np

N_FIXTURES = 12
BASE_SEED = 2011  # the year of Vitali et al.
UNITS_CYCLE = ["fraction", "percent", "fraction", "%"]


def share_to_ppm(text, units):
    scale = 10**4 if units.lower() == "percent" or units == "%" else 10**6
    x = Fraction(Decimal(text)) * scale
    return math.floor(x + Fraction(1, 2))


def fmt_share(value_fraction, units):
    """Decimal text of a share in the layer's units."""
    if units.lower() == "percent" or units == "%":
        return f"{value_fraction * 100:.4f}".rstrip("0").rstrip(".") or "0"
    return f"{value_fraction:.6f}".rstrip("0").rstrip(".") or "0"


def make_graph(rng, idx):
    n = rng.randint(6, 40)
    units = UNITS_CYCLE[idx % len(UNITS_CYCLE)]
    isolated = set(rng.sample(range(n), k=max(1, n // 8)))
    active = [v for v in range(n) if v not in isolated]
    # Total share others may hold in v; every fourth fixture nearly 100% (slow convergence).
    high = idx % 4 == 3
    budget = {v: (rng.uniform(0.97, 0.999) if high else rng.uniform(0.3, 0.95)) for v in range(n)}
    edges = []
    m_target = rng.randint(n, 3 * n)
    for _ in range(m_target):
        u, v = rng.sample(active, 2)
        s = rng.uniform(0.01, 0.6) * budget[v]
        budget[v] -= s
        edges.append((u, v, s))
    # A planted cross-holding cycle of length 2..4.
    cyc = rng.sample(active, min(len(active), rng.randint(2, 4)))
    for i, u in enumerate(cyc):
        v = cyc[(i + 1) % len(cyc)]
        s = (0.97 if high else 0.5) * budget[v]
        budget[v] -= s
        edges.append((u, v, s))
    # Parallel edges: repeat a few existing stakes with a part of the remaining budget.
    for _ in range(rng.randint(1, 4)):
        u, v, _s = rng.choice(edges)
        s = 0.5 * budget[v]
        budget[v] -= s
        edges.append((u, v, s))
    # Self-loops (ignored by the library) and zero shares.
    for _ in range(rng.randint(1, 3)):
        u = rng.choice(active)
        edges.append((u, u, rng.uniform(0.05, 0.9)))
    u, v = rng.sample(active, 2)
    edges.append((u, v, 0.0))
    rng.shuffle(edges)
    lines = [(u, v, fmt_share(s, units)) for (u, v, s) in edges]
    return n, units, lines


def matrix(n, units, lines):
    w = np.zeros((n, n))
    for u, v, text in lines:
        if u == v:
            continue
        w[u, v] += share_to_ppm(text, units) / 1e6
    return w


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "fixtures" / "ownership")
    out.mkdir(parents=True, exist_ok=True)
    for idx in range(N_FIXTURES):
        seed = BASE_SEED + idx
        rng = random.Random(seed)
        n, units, lines = make_graph(rng, idx)
        w = matrix(n, units, lines)
        rho = max(abs(np.linalg.eigvals(w))) if n > 0 else 0.0
        assert rho < 1.0, f"fixture {idx}: spectral radius {rho} >= 1"
        depth = 0 if idx % 3 != 2 else rng.randint(1, 4)
        if depth == 0:
            u = np.linalg.solve(np.eye(n) - w, w)
        else:
            u = np.zeros((n, n))
            p = np.eye(n)
            for _ in range(depth):
                p = p @ w
                u += p
        if idx % 2 == 0:
            targets = list(range(n))
            tline = "targets -1"
        else:
            targets = sorted(rng.sample(range(n), k=rng.randint(1, n)))
            tline = f"targets {len(targets)} " + " ".join(map(str, targets))
        path = out / f"integrated_{idx:02d}.dat"
        with open(path, "w") as f:
            f.write("# chokepoint integrated ownership fixture: U = (I - W)^-1 W (or W + ... + W^d)\n")
            f.write(f"# generator: tests/oracle/make_integrated_fixtures.py; seed {seed}\n")
            f.write(f"# python {platform.python_version()}; numpy {np.__version__} "
                    "(numpy.linalg.solve, dense matrix powers)\n")
            f.write(f"units {units}\n")
            f.write(f"nodes {n} edges {len(lines)}\n")
            for a, b, text in lines:
                f.write(f"e {a} {b} {text}\n")
            f.write(tline + "\n")
            f.write(f"depth {depth}\n")
            f.write(f"rho {rho:.17g}\n")
            for t in targets:
                for o in range(n):
                    f.write(f"u {o} {t} {u[o, t]:.17g}\n")
        print(f"wrote {path} (n {n}, m {len(lines)}, depth {depth}, rho {rho:.3f})")


if __name__ == "__main__":
    main()
