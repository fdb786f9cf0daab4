#!/usr/bin/python3
"""Independent oracle for the betweenness family (host/betweenness*.c): writes random graphs (fixed
seeds) and their expected values into tests/fixtures/betweenness/*.txt, which
tests/host/test_betweenness.c reads.

Two oracles, cross-checked wherever both apply:

  enumeration   plain Python, written for this script and sharing no code with the C kernels: per
                source s, Dijkstra distances d_s (Python floats; the sum d(u) + len(u, w) is
                formed exactly as the C code forms it, so ties are the same exact equalities);
                the "tight" entries u -> w (u != w, len finite, d(u) + len == d(w)) form the
                shortest-path DAG (the generator never makes a tight cycle: zero lengths only
                on directed graphs and only from a smaller to a larger index); sigma_s(x) counts
                DAG paths from s to x, one per choice of parallel entry (so parallel edges are
                distinct paths, which networkx cannot express); for every target t, rho_t(x)
                counts DAG paths from x to t. The pair (s, t) then gives every inner node x
                sigma_s(x) rho_t(x) / sigma_s(t), and every DAG entry x -> w
                sigma_s(x) rho_t(w) / sigma_s(t), in exact rational arithmetic
                (fractions.Fraction). This is the pair-by-pair definition, not Brandes's
                recursion. Group betweenness counts DAG paths that avoid C the same way.
  networkx      betweenness_centrality, edge_betweenness_centrality,
                betweenness_centrality_subset and group_betweenness_centrality (undirected
                only: see make()), on simple graphs
                with positive lengths (networkx ignores edge multiplicities, and its Dijkstra
                misses paths through zero-length entries when a node settles before its tight
                predecessor); used alone for the larger graphs (200-500 nodes), where the
                enumeration is too slow, and checked against the enumeration on every small graph
                it applies to. For parallel edges with hop lengths, networkx runs on the graph with
                every edge subdivided (u -> m -> v; parallel edges become distinct paths, lengths
                double) restricted to pairs of original nodes, via the subset functions.

What the C code must reproduce (include/chokepoint/betweenness.h): ordered-pair sums; undirected
raw values halved; normalised by (n-1)(n-2) (n(n-1) with endpoints; edges n(n-1)), n the intact
node count; sampled sources scaled by (n'-1)/k for non-sources and (n'-1)/(k-1) for sampled
sources (endpoints: n'/k; edges: n'/k), n' the non-removed count; S-T pairs weighted 1/2 on a
symmetric view when the reverse pair is in S x T too, normalised by the weighted pair count; group
betweenness over pairs outside C (with endpoints: pairs touching C count 1), normalised by
(n-c)(n-c-1) (n(n-1) with endpoints); the approximation's sample size r from the vertex-diameter
bound described in the header.

Fixture format, one record a line, '#' lines are comments:
    name <text>
    n <nodes>
    directed <1|0>          1: the view as stored; 0: the symmetric view of the same edges
    multi <keep|collapse>
    length <hops|weight|inverse|neglog>
    edges <m>               then m lines '<src> <dst> <weight>' (repr form; 'inf' allowed)
    removed <k> <i>...      the removal mask as an index list
    <list> <k> <i>...       index lists: samp_sources st_sources st_targets group
    <key> <count> <v>...    expected values. Arrays of n: bc_raw bc_norm bce_raw bce_norm
                            (endpoints) samp_raw samp_norm sampe_raw sampe_norm st_raw st_norm;
                            arrays of m, one per input edge (the value of the view entries that
                            edge became; a collapsed edge's value for every edge merged into it):
                            ebc_raw ebc_norm esamp_raw; scalars: st_pairs gb_raw gb_norm gbe_raw
                            gbe_norm approx_eps approx_delta approx_vd approx_r

Run: /usr/bin/python3 tests/oracle/make_betweenness_fixtures.py [output_dir]
Deterministic: fixed seeds; re-running rewrites identical files.
"""

import heapq
import math
import os
import platform
import random
import sys
from fractions import Fraction

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INF = float("inf")

try:
    import igraph

    IGRAPH = igraph.__version__
except Exception:  # pragma: no cover - optional
    IGRAPH = "absent"


def header(desc):
    return [
        "# chokepoint betweenness fixture (generated; do not edit)",
        "# generator: tests/oracle/make_betweenness_fixtures.py",
        "# python %s, networkx %s (python-igraph %s installed, not used as an oracle here)"
        % (platform.python_version(), nx.__version__, IGRAPH),
        "# " + desc,
    ]


def fmt(x):
    if isinstance(x, Fraction):
        x = float(x)
    if isinstance(x, float):
        if x == INF:
            return "inf"
        return repr(x)
    return str(x)


# ---- the view, as chokepoint builds it ----


def length_of(w, mode):
    if mode == "hops":
        return 1.0
    if mode == "weight":
        return float(w)
    if mode == "inverse":
        return INF if w == 0 else 1.0 / w
    if mode == "neglog":
        return INF if w == 0 else -math.log(w)
    raise ValueError(mode)


def view_entries(edges, directed, multi):
    """Entries (u, w, weight, edge_id) of the view: a directed view stores u -> v; a symmetric one
    both directions (a loop once). collapse merges parallel edges (by ordered pair, or unordered
    on a symmetric view), weights summed, edge_id = the first edge."""
    if multi == "collapse":
        acc, first, order = {}, {}, []
        for e, (u, v, w) in enumerate(edges):
            key = (u, v) if directed else (min(u, v), max(u, v))
            if key not in acc:
                acc[key] = 0.0
                first[key] = e
                order.append(key)
            acc[key] += w
        merged = [(u, v, acc[(u, v)], first[(u, v)]) for (u, v) in order]
    else:
        merged = [(u, v, w, e) for e, (u, v, w) in enumerate(edges)]
    out = []
    for u, v, w, e in merged:
        out.append((u, v, w, e))
        if not directed and u != v:
            out.append((v, u, w, e))
    return out


def edge_group(edges, directed, multi):
    """For every input edge, the edge_id of the view edge it became."""
    if multi != "collapse":
        return list(range(len(edges)))
    first = {}
    res = []
    for e, (u, v, _) in enumerate(edges):
        key = (u, v) if directed else (min(u, v), max(u, v))
        first.setdefault(key, e)
        res.append(first[key])
    return res


# ---- enumeration oracle ----


class Search:
    """Shortest-path DAG from s over `adj` (adj[u] = list of (w, length, edge_id))."""

    def __init__(self, n, adj, s, removed):
        d = {s: 0.0}
        done = set()
        heap = [(0.0, s)]
        while heap:
            du, u = heapq.heappop(heap)
            if u in done or du != d[u]:
                continue
            done.add(u)
            for w, l, _ in adj[u]:
                if w == u or w in removed or l == INF:
                    continue
                nd = du + l
                if nd == INF:
                    continue
                if w not in d or nd < d[w]:
                    d[w] = nd
                    heapq.heappush(heap, (nd, w))
        self.d = d
        succ = {x: [] for x in d}
        indeg = {x: 0 for x in d}
        for u in d:
            for w, l, e in adj[u]:
                if w == u or w not in d or w == s:
                    continue
                if l != INF and d[u] + l == d[w]:
                    succ[u].append((w, e))
                    indeg[w] += 1
        # Kahn over the DAG; a cycle would leave nodes out (the generator never makes one).
        order = [x for x in sorted(d) if indeg[x] == 0]
        assert order == [s], "unexpected roots %r" % order[:5]
        k = 0
        left = dict(indeg)
        while k < len(order):
            u = order[k]
            k += 1
            for w, _ in succ[u]:
                left[w] -= 1
                if left[w] == 0:
                    order.append(w)
        assert len(order) == len(d), "tight cycle: the generator must not make one"
        self.order = order
        self.succ = succ
        sigma = {x: 0 for x in d}
        sigma[s] = 1
        for u in order:
            for w, _ in succ[u]:
                sigma[w] += sigma[u]
        self.sigma = sigma
        self.s = s

    def rho(self, t):
        r = {t: 1}
        for x in reversed(self.order):
            if x == t:
                continue
            c = 0
            for w, _ in self.succ[x]:
                c += r.get(w, 0)
            if c:
                r[x] = c
        return r

    def avoid_count(self, in_c):
        """Number of DAG paths from s to each node that touch no member of C (s not in C)."""
        a = {x: 0 for x in self.d}
        a[self.s] = 1
        for u in self.order:
            if a[u] == 0:
                continue
            for w, _ in self.succ[u]:
                if not in_c[w]:
                    a[w] += a[u]
        return a


def adjacency(n, entries, mode, removed):
    adj = [[] for _ in range(n)]
    for u, w, wt, e in entries:
        if u in removed or w in removed:
            continue
        adj[u].append((w, length_of(wt, mode), e))
    return adj


def enumerate_pairs(n, adj, removed, sources=None):
    """Yields (s, t, dep_x, dep_e) for every ordered pair of distinct non-removed nodes with t
    reachable from s, s in sources (all when None): dep_x[x] = fraction of shortest s-t paths
    through inner node x; dep_e[edge_id] = fraction along entries of that edge (summed over the
    view entries with that id that the paths use in this direction)."""
    alive = [x for x in range(n) if x not in removed]
    for s in alive:
        if sources is not None and s not in sources:
            continue
        S = Search(n, adj, s, removed)
        for t in sorted(S.d):
            if t == s:
                continue
            r = S.rho(t)
            st = S.sigma[t]
            dx, de = {}, {}
            for x, rx in r.items():
                if x != t and x != s:
                    dx[x] = Fraction(S.sigma[x] * rx, st)
                for w, e in S.succ[x] if x in S.succ else []:
                    if w in r:
                        de[e] = de.get(e, 0) + Fraction(S.sigma[x] * r[w], st)
            yield s, t, dx, de


def enum_all(n, adj, removed, m_ids, sources=None):
    """Ordered sums: vertex (endpoints excluded), vertex endpoint terms, edges (by edge id)."""
    bc = [Fraction(0)] * n
    ep = [0] * n
    ebc = {}
    for s, t, dx, de in enumerate_pairs(n, adj, removed, sources):
        for x, f in dx.items():
            bc[x] += f
        ep[s] += 1
        ep[t] += 1
        for e, f in de.items():
            ebc[e] = ebc.get(e, 0) + f
    return bc, ep, ebc


def enum_st(n, adj, removed, S, T, directed):
    bc = [Fraction(0)] * n
    pairs = Fraction(0)
    for s, t, dx, _ in enumerate_pairs(n, adj, removed, S):
        if t not in T:
            continue
        w = Fraction(1)
        if not directed and t in S and s in T:
            w = Fraction(1, 2)
        pairs += w
        for x, f in dx.items():
            bc[x] += w * f
    return bc, pairs


def enum_group(n, adj, removed, C, endpoints):
    in_c = [False] * n
    for x in C:
        in_c[x] = True
    total = Fraction(0)
    for s in range(n):
        if s in removed or (in_c[s] and not endpoints):
            continue
        S = Search(n, adj, s, removed)
        a = S.avoid_count(in_c) if not in_c[s] else None
        for t in S.d:
            if t == s:
                continue
            if in_c[s] or in_c[t]:
                total += 1 if endpoints else 0
            else:
                total += 1 - Fraction(a[t], S.sigma[t])
    return total


# ---- networkx oracle ----


def nx_simple(n, entries, mode, removed, directed):
    """A simple networkx graph of the view, or None when it has parallel entries; loops and
    infinite lengths dropped."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(x for x in range(n) if x not in removed)
    owner = {}
    for u, w, wt, e in entries:
        if u in removed or w in removed or u == w:
            continue
        key = (u, w) if directed else (min(u, w), max(u, w))
        if owner.setdefault(key, e) != e:
            return None
        l = length_of(wt, mode)
        if l == INF:
            continue
        G.add_edge(u, w, weight=l, eid=e)
    return G


def nx_vertex(G, directed, mode, endpoints):
    wt = None if mode == "hops" else "weight"
    b = nx.betweenness_centrality(G, normalized=False, weight=wt, endpoints=endpoints)
    k = 1 if directed else 2
    return {x: v * k for x, v in b.items()}


def nx_edges(G, directed, mode):
    wt = None if mode == "hops" else "weight"
    b = nx.edge_betweenness_centrality(G, normalized=False, weight=wt)
    k = 1 if directed else 2
    out = {}
    for (u, w), v in b.items():
        out[G.edges[u, w]["eid"]] = v * k
    return out


def nx_subdivided(n, entries, removed, directed, sources=None):
    """Hop betweenness of a multigraph by subdivision: ordered sums over pairs of original nodes
    (sources restricted when given), vertex and per edge id (the u -> m half of each entry)."""
    G = nx.DiGraph() if directed else nx.Graph()
    orig = [x for x in range(n) if x not in removed]
    G.add_nodes_from(orig)
    half = {}
    mid = n
    for u, w, wt, e in entries:
        if u in removed or w in removed or u == w:
            continue
        if not directed and (w, u, e) in half:
            continue
        G.add_edge(u, mid)
        G.add_edge(mid, w)
        half[(u, w, e)] = mid
        mid += 1
    src = orig if sources is None else [s for s in orig if s in sources]
    b = nx.betweenness_centrality_subset(G, sources=src, targets=orig, normalized=False)
    k = 1 if directed else 2
    vert = {x: b[x] * k for x in orig}
    eb = nx.edge_betweenness_centrality_subset(G, sources=src, targets=orig, normalized=False)
    edges = {}
    for (u, w, e), m in half.items():
        key = (u, m) if (u, m) in eb else (m, u)
        edges[e] = edges.get(e, 0.0) + eb[key] * k
    return vert, edges


# ---- conventions ----


def finish_vertex(raw, n, directed, normalized, endpoints):
    out = []
    for v in raw:
        v = float(v)
        if normalized:
            den = n * (n - 1) if endpoints else (n - 1) * (n - 2)
            out.append(v / den if den > 0 else 0.0)
        else:
            out.append(v if directed else v / 2)
    return out


def finish_edges(ebc, edges, directed, multi, n, normalized, scale=1.0):
    grp = edge_group(edges, directed, multi)
    out = []
    for e in range(len(edges)):
        u, v, _ = edges[e]
        val = 0.0 if u == v else float(ebc.get(grp[e], 0)) * scale
        if normalized:
            out.append(val / (n * (n - 1)) if n >= 2 else 0.0)
        else:
            out.append(val if directed else val / 2)
    return out


def sample_scale(raw_sub, n, removed, K, endpoints, ep_sub=None):
    na = n - len(removed)
    k = len(K)
    out = []
    for x in range(n):
        v = Fraction(raw_sub[x])
        if endpoints:
            v += ep_sub[x]
            s = Fraction(na, k)
        elif x in K:
            s = Fraction(na - 1, k - 1) if k > 1 else Fraction(0)
        else:
            s = Fraction(na - 1, k)
        out.append(0 if x in removed else v * s)
    return out


def vd_bound(n, entries, mode, removed, directed):
    """The vertex-diameter bound of cp_betweenness_approx (see the header)."""
    adj_u = [[] for _ in range(n)]
    out = [[] for _ in range(n)]
    lmin, zero = INF, False
    for u, w, wt, e in entries:
        if u in removed or w in removed:
            continue
        l = length_of(wt, mode)
        if u != w and l != INF and mode != "hops":
            if l > 0:
                lmin = min(lmin, l)
            else:
                zero = True
        # WCC edges: out-entries with finite lengths, in-entries (directed) always
        if l != INF or mode == "hops":
            adj_u[u].append(w)
            out[u].append((w, l))
        if directed:
            adj_u[w].append(u)
    comp = [-1] * n
    best = 1
    for root in range(n):
        if comp[root] >= 0 or root in removed:
            continue
        comp[root] = root
        dist = {root: 0}
        q = [root]
        i = 0
        while i < len(q):
            u = q[i]
            i += 1
            for w in adj_u[u]:
                if comp[w] < 0:
                    comp[w] = root
                    dist[w] = dist[u] + 1
                    q.append(w)
        size = len(q)
        b = size
        ds = sorted((dist[x] for x in q[1:]), reverse=True) + [0, 0]
        if not directed and mode == "hops":
            b = min(b, ds[0] + ds[1] + 1)
        elif not directed and not zero and lmin < INF and size > 1:
            dd = {root: 0.0}
            heap = [(0.0, root)]
            done = set()
            while heap:
                du, u = heapq.heappop(heap)
                if u in done:
                    continue
                done.add(u)
                for w, l in out[u]:
                    if w == u:
                        continue
                    nd = du + l
                    if nd < INF and (w not in dd or nd < dd[w]):
                        dd[w] = nd
                        heapq.heappush(heap, (nd, w))
            if len(dd) == size:
                t = sorted((dd[x] for x in dd if x != root), reverse=True) + [0.0, 0.0]
                edges_ = math.floor((t[0] + t[1]) / lmin * (1.0 + 1e-9))
                if edges_ + 1 < b:
                    b = edges_ + 1
        best = max(best, b)
    return best


def approx_r(vd, eps, delta):
    if vd <= 2:
        return 0
    fl = (vd - 2).bit_length() - 1
    return math.ceil(0.5 / (eps * eps) * (float(fl) + 1.0 + math.log(1.0 / delta)))


# ---- graphs ----


def random_graph(rng, n, m, directed, weights, loops=True, parallel=True, isolated=2):
    """m random edges on nodes isolated..n-1 (the first `isolated` nodes have none), with a few
    self-loops and parallel edges. weights: 'one', 'pos' (positive, with huge ones), 'zero'
    (directed only: zeros from smaller to larger index), 'inf' (some +inf), 'share' (in (0, 1])."""
    edges = []
    seen = set()
    lo = isolated
    while len(edges) < m:
        u = rng.randrange(lo, n)
        v = rng.randrange(lo, n)
        if u == v and (not loops or rng.random() > 0.05):
            continue
        key = (u, v) if directed else (min(u, v), max(u, v))
        if not parallel and key in seen:
            continue  # a simple graph: no parallel edge, not even by chance
        seen.add(key)
        w = 1.0
        if weights == "pos":
            w = rng.choice([1.0, 2.0, 3.0, 0.5, 0.25, 3.337, 7.0, 1e12, 2.0, 1.0])
        elif weights == "zero":
            w = rng.choice([1.0, 2.0, 0.0, 0.5, 3.0, 1.0])
            if w == 0.0 and u > v:
                u, v = v, u
        elif weights == "inf":
            w = rng.choice([1.0, 2.0, INF, 1.0, 0.5, 4.0])
        elif weights == "share":
            w = rng.choice([0.5, 0.25, 0.6, 0.3, 0.999, 0.1])  # no 1.0: no zero length
        edges.append((u, v, w))
        if parallel and rng.random() < 0.08:
            edges.append((u, v, w if weights != "pos" else rng.choice([w, 1.0])))
    return edges


def connected_graph(rng, n, extra, directed, weights):
    """A spanning path (both ways when directed, so strongly connected) plus extra edges."""
    perm = list(range(n))
    rng.shuffle(perm)
    edges = []
    for i in range(n - 1):
        w = 1.0 if weights == "one" else rng.choice([1.0, 2.0, 0.5, 3.0])
        edges.append((perm[i], perm[i + 1], w))
        if directed:
            edges.append((perm[i + 1], perm[i], w))
    while len(edges) < n - 1 + extra:
        u, v = rng.randrange(n), rng.randrange(n)
        if u == v:
            continue
        w = 1.0 if weights == "one" else rng.choice([1.0, 2.0, 0.5, 3.0])
        edges.append((u, v, w))
    return edges


def funnel_graph(rng, n, k):
    """A directed core (nodes 0..9: a cycle plus chords) fed by outer nodes of in-degree 0 with k
    out-edges each (k = 1: foldable sources; k = 2: the reversed view has fewer searches), and a
    few sinks hanging off the core (in-degree 1: leaves of the reversed view)."""
    core = 10
    edges = [(i, (i + 1) % core, 1.0) for i in range(core)]
    edges += [(rng.randrange(core), rng.randrange(core), 1.0) for _ in range(8)]
    sinks = n // 5
    for x in range(core, n - sinks):
        for t in rng.sample(range(core), k):
            edges.append((x, t, 1.0))
    for x in range(n - sinks, n):
        edges.append((rng.randrange(core), x, 1.0))
    return [(u, v, w) for u, v, w in edges if u != v]


# ---- one fixture ----


def write_fixture(path, desc, spec, values):
    lines = header(desc)
    lines.append("name %s" % spec["name"])
    lines.append("n %d" % spec["n"])
    lines.append("directed %d" % (1 if spec["directed"] else 0))
    lines.append("multi %s" % spec["multi"])
    lines.append("length %s" % spec["length"])
    edges = spec["edges"]
    lines.append("edges %d" % len(edges))
    for u, v, w in edges:
        lines.append("%d %d %s" % (u, v, fmt(float(w))))
    rem = sorted(spec.get("removed", []))
    lines.append("removed %d %s" % (len(rem), " ".join(map(str, rem))))
    for key in ("samp_sources", "st_sources", "st_targets", "group"):
        if key in spec:
            lst = sorted(spec[key])
            lines.append("%s %d %s" % (key, len(lst), " ".join(map(str, lst))))
    for key, val in values:
        if isinstance(val, (list, tuple)):
            lines.append("%s %d %s" % (key, len(val), " ".join(fmt(x) for x in val)))
        else:
            lines.append("%s 1 %s" % (key, fmt(val)))
    with open(path, "w") as f:
        f.write("\n".join(l.rstrip() for l in lines) + "\n")


def close(a, b, tol=1e-9):
    return abs(float(a) - float(b)) <= tol + tol * abs(float(b))


def make(spec, small, rng):
    """Computes every value the spec asks for and returns the (key, value) list."""
    n, directed, multi, mode = spec["n"], spec["directed"], spec["multi"], spec["length"]
    edges = spec["edges"]
    removed = set(spec.get("removed", []))
    entries = view_entries(edges, directed, multi)
    adj = adjacency(n, entries, mode, removed)
    vals = []
    G = nx_simple(n, entries, mode, removed, directed)
    has_zero = any(length_of(w, mode) == 0.0 for _, _, w in edges)
    nx_ok = G is not None and not has_zero
    if small:
        bc, ep, ebc = enum_all(n, adj, removed, len(edges))
        if nx_ok:
            for endpoints in (False, True):
                ref = nx_vertex(G, directed, mode, endpoints)
                for x in ref:
                    mine = bc[x] + (ep[x] if endpoints else 0)
                    assert close(mine, ref[x]), (spec["name"], x, float(mine), ref[x])
            refe = nx_edges(G, directed, mode)
            for e, val in refe.items():
                assert close(ebc.get(e, 0), val), (spec["name"], e)
        elif mode == "hops":
            vert, eds = nx_subdivided(n, entries, removed, directed)
            for x in vert:
                assert close(bc[x], vert[x]), (spec["name"], x, float(bc[x]), vert[x])
            for e, val in eds.items():
                assert close(ebc.get(e, 0), val), (spec["name"], "edge", e)
    else:
        if nx_ok:
            ref = nx_vertex(G, directed, mode, False)
            refe_ep = nx_vertex(G, directed, mode, True)
            bc = [ref.get(x, 0.0) for x in range(n)]
            ep = [refe_ep.get(x, 0.0) - ref.get(x, 0.0) for x in range(n)]
            ebc = nx_edges(G, directed, mode)
        else:
            assert mode == "hops", spec["name"]
            vert, ebc = nx_subdivided(n, entries, removed, directed)
            bc = [vert.get(x, 0.0) for x in range(n)]
            ep = None
    vals.append(("bc_raw", finish_vertex(bc, n, directed, False, False)))
    vals.append(("bc_norm", finish_vertex(bc, n, directed, True, False)))
    if ep is not None:
        bce = [0 if x in removed else Fraction(bc[x]) + Fraction(ep[x]) for x in range(n)]
        vals.append(("bce_raw", finish_vertex(bce, n, directed, False, True)))
        vals.append(("bce_norm", finish_vertex(bce, n, directed, True, True)))
    vals.append(("ebc_raw", finish_edges(ebc, edges, directed, multi, n, False)))
    vals.append(("ebc_norm", finish_edges(ebc, edges, directed, multi, n, True)))
    # sampled from a fixed source list
    if "samp_sources" in spec:
        K = set(spec["samp_sources"]) - removed
        if small:
            sbc, sep, sebc = enum_all(n, adj, removed, len(edges), K)
            if mode == "hops":
                vert, eds = nx_subdivided(n, entries, removed, directed, K)
                for x in vert:
                    assert close(sbc[x], vert[x]), (spec["name"], "sampled", x)
        else:
            assert mode == "hops"
            vert, sebc = nx_subdivided(n, entries, removed, directed, K)
            sbc = [Fraction(vert.get(x, 0.0)) for x in range(n)]
            sep = None
        est = sample_scale(sbc, n, removed, K, False)
        vals.append(("samp_raw", finish_vertex(est, n, directed, False, False)))
        vals.append(("samp_norm", finish_vertex(est, n, directed, True, False)))
        if sep is not None:
            este = sample_scale(sbc, n, removed, K, True, sep)
            vals.append(("sampe_raw", finish_vertex(este, n, directed, False, True)))
            vals.append(("sampe_norm", finish_vertex(este, n, directed, True, True)))
        na = n - len(removed)
        vals.append(
            ("esamp_raw", finish_edges(sebc, edges, directed, multi, n, False, float(Fraction(na, len(K)))))
        )
    # source-target with lengths
    if "st_sources" in spec:
        S = set(spec["st_sources"]) - removed
        T = set(spec["st_targets"]) - removed
        st, pairs = enum_st(n, adj, removed, S, T, directed)
        if nx_ok:
            # networkx halves every pair on undirected graphs and has no pair weights: compare
            # the unweighted pair sums.
            ones, _ = enum_st(n, adj, removed, S, T, True)
            wt = None if mode == "hops" else "weight"
            ref = nx.betweenness_centrality_subset(
                G, sources=sorted(S), targets=sorted(T), normalized=False, weight=wt
            )
            k = 1 if directed else 2
            for x in ref:
                assert close(ones[x], ref[x] * k), (spec["name"], "st", x)
        vals.append(("st_raw", [float(v) for v in st]))
        vals.append(("st_norm", [float(v / pairs) if pairs > 0 else 0.0 for v in st]))
        vals.append(("st_pairs", float(pairs)))
    # group
    if "group" in spec:
        C = set(spec["group"])
        c = len(C)
        for endpoints, key in ((False, "gb"), (True, "gbe")):
            total = enum_group(n, adj, removed, C - removed, endpoints)
            # networkx 2.8's group betweenness is wrong on directed graphs (on conn_dir it gives
            # 265.35 where a brute force over nx.all_shortest_paths gives 253.4, as the
            # enumeration does), and it subtracts endpoint pairs only on connected graphs.
            connected = nx_ok and not removed and not directed and nx.is_connected(G)
            if connected:
                wt = None if mode == "hops" else "weight"
                ref = nx.group_betweenness_centrality(
                    G, sorted(C), normalized=False, weight=wt, endpoints=endpoints
                )
                k = 1 if directed else 2
                assert close(total, ref * k), (spec["name"], key, float(total), ref * k)
            raw = total if directed else total / 2
            den = n * (n - 1) if endpoints else (n - c) * (n - c - 1)
            vals.append((key + "_raw", float(raw)))
            vals.append((key + "_norm", float(total / den) if den > 0 else 0.0))
    if spec.get("approx"):
        eps, delta = spec["approx"]
        vd = vd_bound(n, entries, mode, removed, directed)
        vals.append(("approx_eps", eps))
        vals.append(("approx_delta", delta))
        vals.append(("approx_vd", vd))
        vals.append(("approx_r", approx_r(vd, eps, delta)))
    return vals


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests/fixtures/betweenness")
    os.makedirs(outdir, exist_ok=True)
    specs = []

    def add(name, seed, n, m, directed, weights, mode, small, multi="keep", removed=0, **kw):
        rng = random.Random(seed)
        if weights == "connected":
            edges = connected_graph(rng, n, m, directed, "one" if mode == "hops" else "pos")
        elif weights.startswith("funnel"):
            edges = funnel_graph(rng, n, int(weights[-1]))
        else:
            edges = random_graph(
                rng, n, m, directed, weights, parallel=kw.pop("parallel", True),
                isolated=kw.pop("isolated", 2)
            )
        spec = dict(name=name, n=n, directed=directed, multi=multi, length=mode, edges=edges)
        if removed:
            spec["removed"] = rng.sample(range(n), removed)
        for key in ("samp", "st", "group"):
            if key in kw:
                k = kw.pop(key)
                if key == "samp":
                    spec["samp_sources"] = rng.sample(range(n), k)
                elif key == "st":
                    spec["st_sources"] = rng.sample(range(n), k[0])
                    spec["st_targets"] = rng.sample(range(n), k[1])
                else:
                    spec["group"] = rng.sample(range(n), k)
        spec.update(kw)
        desc = "seed %d, %s view, multi %s, length %s, %d nodes, %d edges, %d removed" % (
            seed, "directed" if directed else "symmetric", multi, mode, n, len(edges), removed)
        specs.append((spec, small, seed, desc))

    # small graphs: enumeration, cross-checked with networkx where it applies
    add("tiny_dir", 1, 6, 9, True, "one", "hops", True, samp=3, st=(3, 3), group=2, approx=(0.2, 0.1))
    add("tiny_sym", 2, 7, 9, False, "one", "hops", True, samp=2, st=(3, 4), group=2, approx=(0.2, 0.1))
    add("tiny_sym_one_source", 3, 5, 6, False, "one", "hops", True, samp=1, isolated=0)
    add("small_dir_mask", 4, 25, 60, True, "one", "hops", True, removed=3, samp=6, st=(5, 6), group=3)
    add("small_sym_mask", 5, 25, 45, False, "one", "hops", True, removed=3, samp=5, st=(6, 5), group=3)
    add("small_sym_collapse", 6, 25, 50, False, "one", "hops", True, multi="collapse", samp=4, group=2)
    add("small_dir_collapse", 7, 25, 70, True, "one", "hops", True, multi="collapse", st=(6, 6))
    add("w_dir_pos", 8, 30, 80, True, "pos", "weight", True, st=(6, 8), group=3)
    add("w_sym_pos", 9, 30, 60, False, "pos", "weight", True, st=(8, 8), group=3, approx=(0.2, 0.1))
    add("w_dir_zero", 10, 30, 80, True, "zero", "weight", True, st=(6, 6), group=2, removed=2)
    add("w_sym_inf", 11, 30, 60, False, "inf", "weight", True, st=(7, 7), group=2)
    add("w_dir_inverse", 12, 30, 80, True, "pos", "inverse", True, st=(5, 8), group=2)
    add("w_sym_neglog", 13, 30, 55, False, "share", "neglog", True, st=(6, 6), group=3, removed=2)
    add("w_sym_simple", 14, 40, 90, False, "pos", "weight", True, parallel=False, st=(8, 8), group=3)
    add("w_dir_collapse", 15, 30, 90, True, "pos", "weight", True, multi="collapse", group=2)
    add("mid_dir", 16, 60, 180, True, "one", "hops", True, samp=10, group=4, removed=4)
    add("mid_sym", 17, 60, 120, False, "one", "hops", True, samp=8, group=4)
    add("conn_sym", 18, 30, 30, False, "connected", "hops", True, parallel=False, group=4,
        approx=(0.1, 0.1))
    add("conn_dir", 19, 30, 40, True, "connected", "hops", True, parallel=False, group=4,
        approx=(0.1, 0.1))
    add("conn_sym_w", 20, 30, 30, False, "connected", "weight", True, parallel=False, group=3)
    add("conn_dir_w", 21, 30, 40, True, "connected", "weight", True, parallel=False, group=3)
    add("funnel1_dir", 22, 60, 0, True, "funnel1", "hops", True, samp=7, group=2)
    add("funnel2_dir", 23, 60, 0, True, "funnel2", "hops", True, removed=3)
    add("funnel2_sym", 24, 60, 0, False, "funnel2", "hops", True, samp=5)
    # larger graphs: networkx alone
    add("big_dir", 31, 300, 900, True, "one", "hops", False, parallel=False, samp=40)
    add("big_sym", 32, 300, 600, False, "one", "hops", False, parallel=False, samp=30)
    add("big_sym_multi", 33, 200, 400, False, "one", "hops", False, removed=10, samp=25)
    add("big_dir_multi", 34, 200, 700, True, "one", "hops", False, removed=5)
    add("big_sym_w", 35, 500, 1200, False, "pos", "weight", False, parallel=False)
    add("big_dir_w", 36, 400, 1400, True, "pos", "weight", False, parallel=False)
    add("big_sym_collapse_w", 37, 300, 800, False, "pos", "inverse", False, multi="collapse")

    for spec, small, seed, desc in specs:
        rng = random.Random(seed * 7919)
        vals = make(spec, small, rng)
        write_fixture(os.path.join(outdir, spec["name"] + ".txt"), desc, spec, vals)
        print("wrote", spec["name"])


if __name__ == "__main__":
    main()
