#!/usr/bin/python3
"""Independent oracle for host/percolation.c: writes random graphs (fixed seeds), removal orders,
and the largest-component curves graph-tool's vertex_percolation gives for them into
tests/fixtures/percolation/*.txt, which tests/host/test_percolation.c reads.

Mapping. cp_percolation_curve(lcc, v, order, k) gives, for i = 0..k, the size of the largest
weakly connected component after removing order[0..i-1], divided by n. graph-tool's
vertex_percolation(g, vertices) takes the vertices in the order they are ADDED (the reverse of
removal), considers only the listed vertices present, and returns sizes[j] = the largest
component once vertices[0..j] are present. So the list passed is
    vertices = (the n - k nodes not in order, ascending) + reversed(order)
and, after n - i vertices are present (the first i of order still removed),
    largest[i] = sizes[n - i - 1]   for i < n,      largest[n] = 0.
The test checks lcc[i] == largest[i] / n exactly. graph-tool treats a directed graph's edges as
undirected here (weak connectivity), as chokepoint does; the script asserts that the directed and
undirected graph-tool graphs agree, and that a plain union-find recomputation after every removal
agrees too (a second, independent check).

Fixture format (tests/support/cp_fixture.h), '#' lines are comments:
    name <text>
    n <nodes>
    directed <1|0>           1: the view as stored; 0: the symmetric view of the same edges
    multi keep
    edges <m>                followed by m lines '<src> <dst> 1.0'
    order_<t> <k> <i>...     a removal order (k distinct indices)
    largest_<t> <k+1> <s>... expected largest-component sizes after 0..k removals

Run: /usr/bin/python3 tests/oracle/make_percolation_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files.
"""

import os
import platform
import random
import sys

import graph_tool
import graph_tool.topology as gtt

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# name, seed, n, m, directed, p_loop, p_parallel, isolated nodes
CONFIGS = [
    ("tiny_dir", 11, 8, 7, True, 0.1, 0.1, 1),
    ("tiny_sym", 12, 9, 8, False, 0.1, 0.1, 2),
    ("small_dir", 21, 30, 35, True, 0.05, 0.1, 3),
    ("small_sym", 22, 30, 28, False, 0.05, 0.1, 4),
    ("mid_dir", 31, 120, 150, True, 0.02, 0.05, 10),
    ("mid_sym", 32, 150, 140, False, 0.02, 0.05, 12),
    ("dense_dir", 41, 40, 200, True, 0.05, 0.1, 0),
]


def random_graph(rng, n, m, p_loop, p_par, n_iso):
    """m edges among the first n - n_iso nodes (a random relabelling spreads the isolated ones):
    self-loops with probability p_loop, a copy of an earlier edge with probability p_par."""
    perm = list(range(n))
    rng.shuffle(perm)
    live = perm[: n - n_iso]
    edges = []
    while len(edges) < m:
        r = rng.random()
        if edges and r < p_par:
            edges.append(rng.choice(edges))
        elif r < p_par + p_loop:
            u = rng.choice(live)
            edges.append((u, u))
        else:
            u, w = rng.choice(live), rng.choice(live)
            edges.append((u, w))
    return edges


def orders(rng, n, edges):
    """Removal orders: k = 0, 1, n, random prefixes, and by degree (highest first)."""
    deg = [0] * n
    for u, w in edges:
        deg[u] += 1
        deg[w] += 1
    perm = list(range(n))
    rng.shuffle(perm)
    by_degree = sorted(range(n), key=lambda x: (-deg[x], x))
    out = [("k0", []), ("k1", perm[:1]), ("full", perm[:]), ("half", perm[: n // 2]),
           ("tenth", perm[: max(1, n // 10)]), ("degree", by_degree[: (2 * n) // 3]),
           ("degree_full", by_degree)]
    p2 = list(range(n))
    rng.shuffle(p2)
    out.append(("rand", p2[: rng.randint(0, n)]))
    return out


def gt_curve(n, edges, directed, order):
    g = graph_tool.Graph(directed=directed)
    g.add_vertex(n)
    g.add_edge_list(edges)
    k = len(order)
    removed = set(order)
    vertices = [x for x in range(n) if x not in removed] + list(reversed(order))
    sizes, _ = gtt.vertex_percolation(g, vertices)
    sizes = [int(s) for s in sizes]
    assert len(sizes) == n
    return [sizes[n - i - 1] if i < n else 0 for i in range(k + 1)]


def brute_curve(n, edges, order):
    """Union-find from scratch after every removal (a second, plain check)."""
    curve = []
    for i in range(len(order) + 1):
        gone = set(order[:i])
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for u, w in edges:
            if u in gone or w in gone:
                continue
            a, b = find(u), find(w)
            if a != b:
                parent[a] = b
        sizes = {}
        for x in range(n):
            if x not in gone:
                r = find(x)
                sizes[r] = sizes.get(r, 0) + 1
        curve.append(max(sizes.values()) if sizes else 0)
    return curve


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "fixtures",
                                                                 "percolation")
    os.makedirs(outdir, exist_ok=True)
    for name, seed, n, m, directed, p_loop, p_par, n_iso in CONFIGS:
        rng = random.Random(seed)
        edges = random_graph(rng, n, m, p_loop, p_par, n_iso)
        lines = [
            "# chokepoint percolation fixture (generated; do not edit)",
            "# generator: tests/oracle/make_percolation_fixtures.py",
            "# python %s, graph-tool %s (topology.vertex_percolation)"
            % (platform.python_version(), graph_tool.__version__.split()[0]),
            "# random graph, seed %d, %s view, %d isolated nodes, self-loops and parallel edges"
            % (seed, "directed" if directed else "symmetric", n_iso),
            "name %s" % name,
            "n %d" % n,
            "directed %d" % (1 if directed else 0),
            "multi keep",
            "edges %d" % len(edges),
        ]
        lines += ["%d %d 1.0" % e for e in edges]
        for tag, order in orders(rng, n, edges):
            curve = gt_curve(n, edges, directed, order)
            assert curve == gt_curve(n, edges, not directed, order), (name, tag)
            assert curve == brute_curve(n, edges, order), (name, tag)
            lines.append("order_%s %d%s" % (tag, len(order), "".join(" %d" % x for x in order)))
            lines.append("largest_%s %d%s" % (tag, len(curve), "".join(" %d" % s for s in curve)))
        with open(os.path.join(outdir, name + ".txt"), "w") as fp:
            fp.write("\n".join(lines) + "\n")
        print("wrote %s/%s.txt" % (outdir, name))


if __name__ == "__main__":
    main()
