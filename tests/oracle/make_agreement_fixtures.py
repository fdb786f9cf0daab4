#!/usr/bin/python3
"""Oracle for `compare`'s agreement tables: scipy.stats.kendalltau (tau-b, its default) and
top-k overlaps computed with Python sets.

Writes tests/fixtures/agreement/agreement.json:
  rankings: score vectors x, y (with ties), top K; tau = kendalltau(x, y); overlap = |top_K(x) &
            top_K(y)| / K, the top K taken by score, highest first, ties by node index.
  orders:   removal orders a, b (node indices, different lengths); tau = kendalltau over the union
            of both lists, each node ranked by its position and a node a list did not remove
            ranked len(list) (tied last); overlap = |a[:K] & b[:K]| / K, K = min(top, len a,
            len b).
Run: /usr/bin/python3 tests/oracle/make_agreement_fixtures.py
"""
import json
import os

import numpy as np
import scipy
from scipy.stats import kendalltau

rng = np.random.default_rng(2024)
out = {"oracle": f"scipy {scipy.__version__}, numpy {np.__version__}", "rankings": [],
       "orders": []}


def top(x, k):
    return set(sorted(range(len(x)), key=lambda i: (-x[i], i))[:k])


for case in range(8):
    n = int(rng.integers(5, 300))
    levels = int(rng.integers(2, 40))  # few levels: many ties
    x = rng.integers(0, levels, n).astype(float)
    y = x + rng.normal(0, levels / 3, n) if case % 2 else rng.integers(0, levels, n).astype(float)
    y = np.round(y, 1)
    k = int(rng.integers(1, n))
    out["rankings"].append({"x": x.tolist(), "y": y.tolist(), "top": k,
                            "tau": float(kendalltau(x, y).statistic),
                            "overlap": len(top(x, k) & top(y, k)) / k})

for case in range(10):
    n = 60
    la, lb = int(rng.integers(2, 25)), int(rng.integers(2, 25))
    a = rng.permutation(n)[:la].tolist()
    b = (a[: lb // 2] + [v for v in rng.permutation(n).tolist() if v not in a])[:lb]
    rng.shuffle(b)
    b = [int(v) for v in b]
    union = sorted(set(a) | set(b))
    ra = [a.index(v) if v in a else len(a) for v in union]
    rb = [b.index(v) if v in b else len(b) for v in union]
    t = int(rng.integers(1, 30))
    K = min(t, la, lb)
    out["orders"].append({"a": a, "b": b, "top": t,
                          "tau": float(kendalltau(ra, rb).statistic),
                          "overlap": len(set(a[:K]) & set(b[:K])) / K})

path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "agreement", "agreement.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None)
    f.write("\n")
