#!/usr/bin/python3
"""Independent oracle for cp_ownership_block and cp_ownership_block_params (host/ownership.c):
writes random ownership graphs and the closure computed here into tests/fixtures/ownership/*.txt,
under four regimes:
    ofac     blocked when blocked owners hold 50% or more in aggregate (ownership_NN.txt);
    eu       blocked when blocked owners hold 50% or more in aggregate, or when a blocked person
             controls the entity through a control edge (ownership_eu_NN.txt; EU 2024);
    eu-2022  blocked when blocked owners hold MORE than 50% in aggregate, or control
             (ownership_eu2022_NN.txt);
    uk       blocked when the blocked owners attributed to ONE designated person hold more than
             50%, or control (ownership_uk_NN.txt). A designated node is its own person; an entity
             blocked by the rule is attributed to the person whose stakes or control blocked it (the
             smallest such person when several did in the same pass).
Control edges (u controls v) block v once u is blocked, and propagate through blocked entities like
ownership; self-control edges are ignored.

The closure is computed the plain way, with no frontier and no adjacency lists: repeat a pass over
every entity, each pass looking only at the blocked set as it stood when the pass began, until a
pass blocks nothing new. An entity is blocked in a pass when the stakes that blocked owners hold in
it, summed over every edge (parallel edges add, self-ownership edges are ignored), reach 50%. The
pass number is the entity's round (designated nodes: round 0). Arithmetic is exact: every share is
read from its decimal text with decimal.Decimal, turned into a fractions.Fraction, scaled to parts
per million and rounded half away from zero to an int; sums are Python ints.

Output format, one record a line ('#' lines are comments):
    regime <name>                  ofac, eu, eu-2022 or uk (absent: ofac)
    units <text>                   the layer's units (the rest of the line; may be empty)
    nodes <n> edges <m> designated <k>
    e <src> <dst> <weight>         m edge lines, src owns weight of dst, weight as decimal text
    c <src> <dst>                  control edges (src controls dst; eu/uk fixtures only)
    d <i>                          k designated nodes
    v <i> <blocked> <round> <ppm> <t> <owner_1> ... <owner_t>
                                   n node lines: 0 free / 1 designated / 2 blocked by the rule,
                                   round (-1 free), exposure in ppm (all blocked owners' stakes),
                                   and the owners that tipped it (blocked in an earlier round,
                                   positive stake, or controllers blocked in an earlier
                                   round; under uk only those attributed to the entity's
                                   person), ascending.
    k <i>                          nodes blocked by the rule that had a controller blocked in an
                                   earlier round (by_control = 1; all others 0)

Run: /usr/bin/python3 tests/oracle/make_ownership_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files.
"""

import math
import platform
import random
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

PPM_THRESHOLD = 500000
N_FIXTURES = 20
N_REGIME_FIXTURES = 4  # per regime: eu on the seeds of ofac fixtures 0-3, uk on those of 4-7
BASE_SEED = 40100  # after FAQ 401
UNITS_CYCLE = ["fraction", "percent", "%", "", "Percent"]


def share_to_ppm(text, units):
    """Exact: the decimal text times 1e4 (percent) or 1e6 (otherwise), rounded half up (shares
    are never negative, so half up is half away from zero)."""
    scale = 10**4 if units.lower() == "percent" or units == "%" else 10**6
    x = Fraction(Decimal(text)) * scale
    return math.floor(x + Fraction(1, 2))


def closure(n, edges, designated, units, regime="ofac", controls=()):
    """edges: list of (src, dst, text); controls: list of (src, dst). Returns (blocked, round,
    ppm, tipped, by_control) lists of length n."""
    strict = regime in ("eu-2022", "uk")
    per_person = regime == "uk"
    stakes = [(u, v, share_to_ppm(t, units)) for (u, v, t) in edges if u != v]
    ctl = [(u, v) for (u, v) in controls if u != v] if regime != "ofac" else []
    round_of = [-1] * n
    person = [-1] * n
    for i in designated:
        round_of[i] = 0
        person[i] = i
    r = 0
    while True:
        blocked_now = [round_of[i] >= 0 for i in range(n)]
        newly = []
        for v in range(n):
            if blocked_now[v]:
                continue
            totals = {}  # person (or None when aggregating) -> summed stake
            for (a, b, p) in stakes:
                if b == v and blocked_now[a]:
                    key = person[a] if per_person else None
                    totals[key] = totals.get(key, 0) + p
            who = set()
            for key, total in totals.items():
                if (total > PPM_THRESHOLD) if strict else (total >= PPM_THRESHOLD):
                    who.add(key)
            for (a, b) in ctl:
                if b == v and blocked_now[a]:
                    who.add(person[a] if per_person else None)
            if who:
                newly.append((v, min(who) if per_person else None))
        if not newly:
            break
        r += 1
        for (v, p) in newly:
            round_of[v] = r
            person[v] = p
    status = []
    for i in range(n):
        if i in designated:
            status.append(1)
        elif round_of[i] >= 0:
            status.append(2)
        else:
            status.append(0)
    exposure = [0] * n
    for (a, b, p) in stakes:
        if round_of[a] >= 0:
            exposure[b] += p
    tipped = []
    for v in range(n):
        owners = set()
        if status[v] == 2:
            for (a, b, p) in stakes:
                if b == v and p > 0 and 0 <= round_of[a] < round_of[v]:
                    if not per_person or person[a] == person[v]:
                        owners.add(a)
            for (a, b) in ctl:
                if b == v and 0 <= round_of[a] < round_of[v]:
                    if not per_person or person[a] == person[v]:
                        owners.add(a)
        tipped.append(sorted(owners))
    by_control = [int(status[v] == 2 and any(b == v and 0 <= round_of[a] < round_of[v]
                                             for (a, b) in ctl)) for v in range(n)]
    return status, round_of, exposure, tipped, by_control


def canonical(text):
    """The shortest decimal text of the double nearest to `text` (what a C reader of the fixture
    sees after strtod), so that both sides round the same decimal."""
    return repr(float(text))


def random_share(rng, percent):
    """A share as decimal text, from a mix chosen to hit the edge cases: exact halves and
    quarters, 49.9999%, ties at half a ppm, seven-decimal values, zero, random ppm values."""
    k = rng.random()
    if k < 0.12:
        frac = "0.5"
    elif k < 0.22:
        frac = "0.25"
    elif k < 0.27:
        frac = "0.499999"
    elif k < 0.32:
        frac = "0.4999995"  # a tie: rounds up to exactly 50%
    elif k < 0.42:
        frac = "0.%06d5" % rng.randrange(0, 1000000)  # ties at half a ppm
    elif k < 0.47:
        frac = "0.%07d" % rng.randrange(0, 10000000)
    elif k < 0.50:
        frac = "0"
    elif k < 0.53:
        frac = "0.6"
    else:
        frac = "0.%06d" % rng.randrange(0, 1000000)
    if percent:
        frac = str(Decimal(frac) * 100)
    return canonical(frac)


def complement_share(text, percent):
    """The share that brings `text` to exactly one half (joint ventures split 50/50 or a+b=50%)."""
    half = Decimal(50) if percent else Decimal("0.5")
    rest = half - Decimal(text)
    if rest < 0:
        rest = -rest
    return canonical(str(rest))


def make_graph(seed):
    rng = random.Random(seed)
    n = rng.randint(30, 200)
    units = UNITS_CYCLE[seed % len(UNITS_CYCLE)]
    percent = units.lower() == "percent" or units == "%"
    n_persons = max(3, n // 5)
    edges = []
    for v in range(n_persons, n):
        mode = rng.random()
        owners = rng.sample(range(n), rng.randint(1, 4))
        owners = [u for u in owners if u != v] or [(v + 1) % n]
        if mode < 0.3 and len(owners) >= 2:
            # Two stakes summing to exactly 50%: blocked only when both owners are.
            a = random_share(rng, percent)
            edges.append((owners[0], v, a))
            edges.append((owners[1], v, complement_share(a, percent)))
            owners = owners[2:]
        for u in owners:
            edges.append((u, v, random_share(rng, percent)))
    # Mutual 60% holdings (cycles of control).
    for _ in range(rng.randint(1, 4)):
        a, b = rng.sample(range(n_persons, n), 2)
        s = "60" if percent else "0.6"
        edges.append((a, b, s))
        edges.append((b, a, s))
    # Longer ownership cycles with random shares.
    for _ in range(rng.randint(0, 2)):
        ring = rng.sample(range(n_persons, n), rng.randint(3, 6))
        for i, u in enumerate(ring):
            edges.append((u, ring[(i + 1) % len(ring)], random_share(rng, percent)))
    # Parallel edges: a stake recorded twice (e.g. two share classes, or two sources).
    for _ in range(max(1, len(edges) // 20)):
        u, v, _t = rng.choice(edges)
        edges.append((u, v, random_share(rng, percent)))
    # Self-ownership (treasury shares): must be ignored.
    for _ in range(rng.randint(0, 3)):
        v = rng.randrange(n_persons, n)
        edges.append((v, v, "0.6" if not percent else "60"))
    rng.shuffle(edges)
    k = max(1, int(n * rng.uniform(0.04, 0.15)))
    designated = sorted(rng.sample(range(n), k))
    return n, units, edges, designated


def make_controls(seed, n):
    """Control edges for the eu/uk fixtures, from their own generator (the ownership graph of a
    seed is the same under every regime): random pairs, a control cycle, a self-control edge."""
    rng = random.Random(seed * 7 + 1)
    n_persons = max(3, n // 5)
    controls = []
    for _ in range(rng.randint(n // 20, n // 8)):
        controls.append((rng.randrange(n), rng.randrange(n_persons, n)))
    ring = rng.sample(range(n_persons, n), 3)
    for i, u in enumerate(ring):
        controls.append((u, ring[(i + 1) % 3]))
    v = rng.randrange(n_persons, n)
    controls.append((v, v))
    rng.shuffle(controls)
    return controls


def write_fixture(path, seed, regime="ofac"):
    n, units, edges, designated = make_graph(seed)
    controls = make_controls(seed, n) if regime != "ofac" else []
    status, round_of, exposure, tipped, by_control = closure(n, edges, set(designated), units,
                                                             regime, controls)
    with open(path, "w", encoding="ascii") as f:
        if regime == "ofac":
            f.write("# chokepoint ownership fixture: OFAC 50 Percent Rule closure by an "
                    "independent oracle\n")
        else:
            f.write("# chokepoint ownership fixture: %s rule closure by an independent "
                    "oracle\n" % regime.upper())
        f.write("# generator: tests/oracle/make_ownership_fixtures.py; seed %d\n" % seed)
        f.write("# python %s (%s); exact arithmetic with int, decimal.Decimal, "
                "fractions.Fraction\n" % (platform.python_version(),
                                          platform.python_implementation()))
        if regime != "ofac":
            f.write("regime %s\n" % regime)
        f.write("units %s\n" % units)
        f.write("nodes %d edges %d designated %d\n" % (n, len(edges), len(designated)))
        for (u, v, t) in edges:
            f.write("e %d %d %s\n" % (u, v, t))
        for (u, v) in controls:
            f.write("c %d %d\n" % (u, v))
        for i in designated:
            f.write("d %d\n" % i)
        for i in range(n):
            f.write("v %d %d %d %d %d%s\n" % (i, status[i], round_of[i], exposure[i],
                                              len(tipped[i]),
                                              "".join(" %d" % u for u in tipped[i])))
        for i in range(n):
            if by_control[i]:
                f.write("k %d\n" % i)
    return n, len(edges), sum(1 for s in status if s == 2), max(round_of)


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "fixtures" / "ownership")
    out.mkdir(parents=True, exist_ok=True)
    for i in range(N_FIXTURES):
        seed = BASE_SEED + i
        path = out / ("ownership_%02d.txt" % i)
        n, m, newly, rounds = write_fixture(path, seed)
        print("%s: n=%d m=%d newly blocked=%d rounds=%d" % (path.name, n, m, newly, rounds))
    for regime, first in (("eu", 0), ("uk", N_REGIME_FIXTURES), ("eu-2022", 0)):
        for i in range(N_REGIME_FIXTURES):
            seed = BASE_SEED + first + i
            path = out / ("ownership_%s_%02d.txt" % (regime.replace("-", ""), i))
            n, m, newly, rounds = write_fixture(path, seed, regime)
            print("%s: n=%d m=%d newly blocked=%d rounds=%d" % (path.name, n, m, newly, rounds))


if __name__ == "__main__":
    main()
