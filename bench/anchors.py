#!/usr/bin/python3
"""One anchor run of the CPU benchmark (issue 3): one (library, measure, threads) per process, so
that the peak memory of the kernel can be measured.

    anchors.py --lib igraph|graph-tool|networkx --measure M --edges FILE.edges [--threads T]
               [--repeats N] [--budget SECONDS] [--sources FILE] [--tol X] [--dump FILE.npy]

Loads the plain edge list that bench/h5_to_edges.py wrote (directed, node indices 0..n-1, parallel
edges already collapsed with their weights summed), builds the library's graph, then runs the
kernel up to N times (default 3), stopping early when one more run would take the total past
BUDGET seconds (default 30; at least one run), and prints one JSON line: the median kernel time
(the library call alone; graph construction and result conversion are not timed), each run's time,
the resident memory after loading (baseline) and the peak during the kernels (VmHWM after resetting it through
/proc/self/clear_refs; the process's ru_maxrss where that is not allowed). --dump saves the result
vector (float64, n entries) for the agreement check in bench/report.py.

The measures and the parameters, the same on every side:
  bc          exact betweenness, directed, unweighted (hops), raw (not normalised), endpoints
              excluded. igraph Graph.betweenness; graph-tool betweenness(norm=False);
              networkx betweenness_centrality(normalized=False).
  bc-sampled  the same summed over the k sources in --sources only, scaled as chokepoint's
              cp_betweenness does: (n - 1) / k off the sample, (n - 1) / (k - 1) on it. graph-tool
              betweenness(pivots=sources); networkx betweenness_centrality_subset(sources, all);
              python-igraph 0.10.2 has no source-subset betweenness: reported unavailable.
  pagerank    damping 0.85, weighted by the edge weights (summed parallel edges), dangling nodes
              spread uniformly. igraph: PRPACK (its own fixed tolerance, about 1e-10);
              graph-tool: power iteration until the L1 change < tol (default 1e-10);
              networkx (SciPy power iteration): until the L1 change < tol (its tol is per node:
              tol / n is passed), max_iter 1000.
  closeness   from out-distances (hops), over the nodes each node reaches: (r - 1) / sum of
              distances (igraph closeness(mode="out"); graph-tool closeness(norm=True); networkx
              closeness_centrality on the reversed graph with wf_improved=False; 0 where r = 1
              (igraph: NaN, mapped to 0).
  harmonic    harmonic centrality from out-distances: sum over t != s of 1/d(s, t), raw.
  wcc, scc    weakly / strongly connected components; the dump holds each node's smallest member
              index.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np


def proc_status_mib(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    return -1.0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def load_edges(path):
    with open(path) as f:
        head = f.readline()
    if not head.startswith("#"):
        sys.exit(f"{path}: expected the '# n=...' header of bench/h5_to_edges.py")
    meta = dict(kv.split("=", 1) for kv in head[1:].split())
    n = int(meta["n"])
    a = np.loadtxt(path, comments="#", dtype=np.float64, ndmin=2)
    if a.shape[0] == 0:
        a = np.zeros((0, 3))
    src = a[:, 0].astype(np.int64)
    dst = a[:, 1].astype(np.int64)
    w = np.ascontiguousarray(a[:, 2])
    return n, src, dst, w


def canonical(labels):
    """Each node's smallest member index, from any component labelling."""
    labels = np.asarray(labels, dtype=np.int64)
    n = labels.shape[0]
    mins = np.full(labels.max() + 1 if n else 1, np.iinfo(np.int64).max)
    np.minimum.at(mins, labels, np.arange(n))
    return mins[labels].astype(np.float64)


def sample_scale(raw, n, sources):
    """chokepoint's scaling of a sum over k sampled sources (cp_betweenness, networkx >= 3.5):
    (n - 1) / k off the sample, (n - 1) / (k - 1) on it (0 when k = 1)."""
    k = len(sources)
    out = np.asarray(raw, dtype=np.float64) * ((n - 1) / k)
    s = np.asarray(sources, dtype=np.int64)
    out[s] = np.asarray(raw, dtype=np.float64)[s] * ((n - 1) / (k - 1) if k > 1 else 0.0)
    return out


def comps_from_sets(sets, n):
    lab = np.empty(n, dtype=np.float64)
    for c in sets:
        idx = np.fromiter(c, dtype=np.int64, count=len(c))
        lab[idx] = idx.min()
    return lab


# ---- igraph ------------------------------------------------------------------------------------

def setup_igraph(n, src, dst, w, args):
    import igraph
    g = igraph.Graph(n=n, edges=np.column_stack((src, dst)).tolist(), directed=True)
    g.es["weight"] = w.tolist()
    m = args.measure
    info = {"version": igraph.__version__}
    if m == "bc":
        return lambda: g.betweenness(directed=True), np.asarray, info
    if m == "pagerank":
        info["solver"] = "prpack"
        return (lambda: g.pagerank(directed=True, damping=0.85, weights="weight",
                                   implementation="prpack"), np.asarray, info)
    if m == "closeness":
        return (lambda: g.closeness(mode="out", normalized=True),
                lambda r: np.nan_to_num(np.asarray(r, dtype=np.float64)), info)
    if m == "harmonic":
        return (lambda: g.harmonic_centrality(mode="out", normalized=False), np.asarray, info)
    if m == "wcc":
        return (lambda: g.connected_components(mode="weak"),
                lambda c: canonical(c.membership), info)
    if m == "scc":
        return (lambda: g.connected_components(mode="strong"),
                lambda c: canonical(c.membership), info)
    return None, None, {"version": igraph.__version__,
                        "note": "python-igraph %s has no source-subset betweenness"
                        % igraph.__version__}


# ---- graph-tool --------------------------------------------------------------------------------

def setup_graph_tool(n, src, dst, w, args):
    import graph_tool.all as gt
    gt.openmp_set_num_threads(args.threads)
    g = gt.Graph(directed=True)
    g.add_vertex(n)
    g.add_edge_list(np.column_stack((src, dst)))
    wp = g.new_edge_property("double")
    wp.a = w
    m = args.measure
    info = {"version": gt.__version__.split()[0], "openmp_threads": gt.openmp_get_num_threads()}
    if m == "bc":
        return lambda: gt.betweenness(g, norm=False), lambda r: r[0].a.copy(), info
    if m == "bc-sampled":
        piv = args.source_list
        return (lambda: gt.betweenness(g, pivots=piv, norm=False),
                lambda r: sample_scale(r[0].a, n, piv), info)
    if m == "pagerank":
        info["epsilon"] = args.tol

        def run():
            return gt.pagerank(g, damping=0.85, weight=wp, epsilon=args.tol, ret_iter=True)

        def conv(r):
            info["iterations"] = int(r[1])
            return r[0].a.copy()
        return run, conv, info
    if m == "closeness":
        return (lambda: gt.closeness(g, norm=True),
                lambda r: np.nan_to_num(r.a.copy()), info)
    if m == "harmonic":
        return (lambda: gt.closeness(g, norm=False, harmonic=True),
                lambda r: np.nan_to_num(r.a.copy()), info)
    if m == "wcc":
        return (lambda: gt.label_components(g, directed=False),
                lambda r: canonical(r[0].a), info)
    if m == "scc":
        return (lambda: gt.label_components(g, directed=True),
                lambda r: canonical(r[0].a), info)
    return None, None, info


# ---- networkx ----------------------------------------------------------------------------------

def setup_networkx(n, src, dst, w, args):
    import networkx as nx
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
    m = args.measure
    info = {"version": nx.__version__}

    def vec(d):
        out = np.zeros(n)
        for k, v in d.items():
            out[k] = v
        return out
    if m == "bc":
        return lambda: nx.betweenness_centrality(G, normalized=False), vec, info
    if m == "bc-sampled":
        piv = args.source_list
        return (lambda: nx.betweenness_centrality_subset(G, piv, list(range(n)),
                                                         normalized=False),
                lambda d: sample_scale(vec(d), n, piv), info)
    if m == "pagerank":
        info["tol_per_node"] = args.tol / max(n, 1)
        return (lambda: nx.pagerank(G, alpha=0.85, weight="weight", tol=args.tol / max(n, 1),
                                    max_iter=1000), vec, info)
    if m in ("closeness", "harmonic"):
        R = G.reverse(copy=True)  # networkx measures closeness on in-distances
        if m == "closeness":
            return lambda: nx.closeness_centrality(R, wf_improved=False), vec, info
        return lambda: nx.harmonic_centrality(R), vec, info
    if m == "wcc":
        return (lambda: list(nx.weakly_connected_components(G)),
                lambda s: comps_from_sets(s, n), info)
    if m == "scc":
        return (lambda: list(nx.strongly_connected_components(G)),
                lambda s: comps_from_sets(s, n), info)
    return None, None, info


SETUP = {"igraph": setup_igraph, "graph-tool": setup_graph_tool, "networkx": setup_networkx}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lib", required=True, choices=sorted(SETUP))
    ap.add_argument("--measure", required=True,
                    choices=["bc", "bc-sampled", "pagerank", "closeness", "harmonic", "wcc",
                             "scc"])
    ap.add_argument("--edges", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--budget", type=float, default=30.0)
    ap.add_argument("--sources")
    ap.add_argument("--tol", type=float, default=1e-10)
    ap.add_argument("--dump")
    args = ap.parse_args()
    rec = {"lib": args.lib, "measure": args.measure, "threads": args.threads}
    t0 = time.perf_counter()
    n, src, dst, w = load_edges(args.edges)
    args.source_list = None
    if args.sources:
        args.source_list = np.loadtxt(args.sources, dtype=np.int64, ndmin=1).tolist()
    elif args.measure == "bc-sampled":
        sys.exit("bc-sampled needs --sources")
    run, conv, info = SETUP[args.lib](n, src, dst, w, args)
    rec.update(n=n, m=int(src.shape[0]))
    if run is None:
        rec.update(status="unavailable", **info)
        print(json.dumps(rec))
        return
    del src, dst, w
    load_s = time.perf_counter() - t0
    base = proc_status_mib("VmRSS")
    reset = reset_peak()
    times = []
    result = None
    while len(times) < args.repeats:
        result = None
        a = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - a)
        if sum(times) + times[-1] > args.budget:  # another run would pass the budget
            break
    peak = proc_status_mib("VmHWM") if reset else \
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    vec = conv(result)
    if args.dump:
        np.save(args.dump, np.asarray(vec, dtype=np.float64))
    rec.update(status="ok", time_s=statistics.median(times), runs=len(times),
               times=[round(t, 6) for t in times], load_s=round(load_s, 3),
               rss_base_mib=round(base, 1), peak_mib=round(peak, 1),
               extra_mib=round(peak - base, 1), peak_reset=reset, **info)
    print(json.dumps(rec))


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
