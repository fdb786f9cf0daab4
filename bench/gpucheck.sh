#!/usr/bin/env bash
# The one prepared script for a GPU machine (DESIGN section 7): builds the core, the CUDA plugin
# and gpucheck (no HDF5, OpenSSL, Criterion, jansson or MPI needed), runs gpucheck and prints its
# table. Aim: well under 8 minutes on an H200, build included.
#
#   bench/gpucheck.sh                  # scales 16,18,20,22; 64 and 640 scenarios
#   bench/gpucheck.sh --full           # scales 16..24 (longer: the CPU twin and the view build)
#   bench/gpucheck.sh --scales 12      # any gpucheck options
#
# Environment: BUILD (build directory, default build-gpucheck), CP_CUDA_ARCH (default 90),
# GPUCHECK_TIMEOUT (seconds for gpucheck itself, default 420), JOBS (default: all cores).
# Exit status: gpucheck's (0 all match, 1 mismatch or error, 77 no GPU), or 1 if the build fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${BUILD:-$root/build-gpucheck}"
arch="${CP_CUDA_ARCH:-90}"
jobs="${JOBS:-$(nproc)}"
limit="${GPUCHECK_TIMEOUT:-420}"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
    args=(--scales 16,18,20,22)
fi

start=$(date +%s)
echo "== gpucheck.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
fi
command -v nvcc >/dev/null 2>&1 && nvcc --version | tail -n 1 || echo "nvcc not on PATH"

# Build: CMake when present (core + plugin + gpucheck only), else the same with the compilers.
mkdir -p "$build"
if command -v cmake >/dev/null 2>&1; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCP_CUDA_ARCH="$arch" \
        -DCP_IO=OFF -DCP_TESTS=OFF -DCP_WERROR=OFF >"$build/gpucheck-configure.log" 2>&1 ||
        { cat "$build/gpucheck-configure.log"; echo "gpucheck.sh: configure failed"; exit 1; }
    if ! cmake --build "$build" -j "$jobs" --target chokepoint_cuda gpucheck \
        >"$build/gpucheck-build.log" 2>&1; then
        tail -n 60 "$build/gpucheck-build.log"
        echo "gpucheck.sh: build failed"
        exit 1
    fi
else
    echo "cmake not found: building with nvcc and cc directly"
    mkdir -p "$build"
    nvcc -O3 -std=c++17 -shared -Xcompiler -fPIC,-fvisibility=hidden -cudart static \
        -gencode "arch=compute_$arch,code=[sm_$arch,compute_$arch]" \
        -I"$root/include" -I"$root/kernels/common" "$root"/kernels/*.cu \
        -o "$build/libchokepoint_cuda.so"
    cc -O2 -std=c11 -fopenmp -DCP_VERSION='"0.1.0"' -DCP_GIT_COMMIT='"unknown"' \
        -I"$root/include" -I"$root/host" -I"$root/kernels/common" \
        "$root"/host/*.c "$root/bench/gpucheck.c" -o "$build/gpucheck" -lm -ldl
fi
echo "== built in $(( $(date +%s) - start )) s"

export CHOKEPOINT_CUDA_PLUGIN="$build/libchokepoint_cuda.so"
set +e
timeout "$limit" "$build/gpucheck" "${args[@]}"
rc=$?
set -e
if [ $rc -eq 124 ]; then
    echo "gpucheck.sh: gpucheck ran past ${limit} s and was stopped"
fi
echo "== gpucheck exit $rc; total $(( $(date +%s) - start )) s"
exit $rc
