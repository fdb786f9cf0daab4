#!/usr/bin/python3
"""Regenerates tests/fixtures/rewire/chain.txt: the exact distribution of the Maslov-Sneppen
double-edge swap chain after T attempts on tiny graphs, for the statistical test of
cp_graph_rewire (run with /usr/bin/python3; needs numpy).

The chain (the model documented in include/chokepoint/generate.h), on the set of edges of a
simple loopless graph with k edges: an attempt draws two edge positions independently and
uniformly (k^2 ordered pairs; the same edge twice does nothing). Directed: a -> b, c -> d becomes
a -> d, c -> b. Undirected: a fair coin reads the second edge as c - d or d - c, giving a-d, c-b
or a-c, d-b. A swap that would make a self-loop or an edge already present is rejected.

The state space is every simple loopless graph with the input's degree sequence (in and out
degrees when directed), enumerated by brute force over all edge subsets; the states the chain
reaches from the input are found by breadth-first search; the transition matrix over them is
built from the rule above (not from chokepoint's code), and the distribution after T attempts is
e_0 P^T, computed exactly in floating point. The fixture records, for every ordered (directed) or
unordered (undirected) pair of distinct nodes, the probability that the pair is an edge after T
attempts, T = round(swaps_per_edge * k). The uniform distribution over the reachable states (the
chain's limit: P is symmetric) is recorded too, as a comment.

Usage: /usr/bin/python3 tests/oracle/make_rewire_fixtures.py
"""
import itertools
import os
import platform
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "rewire")

CASES = [
    # name, directed, n, edges (in the order the test builds them), swaps per edge
    ("dir7a", True, 5, [(0, 1), (0, 2), (1, 2), (2, 3), (3, 0), (3, 4), (4, 1)], 1.0),
    ("dir7b", True, 5, [(0, 1), (0, 2), (1, 2), (2, 3), (3, 0), (3, 4), (4, 1)], 10.0),
    ("dir6", True, 6, [(0, 1), (0, 2), (0, 3), (4, 5), (5, 4), (1, 5)], 2.0),
    # A directed 3-cycle: the reverse cycle has the same degrees but no swap reaches it.
    ("tri", True, 3, [(0, 1), (1, 2), (2, 0)], 5.0),
    ("und7a", False, 6, [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (1, 5)], 1.0),
    ("und7b", False, 6, [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (1, 5)], 10.0),
]


def norm(u, v, directed):
    return (u, v) if directed or u < v else (v, u)


def degrees(n, edges, directed):
    if directed:
        return (tuple(sum(1 for (u, _) in edges if u == x) for x in range(n)),
                tuple(sum(1 for (_, v) in edges if v == x) for x in range(n)))
    return tuple(sum((u == x) + (v == x) for (u, v) in edges) for x in range(n))


def successors(state, directed):
    """Probability of each next state from one attempt: dict state -> probability."""
    edges = sorted(state)
    k = len(edges)
    out = {}
    coins = [False] if directed else [False, True]
    for i in range(k):
        for j in range(k):
            for flip in coins:
                p = 1.0 / (k * k * len(coins))
                nxt = state
                if i != j:
                    a, b = edges[i]
                    c, d = edges[j]
                    x, y = (d, c) if flip else (c, d)
                    n1, n2 = norm(a, y, directed), norm(x, b, directed)
                    if a != y and x != b and n1 != n2 and n1 not in state and n2 not in state:
                        nxt = (state - {edges[i], edges[j]}) | {n1, n2}
                        nxt = frozenset(nxt)
                out[nxt] = out.get(nxt, 0.0) + p
    return out


def solve(directed, n, edge_list, spe):
    start = frozenset(norm(u, v, directed) for (u, v) in edge_list)
    assert len(start) == len(edge_list), "the test graphs are simple"
    k = len(start)
    pairs = ([(u, v) for u in range(n) for v in range(n) if u != v] if directed else
             [(u, v) for u in range(n) for v in range(u + 1, n)])
    target = degrees(n, list(start), directed)
    all_states = [frozenset(s) for s in itertools.combinations(pairs, k)
                  if degrees(n, list(s), directed) == target]
    # Reachable class by BFS.
    index = {start: 0}
    order = [start]
    trans = []
    q = 0
    while q < len(order):
        s = order[q]
        q += 1
        succ = successors(s, directed)
        trans.append(succ)
        for t in succ:
            if t not in index:
                index[t] = len(order)
                order.append(t)
    N = len(order)
    P = np.zeros((N, N))
    for i, succ in enumerate(trans):
        for t, p in succ.items():
            P[i, index[t]] += p
    assert np.allclose(P.sum(axis=1), 1.0)
    assert np.allclose(P, P.T), "the swap chain is symmetric"
    T = int(round(spe * k))
    dist = np.zeros(N)
    dist[0] = 1.0
    for _ in range(T):
        dist = dist @ P
    prob = {pr: 0.0 for pr in pairs}
    unif = {pr: 0.0 for pr in pairs}
    for i, s in enumerate(order):
        for e in s:
            prob[e] += dist[i]
            unif[e] += 1.0 / N
    return pairs, prob, unif, T, N, len(all_states)


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "chain.txt")
    with open(path, "w") as f:
        f.write("# Exact edge probabilities of the double-edge swap chain after T attempts.\n")
        f.write("# Written by tests/oracle/make_rewire_fixtures.py; python %s, numpy %s.\n"
                % (platform.python_version(), np.__version__))
        f.write("# case NAME DIRECTED N M SWAPS_PER_EDGE NPAIRS, then M lines 'e U V' and NPAIRS\n"
                "# lines 'p U V PROB'; comments give T, the reachable and all realisations, and\n"
                "# the uniform probability over the reachable ones.\n")
        for (name, directed, n, edges, spe) in CASES:
            pairs, prob, unif, T, n_reach, n_all = solve(directed, n, edges, spe)
            f.write("# %s: T = %d attempts, %d reachable of %d realisations\n"
                    % (name, T, n_reach, n_all))
            f.write("case %s %d %d %d %.17g %d\n"
                    % (name, int(directed), n, len(edges), spe, len(pairs)))
            for (u, v) in edges:
                f.write("e %d %d\n" % (u, v))
            for (u, v) in pairs:
                f.write("p %d %d %.17g  # uniform %.6f\n" % (u, v, prob[(u, v)], unif[(u, v)]))
    print("wrote", path, file=sys.stderr)


if __name__ == "__main__":
    main()
