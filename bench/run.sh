#!/usr/bin/env bash
# The CPU benchmark of issue 3: chokepoint's CPU backend against igraph, graph-tool and networkx
# (Debian's python3-igraph, python3-graph-tool, python3-networkx, run with /usr/bin/python3) in one
# run, on the same machine and the same graphs. Prepares the data (bench/prepare.sh), runs every
# (graph, measure, library, threads) in its own process with a time limit (bench/run_bench.py:
# settings through BENCH_* variables, listed there), and prints the Markdown tables
# (bench/report.py), also written to bench/out/latest.md; raw records in bench/out/results.jsonl.
#
#   bash bench/run.sh                                   # everything, about 20 minutes on 2 cores
#   BENCH_GRAPHS=wiki-vote BENCH_TIMEOUT=30 bash bench/run.sh   # a part
set -euo pipefail
cd "$(dirname "$0")/.."
REBUILD=${REBUILD:-1} bash bench/prepare.sh
/usr/bin/python3 bench/run_bench.py
/usr/bin/python3 bench/report.py bench/out/results.jsonl bench/out/latest.md
