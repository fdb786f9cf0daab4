#!/usr/bin/python3
"""Turns bench/out/results.jsonl (written by bench/run_bench.py) into the Markdown tables of the
CPU benchmark: time per (graph, measure) for chokepoint 1T / 2T, igraph 1T, graph-tool 1T / 2T and
networkx, the two speed ratios with their targets, the agreement of every anchor's result with
chokepoint's, and peak memory.

    report.py [RESULTS.jsonl] [OUT.md]     (defaults: bench/out/results.jsonl, bench/out/latest.md)

Prints the Markdown to stdout and writes it to OUT.md.
"""
import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLS = [("chokepoint", 1), ("chokepoint", 2), ("igraph", 1), ("graph-tool", 1), ("graph-tool", 2),
        ("networkx", 1)]
HEAD = ["chokepoint 1T", "chokepoint 2T", "igraph 1T", "graph-tool 1T", "graph-tool 2T",
        "networkx 1T"]
SHORT = {"igraph": "ig", "graph-tool": "gt", "networkx": "nx"}
# (measure, target for igraph / chokepoint@1T, target for graph-tool@2T / chokepoint@2T)
TARGETS = {"bc": (3.0, 1.5), "pagerank": (2.0, None), "wcc": (2.0, None), "scc": (2.0, None)}
NAMES = {"bc": "betweenness (exact)", "bc-sampled": "betweenness (k sources)",
         "pagerank": "PageRank", "closeness": "closeness", "harmonic": "harmonic",
         "wcc": "weak components", "scc": "strong components"}


def fmt_t(t):
    if t >= 100:
        return "%.0f s" % t
    if t >= 1:
        return "%.2f s" % t
    if t >= 1e-3:
        return "%.3g ms" % (t * 1e3)
    return "%.3g µs" % (t * 1e6)


def cell(r):
    if r is None:
        return "—"
    st = r.get("status")
    if st == "ok":
        s = fmt_t(r["time_s"])
        if r.get("runs", 1) > 1:
            s += " (%d)" % r["runs"]
        return s
    if st == "timeout":
        return "timeout (%.0f s)" % r.get("limit_s", 0)
    if st == "skipped":
        if "estimate_s" in r:
            return "skipped (est. %.0f s)" % r["estimate_s"]
        return "skipped"
    if st == "unavailable":
        return "n/a"
    if st == "oom":
        return "out of memory"
    return "error"


def load_vec(out_dir, r):
    if r is None or r.get("status") != "ok" or "vec" not in r:
        return None
    p = os.path.join(out_dir, r["vec"])
    if not os.path.exists(p):
        return None
    return np.load(p) if p.endswith(".npy") else np.fromfile(p, dtype=np.float64)


def agreement(measure, ref, other):
    """Max difference relative to the largest |reference| value (components: labels equal?)."""
    if ref is None or other is None:
        return None
    if ref.shape != other.shape:
        return "size!"
    if measure in ("wcc", "scc"):
        d = int(np.count_nonzero(ref != other))
        return "=" if d == 0 else "%d differ" % d
    scale = float(np.max(np.abs(ref))) or 1.0
    d = float(np.max(np.abs(ref - other))) / scale
    return "0" if d == 0 else "%.0e" % d


def git_commit():
    try:
        return subprocess.check_output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                       text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "out",
                                                              "results.jsonl")
    out_md = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "bench", "out",
                                                                "latest.md")
    out_dir = os.path.dirname(os.path.abspath(path))
    settings, recs = {}, []
    with open(path) as f:
        for line in f:
            d = json.loads(line)
            if "settings" in d:
                settings = d["settings"]
            elif "finished" in d:
                settings["finished"] = d["finished"]
                settings["wall_s"] = d["wall_s"]
            else:
                recs.append(d)
    graphs, measures, by = [], [], {}
    for r in recs:
        if r["graph"] not in graphs:
            graphs.append(r["graph"])
        if r["measure"] not in measures:
            measures.append(r["measure"])
        by[(r["graph"], r["measure"], r["lib"], r["threads"])] = r
    sizes = {r["graph"]: (r["n"], r["m"]) for r in recs}
    loads = [r[k] for r in recs for k in ("loadavg_before", "loadavg_after") if k in r]
    lines = []
    w = lines.append
    w("Graphs (directed; parallel edges collapsed, self-loops kept): " + "; ".join(
        "%s n = %s, m = %s" % (g, f"{sizes[g][0]:,}", f"{sizes[g][1]:,}") for g in graphs) + ".")
    w("")
    w("Time: median kernel time over the runs in brackets (one run when none are shown); the "
      "graph is loaded and the view built before timing. Ratios: > 1 means chokepoint is "
      "faster; a ratio meets its target when marked ✓. Agreement: max |anchor - chokepoint 1T| "
      "/ max |chokepoint 1T| (components: labels equal, '=').")
    w("")
    w("| graph | measure | " + " | ".join(HEAD) +
      " | igraph / cp 1T | gt 2T / cp 2T | agreement (ig / gt 1T / gt 2T / nx; cp 2T) |")
    w("|" + "---|" * (len(HEAD) + 5))
    pr_iters = []
    for g in graphs:
        for m in measures:
            row = [by.get((g, m, lib, t)) for lib, t in COLS]
            if all(r is None for r in row):
                continue
            cells = [cell(r) for r in row]

            def ratio(a, b, target):
                if a is None or b is None or a.get("status") != "ok" or b.get("status") != "ok":
                    return "—"
                x = a["time_s"] / b["time_s"]
                s = "%.2f" % x if x < 10 else "%.0f" % x
                if target is not None:
                    s += " ✓" if x >= target else " ✗ (target %g)" % target
                return s
            tg = TARGETS.get(m, (None, None))
            r_ig = ratio(row[2], row[0], tg[0])
            r_gt = ratio(row[4], row[1], tg[1])
            ref = load_vec(out_dir, row[0]) if row[0] is not None else None
            if ref is None:
                ref = load_vec(out_dir, row[1])
            ag = []
            for r in (row[2], row[3], row[4], row[5]):
                a = agreement(m, ref, load_vec(out_dir, r))
                ag.append(a if a is not None else "—")
            a2 = agreement(m, load_vec(out_dir, row[0]), load_vec(out_dir, row[1]))
            w("| %s | %s | %s | %s | %s | %s; %s |" % (
                g, NAMES.get(m, m), " | ".join(cells), r_ig, r_gt, " / ".join(ag),
                a2 if a2 is not None else "—"))
            if m == "pagerank":
                it = []
                for (lib, t), r in zip(COLS, row):
                    if r is not None and r.get("status") == "ok" and "iterations" in r:
                        it.append("%s %s" % (lib, r["iterations"]))
                if it:
                    pr_iters.append("%s: %s" % (g, ", ".join(dict.fromkeys(it))))
    w("")
    w("Peak memory (MiB): resident memory of the process at its peak during the kernel runs, and "
      "in brackets how much of it the kernels added above the loaded graph (VmHWM reset through "
      "/proc/self/clear_refs after loading).")
    w("")
    w("| graph | measure | " + " | ".join(HEAD) + " |")
    w("|" + "---|" * (len(HEAD) + 2))
    for g in graphs:
        for m in measures:
            row = [by.get((g, m, lib, t)) for lib, t in COLS]
            if all(r is None for r in row):
                continue
            cs = []
            for r in row:
                if r is not None and r.get("status") == "ok":
                    cs.append("%.0f (+%.0f)" % (r["peak_mib"], max(r["extra_mib"], 0)))
                else:
                    cs.append("—")
            w("| %s | %s | %s |" % (g, NAMES.get(m, m), " | ".join(cs)))
    w("")
    if pr_iters:
        w("PageRank iterations: " + "; ".join(pr_iters) + " (igraph uses PRPACK, which reports "
          "none).")
        w("")
    # Not measured: grouped by reason, then graph, then measure.
    groups = {}
    for r in recs:
        if r.get("status") not in ("skipped", "error", "oom", "unavailable", "timeout"):
            continue
        if r["status"] == "timeout":
            why = "timeout: more than %.0f s with loading" % r.get("limit_s", 0)
        else:
            why = r.get("reason") or r.get("note") or r.get("stderr") or r["status"]
        groups.setdefault(why, {}).setdefault(r["graph"], {}).setdefault(
            r["measure"], []).append("%s %dT" % (r["lib"], r["threads"]))
    if groups:
        w("Not measured, and why:")
        w("")
        for why, gs in groups.items():
            parts = []
            for g, ms in gs.items():
                for m, libs in ms.items():
                    who = "every library" if len(libs) == len(COLS) else ", ".join(libs)
                    parts.append("%s %s (%s)" % (g, NAMES.get(m, m), who))
            w("- %s: %s" % (why, "; ".join(parts)))
        w("")
    apis = sorted({r.get("api") for r in recs if r.get("lib") == "chokepoint" and r.get("api")})
    w("Settings: timeout %s s per run (loading included), at most %s runs per process, stopped "
      "early when another run would pass %s s; PageRank L1 tolerance %s; chokepoint functions "
      "timed: %s. Started %s at commit %s, %s s in all; load average %s to %s during the runs "
      "(other work shared the machine)." % (
          settings.get("timeout_s"), settings.get("repeats"), settings.get("budget_s"),
          settings.get("tol"), ", ".join(apis), settings.get("started"),
          settings.get("commit") or git_commit(),
          "%.0f" % settings["wall_s"] if "wall_s" in settings else "?",
          "%.1f" % min(loads) if loads else "?", "%.1f" % max(loads) if loads else "?"))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(out_md)), exist_ok=True)
    with open(out_md, "w") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
