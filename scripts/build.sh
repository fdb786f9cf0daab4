#!/usr/bin/env bash
# Configures and builds chokepoint into ${BUILD_DIR:-build} (extra cmake flags as arguments).
# The CUDA plugin is built when nvcc is found (on PATH or in /usr/local/cuda); no GPU is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
    export CUDACXX=/usr/local/cuda/bin/nvcc
fi
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCP_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
