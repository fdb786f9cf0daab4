#!/usr/bin/python3
"""Independent oracle for host/mincut.c (cp_min_vertex_cut): writes random graphs (fixed seeds)
and the size of their minimum S-T vertex cut, as networkx finds it, into
tests/fixtures/mincut/*.txt, which tests/host/test_mincut.c reads.

The instance: the view (directed as stored, or the symmetric view of the same edges) minus the
removed nodes; sources S, targets T; an `allowed` mask (1 = the node may be cut). Sources, targets
and removed nodes are never cut. The expected value `cut_size` is the least number of allowed
nodes whose removal leaves no path from any source to any target, or 'inf' when none exists
(a node in both S and T, an edge from S to T, or a path through uncuttable nodes only).

Two networkx computations, which must agree whenever both apply:
  split flow     every node v becomes the arc v_in -> v_out (capacity 1 when v may be cut, no
                 capacity attribute, i.e. infinite, otherwise); every edge u -> v (u != v)
                 becomes u_out -> v_in without capacity (both ways on a symmetric view); a
                 super-source feeds every s_in, every t_out feeds a super-sink.
                 nx.maximum_flow_value (preflow-push), checked against edmonds_karp; an
                 unbounded flow (networkx raises NetworkXUnbounded) means 'inf'.
  node cut       only when every node outside S and T may be cut: S contracted into one node s*
                 and T into t* (contracting uncuttable nodes preserves every cut), self-loops
                 dropped, and the length of nx.minimum_st_node_cut(G, s*, t*) (networkx's own
                 auxiliary digraph and flow); 'inf' when s* and t* are adjacent or S meets T.
The cut set itself is not unique, so the C test checks that its set really disconnects.

Fixture format (read by tests/support/cp_fixture.c), one record a line, '#' lines are comments:
    name, n, directed <1|0>, multi keep, edges <m> + m lines 'u v w', removed, sources, targets,
    allowed <n> <0|1>...     the candidate mask
    cut_size 1 <k|inf>       expected size of the minimum vertex cut

Run: /usr/bin/python3 tests/oracle/make_mincut_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files.
"""

import os
import platform
import random
import sys

import networkx as nx
from networkx.algorithms.connectivity import minimum_st_node_cut
from networkx.algorithms.flow import edmonds_karp, preflow_push

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

INF = float("inf")


def split_flow(n, edges, directed, removed, S, T, allowed, flow_func):
    D = nx.DiGraph()
    alive = [x for x in range(n) if x not in removed]
    for x in alive:
        if allowed[x] and x not in S and x not in T:
            D.add_edge(("in", x), ("out", x), capacity=1)
        else:
            D.add_edge(("in", x), ("out", x))
    for u, v, _ in edges:
        if u == v or u in removed or v in removed:
            continue
        D.add_edge(("out", u), ("in", v))
        if not directed:
            D.add_edge(("out", v), ("in", u))
    D.add_node("SS")
    D.add_node("TT")
    for s in S:
        if s not in removed:
            D.add_edge("SS", ("in", s))
    for t in T:
        if t not in removed:
            D.add_edge(("out", t), "TT")
    try:
        return nx.maximum_flow_value(D, "SS", "TT", flow_func=flow_func)
    except nx.NetworkXUnbounded:
        return INF


def node_cut(n, edges, directed, removed, S, T):
    Sa = {s for s in S if s not in removed}
    Ta = {t for t in T if t not in removed}
    if not Sa or not Ta:
        return 0
    if Sa & Ta:
        return INF
    G = nx.DiGraph() if directed else nx.Graph()

    def rep(x):
        return "s*" if x in Sa else ("t*" if x in Ta else x)

    G.add_nodes_from(rep(x) for x in range(n) if x not in removed)
    for u, v, _ in edges:
        if u in removed or v in removed:
            continue
        a, b = rep(u), rep(v)
        if a != b:
            G.add_edge(a, b)
    if G.has_edge("s*", "t*"):
        return INF
    return len(minimum_st_node_cut(G, "s*", "t*"))


def random_instance(rng, n, m, directed, p_removed, p_forbidden, ns, nt, extras, st_edge):
    """Random edges, never between a source and a target (else no cut exists) unless st_edge."""
    nodes = list(range(n))
    rng.shuffle(nodes)
    S = sorted(nodes[:ns])
    T = sorted(nodes[ns:ns + nt])
    ends = set(S) | set(T)

    def st(u, v):
        return (u in S and v in T) or (u in T and v in S)

    edges = []
    while len(edges) < m:
        u, v = rng.randrange(n), rng.randrange(n)
        if not st(u, v):
            edges.append((u, v, 1.0))
    if extras:
        for _ in range(max(1, m // 20)):  # parallel edges and self-loops
            u, v, _ = edges[rng.randrange(len(edges))]
            edges.append((u, v, 1.0))
            x = rng.randrange(n)
            edges.append((x, x, 1.0))
    if st_edge:
        edges.append((S[0], T[0], 1.0))
    removed = sorted(x for x in nodes[ns + nt:] if rng.random() < p_removed)
    if extras and ns > 1:
        removed.append(S[0])  # a removed source
    allowed = [0 if (rng.random() < p_forbidden and x not in ends) else 1 for x in range(n)]
    return edges, sorted(set(removed)), S, T, allowed


def write_fixture(path, name, desc, n, edges, directed, removed, S, T, allowed, size):
    lines = [
        "# chokepoint min-cut fixture (generated; do not edit)",
        "# generator: tests/oracle/make_mincut_fixtures.py",
        "# python %s, networkx %s" % (platform.python_version(), nx.__version__),
        "# " + desc,
        "name " + name,
        "n %d" % n,
        "directed %d" % (1 if directed else 0),
        "multi keep",
        "edges %d" % len(edges),
    ]
    lines += ["%d %d %r" % e for e in edges]
    lines.append("removed %d %s" % (len(removed), " ".join(map(str, removed))))
    lines.append("sources %d %s" % (len(S), " ".join(map(str, S))))
    lines.append("targets %d %s" % (len(T), " ".join(map(str, T))))
    lines.append("allowed %d %s" % (n, " ".join(map(str, allowed))))
    lines.append("cut_size 1 %s" % ("inf" if size == INF else str(int(size))))
    with open(path, "w") as f:
        f.write("\n".join(l.rstrip() for l in lines) + "\n")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "fixtures",
                                                                 "mincut")
    os.makedirs(out_dir, exist_ok=True)
    # name, seed, n, m, directed, p_removed, p_forbidden, |S|, |T|, extras, an S-T edge
    specs = [
        ("sparse_dir", 1, 20, 70, True, 0.0, 0.0, 1, 1, False, False),
        ("sparse_sym", 2, 20, 45, False, 0.0, 0.0, 1, 1, False, False),
        ("multi_dir", 3, 60, 180, True, 0.1, 0.0, 4, 3, True, False),
        ("multi_sym", 4, 60, 120, False, 0.1, 0.0, 3, 4, True, False),
        ("forbid_dir", 15, 100, 300, True, 0.05, 0.03, 5, 5, True, False),
        ("forbid_sym", 6, 100, 250, False, 0.05, 0.1, 5, 5, True, False),
        ("dense_dir", 7, 150, 1200, True, 0.1, 0.03, 8, 6, True, False),
        ("dense_sym", 8, 150, 900, False, 0.1, 0.03, 6, 8, True, False),
        ("big_dir", 9, 200, 1000, True, 0.05, 0.02, 10, 10, True, False),
        ("big_sym", 10, 200, 700, False, 0.05, 0.02, 10, 10, True, False),
        ("isolated_dir", 11, 200, 120, True, 0.0, 0.0, 20, 20, True, False),
        ("isolated_sym", 13, 200, 100, False, 0.0, 0.0, 20, 20, True, False),
        ("blocked_sym", 12, 40, 80, False, 0.0, 0.6, 2, 2, False, False),
        ("st_edge_dir", 14, 30, 60, True, 0.0, 0.0, 2, 2, False, True),
    ]
    for name, seed, n, m, directed, pr, pf, ns, nt, extras, st_edge in specs:
        rng = random.Random(seed)
        edges, removed, S, T, allowed = random_instance(rng, n, m, directed, pr, pf, ns, nt,
                                                        extras, st_edge)
        rem = set(removed)
        a = split_flow(n, edges, directed, rem, set(S), set(T), allowed, preflow_push)
        b = split_flow(n, edges, directed, rem, set(S), set(T), allowed, edmonds_karp)
        assert a == b, (name, a, b)
        if pf == 0.0:
            c = node_cut(n, edges, directed, rem, S, T)
            assert c == a, (name, a, c)
        desc = "seed %d, %s, %d nodes, %d edges, minimum vertex cut size %s" % (
            seed, "directed" if directed else "symmetric", n, len(edges), a)
        write_fixture(os.path.join(out_dir, name + ".txt"), name, desc, n, edges, directed,
                      removed, S, T, allowed, a)
        print(name, a)


if __name__ == "__main__":
    main()
