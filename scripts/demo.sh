#!/usr/bin/env bash
# README command 1: install dependencies, build, and run the main job on the bundled data
# (and on the real datasets too when ../shared/datasets is present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
real=()
[ -d ../shared/datasets/ethereum-phishing ] && real=(--real --datasets ../shared/datasets)
./build/chokepoint demo --outdir demo-out "${real[@]}" "$@"
