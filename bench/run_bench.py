#!/usr/bin/python3
"""Runs the CPU benchmark (issue 3): every (graph, measure, library, threads) in its own process
with a time limit, appending one JSON record per run to bench/out/results.jsonl. bench/run.sh calls
this, then bench/report.py. Settings come from the environment (defaults in brackets):

  BENCH_GRAPHS     graphs, in this order [wiki-vote ethereum sanctions-net rmat16 rmat18]
  BENCH_MEASURES   measures, in this order [wcc scc pagerank bc-sampled bc closeness]
  BENCH_CONFIGS    library:threads pairs
                   [chokepoint:1 chokepoint:2 igraph:1 graph-tool:1 graph-tool:2 networkx:1]
  BENCH_TIMEOUT    seconds per run, loading included [60]
  BENCH_REPEATS    kernel runs per process, at most [5]
  BENCH_BUDGET     stop repeating when one more run would pass this many seconds [8]
  BENCH_TOL        PageRank: stop when the L1 change < this [1e-10]
  BENCH_MEM_MIB    address-space limit of each anchor process [8192]
  BENCH_SKIP_FACTOR  see the first skip rule [4]

Skips, each recorded with its reason (never silently):
- exact betweenness and closeness on a graph where chokepoint's own sampled betweenness at one
  thread, scaled to all n sources (time x n/k), predicts more than BENCH_SKIP_FACTOR x
  BENCH_TIMEOUT seconds (the estimate is rough: sources differ in how much they reach): every
  library is then skipped there with that estimate (all of them do at least that work: n
  breadth-first searches);
- a (library, threads, measure) whose time as a multiple of chokepoint 1T's on the latest earlier
  graph where it ran (for a timeout: the limit over chokepoint's time, a lower bound) predicts
  more than BENCH_TIMEOUT seconds from chokepoint 1T's time on this graph;
- a (library, threads, measure) that ran out of memory on a graph with fewer edges.
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("BENCH_DATA", os.path.join(ROOT, "bench", "data"))
OUT = os.environ.get("BENCH_OUT", os.path.join(ROOT, "bench", "out"))
BUILD = os.environ.get("BENCH_BUILD", os.path.join(ROOT, "build-bench"))
PY = "/usr/bin/python3"

GRAPHS = os.environ.get("BENCH_GRAPHS", "wiki-vote ethereum sanctions-net rmat16 rmat18").split()
MEASURES = os.environ.get("BENCH_MEASURES", "wcc scc pagerank bc-sampled bc closeness").split()
CONFIGS = [(c.split(":")[0], int(c.split(":")[1])) for c in os.environ.get(
    "BENCH_CONFIGS",
    "chokepoint:1 chokepoint:2 igraph:1 graph-tool:1 graph-tool:2 networkx:1").split()]
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "60"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
BUDGET = float(os.environ.get("BENCH_BUDGET", "8"))
TOL = float(os.environ.get("BENCH_TOL", "1e-10"))
MEM_MIB = int(os.environ.get("BENCH_MEM_MIB", "8192"))
SKIP_FACTOR = float(os.environ.get("BENCH_SKIP_FACTOR", "4"))
EXACT = ("bc", "closeness", "harmonic")


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def graph_meta(name):
    layer = None
    with open(os.path.join(DATA, "graphs.txt")) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == name:
                layer = parts[1]
    with open(os.path.join(DATA, name + ".edges")) as f:
        meta = dict(kv.split("=", 1) for kv in f.readline()[1:].split())
    with open(os.path.join(DATA, name + ".sources")) as f:
        k = sum(1 for line in f if line.strip())
    return {"layer": layer, "n": int(meta["n"]), "m": int(meta["m"]), "k": k}


def git_commit():
    try:
        return subprocess.check_output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                       text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def limit_memory():
    os.setsid()
    lim = MEM_MIB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (lim, lim))


def run_one(graph, meta, measure, lib, threads):
    vec = os.path.join(OUT, "vec", f"{graph}.{measure}.{lib}.{threads}")
    sources = os.path.join(DATA, graph + ".sources")
    if lib == "chokepoint":
        vec += ".f64"
        cmd = [os.path.join(BUILD, "bench_cpu"), os.path.join(DATA, graph + ".h5"),
               "--layer", meta["layer"], "--measure", measure, "--threads", str(threads),
               "--repeats", str(REPEATS), "--budget", str(BUDGET), "--tol", repr(TOL),
               "--sources", sources, "--dump", vec]
        preexec = os.setsid
    else:
        vec += ".npy"
        cmd = [PY, os.path.join(ROOT, "bench", "anchors.py"), "--lib", lib, "--measure", measure,
               "--edges", os.path.join(DATA, graph + ".edges"), "--threads", str(threads),
               "--repeats", str(REPEATS), "--budget", str(BUDGET), "--tol", repr(TOL),
               "--sources", sources, "--dump", vec]
        preexec = limit_memory
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
    if os.path.exists(vec):
        os.remove(vec)
    rec = {"graph": graph, "n": meta["n"], "m": meta["m"], "measure": measure, "lib": lib,
           "threads": threads, "limit_s": TIMEOUT, "loadavg_before": loadavg()}
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                         preexec_fn=preexec)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        rec.update(status="timeout", wall_s=round(time.time() - t0, 2))
        return rec
    rec["wall_s"] = round(time.time() - t0, 2)
    rec["loadavg_after"] = loadavg()
    line = out.strip().splitlines()[-1] if out.strip() else ""
    if p.returncode == 0 and line.startswith("{"):
        res = json.loads(line)
        res.pop("lib", None), res.pop("measure", None), res.pop("threads", None)
        rec.update(res)
        if rec.get("status") == "ok":
            rec["vec"] = os.path.relpath(vec, OUT)
        return rec
    tail = (err or "").strip().splitlines()[-3:]
    oom = any("MemoryError" in t or "bad_alloc" in t or "out of memory" in t for t in tail)
    rec.update(status="oom" if oom else "error", rc=p.returncode, stderr=" | ".join(tail)[-400:])
    return rec


def main():
    os.makedirs(os.path.join(OUT, "vec"), exist_ok=True)
    path = os.path.join(OUT, "results.jsonl")
    if os.path.exists(path):
        os.replace(path, os.path.join(OUT, "results.prev.jsonl"))
    oom = {}  # (lib, threads, measure) -> (m, graph): the smallest graph where memory ran out
    slow = {}  # (lib, threads, measure) -> (time / chokepoint 1T time, graph, timed out): latest
    with open(path, "w") as fo:
        fo.write(json.dumps({"settings": {
            "graphs": GRAPHS, "measures": MEASURES, "configs": [f"{a}:{b}" for a, b in CONFIGS],
            "timeout_s": TIMEOUT, "skip_factor": SKIP_FACTOR, "repeats": REPEATS,
            "budget_s": BUDGET, "tol": TOL, "mem_limit_mib": MEM_MIB,
            "started": time.strftime("%Y-%m-%d %H:%M:%S"), "loadavg": loadavg(),
            "commit": git_commit()}}) + "\n")
        t_start = time.time()
        for graph in GRAPHS:
            meta = graph_meta(graph)
            est = None  # chokepoint 1T sampled betweenness x n / k
            for measure in MEASURES:
                cp1 = None  # chokepoint 1T's time for this (graph, measure)
                for lib, threads in CONFIGS:
                    key = (lib, threads, measure)
                    rec = None
                    if measure in EXACT and est is not None and est > SKIP_FACTOR * TIMEOUT:
                        rec = {"status": "skipped", "estimate_s": est,
                               "reason": "exact: estimated %.0f s (chokepoint 1T sampled "
                               "betweenness x n/k) > %g x the %.0f s limit"
                               % (est, SKIP_FACTOR, TIMEOUT)}
                    elif key in oom and oom[key][0] <= meta["m"]:
                        rec = {"status": "skipped",
                               "reason": "out of memory on %s" % oom[key][1]}
                    elif cp1 is not None and key in slow and slow[key][0] * cp1 > TIMEOUT:
                        rec = {"status": "skipped", "estimate_s": slow[key][0] * cp1,
                               "reason": "predicted %.0f s > the %.0f s limit (%s%.0fx "
                               "chokepoint 1T's time on %s)" % (
                                   slow[key][0] * cp1, TIMEOUT, ">" if slow[key][2] else "",
                                   slow[key][0], slow[key][1])}
                    if rec is not None:
                        rec.update(graph=graph, n=meta["n"], m=meta["m"], measure=measure,
                                   lib=lib, threads=threads)
                    else:
                        rec = run_one(graph, meta, measure, lib, threads)
                        if rec["status"] == "oom" and (key not in oom
                                                       or oom[key][0] > meta["m"]):
                            oom[key] = (meta["m"], graph)
                        if cp1 is not None and rec["status"] in ("ok", "timeout"):
                            timed_out = rec["status"] == "timeout"
                            ratio = (TIMEOUT if timed_out else rec["time_s"]) / cp1
                            slow[key] = (ratio, graph, timed_out)  # the latest graph counts
                    if lib == "chokepoint" and threads == 1 and rec.get("status") == "ok":
                        cp1 = max(rec["time_s"], 1e-6)
                        if measure == "bc-sampled":
                            est = rec["time_s"] * meta["n"] / meta["k"]
                    fo.write(json.dumps(rec) + "\n")
                    fo.flush()
                    t = rec.get("time_s")
                    print("%-14s %-10s %-10s %dT  %-9s %s" % (
                        graph, measure, lib, threads, rec["status"],
                        ("%.4g s" % t) if t is not None else rec.get("reason", "")),
                        file=sys.stderr, flush=True)
        fo.write(json.dumps({"finished": time.strftime("%Y-%m-%d %H:%M:%S"),
                             "wall_s": round(time.time() - t_start, 1),
                             "loadavg": loadavg()}) + "\n")

if __name__ == "__main__":
    main()
