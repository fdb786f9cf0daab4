#!/usr/bin/env bash
# The README's worked example: the generated evasion network (seed 7), sanctioned at once and in
# rounds while it reroutes, over 20 seeds, against the minimum-cut bound and a rewired null, with
# the 50 percent rule on the origins' holdings. Usage: scripts/worked_example.sh [OUTDIR]
# (needs a build: scripts/build.sh). About two minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
cp=${CHOKEPOINT:-${BUILD_DIR:-build}/chokepoint}
out=${1:-worked-example}
mkdir -p "$out"
"$cp" generate sanctions-net --seed 7 -o "$out/net.h5" --quiet
"$cp" block "$out/net.h5" --designated group:origin --regime ofac --top 5 -o "$out/blocked.h5"
"$cp" simulate "$out/net.h5" -o "$out/sim.h5" --layers transaction \
    --sources group:origin --targets group:bank \
    --strategy random,degree,st-betweenness,flow,min-cut --mode simultaneous,sequential,adaptive \
    --budget 8 --round 2 --reroute 0.5 --metrics reach,flow --seeds 20 --seed 7 \
    --null rewire --null-samples 10
"$cp" compare "$out/sim.h5" --metric flow,reach --format markdown
