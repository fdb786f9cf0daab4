#!/usr/bin/python3
"""Writes the plain edge list that the Python anchors read, from a chokepoint graph file (HDF5,
schema chokepoint-graph 1), read with h5py only, so both sides read the same graph.

    h5_to_edges.py GRAPH.h5 LAYER OUT.edges

The edge list holds the edges of one layer with node indices as in the file (0..n-1, the order of
/nodes/id), parallel edges collapsed into one with their weights summed (chokepoint's view with
--multi collapse builds exactly this), self-loops kept, sorted by (source, target). Format: one
header line "# n=N m=M directed=1 layer=NAME weighted=0|1 source=GRAPH.h5", then "source target
weight" per line. Beside it, OUT.edges.npz holds the same arrays (n, src, dst, w) for fast loading.
"""
import sys

import h5py
import numpy as np


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    path, layer, out = sys.argv[1:]
    with h5py.File(path, "r") as f:
        if f.attrs.get("schema") not in ("chokepoint-graph", b"chokepoint-graph"):
            sys.exit(f"{path}: not a chokepoint-graph file")
        n = int(f["nodes/id"].shape[0])
        src = f["edges/source"][()].astype(np.int64)
        dst = f["edges/target"][()].astype(np.int64)
        w = f["edges/weight"][()] if "edges/weight" in f else np.ones(src.shape[0])
        names = sorted(f["layers"].keys()) if "layers" in f else ["edges"]
        if layer not in names:
            sys.exit(f"{path}: no layer {layer!r} (layers: {', '.join(names)})")
        directed = 1
        if "layers" in f:
            directed = int(f["layers"][layer].attrs.get("directed", 1))
        if len(names) > 1:
            keep = f["edges/layer"][()] == names.index(layer)
            src, dst, w = src[keep], dst[keep], w[keep]
    if not directed:
        sys.exit(f"{path}: layer {layer} is undirected; the benchmark handles directed layers")
    # Collapse parallel edges (weights summed), sorted by (source, target).
    key = src * n + dst
    order = np.argsort(key, kind="stable")
    key, w = key[order], w[order]
    first = np.ones(key.shape[0], dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    wsum = np.add.reduceat(w, starts) if key.shape[0] else w
    key = key[starts]
    s = (key // n).astype(np.int32)
    t = (key % n).astype(np.int32)
    weighted = int(not np.all(wsum == 1.0))
    with open(out, "w") as fo:
        fo.write(f"# n={n} m={s.shape[0]} directed=1 layer={layer} weighted={weighted} "
                 f"source={path}\n")
        # repr-exact weights; chunked to bound memory
        step = 1 << 20
        for i in range(0, s.shape[0], step):
            j = min(i + step, s.shape[0])
            lines = [f"{a} {b} {c!r}\n" for a, b, c in
                     zip(s[i:j].tolist(), t[i:j].tolist(), wsum[i:j].tolist())]
            fo.writelines(lines)
    np.savez(out + ".npz", n=np.int64(n), src=s, dst=t, w=wsum)
    print(f"wrote {out}: n={n}, m={s.shape[0]} (from {src.shape[0]} edges of layer {layer}; "
          f"parallel edges collapsed), weighted={weighted}")


if __name__ == "__main__":
    main()
