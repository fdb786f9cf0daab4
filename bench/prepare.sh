#!/usr/bin/env bash
# Prepares the CPU benchmark (issue 3): builds the library and CLI in build-bench/ (or reuses
# them), builds bench/bench_cpu, and writes every benchmark graph into bench/data/ as a chokepoint
# HDF5 file plus the plain edge list that the Python anchors read (written from the HDF5 file with
# h5py, so both sides read identical graphs), plus the 256 sampled-betweenness sources per graph.
#
#   bash bench/prepare.sh            # idempotent: existing files are kept
#   FORCE=1 bash bench/prepare.sh    # regenerate everything
#
# Needs: cmake, a C compiler with OpenMP, HDF5, OpenSSL, /usr/bin/python3 with h5py and numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=${BENCH_DATA:-$ROOT/bench/data}
SHARED=${CP_SHARED:-$ROOT/../shared/datasets}
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
PY=/usr/bin/python3
K=${BENCH_K:-256}
FORCE=${FORCE:-0}
mkdir -p "$DATA"

if [[ ! -x $BUILD/chokepoint || ! -f $BUILD/libchokepoint.a || $FORCE == 1 || ${REBUILD:-1} == 1 ]]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCP_CUDA=OFF -DCP_TESTS=OFF >/dev/null
    cmake --build "$BUILD" -j2 --target chokepoint chokepoint_io chokepoint_cli >/dev/null
fi
make -s -C bench BUILD="$BUILD" >/dev/null
CLI=$BUILD/chokepoint

need() { [[ $FORCE == 1 || ! -s $1 ]]; }

# name  layer  how-to-make
make_graph() {
    local name=$1 layer=$2
    shift 2
    local h5=$DATA/$name.h5
    if need "$h5"; then
        echo "== $name: $*" >&2
        "$@" -o "$h5" --quiet
    fi
    if need "$DATA/$name.edges" || [[ $h5 -nt $DATA/$name.edges ]]; then
        $PY bench/h5_to_edges.py "$h5" "$layer" "$DATA/$name.edges" >&2
    fi
    if need "$DATA/$name.sources" || [[ $DATA/$name.edges -nt $DATA/$name.sources ]]; then
        # k distinct sources drawn uniformly with a fixed seed; every side uses this list
        $PY - "$DATA/$name.edges.npz" "$K" "$DATA/$name.sources" <<'EOF'
import sys, numpy as np
n = int(np.load(sys.argv[1])["n"]); k = min(int(sys.argv[2]), n)
s = np.sort(np.random.default_rng(20261129).choice(n, size=k, replace=False))
np.savetxt(sys.argv[3], s, fmt="%d")
EOF
    fi
    echo "$name $layer" >>"$DATA/graphs.txt.new"
}

rm -f "$DATA/graphs.txt.new"
make_graph sanctions-net transaction \
    "$CLI" generate sanctions-net --nodes 100000 --seed 7
make_graph wiki-vote edges \
    "$CLI" import "$SHARED/snap/wiki-Vote.txt" --format edgelist
make_graph ethereum transaction \
    "$CLI" import "$SHARED/ethereum-phishing/edges.csv" --nodes "$SHARED/ethereum-phishing/nodes.csv" \
    --source-col from --target-col to --weight-col amount --time-col timestamp --units ETH \
    --group phishing=label:1
make_graph rmat16 edges "$CLI" generate rmat --scale 16 --edge-factor 16 --seed 1
make_graph rmat18 edges "$CLI" generate rmat --scale 18 --edge-factor 16 --seed 1
mv "$DATA/graphs.txt.new" "$DATA/graphs.txt"
echo "bench data ready in $DATA:" >&2
head -qn1 "$DATA"/*.edges | sed 's/^/  /' >&2
