#!/usr/bin/python3
"""Independent oracle for host/centrality.c, host/components.c and host/maxflow.c: writes random
graphs (fixed seeds) and the values networkx, or plain Python, gives for them into
tests/fixtures/centrality/*.txt, which tests/host/test_centrality.c reads.

What each expected value is, and where it comes from (the removal mask is applied first, by
deleting the removed nodes; removed nodes keep their index and get 0, or -1 for labels):
  degree, strength   networkx MultiDiGraph / MultiGraph (multi keep) or DiGraph / Graph (multi
                     collapse, parallel edges merged here with weights summed) out_degree,
                     in_degree, degree, each also with weight='weight'. networkx counts an
                     undirected self-loop twice, a directed one once in and once out.
  st-betweenness     computed here, not by networkx: for each pair (s, t) in S x T, s != t, t
                     reachable, every node x not in {s, t} with d(s,x) + d(x,t) = d(s,t) gets
                     w_st * sigma_sx * sigma_xt / sigma_st, with path counts from a BFS that
                     multiplies by edge multiplicities (parallel edges are distinct paths), in
                     exact rational arithmetic (fractions.Fraction). w_st = 1/2 on a symmetric
                     view when (t, s) is in S x T as well, else 1. Normalised values divide by
                     the sum of w_st over connected pairs (also written). networkx's
                     betweenness_centrality_subset uses another convention (on undirected graphs
                     it halves every ordered pair, whether or not its reverse is in S x T, and it
                     ignores edge multiplicities); for every fixture the script checks the
                     enumeration above, with every w_st = 1, against networkx on the graph with
                     every edge subdivided (which turns parallel edges into distinct paths), times
                     2 (undirected) or 1 (directed), so both oracles agree where they must.
  wcc                networkx weakly_connected_components / connected_components; the label of a
                     node is the smallest index in its component.
  st-pairs           networkx descendants (directed) / node_connected_component (undirected).
  max-flow value     networkx maximum_flow_value (preflow-push, checked against Edmonds-Karp) on a
                     DiGraph: parallel edges' capacities summed, self-loops dropped, an undirected
                     edge as two opposite arcs of its capacity, a super-source and super-sink
                     joined by arcs without a capacity attribute (infinite). 'inf' when a node is
                     both a source and a target. The flow per node is not unique: the C test checks
                     its properties instead.

Fixture format, one record a line, '#' lines are comments:
    name <text>
    n <nodes>
    directed <1|0>          1: the view as stored; 0: the symmetric view of the same edges
    multi <keep|collapse>
    edges <m>               followed by m lines '<src> <dst> <weight>' (weights in repr form)
    edgefile <path>         instead of edges: a SNAP edge list under ../shared/ (not copied here),
                            labels remapped to 0.. in order of first appearance, weights 1
    removed <k> <i>...      the removal mask as an index list
    sources <k> <i>...
    targets <k> <i>...
    <key> <count> <v>...    expected values: deg_out deg_in deg_total str_out str_in str_total
                            (directed) or deg str (symmetric), bc_raw bc_norm, wcc_labels (arrays
                            of n); bc_pairs wcc_count wcc_largest st_pairs maxflow (count 1)

Run: /usr/bin/python3 tests/oracle/make_centrality_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files. The email-Eu-core fixtures
need ../shared/datasets/snap/email-Eu-core.txt (skipped with a notice when absent).
"""

import os
import platform
import random
import sys
from collections import Counter, deque
from fractions import Fraction

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), "shared")


def header(desc):
    return [
        "# chokepoint centrality fixture (generated; do not edit)",
        "# generator: tests/oracle/make_centrality_fixtures.py",
        "# python %s, networkx %s" % (platform.python_version(), nx.__version__),
        "# " + desc,
    ]


def fmt(x):
    if isinstance(x, float):
        if x == float("inf"):
            return "inf"
        return repr(x)
    return str(x)


def masked_edges(edges, removed):
    return [(u, v, w) for (u, v, w) in edges if u not in removed and v not in removed]


def view_edges(edges, directed, multi):
    """The edges of the view as (u, v, w) triples: as given (keep), or merged by ordered
    (directed) or unordered (symmetric) endpoint pair with weights summed (collapse)."""
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
    return [(u, v, acc[(u, v)]) for (u, v) in order]


def nx_graph(n, removed, vedges, directed, multi):
    if multi == "keep":
        G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    else:
        G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(x for x in range(n) if x not in removed)
    for u, v, w in vedges:
        G.add_edge(u, v, weight=w)
    return G


def degrees(n, removed, G, directed):
    out = {}
    if directed:
        specs = [("deg_out", G.out_degree, None), ("deg_in", G.in_degree, None),
                 ("deg_total", G.degree, None), ("str_out", G.out_degree, "weight"),
                 ("str_in", G.in_degree, "weight"), ("str_total", G.degree, "weight")]
    else:
        specs = [("deg", G.degree, None), ("str", G.degree, "weight")]
    for key, fn, weight in specs:
        d = dict(fn(weight=weight))
        out[key] = [float(d[x]) if x not in removed else 0.0 for x in range(n)]
    return out


def adjacency(n, vedges, directed, reverse=False):
    """Adjacency with multiplicities: adj[u][v] = number of view entries u -> v (loops dropped:
    they never lie on a shortest path)."""
    adj = [Counter() for _ in range(n)]
    for u, v, _ in vedges:
        if u == v:
            continue
        if directed:
            if reverse:
                adj[v][u] += 1
            else:
                adj[u][v] += 1
        else:
            adj[u][v] += 1
            adj[v][u] += 1
    return adj


def bfs_counts(adj, s):
    dist = {s: 0}
    sigma = {s: 1}
    q = deque([s])
    while q:
        u = q.popleft()
        for v, mult in adj[u].items():
            if v not in dist:
                dist[v] = dist[u] + 1
                sigma[v] = 0
                q.append(v)
            if dist[v] == dist[u] + 1:
                sigma[v] += sigma[u] * mult
    return dist, sigma


def st_betweenness(n, vedges, directed, S, T, weights_one=False):
    """Enumeration by path counts (see the module comment). S, T: sets of non-removed nodes."""
    fwd = adjacency(n, vedges, directed)
    rev = adjacency(n, vedges, directed, reverse=True) if directed else fwd
    from_t = {t: bfs_counts(rev, t) for t in T}
    bc = [Fraction(0)] * n
    pairs = Fraction(0)
    for s in sorted(S):
        ds, ss = bfs_counts(fwd, s)
        for t in sorted(T):
            if t == s or t not in ds:
                continue
            w = Fraction(1)
            if not directed and not weights_one and t in S and s in T:
                w = Fraction(1, 2)
            pairs += w
            dt, st = from_t[t]
            dst = ds[t]
            for x in ds:
                if x == s or x == t or x not in dt:
                    continue
                if ds[x] + dt[x] == dst:
                    bc[x] += w * Fraction(ss[x] * st[x], ss[t])
    return bc, pairs


def check_against_networkx(n, removed, vedges, directed, S, T):
    """Our enumeration with every pair weight 1 must equal networkx's subset betweenness (times 2
    on undirected graphs, where networkx halves). networkx ignores edge multiplicities, so every
    edge u -> v (parallel ones included; loops dropped) is subdivided first into u -> m -> v with a
    fresh middle node m: shortest paths in the subdivided simple graph are the shortest paths of
    the multigraph, one per choice of parallel edge, with every length doubled, and the middle
    nodes are never sources or targets."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(x for x in range(n) if x not in removed)
    mid = n
    for u, v, _ in vedges:
        if u != v:
            G.add_edge(u, mid)
            G.add_edge(mid, v)
            mid += 1
    ref = nx.betweenness_centrality_subset(G, sorted(S), sorted(T), normalized=False)
    mine, _ = st_betweenness(n, vedges, directed, S, T, weights_one=True)
    scale = 1.0 if directed else 2.0
    for x in range(n):
        if x in removed:
            continue
        a, b = float(mine[x]), scale * ref[x]
        assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), (x, a, b)


def components(n, removed, G, directed):
    comps = nx.weakly_connected_components(G) if directed else nx.connected_components(G)
    labels = [-1] * n
    sizes = []
    for c in comps:
        m = min(c)
        sizes.append(len(c))
        for x in c:
            labels[x] = m
    return labels, len(sizes), max(sizes) if sizes else 0


def st_pairs(G, directed, S, T):
    count = 0
    for s in S:
        reach = nx.descendants(G, s) if directed else nx.node_connected_component(G, s) - {s}
        count += sum(1 for t in T if t != s and t in reach)
    return count


def maxflow(vedges, directed, S, T):
    if S & T:
        return float("inf")
    if not S or not T:
        return 0.0
    H = nx.DiGraph()
    for u, v, w in vedges:
        if u == v:
            continue
        arcs = [(u, v)] if directed else [(u, v), (v, u)]
        for a, b in arcs:
            if H.has_edge(a, b):
                H[a][b]["capacity"] += w
            else:
                H.add_edge(a, b, capacity=w)
    for s in S:
        H.add_edge("SS", s)
    for t in T:
        H.add_edge(t, "TT")
    v1 = nx.maximum_flow_value(H, "SS", "TT")
    v2 = nx.maximum_flow_value(H, "SS", "TT", flow_func=nx.algorithms.flow.edmonds_karp)
    assert abs(v1 - v2) <= 1e-9 * max(1.0, abs(v1)), (v1, v2)
    return float(v1)


def expected(n, edges, directed, multi, removed, sources, targets, with_degree=True):
    rem = set(removed)
    S = set(sources) - rem
    T = set(targets) - rem
    vedges = view_edges(masked_edges(edges, rem), directed, multi)
    G = nx_graph(n, rem, vedges, directed, multi)
    out = {}
    if with_degree:
        out.update(degrees(n, rem, G, directed))
    check_against_networkx(n, rem, vedges, directed, S, T)
    bc, pairs = st_betweenness(n, vedges, directed, S, T)
    out["bc_raw"] = [float(x) for x in bc]
    out["bc_norm"] = [float(x / pairs) if pairs > 0 else 0.0 for x in bc]
    out["bc_pairs"] = [float(pairs)]
    labels, count, largest = components(n, rem, G, directed)
    out["wcc_labels"] = labels
    out["wcc_count"] = [count]
    out["wcc_largest"] = [largest]
    out["st_pairs"] = [float(st_pairs(G, directed, S, T))]
    out["maxflow"] = [maxflow(vedges, directed, S, T)]
    return out


def write(path, desc, name, n, directed, multi, edges, edgefile, removed, sources, targets, exp):
    lines = header(desc)
    lines.append("name " + name)
    lines.append("n %d" % n)
    lines.append("directed %d" % (1 if directed else 0))
    lines.append("multi " + multi)
    if edgefile is not None:
        lines.append("edgefile " + edgefile)
    else:
        lines.append("edges %d" % len(edges))
        for u, v, w in edges:
            lines.append("%d %d %s" % (u, v, fmt(w)))
    for key, vals in (("removed", removed), ("sources", sources), ("targets", targets)):
        lines.append(" ".join([key, str(len(vals))] + [str(x) for x in vals]))
    for key, vals in exp.items():
        lines.append(" ".join([key, str(len(vals))] + [fmt(x) for x in vals]))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def draw_weight(rng):
    r = rng.random()
    if r < 0.10:
        return 0.0
    if r < 0.20:
        return 1e12
    if r < 0.40:
        return round(rng.uniform(0.1, 5.0), 3)
    return float(rng.randint(1, 9))


def random_graph(rng, n, m, p_loop, p_parallel, n_isolated):
    """m edges among the first n - n_isolated nodes (the rest stay isolated, and are shuffled
    into random positions); a share of self-loops and of repeated (parallel) edges."""
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
        edges.append((u, v, draw_weight(rng)))
    return [(perm[u], perm[v], w) for (u, v, w) in edges]


def hub_graph(rng, n, n_hubs, m_extra, p_loop, p_parallel, n_isolated):
    """Hubs joined at random, every other node a leaf of one hub (either direction), then m_extra
    random edges: many sources with a single successor (folded by the C code)."""
    active = n - n_isolated
    edges = []
    for x in range(n_hubs, active):
        h = rng.randrange(n_hubs)
        u, v = (x, h) if rng.random() < 0.7 else (h, x)
        edges.append((u, v, draw_weight(rng)))
        if rng.random() < p_parallel:
            edges.append((u, v, draw_weight(rng)))
        if rng.random() < p_loop:
            edges.append((x, x, draw_weight(rng)))
    for _ in range(2 * n_hubs + m_extra):
        u = rng.randrange(n_hubs if rng.random() < 0.6 else active)
        v = rng.randrange(n_hubs)
        edges.append((u, v, draw_weight(rng)))
    perm = list(range(n))
    rng.shuffle(perm)
    return [(perm[u], perm[v], w) for (u, v, w) in edges]


# name, seed, n, m, directed, multi, loops, parallel, isolated, |S|, |T|, overlap, removed share
# (names starting with 'hubs' use hub_graph with m // 10 hubs and m extra edges)
CONFIGS = [
    ("tiny_dir", 11, 6, 10, True, "keep", 0.1, 0.2, 1, 2, 2, "disjoint", 0.0),
    ("tiny_sym", 12, 8, 10, False, "keep", 0.1, 0.2, 2, 3, 3, "equal", 0.0),
    ("tiny_sym_mask", 13, 10, 14, False, "keep", 0.1, 0.2, 1, 3, 3, "disjoint", 0.2),
    ("small_dir_mask", 21, 30, 80, True, "keep", 0.05, 0.1, 3, 5, 6, "disjoint", 0.1),
    ("small_sym_mask", 22, 30, 60, False, "keep", 0.05, 0.1, 3, 6, 5, "partial", 0.1),
    ("small_dir_collapse", 23, 40, 120, True, "collapse", 0.05, 0.2, 2, 6, 6, "disjoint", 0.0),
    ("small_sym_collapse", 24, 40, 90, False, "collapse", 0.05, 0.2, 2, 6, 6, "disjoint", 0.05),
    ("small_sym_equal", 25, 50, 90, False, "keep", 0.02, 0.05, 4, 12, 12, "equal", 0.0),
    ("mid_dir", 31, 120, 400, True, "keep", 0.02, 0.05, 5, 15, 15, "disjoint", 0.05),
    ("mid_dir_partial", 32, 120, 300, True, "keep", 0.02, 0.05, 5, 15, 15, "partial", 0.0),
    ("mid_sym", 33, 150, 350, False, "keep", 0.02, 0.05, 8, 15, 20, "disjoint", 0.05),
    ("sparse_sym", 34, 200, 150, False, "keep", 0.02, 0.05, 20, 20, 20, "disjoint", 0.05),
    ("big_dir", 41, 300, 1200, True, "keep", 0.01, 0.03, 10, 30, 30, "disjoint", 0.05),
    ("big_sym", 42, 300, 700, False, "keep", 0.01, 0.03, 10, 30, 30, "partial", 0.05),
    ("big_sym_collapse", 43, 300, 900, False, "collapse", 0.01, 0.1, 10, 25, 25, "disjoint", 0.0),
    ("sparse_dir", 35, 200, 220, True, "keep", 0.02, 0.05, 10, 40, 40, "partial", 0.05),
    ("hubs_sym", 51, 150, 60, False, "keep", 0.05, 0.1, 5, 60, 50, "partial", 0.05),
    ("hubs_sym_equal", 52, 120, 40, False, "keep", 0.05, 0.1, 3, 50, 50, "equal", 0.0),
    ("hubs_dir", 53, 150, 60, True, "keep", 0.05, 0.1, 5, 60, 50, "partial", 0.05),
    ("hubs_dir_collapse", 54, 150, 60, True, "collapse", 0.05, 0.2, 5, 60, 50, "disjoint", 0.0),
    ("hubs_sym_collapse", 55, 150, 60, False, "collapse", 0.05, 0.2, 5, 60, 50, "partial", 0.0),
]


def pick_sets(rng, n, ns, nt, overlap):
    nodes = list(range(n))
    rng.shuffle(nodes)
    S = sorted(nodes[:ns])
    if overlap == "equal":
        T = list(S)
    elif overlap == "partial":
        k = max(1, nt // 3)
        T = sorted(nodes[:k] + nodes[ns:ns + nt - k])
    else:
        T = sorted(nodes[ns:ns + nt])
    # A duplicate entry in each list (duplicates are ignored).
    S.append(S[0])
    T.insert(0, T[-1])
    return S, T


def email_graph():
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
            edges.append((ends[0], ends[1], 1.0))
    return index, edges


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "fixtures",
                                                                 "centrality")
    os.makedirs(outdir, exist_ok=True)
    for (name, seed, n, m, directed, multi, p_loop, p_par, n_iso, ns, nt, overlap,
         p_removed) in CONFIGS:
        rng = random.Random(seed)
        if name.startswith("hubs"):
            edges = hub_graph(rng, n, m // 10, m, p_loop, p_par, n_iso)
        else:
            edges = random_graph(rng, n, m, p_loop, p_par, n_iso)
        S, T = pick_sets(rng, n, ns, nt, overlap)
        removed = sorted(x for x in range(n) if rng.random() < p_removed)
        exp = expected(n, edges, directed, multi, removed, S, T)
        desc = ("random graph, seed %d, %s view, multi %s, S/T %s, %d removed" %
                (seed, "directed" if directed else "symmetric", multi, overlap, len(removed)))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, multi, edges, None,
              removed, S, T, exp)
        print("wrote", name)
    g = email_graph()
    if g is None:
        print("notice: ../shared/datasets/snap/email-Eu-core.txt absent: email fixtures skipped")
        return
    index, edges = g
    n = len(index)
    by_label = sorted(index, key=int)
    S = [index[lab] for lab in by_label[:20]]  # the 20 smallest labels
    T = [index[lab] for lab in by_label[-20:]]  # the 20 largest labels
    rel = "datasets/snap/email-Eu-core.txt"
    for name, directed, removed in (
            ("email_dir", True, []),
            ("email_sym_mask", False, sorted(index[lab] for lab in index if int(lab) % 37 == 5))):
        exp = expected(n, edges, directed, "keep", removed, S, T, with_degree=False)
        desc = ("SNAP email-Eu-core (../shared/%s, labels remapped in order of first appearance), "
                "%s view, S = the 20 smallest labels, T = the 20 largest, removed = labels "
                "= 5 mod 37 when masked" % (rel, "directed" if directed else "symmetric"))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, "keep", edges, rel,
              removed, S, T, exp)
        print("wrote", name)


if __name__ == "__main__":
    main()
