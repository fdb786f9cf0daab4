#!/usr/bin/python3
"""Independent reader of a chokepoint-graph file, using h5py only (none of our code).

Usage: read_graph_h5py.py FILE

Prints, one per line: the schema and its version, the node and edge counts, the layer names, the
first three node ids (decoded from UTF-8 when they are strings) and the first edge as
source,target,weight. tests/io/test_graph_h5.c compares this output with what it wrote, which
shows that the files are readable without chokepoint.
"""
import sys

import h5py


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def main(path):
    sys.stdout.reconfigure(encoding="utf-8")
    with h5py.File(path, "r") as f:
        print(f"schema={text(f.attrs['schema'])} version={int(f.attrs['schema_version'])}")
        ids = f["nodes/id"][...]
        source = f["edges/source"][...]
        target = f["edges/target"][...]
        weight = f["edges/weight"][...]
        assert len(source) == len(target) == len(weight), "edge arrays differ in length"
        for name in ("nodes/kind", "nodes/country", "nodes/designated"):
            assert len(f[name]) == len(ids), f"{name} is not one per node"
        print(f"n={len(ids)} m={len(source)}")
        print("layers=" + ",".join(sorted(f["layers"].keys())))
        for value in ids[:3]:
            print(f"id={text(value)}")
        if len(source) > 0:
            print(f"edge={int(source[0])},{int(target[0])},{float(weight[0])!r}")


if __name__ == "__main__":
    main(sys.argv[1])
