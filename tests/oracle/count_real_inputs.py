#!/usr/bin/python3
"""Counts that the importer tests compare against, computed independently of the C code.

Reads the real data sets in ../shared/datasets/ with Python's csv module, plain string splitting and
scipy.io.mmread, and writes tests/fixtures/import/real_counts.txt as "key value" lines:
  <name>.n        nodes (distinct ids; with a node table, its ids plus any endpoint)
  <name>.m        edges (Matrix Market: stored entries, symmetric off-diagonals counted twice,
                  explicit zeros kept in coordinate files; array files count their non-zeros)
  <name>.wsum     sum of the weights (only where every weight is >= 0)
  <name>.group.G  size of group G
Run from the repository root:  /usr/bin/python3 tests/oracle/count_real_inputs.py
"""
import csv
import os
import sys

import numpy as np
import scipy.io

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "datasets")
OUT = os.path.join(ROOT, "tests", "fixtures", "import", "real_counts.txt")


def is_true(text):
    text = text.strip().lower()
    if text in ("", "false", "no", "f", "n"):
        return False
    if text in ("true", "yes", "t", "y"):
        return True
    return float(text) != 0.0


def csv_graph(edges, src, dst, weight=None, nodes=None, node_id=None, rules=()):
    """rules: (group, column, value or None); value compared as a number."""
    ids = []
    seen = set()
    groups = {}
    if nodes is not None:
        with open(nodes, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                ids.append(row[node_id])
                seen.add(row[node_id])
                for name, col, value in rules:
                    hit = is_true(row[col]) if value is None else (
                        row[col].strip() != "" and float(row[col]) == float(value))
                    groups[name] = groups.get(name, 0) + (1 if hit else 0)
    m = 0
    wsum = 0.0
    with open(edges, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for end in (row[src], row[dst]):
                if end not in seen:
                    seen.add(end)
                    ids.append(end)
            m += 1
            if weight is not None:
                wsum += float(row[weight])
    return len(ids), m, wsum, groups


def text_graph(path):
    seen = set()
    m = 0
    with open(path, "rb") as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if not parts or parts[0].startswith("#") or parts[0].startswith("%"):
                continue
            seen.update(parts[:2])
            m += 1
    return len(seen), m


def headerless_csv_graph(path):
    seen = set()
    m = 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            seen.update(row[:2])
            m += 1
    return len(seen), m


def mtx_counts(path):
    a = scipy.io.mmread(path)
    if hasattr(a, "nnz"):  # coordinate: a COO matrix, symmetric entries already mirrored
        values = np.asarray(a.data, dtype=float)
        return a.shape[0], int(a.nnz), values
    a = np.asarray(a, dtype=float)
    return a.shape[0], int(np.count_nonzero(a)), a[a != 0]


def main():
    if not os.path.isdir(DATA):
        sys.exit("no data sets at " + DATA)
    lines = []

    def put(key, value):
        lines.append("%s %s" % (key, repr(value)))

    n, m, w, g = csv_graph(os.path.join(DATA, "ethereum-phishing", "edges.csv"), "from", "to",
                           "amount", os.path.join(DATA, "ethereum-phishing", "nodes.csv"), "id",
                           [("phishing", "label", "1")])
    put("ethereum.n", n)
    put("ethereum.m", m)
    put("ethereum.wsum", w)
    put("ethereum.group.phishing", g["phishing"])

    n, m, w, g = csv_graph(os.path.join(DATA, "amlsim", "transactions.csv"), "sourceNodeId",
                           "targetNodeId", "value", os.path.join(DATA, "amlsim", "nodes.csv"),
                           "nodeid", [("fraud", "isFraud", None)])
    put("amlsim.n", n)
    put("amlsim.m", m)
    put("amlsim.wsum", w)
    put("amlsim.group.fraud", g["fraud"])

    for name in ("wiki-Vote", "email-Eu-core"):
        n, m = text_graph(os.path.join(DATA, "snap", name + ".txt"))
        put(name + ".n", n)
        put(name + ".m", m)
    n, m = headerless_csv_graph(os.path.join(DATA, "snap", "soc-sign-bitcoinotc.csv"))
    put("bitcoinotc.n", n)
    put("bitcoinotc.m", m)

    mm = os.path.join(DATA, "matrix-market")
    for name in ("karate", "west0067", "bcsstk13", "full", "full_symmetric", "comments_full",
                 "matrix_bool", "matrix_int32", "ldbc-cdlp-directed-example",
                 "ldbc-cdlp-undirected-example", "ldbc-directed-example-bool",
                 "ldbc-directed-example-unweighted", "ldbc-directed-example",
                 "ldbc-undirected-example-bool", "ldbc-undirected-example-unweighted",
                 "ldbc-undirected-example", "ldbc-wcc-example"):
        n, m, values = mtx_counts(os.path.join(mm, name + ".mtx"))
        put("mtx." + name + ".n", n)
        put("mtx." + name + ".m", m)
        if values.size == 0 or values.min() >= 0:
            put("mtx." + name + ".wsum", float(values.sum()))

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("# Written by tests/oracle/count_real_inputs.py from ../shared/datasets; do not edit.\n")
        f.write("\n".join(lines) + "\n")
    print("wrote %s (%d values)" % (OUT, len(lines)))


if __name__ == "__main__":
    main()
