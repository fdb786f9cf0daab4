#!/usr/bin/env bash
# Builds the libFuzzer targets (one per importer, fuzz/fuzz_*.c) into ${BUILD_DIR:-build-fuzz}
# with clang, ASan and UBSan, and runs each for FUZZ_SECONDS (default 20) seconds starting from its
# seed corpus fuzz/corpus/<target>/ (new inputs go to <build>/corpus/<target>/, never into the
# repository). Fails on the first crash, leak, sanitizer report or timeout; the reproducer is left
# in <build>/artifacts/. Usage: bash fuzz/run.sh [TARGET...] (default: all targets).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz/run.sh: $cc not found (libFuzzer needs clang)"; exit 1; }

if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in fuzz/fuzz_*.c; do
        targets+=("$(basename "$f" .c)")
    done
fi

cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCP_WERROR=ON \
    -DCP_FUZZ=ON -DCP_CUDA=OFF -DCP_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export OMP_NUM_THREADS=1
mkdir -p "$build/artifacts"
for t in "${targets[@]}"; do
    echo "== $t: ${seconds} s"
    mkdir -p "$build/corpus/$t"
    log="$build/artifacts/$t.log"
    if ! "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
        "$build/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz/run.sh: $t failed (reproducer: $build/artifacts/$t-*; log: $log)"
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$log" | tr '\n' ' '
    echo
done
echo "fuzz/run.sh: all targets ran ${seconds} s without a crash"
