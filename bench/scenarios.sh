#!/usr/bin/env bash
# The scenario-engine benchmark of issue 4 (bench/bench_scenarios.c): batched S-T reach of removal
# scenarios, the one-pass percolation curve, greedy picks and whole simulate runs on an R-MAT graph
# generated in-process; every figure cross-checked against an independent computation. Prints one
# JSON line per measurement, then a Markdown table; both are also written to bench/out/.
#
#   bash bench/scenarios.sh                          # scale 16, about 1 minute on 2 cores
#   BUILD_DIR=build bash bench/scenarios.sh          # reuse a configured build directory
#   bash bench/scenarios.sh --scale 14 --skip-greedy-all    # any bench_scenarios options
#
# Environment: BUILD_DIR (default build-bench; configured here, Release, without CUDA or tests,
# when it has no CMakeCache.txt), REBUILD (1, the default, rebuilds bench_scenarios; 0 uses the
# binary as it is), OMP_NUM_THREADS (threads; default all cores). Needs cmake, a C compiler with
# OpenMP and HDF5 (the target sits beside bench_cpu and links chokepoint_io).
# Exit status: bench_scenarios' (0 every check passed, 1 a mismatch, 2 an error).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD_DIR:-$ROOT/build-bench}
OUT=$ROOT/bench/out
mkdir -p "$OUT"

if [[ ! -f $BUILD/CMakeCache.txt ]]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCP_CUDA=OFF -DCP_TESTS=OFF >/dev/null
fi
if [[ ${REBUILD:-1} == 1 || ! -x $BUILD/bench_scenarios ]]; then
    cmake --build "$BUILD" -j"$(nproc)" --target bench_scenarios >/dev/null
fi

export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
echo "== bench_scenarios $* ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))" >&2
status=0
"$BUILD/bench_scenarios" "$@" | tee "$OUT/scenarios.txt" || status=$?
grep '^{' "$OUT/scenarios.txt" >"$OUT/scenarios.jsonl" || true
sed -n '/^$/,$p' "$OUT/scenarios.txt" >"$OUT/scenarios.md"
exit "$status"
