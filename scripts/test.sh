#!/usr/bin/env bash
# README command 2: install dependencies, build everything (warnings as errors, the CUDA plugin
# when nvcc is present), and run every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh "$@"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure
