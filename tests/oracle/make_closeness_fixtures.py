#!/usr/bin/python3
"""Independent oracle for host/closeness.c: writes random graphs (fixed seeds) and the closeness
and harmonic centralities networkx gives for them into tests/fixtures/closeness/*.txt, which
tests/host/test_closeness.c reads. python-igraph, when installed, is a second oracle: the script
asserts that it agrees wherever the two libraries use the same convention (see cross_check).

Conventions (include/chokepoint/distance.h), and how networkx is made to compute them:
  lengths      computed here from each weight w exactly as cp_view_lengths does: hops 1, weight w,
               inverse 1/w (w = 0: inf), neglog -log(w) (w = 0: inf). An edge of infinite length
               is not traversable: it is left out of the networkx graph (networkx would otherwise
               reach the node at distance inf). Parallel edges stay parallel (MultiGraph /
               MultiDiGraph: Dijkstra takes the smallest length); under 'multi collapse' they are
               merged first with their weights summed, as the view does. Self-loops are kept.
  direction    'in' (incoming distance d(x, u), the default) is networkx's own convention for
               closeness_centrality and harmonic_centrality on directed graphs; 'out' is the same
               functions on G.reverse(). A symmetric view has one direction ('in').
  removal      the removed nodes are deleted from the networkx graph (so networkx's n is
               n' = n - k); chokepoint keeps them in n and gives them 0. The Wasserman-Faust value
               depends on n: it is networkx's times (n' - 1) / (n - 1). Per-component closeness
               and raw harmonic centrality do not depend on n.
  keys         close_wf_<length>_<dir>   nx.closeness_centrality(G, distance, wf_improved=True)
               close_cc_<length>_<dir>   the same with wf_improved=False
               harm_<length>_<dir>       nx.harmonic_centrality(G, distance) (raw; the test checks
                                         the normalised value against harm / (n - 1))
               hops use distance=None (BFS), other lengths distance='d'.

Fixture format, one record a line, '#' lines are comments:
    name <text>
    n <nodes>
    directed <1|0>          1: the view as stored; 0: the symmetric view of the same edges
    multi <keep|collapse>
    edges <m>               followed by m lines '<src> <dst> <weight>' (repr form; 'inf')
    edgefile <path>         instead of edges: a SNAP edge list under ../shared/ (not copied here),
                            labels remapped to 0.. in order of first appearance; weights 1, or
                            with 'labelweights 1' w = 1 + (a + 3 b) mod 7 for labels a -> b
    labelweights <0|1>
    removed <k> <i>...      the removal mask as an index list
    <key> <n> <v>...        expected values (%.17g), one per node

Run: /usr/bin/python3 tests/oracle/make_closeness_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files. The email-Eu-core fixtures
need ../shared/datasets/snap/email-Eu-core.txt (skipped with a notice when absent).
"""

import math
import os
import platform
import random
import sys

import networkx as nx

try:
    import igraph
except ImportError:  # the second oracle is optional
    igraph = None

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), "shared")

INF = float("inf")


def header(desc):
    versions = "python %s, networkx %s" % (platform.python_version(), nx.__version__)
    if igraph is not None:
        versions += ", python-igraph %s (cross-check)" % igraph.__version__
    return [
        "# chokepoint closeness fixture (generated; do not edit)",
        "# generator: tests/oracle/make_closeness_fixtures.py",
        "# " + versions,
        "# " + desc,
    ]


def fmt_weight(x):
    if x == INF:
        return "inf"
    return repr(float(x))


def fmt_value(x):
    return "%.17g" % x


def length_of(w, mode):
    if mode == "hops":
        return 1.0
    if mode == "weight":
        return w
    if mode == "inverse":
        return INF if w == 0 else 1.0 / w
    if mode == "neglog":
        assert 0.0 <= w <= 1.0
        return INF if w == 0 else -math.log(w)
    raise ValueError(mode)


def view_edges(edges, directed, multi):
    """The view's edges: as given (keep), or merged per (ordered or unordered) pair with weights
    summed (collapse)."""
    if multi == "keep":
        return list(edges)
    acc = {}
    order = []
    for u, v, w in edges:
        key = (u, v) if directed else (min(u, v), max(u, v))
        if key not in acc:
            acc[key] = 0.0
            order.append(key)
        acc[key] += w
    return [(k[0], k[1], acc[k]) for k in order]


def nx_graph(n, removed, vedges, directed, mode):
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.add_nodes_from(x for x in range(n) if x not in removed)
    for u, v, w in vedges:
        if u in removed or v in removed:
            continue
        d = length_of(w, mode)
        if d == INF:
            continue
        G.add_edge(u, v, d=d)
    return G


def cross_check(G, n, removed, directed, mode, dirn, cc, harm):
    """python-igraph as a second oracle, on the same graph: its all-pairs distances (Dijkstra or
    BFS), turned into per-component closeness and raw harmonic centrality by their definitions,
    must match networkx's; and where every length is at least 1e-6, igraph's own closeness
    (normalized=True: (r - 1) / sum over what is reached; NaN where nothing is, networkx 0) and
    harmonic_centrality must match too. igraph 0.10's closeness rejects zero lengths, and its
    harmonic centrality drifts with lengths near 1e-12 (distances compared with a tolerance), so
    those graphs get the distance check only. Returns a tag naming what ran, or None."""
    if igraph is None:
        return None
    nodes = sorted(G.nodes())
    pos = {x: i for i, x in enumerate(nodes)}
    elist = [(pos[u], pos[v]) for u, v in G.edges()]
    lens = [d for _, _, d in G.edges(data="d")]
    H = igraph.Graph(n=len(nodes), edges=elist, directed=directed)
    w = None if mode == "hops" else lens
    imode = ("in" if dirn == "in" else "out") if directed else "all"
    # Row i: distances from i in mode "in" are d(x, i) over paths x -> i.
    D = H.distances(weights=w, mode=imode)
    for x, i in pos.items():
        reach = [d for j, d in enumerate(D[i]) if j != i and d != INF]
        tot = sum(reach)
        c = len(reach) / tot if tot > 0 else 0.0
        h = sum(1.0 / d for d in reach if d > 0)
        assert abs(c - cc[x]) <= 1e-9 * max(1.0, abs(c)), ("distances/closeness", mode, x)
        assert abs(h - harm[x]) <= 1e-9 * max(1.0, abs(h)), ("distances/harmonic", mode, x)
    if w is not None and any(d < 1e-6 for d in w):
        return "distances"
    ic = H.closeness(mode=imode, weights=w, normalized=True)
    ih = H.harmonic_centrality(mode=imode, weights=w, normalized=False)
    for x, i in pos.items():
        a, b = ic[i], cc[x]
        if math.isnan(a):
            assert b == 0, ("closeness", mode, dirn, x, a, b)
        else:
            assert abs(a - b) <= 1e-9 * abs(b), ("closeness", mode, dirn, x, a, b)
        a, b = ih[i], harm[x]
        assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), ("harmonic", mode, dirn, x, a, b)
    return "distances+centrality"


def expected(n, edges, directed, multi, removed, lengths):
    rem = set(removed)
    vedges = view_edges(edges, directed, multi)
    kept = n - len(rem)
    out = {}
    checked = []
    for spec in lengths:
        mode, _, only = spec.partition(":")
        G = nx_graph(n, rem, vedges, directed, mode)
        for dirn in (("in", "out") if directed and not only else (only or "in",)):
            H = G if dirn == "in" else G.reverse(copy=True)
            dist = None if mode == "hops" else "d"
            wf = nx.closeness_centrality(H, distance=dist, wf_improved=True)
            cc = nx.closeness_centrality(H, distance=dist, wf_improved=False)
            hc = nx.harmonic_centrality(H, distance=dist)
            how = cross_check(G, n, rem, directed, mode, dirn, cc, hc)
            if how is not None:
                checked.append("%s/%s:%s" % (mode, dirn, how))
            scale = (kept - 1) / (n - 1) if n > 1 and kept > 1 else 0.0
            tag = "%s_%s" % (mode, dirn)
            out["close_wf_" + tag] = [wf[x] * scale if x not in rem else 0.0 for x in range(n)]
            out["close_cc_" + tag] = [cc[x] if x not in rem else 0.0 for x in range(n)]
            out["harm_" + tag] = [float(hc[x]) if x not in rem else 0.0 for x in range(n)]
    return out, checked


def write(path, desc, name, n, directed, multi, edges, edgefile, labelweights, removed, exp):
    lines = header(desc)
    lines.append("name " + name)
    lines.append("n %d" % n)
    lines.append("directed %d" % (1 if directed else 0))
    lines.append("multi " + multi)
    if edgefile is not None:
        lines.append("edgefile " + edgefile)
        lines.append("labelweights %d" % labelweights)
    else:
        lines.append("edges %d" % len(edges))
        for u, v, w in edges:
            lines.append("%d %d %s" % (u, v, fmt_weight(w)))
    lines.append(" ".join(["removed", str(len(removed))] + [str(x) for x in removed]))
    for key, vals in exp.items():
        lines.append(" ".join([key, str(len(vals))] + [fmt_value(x) for x in vals]))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def draw_weight(rng, style):
    """general: zeros, huge values, +inf, fractions and small integers (ties); prob: values in
    [0, 1] with exact 0 and 1 (neglog lengths +inf and 0); zeros: mostly 0."""
    r = rng.random()
    if style == "prob":
        if r < 0.08:
            return 0.0
        if r < 0.16:
            return 1.0
        if r < 0.24:
            return 0.5
        return round(rng.uniform(0.001, 1.0), 4)
    if style == "zeros":
        return 0.0 if r < 0.7 else float(rng.randint(1, 3))
    if r < 0.08:
        return 0.0
    if r < 0.14:
        return 1e12
    if r < 0.18:
        return INF
    if r < 0.40:
        return round(rng.uniform(0.1, 5.0), 3)
    return float(rng.randint(1, 9))


def random_graph(rng, n, m, p_loop, p_parallel, n_isolated, style):
    """m edges among n - n_isolated nodes (the others stay isolated; nodes are shuffled); a share
    of self-loops and of repeated (parallel) edges, sometimes reversed, with their own weight."""
    active = n - n_isolated
    perm = list(range(n))
    rng.shuffle(perm)
    edges = []
    for _ in range(m):
        r = rng.random()
        if edges and r < p_parallel:
            u, v, _ = edges[rng.randrange(len(edges))]
            if rng.random() < 0.3:
                u, v = v, u
        elif r < p_parallel + p_loop:
            u = v = rng.randrange(active)
        else:
            u = rng.randrange(active)
            v = rng.randrange(active)
        edges.append((u, v, draw_weight(rng, style)))
    return [(perm[u], perm[v], w) for (u, v, w) in edges]


GENERAL = ["hops", "weight", "inverse"]
ALL = ["hops", "weight", "inverse", "neglog"]

# name, seed, n, m, directed, multi, loops, parallel, isolated, removed share, weight style, lengths
# (a length 'mode:in' or 'mode:out' asks for one direction only; by default a directed view gets
# both)
CONFIGS = [
    ("tiny_dir", 101, 5, 7, True, "keep", 0.1, 0.2, 1, 0.0, "prob", ALL),
    ("tiny_sym", 102, 6, 6, False, "keep", 0.1, 0.2, 1, 0.0, "general", GENERAL),
    ("tiny_sym_mask", 103, 9, 12, False, "keep", 0.1, 0.2, 1, 0.2, "prob", ALL),
    ("small_dir", 111, 25, 60, True, "keep", 0.05, 0.15, 2, 0.0, "general", GENERAL),
    ("small_dir_mask", 112, 30, 70, True, "keep", 0.05, 0.15, 3, 0.15, "prob", ALL),
    ("small_sym", 113, 30, 45, False, "keep", 0.05, 0.15, 3, 0.0, "prob", ALL),
    ("small_zeros", 114, 20, 40, True, "keep", 0.05, 0.1, 1, 0.0, "zeros", ["weight"]),
    ("small_dir_collapse", 115, 40, 120, True, "collapse", 0.05, 0.25, 2, 0.05, "general",
     GENERAL),
    ("small_sym_collapse", 116, 40, 80, False, "collapse", 0.05, 0.25, 2, 0.0, "general",
     GENERAL),
    ("mid_dir_mask", 121, 120, 360, True, "keep", 0.02, 0.05, 5, 0.05, "general", GENERAL),
    ("mid_sym", 122, 150, 300, False, "keep", 0.02, 0.05, 8, 0.05, "prob", ALL),
    ("sparse_dir", 123, 200, 230, True, "keep", 0.02, 0.05, 10, 0.0, "prob", ["hops", "neglog"]),
    ("sparse_sym", 124, 200, 160, False, "keep", 0.02, 0.05, 20, 0.05, "general", GENERAL),
    ("dense_dir", 125, 60, 900, True, "keep", 0.02, 0.1, 0, 0.0, "general", GENERAL),
    ("big_dir_mask", 131, 800, 2400, True, "keep", 0.01, 0.03, 20, 0.03, "general",
     ["hops", "weight:out"]),
    ("big_sym", 132, 800, 1400, False, "keep", 0.01, 0.03, 20, 0.0, "prob", ["hops", "neglog"]),
]


def email_graph(labelweights):
    path = os.path.join(SHARED, "datasets", "snap", "email-Eu-core.txt")
    if not os.path.exists(path):
        return None
    index = {}
    edges = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or line.startswith("#"):
                continue
            ends = []
            for lab in parts[:2]:
                if lab not in index:
                    index[lab] = len(index)
                ends.append(index[lab])
            a, b = int(parts[0]), int(parts[1])
            w = float(1 + (a + 3 * b) % 7) if labelweights else 1.0
            edges.append((ends[0], ends[1], w))
    return index, edges


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "fixtures",
                                                                 "closeness")
    os.makedirs(outdir, exist_ok=True)
    for (name, seed, n, m, directed, multi, p_loop, p_par, n_iso, p_removed, style,
         lengths) in CONFIGS:
        rng = random.Random(seed)
        edges = random_graph(rng, n, m, p_loop, p_par, n_iso, style)
        removed = sorted(x for x in range(n) if rng.random() < p_removed)
        exp, checked = expected(n, edges, directed, multi, removed, lengths)
        desc = ("random graph, seed %d, %s view, multi %s, %s weights, %d removed; igraph agrees "
                "on: %s" % (seed, "directed" if directed else "symmetric", multi, style,
                            len(removed), " ".join(checked) or "(not checked)"))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, multi, edges, None, 0,
              removed, exp)
        print("wrote", name)
    rel = "datasets/snap/email-Eu-core.txt"
    for name, directed, labelweights, lengths, masked in (
            ("email_dir", True, 0, ["hops"], False),
            ("email_dir_weighted", True, 1, ["weight:in"], False),
            ("email_sym_mask", False, 0, ["hops"], True)):
        g = email_graph(labelweights)
        if g is None:
            print("notice: ../shared/%s absent: email fixtures skipped" % rel)
            return
        index, edges = g
        n = len(index)
        removed = sorted(index[lab] for lab in index if int(lab) % 37 == 5) if masked else []
        exp, checked = expected(n, edges, directed, "keep", removed, lengths)
        desc = ("SNAP email-Eu-core (../shared/%s, labels remapped in order of first appearance), "
                "%s view, %s, removed = labels = 5 mod 37 when masked; igraph agrees on: %s" %
                (rel, "directed" if directed else "symmetric",
                 "w = 1 + (a + 3 b) mod 7" if labelweights else "unweighted",
                 " ".join(checked) or "(not checked)"))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, "keep", None, rel,
              labelweights, removed, exp)
        print("wrote", name)


if __name__ == "__main__":
    main()
