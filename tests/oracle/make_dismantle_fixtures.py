#!/usr/bin/python3
"""Independent oracle for host/dismantle.c: writes random graphs (fixed seeds) and the collective
influence and CoreHD scores networkx gives for them into tests/fixtures/dismantle/*.txt, which
tests/host/test_dismantle.c reads.

Both scores read the graph as undirected, so every fixture's edge list (drawn as directed edges,
with self-loops, parallel edges, both-way pairs and isolated nodes) becomes nx.Graph(edges):
parallel edges and both directions merge, self-loops are dropped, and the removed nodes are
deleted. The C side sees the same edges as a directed view (directed 1: it merges out- and
in-rows) or a symmetric view (directed 0), with parallel entries kept or collapsed; all four give
the same expected values. Removed nodes keep their index and get 0.

  ci1 ci2 ci3   Collective influence (Morone and Makse 2015) for radius 1, 2, 3:
                CI_l(i) = (k_i - 1) * sum over j with d(i, j) = l of (k_j - 1), with k the degree
                in the graph above and the distances from nx.single_source_shortest_path_length
                (G, i, cutoff=l).
  corehd        The degree of each node in nx.k_core(G, 2) (0 outside the 2-core).

Fixture format (tests/support/cp_fixture.h), one record a line, '#' lines are comments:
    name <text>
    n <nodes>
    directed <1|0>          1: the view as stored; 0: the symmetric view of the same edges
    multi <keep|collapse>
    edges <m>               followed by m lines '<src> <dst> <weight>'
    removed <k> <i>...      the removal mask as an index list
    <key> <n> <v>...        expected values: ci1 ci2 ci3 corehd (integers, compared exactly)

Run: /usr/bin/python3 tests/oracle/make_dismantle_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files.
"""

import os
import platform
import random
import sys

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def header(desc):
    return [
        "# chokepoint dismantle fixture (generated; do not edit)",
        "# generator: tests/oracle/make_dismantle_fixtures.py",
        "# python %s, networkx %s" % (platform.python_version(), nx.__version__),
        "# " + desc,
    ]


def undirected(n, edges, removed):
    G = nx.Graph()
    G.add_nodes_from(x for x in range(n) if x not in removed)
    G.add_edges_from((u, v) for (u, v) in edges if u not in removed and v not in removed)
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    return G


def collective_influence(n, G, radius):
    k = dict(G.degree())
    out = [0.0] * n
    for i in G.nodes():
        d = nx.single_source_shortest_path_length(G, i, cutoff=radius)
        s = sum(k[j] - 1 for j, dj in d.items() if dj == radius)
        out[i] = float((k[i] - 1) * s) + 0.0  # + 0.0: no negative zero
    return out


def corehd(n, G):
    core = nx.k_core(G, 2)
    out = [0.0] * n
    for x, d in core.degree():
        out[x] = float(d)
    return out


def draw_edges(rng, n, m, hubs):
    """m directed edges: a share from a few hubs, some self-loops, parallel and reversed copies;
    nodes n - 3 .. n - 1 stay isolated."""
    live = n - 3
    hub = rng.sample(range(live), hubs)
    edges = []
    while len(edges) < m:
        r = rng.random()
        if r < 0.05:
            x = rng.randrange(live)
            edges.append((x, x))
        elif r < 0.12 and edges:
            u, v = rng.choice(edges)
            edges.append((u, v) if rng.random() < 0.5 else (v, u))
        elif r < 0.40:
            h = rng.choice(hub)
            x = rng.randrange(live)
            edges.append((h, x) if rng.random() < 0.5 else (x, h))
        else:
            edges.append((rng.randrange(live), rng.randrange(live)))
    return edges


def write(path, desc, name, n, directed, multi, edges, removed, exp):
    lines = header(desc)
    lines.append("name " + name)
    lines.append("n %d" % n)
    lines.append("directed %d" % (1 if directed else 0))
    lines.append("multi " + multi)
    lines.append("edges %d" % len(edges))
    for u, v in edges:
        lines.append("%d %d 1.0" % (u, v))
    lines.append(" ".join(["removed", str(len(removed))] + [str(x) for x in removed]))
    for key, vals in exp.items():
        lines.append(" ".join([key, str(len(vals))] + [repr(x) for x in vals]))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# (name, seed, n, m, hubs, removed share, directed view, multi)
SPECS = [
    ("tiny_dir", 1, 10, 14, 1, 0.0, True, "keep"),
    ("small_sym", 2, 30, 45, 2, 0.0, False, "keep"),
    ("small_dir_mask", 3, 40, 70, 2, 0.15, True, "keep"),
    ("sparse_sym_collapse", 4, 80, 90, 3, 0.05, False, "collapse"),
    ("mid_dir_collapse", 5, 120, 220, 4, 0.10, True, "collapse"),
    ("mid_sym_mask", 6, 150, 260, 5, 0.20, False, "keep"),
    ("tree_like_dir", 7, 200, 205, 6, 0.0, True, "keep"),
    ("big_sym", 8, 300, 600, 8, 0.05, False, "keep"),
    ("big_dir_mask", 9, 300, 450, 8, 0.10, True, "keep"),
    ("dense_dir", 10, 60, 400, 3, 0.0, True, "keep"),
]


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "fixtures",
                                                                 "dismantle")
    os.makedirs(outdir, exist_ok=True)
    for name, seed, n, m, hubs, share, directed, multi in SPECS:
        rng = random.Random(seed)
        edges = draw_edges(rng, n, m, hubs)
        removed = sorted(rng.sample(range(n), int(round(share * n))))
        G = undirected(n, edges, set(removed))
        exp = {"ci%d" % r: collective_influence(n, G, r) for r in (1, 2, 3)}
        exp["corehd"] = corehd(n, G)
        desc = "random graph, seed %d, %s view, multi %s, %d removed" % (
            seed, "directed" if directed else "symmetric", multi, len(removed))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, multi, edges, removed,
              exp)
        print("wrote %s: n %d, m %d, 2-core %d nodes" % (name, n, m, sum(
            1 for x in exp["corehd"] if x > 0)))


if __name__ == "__main__":
    main()
