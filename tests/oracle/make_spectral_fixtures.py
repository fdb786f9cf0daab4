#!/usr/bin/python3
"""Independent oracle for host/spectral.c and host/scc.c: writes random graphs (fixed seeds) and
the values that direct linear algebra gives for them into tests/fixtures/spectral/*.txt, which
tests/host/test_spectral.c reads. networkx checks every value before it is written.

The matrix of a view: W[u][v] = the sum of the weights (weighted) or the number (unweighted) of
the view's entries u -> v, over the non-removed nodes only (the removed nodes are deleted first;
they keep their index and get 0, or label -1). A symmetric view adds every edge both ways and a
self-loop once. This is networkx's to_scipy_sparse_array of the MultiDiGraph / MultiGraph of the entries; the
networkx checks run on the DiGraph / Graph with parallel entries merged, weights (or counts)
summed, which has the same matrix.

What each expected value is and where it comes from:
  pr, pr_w         PageRank, alpha 0.85, uniform personalization, dangling mass (rows of W that
                   sum to 0) following it. Direct solve: x = (I - alpha P^T)^-1 ((1 - alpha) p +
                   alpha delta q) with P = W with rows divided by their sums and delta = the
                   dangling mass d.x, which is linear in delta: two sparse LU solves (scipy
                   spsolve) and one scalar equation. Checked against networkx pagerank (tol
                   1e-15 per node) within 1e-10.
  pr_pers_w        weighted, personalization `pers` (n values, some 0), dangling following it.
  pr_pers_u        unweighted, personalization `pers`, dangling mass spread uniformly (networkx's
                   `dangling` argument set to the uniform vector).
  katz, katz_w     Katz, beta 1, normalised by sign(sum) ||x||_2, alpha = katz_alpha /
                   katz_alpha_w (half of 1 / lambda_max of W, or 0.1 when lambda_max = 0). Direct
                   solve of (I - alpha W^T) x = 1; checked against networkx katz_centrality_numpy
                   within 1e-9.
  eig, eig_w       eigenvector centrality (in-edge convention): the eigenvector of W^T for the
                   eigenvalue of largest real part, positive sum, L2 norm 1, from numpy.linalg.eig
                   (dense; scipy eigs above 2500 nodes), refined by the shifted power iteration
                   started from it (LAPACK is accurate in norm only, coarse when weights span
                   1e12; the two must agree to 1e-8 on unweighted graphs, 1e-4 otherwise).
                   Written only when that eigenvalue is simple and the power iteration with
                   networkx's shift (I + W^T) converges at a rate below 0.95 per step; checked
                   against networkx eigenvector_centrality (iterative, tol 1e-14) within 1e-8
                   and eigenvector_centrality_numpy (ARPACK) like LAPACK.
  eig_sc, eig_w_sc 1 when the graph (minus zero-weight edges for eig_w_sc) is strongly connected
                   (connected when symmetric), else 0: the status cp_eigenvector must return.
  hits_h, hits_a   HITS hubs and authorities (unweighted; _w: weighted), each divided by its sum:
  hits_h_w, ...    the dominant left / right singular vectors of W from numpy.linalg.svd. Written
                   only when sigma_1 > 0 and (sigma_2 / sigma_1)^2 < 0.95; checked against
                   networkx hits (scipy svds) within 1e-8.
  scc_labels       strongly connected components (connected components when symmetric) from
  scc_count        networkx; a node's label is the smallest index in its component.
  scc_largest

The SNAP graphs (every weight 1) get the unweighted measures only, wiki-Vote (7115 nodes) only
pr and scc, and the random graphs above 500 nodes no weighted variants, to keep the fixtures
small. The fixtures hold derived numbers only: the edges are
read from ../shared at test time.

Fixture format (the one of tests/fixtures/centrality), one record a line, '#' lines comments:
    name <text>
    n <nodes>
    directed <1|0>     1: the view as stored; 0: the symmetric view of the same edges
    multi <keep|collapse>
    edges <m>          then m lines '<src> <dst> <weight>'
    edgefile <path>    instead of edges: a SNAP edge list under ../shared/ (never copied here),
                       labels remapped to 0.. in order of first appearance, weights 1
    removed <k> <i>... the removal mask as an index list
    <key> <count> <v>... values (parameters pers, katz_alpha, katz_alpha_w; expected values)

Run: /usr/bin/python3 tests/oracle/make_spectral_fixtures.py [output_dir]
Deterministic: fixed seeds, so re-running rewrites identical files. The SNAP fixtures need
../shared/datasets/snap/{email-Eu-core,wiki-Vote}.txt (skipped with a notice when absent).
"""

import os
import platform
import warnings
import random
import sys

import networkx as nx
import numpy as np
import scipy
import scipy.sparse as sps
import scipy.sparse.linalg as spla

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), "shared")

ALPHA = 0.85


def header(desc):
    return [
        "# chokepoint spectral fixture (generated; do not edit)",
        "# generator: tests/oracle/make_spectral_fixtures.py",
        "# python %s, networkx %s, numpy %s, scipy %s" % (
            platform.python_version(), nx.__version__, np.__version__, scipy.__version__),
        "# " + desc,
    ]


def fmt(x):
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return "%.13g" % x  # 13 digits: far below every tolerance of the C test


# ---- the matrix of a view ----

def view_edges(edges, directed, multi):
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


def matrix(n, removed, vedges, directed, weighted):
    """W over the active nodes (CSR, index = position in `act`), and `act`."""
    act = [x for x in range(n) if x not in removed]
    pos = {x: i for i, x in enumerate(act)}
    rows, cols, vals = [], [], []
    for u, v, w in vedges:
        if u in removed or v in removed:
            continue
        val = w if weighted else 1.0
        rows.append(pos[u])
        cols.append(pos[v])
        vals.append(val)
        if not directed and u != v:
            rows.append(pos[v])
            cols.append(pos[u])
            vals.append(val)
    k = len(act)
    W = sps.csr_matrix((vals, (rows, cols)), shape=(k, k), dtype=float)
    W.sum_duplicates()
    return W, act


def nx_graph(n, removed, vedges, directed, weighted):
    """A simple networkx graph of the view: parallel entries merged with their weights (or counts,
    unweighted) summed, which is what W holds. (networkx's eigenvector and Katz functions refuse
    multigraphs; its pagerank and hits sum parallel edges the same way.)"""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(x for x in range(n) if x not in removed)
    for u, v, w in vedges:
        if u in removed or v in removed:
            continue
        val = w if weighted else 1.0
        if G.has_edge(u, v):
            G[u][v]["weight"] += val
        else:
            G.add_edge(u, v, weight=val)
    return G


def scatter(n, act, vals):
    out = [0.0] * n
    for i, x in enumerate(act):
        out[x] = float(vals[i])
    return out


def close(a, b, tol, what):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = np.max(np.abs(a - b)) if len(a) else 0.0
    assert d <= tol, "%s: networkx differs by %g" % (what, d)


# ---- PageRank ----

def pagerank_solve(W, p, q, alpha=ALPHA):
    k = W.shape[0]
    s = np.asarray(W.sum(axis=1)).ravel()
    dang = s == 0
    inv = np.zeros(k)
    inv[~dang] = 1.0 / s[~dang]
    P = sps.diags(inv) @ W
    M = (sps.identity(k, format="csc") - alpha * P.T.tocsc()).tocsc()
    z1 = spla.spsolve(M, (1 - alpha) * p)
    z2 = spla.spsolve(M, alpha * q)
    d1 = z1[dang].sum()
    d2 = z2[dang].sum()
    delta = d1 / (1.0 - d2)
    return z1 + delta * z2


def pagerank_checked(G, act, W, pers=None, dangling_uniform=False, what="pr"):
    k = len(act)
    if pers is None:
        p = np.full(k, 1.0 / k)
    else:
        p = np.array([pers[x] for x in act], dtype=float)
        p /= p.sum()
    q = np.full(k, 1.0 / k) if dangling_uniform else p
    x = pagerank_solve(W, p, q)
    kw = {}
    if pers is not None:
        kw["personalization"] = {x_: pers[x_] for x_ in act}
    if dangling_uniform:
        kw["dangling"] = {x_: 1.0 for x_ in act}
    ref = nx.pagerank(G, alpha=ALPHA, tol=1e-15, max_iter=100000, weight="weight", **kw)
    close(x, [ref[a] for a in act], 1e-10, what)
    return x


# ---- Katz ----

def lambda_max(W):
    k = W.shape[0]
    if W.nnz == 0:
        return 0.0
    if k <= 2500:
        ev = np.linalg.eigvals(W.toarray())
    else:
        ev = spla.eigs(W.astype(float), k=1, which="LM", return_eigenvectors=False, tol=1e-12)
    return float(np.max(np.abs(ev)))


def katz_checked(G, act, W, alpha, what):
    k = W.shape[0]
    M = (sps.identity(k, format="csc") - alpha * W.T.tocsc()).tocsc()
    x = spla.spsolve(M, np.ones(k))
    x = x / (np.sign(x.sum()) * np.linalg.norm(x))
    if k <= 2500:
        ref = nx.katz_centrality_numpy(G, alpha=alpha, beta=1.0, normalized=True, weight="weight")
        close(x, [ref[a] for a in act], 1e-9, what)
    return x


# ---- eigenvector ----

def eig_checked(G, act, W, what):
    """The dominant eigenvector of W^T, or None when it is not unique or converges too slowly."""
    k = W.shape[0]
    if W.nnz == 0:
        return None
    if k <= 2500:
        vals, vecs = np.linalg.eig(W.T.toarray())
        order = np.argsort(-vals.real)
        lam = vals[order[0]]
        others = vals[order[1:]]
        vec = vecs[:, order[0]]
    else:
        vals, vecs = spla.eigs(W.T.tocsc().astype(float), k=6, which="LR", tol=1e-14)
        order = np.argsort(-vals.real)
        lam = vals[order[0]]
        others = vals[order[1:]]
        vec = vecs[:, order[0]]
    if abs(lam.imag) > 1e-9 or lam.real <= 1e-9:
        return None
    lam = lam.real
    if len(others) and np.min(np.abs(others - lam)) < 1e-7 * max(1.0, lam):
        return None  # repeated: the eigenvector is not unique
    if len(others) and np.max(np.abs(1.0 + others)) / (1.0 + lam) > 0.95:
        return None  # the shifted power iteration would crawl
    x = vec.real
    x = x / (np.sign(x.sum()) * np.linalg.norm(x))
    # LAPACK's eigenvector is accurate in norm only (to about eps ||W|| / gap), which is coarse
    # when weights span 1e12; the shifted power iteration adds only non-negative terms and is
    # accurate element by element. Refine from the LAPACK vector (a few steps when it was already
    # right), and require the two to agree (to 1e-8 when every weight is 1).
    WT = W.T.tocsr()
    y = np.abs(x)
    for _ in range(200000):
        z = y + WT @ y
        z /= np.linalg.norm(z)
        change = np.abs(z - y).sum()
        y = z
        if change < 1e-15 * k:
            break
    else:
        return None
    close(x, y, 1e-8 if W.max() == 1.0 else 1e-4, what + " (numpy eig vs refined)")
    x = y
    ref = nx.eigenvector_centrality(G, max_iter=100000, tol=1e-14, weight="weight")
    close(x, [ref[a] for a in act], 1e-8, what + " (networkx iterative)")
    if k <= 2500:
        ref = nx.eigenvector_centrality_numpy(G, weight="weight", tol=1e-14)
        close(x, [ref[a] for a in act], 1e-8 if W.max() == 1.0 else 1e-4,
              what + " (networkx numpy)")
    return x


def strongly_connected(G, directed, weighted):
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        if not weighted or d["weight"] > 0:
            H.add_edge(u, v)
    if len(H) <= 1:
        return 1
    return int(nx.is_strongly_connected(H) if directed else nx.is_connected(H))


# ---- HITS ----

def hits_checked(G, act, W, what):
    if W.nnz == 0:
        return None
    k = W.shape[0]
    if k <= 2500:
        U, S, Vt = np.linalg.svd(W.toarray())
        u, s1, vt = U[:, 0], S[0], Vt[0]
        s2 = S[1] if len(S) > 1 else 0.0
    else:
        U, S, Vt = spla.svds(W.astype(float), k=2, tol=1e-14)
        o = np.argsort(-S)
        u, s1, vt, s2 = U[:, o[0]], S[o[0]], Vt[o[0]], S[o[1]]
    if s1 <= 0 or (s2 / s1) ** 2 > 0.95:
        return None
    h = u / u.sum()
    a = vt / vt.sum()
    h[np.abs(h) < 1e-15] = 0.0
    a[np.abs(a) < 1e-15] = 0.0
    # networkx's hits reads the weight attribute (the entry count on the unweighted graph).
    rh, ra = nx.hits(G, max_iter=100000, tol=1e-14)
    close(h, [rh[x] for x in act], 1e-8, what + " hubs")
    close(a, [ra[x] for x in act], 1e-8, what + " authorities")
    return h, a


# ---- SCC ----

def scc(n, G, directed):
    comps = nx.strongly_connected_components(G) if directed else nx.connected_components(G)
    labels = [-1] * n
    sizes = []
    for c in comps:
        m = min(c)
        sizes.append(len(c))
        for x in c:
            labels[x] = m
    return labels, len(sizes), max(sizes) if sizes else 0


# ---- everything for one graph ----

def expected(n, edges, directed, multi, removed, pers, weighted_too=True,
             measures=("pr", "katz", "eig", "hits", "scc")):
    """Expected values of the measures named, unweighted and (weighted_too) weighted."""
    rem = set(removed)
    vedges = view_edges(edges, directed, multi)
    out = {}
    Gu = nx_graph(n, rem, vedges, directed, False)
    Gw = nx_graph(n, rem, vedges, directed, True)
    Wu, act = matrix(n, rem, vedges, directed, False)
    Ww, _ = matrix(n, rem, vedges, directed, True)
    if not act:
        return out
    if "pr" in measures:
        out["pr"] = scatter(n, act, pagerank_checked(Gu, act, Wu, what="pr"))
        if weighted_too:
            out["pr_w"] = scatter(n, act, pagerank_checked(Gw, act, Ww, what="pr_w"))
        if pers is not None:
            out["pers"] = list(pers)
            out["pr_pers_w"] = scatter(n, act, pagerank_checked(Gw, act, Ww, pers, False,
                                                                "pr_pers_w"))
            out["pr_pers_u"] = scatter(n, act, pagerank_checked(Gu, act, Wu, pers, True,
                                                                "pr_pers_u"))
    for suffix, G, W, weighted in (("", Gu, Wu, False), ("_w", Gw, Ww, True)):
        if suffix and not weighted_too:
            continue
        if "katz" in measures:
            lam = lambda_max(W)
            alpha = 0.5 / lam if lam > 0 else 0.1
            out["katz_alpha" + suffix] = [alpha]
            out["katz" + suffix] = scatter(n, act, katz_checked(G, act, W, alpha,
                                                                "katz" + suffix))
        if "eig" in measures:
            e = eig_checked(G, act, W, "eig" + suffix)
            out["eig" + suffix + "_sc"] = [strongly_connected(G, directed, weighted)]
            if e is not None:
                out["eig" + suffix] = scatter(n, act, e)
        if "hits" in measures:
            hits = hits_checked(G, act, W, "hits" + suffix)
            if hits is not None:
                out["hits_h" + suffix] = scatter(n, act, hits[0])
                out["hits_a" + suffix] = scatter(n, act, hits[1])
    if "scc" in measures:
        labels, count, largest = scc(n, Gu, directed)
        out["scc_labels"] = labels
        out["scc_count"] = [count]
        out["scc_largest"] = [largest]
    return out


def write(path, desc, name, n, directed, multi, edges, edgefile, removed, exp):
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
            lines.append("%d %d %s" % (u, v, repr(w)))
    lines.append(" ".join(["removed", str(len(removed))] + [str(x) for x in removed]))
    for key, vals in exp.items():
        lines.append(" ".join([key, str(len(vals))] + [fmt(x) for x in vals]))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def draw_weight(rng):
    r = rng.random()
    if r < 0.10:
        return 0.0
    if r < 0.14:
        return 1e12
    if r < 0.34:
        return round(rng.uniform(0.1, 5.0), 3)
    return float(rng.randint(1, 9))


def random_graph(rng, n, m, p_loop, p_parallel, n_isolated, p_hub):
    """m edges among the first n - n_isolated nodes (the rest isolated, shuffled into random
    positions); a share of self-loops, of repeated (parallel) edges, and of edges into a few hub
    nodes (so that the scores spread)."""
    active = n - n_isolated
    hubs = max(1, active // 20)
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
            v = rng.randrange(hubs) if rng.random() < p_hub else rng.randrange(active)
        edges.append((u, v, draw_weight(rng)))
    return [(perm[u], perm[v], w) for (u, v, w) in edges]


# name, seed, n, m, directed, multi, loops, parallel, isolated, hub share, removed share, pers
CONFIGS = [
    ("tiny_dir", 11, 5, 8, True, "keep", 0.1, 0.2, 1, 0.0, 0.0, True),
    ("tiny_sym", 12, 6, 7, False, "keep", 0.15, 0.2, 1, 0.0, 0.0, True),
    ("tiny_dir_mask", 13, 12, 30, True, "keep", 0.1, 0.2, 1, 0.2, 0.2, True),
    ("small_dir", 21, 30, 90, True, "keep", 0.05, 0.1, 3, 0.2, 0.0, True),
    ("small_sym_mask", 22, 30, 50, False, "keep", 0.05, 0.1, 3, 0.2, 0.1, True),
    ("small_dir_collapse", 23, 40, 140, True, "collapse", 0.05, 0.2, 2, 0.2, 0.05, True),
    ("small_sym_collapse", 24, 40, 90, False, "collapse", 0.05, 0.2, 2, 0.2, 0.0, True),
    ("mid_dir_mask", 31, 120, 500, True, "keep", 0.02, 0.05, 5, 0.3, 0.05, True),
    ("mid_sym", 32, 150, 400, False, "keep", 0.02, 0.05, 8, 0.3, 0.0, True),
    ("sparse_dir", 33, 200, 260, True, "keep", 0.02, 0.05, 10, 0.2, 0.05, True),
    ("big_dir", 41, 500, 2500, True, "keep", 0.01, 0.03, 10, 0.3, 0.05, True),
    ("big_sym_mask", 42, 500, 1500, False, "keep", 0.01, 0.03, 10, 0.3, 0.05, True),
    ("huge_dir", 51, 2000, 6000, True, "keep", 0.005, 0.02, 20, 0.3, 0.02, False),
    ("huge_sym", 52, 1000, 2500, False, "collapse", 0.005, 0.05, 10, 0.3, 0.0, False),
]


def read_snap(rel):
    path = os.path.join(SHARED, rel)
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
    warnings.simplefilter("ignore", FutureWarning)  # networkx 2.8 about its own scipy calls
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "fixtures",
                                                                 "spectral")
    os.makedirs(outdir, exist_ok=True)
    for (name, seed, n, m, directed, multi, p_loop, p_par, n_iso, p_hub, p_removed,
         with_pers) in CONFIGS:
        rng = random.Random(seed)
        edges = random_graph(rng, n, m, p_loop, p_par, n_iso, p_hub)
        removed = sorted(x for x in range(n) if rng.random() < p_removed)
        pers = None
        if with_pers:
            pers = [0.0 if rng.random() < 0.3 else float(rng.randint(1, 5)) for _ in range(n)]
            act = [x for x in range(n) if x not in removed]
            if all(pers[x] == 0.0 for x in act):
                pers[act[0]] = 1.0
        # Weighted variants up to 500 nodes (they cover the weighted code; the 2000-node graph
        # keeps the fixture small).
        exp = expected(n, edges, directed, multi, removed, pers, weighted_too=n <= 500)
        desc = ("random graph, seed %d, %s view, multi %s, %d removed" %
                (seed, "directed" if directed else "symmetric", multi, len(removed)))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, multi, edges, None,
              removed, exp)
        print("wrote", name, sorted(exp), flush=True)
    # SNAP graphs: every weight is 1, so only the unweighted measures (the weighted ones equal
    # them); wiki-Vote (7115 nodes) only PageRank and components, to keep the fixture small.
    everything = ("pr", "katz", "eig", "hits", "scc")
    for rel, name, directed, mask, measures in (
            ("datasets/snap/email-Eu-core.txt", "email_dir", True, None, everything),
            ("datasets/snap/email-Eu-core.txt", "email_sym_mask", False, 37, everything),
            ("datasets/snap/wiki-Vote.txt", "wiki_vote_dir", True, None, ("pr", "scc"))):
        g = read_snap(rel)
        if g is None:
            print("notice: ../shared/%s absent: %s skipped" % (rel, name))
            continue
        index, edges = g
        n = len(index)
        removed = sorted(index[lab] for lab in index if mask and int(lab) % mask == 5)
        exp = expected(n, edges, directed, "keep", removed, None, weighted_too=False,
                       measures=measures)
        desc = ("SNAP %s (../shared/%s, labels remapped in order of first appearance), %s view%s"
                % (os.path.basename(rel), rel, "directed" if directed else "symmetric",
                   ", removed = labels = 5 mod %d" % mask if mask else ""))
        write(os.path.join(outdir, name + ".txt"), desc, name, n, directed, "keep", edges, rel,
              removed, exp)
        print("wrote", name, sorted(exp), flush=True)


if __name__ == "__main__":
    main()
