#!/usr/bin/python3
"""Regenerates tests/fixtures/simulate/*.txt: disruption curves along a fixed removal order,
computed independently with networkx (Debian's python3-networkx; run with /usr/bin/python3).

For each random graph (fixed seeds; directed; isolated nodes, self-loops, parallel edges, zero
weights), sources S and targets T (disjoint) and a removal order, the metrics after removal
0..k (0 = intact graph) are:
  reach  fraction of S that reach at least one target (a removed source counts as cut off)
  pairs  fraction of the pairs (s, t) in S x T, s != t, with t reachable from s
  flow   S-T maximum flow (capacities: edge weights, parallel edges add) / intact maximum flow
  lcc    size of the largest weakly connected component of present nodes / n
  path-length  mean hop distance d(s, t) over the connected pairs (s, t), s != t (0 when none)
  efficiency   sum of 1/d(s, t) over the pairs of S x T, s != t, divided by |S| |T|
  scc-pairs    fraction of the pairs (s, t), s != t, in which s and t reach each other
  lscc         size of the largest strongly connected component of present nodes / n
Denominators use the intact graph. Usage: /usr/bin/python3 tests/oracle/make_simulate_fixtures.py
"""
import os
import platform
import random
import sys

import networkx as nx

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "simulate")


def metrics(n, edges, S, T, removed):
    present = [v for v in range(n) if v not in removed]
    G = nx.MultiDiGraph()
    G.add_nodes_from(present)
    for (u, v, w) in edges:
        if u in removed or v in removed:
            continue
        G.add_edge(u, v, weight=w)
    reach_count = 0
    pairs = 0
    dist_sum = 0
    inv_sum = 0.0
    for s in S:
        if s in removed:
            continue
        desc = nx.descendants(G, s) | {s}
        if any(t in desc and t not in removed for t in T):
            reach_count += 1
        pairs += sum(1 for t in T if t != s and t not in removed and t in desc)
        d = nx.single_source_shortest_path_length(G, s)
        for t in T:
            if t != s and t in d:
                dist_sum += d[t]
                inv_sum += 1.0 / d[t]
    D = nx.DiGraph()
    D.add_nodes_from(present)
    for (u, v, w) in edges:
        if u in removed or v in removed or u == v:
            continue
        if D.has_edge(u, v):
            D[u][v]["capacity"] += w
        else:
            D.add_edge(u, v, capacity=w)
    D.add_node("S*")
    D.add_node("T*")
    for s in S:
        if s not in removed:
            D.add_edge("S*", s)  # no capacity attribute: unbounded
    for t in T:
        if t not in removed:
            D.add_edge(t, "T*")
    flow = nx.maximum_flow_value(D, "S*", "T*")
    U = nx.Graph()
    U.add_nodes_from(present)
    for (u, v, w) in edges:
        if u not in removed and v not in removed:
            U.add_edge(u, v)
    lcc = max((len(c) for c in nx.connected_components(U)), default=0)
    comp = {}
    lscc = 0
    for i, c in enumerate(nx.strongly_connected_components(G)):
        lscc = max(lscc, len(c))
        for x in c:
            comp[x] = i
    mutual = sum(1 for s in S for t in T
                 if s != t and s in comp and t in comp and comp[s] == comp[t])
    return reach_count, pairs, flow, lcc, dist_sum, inv_sum, mutual, lscc


def make(seed, n, m, k, ns, nt):
    rng = random.Random(seed)
    active = list(range(n - max(1, n // 10)))  # the last nodes stay isolated
    edges = []
    for _ in range(m):
        u = rng.choice(active)
        v = rng.choice(active)
        r = rng.random()
        w = 0.0 if r < 0.05 else (1e9 if r < 0.08 else round(rng.uniform(0.5, 100.0), 2))
        edges.append((u, v, w))
    for _ in range(m // 10):  # parallel edges
        u, v, _w = rng.choice(edges)
        edges.append((u, v, round(rng.uniform(0.5, 10.0), 2)))
    for _ in range(3):  # self-loops
        u = rng.choice(active)
        edges.append((u, u, 1.0))
    nodes = list(range(n))
    rng.shuffle(nodes)
    S = sorted(nodes[:ns])
    T = sorted(nodes[ns:ns + nt])
    rest = nodes[ns + nt:]
    order = rest[:k]
    curves = []
    flow0 = metrics(n, edges, S, T, set())[2]
    total_pairs = len(S) * len(T)
    for i in range(k + 1):
        r, p, f, l, dsum, inv, mutual, lscc = metrics(n, edges, S, T, set(order[:i]))
        curves.append((r / len(S), p / total_pairs, (f / flow0) if flow0 > 0 else 0.0, l / n,
                       (dsum / p) if p > 0 else 0.0, inv / total_pairs, mutual / total_pairs,
                       lscc / n))
    return edges, S, T, order, curves


def main():
    os.makedirs(OUT, exist_ok=True)
    configs = [(1, 12, 20, 5, 2, 2), (2, 40, 90, 10, 4, 3), (3, 80, 200, 15, 6, 5),
               (4, 150, 300, 20, 10, 4), (5, 30, 25, 8, 5, 5), (6, 200, 800, 25, 15, 10)]
    for (seed, n, m, k, ns, nt) in configs:
        edges, S, T, order, curves = make(seed, n, m, k, ns, nt)
        path = os.path.join(OUT, "curves_%d.txt" % seed)
        with open(path, "w") as f:
            f.write("# oracle: networkx %s, python %s; generated by tests/oracle/"
                    "make_simulate_fixtures.py seed %d\n" % (nx.__version__,
                                                             platform.python_version(), seed))
            f.write("%d %d %d\n" % (n, len(edges), k))
            for (u, v, w) in edges:
                f.write("%d %d %.17g\n" % (u, v, w))
            f.write("%d %s\n" % (len(S), " ".join(map(str, S))))
            f.write("%d %s\n" % (len(T), " ".join(map(str, T))))
            f.write("%s\n" % " ".join(map(str, order)))
            for c in curves:
                f.write(" ".join("%.17g" % x for x in c) + "\n")
        print("wrote", path)


if __name__ == "__main__":
    sys.exit(main())
