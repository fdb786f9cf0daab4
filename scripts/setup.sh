#!/usr/bin/env bash
# Installs chokepoint's build and test dependencies from Debian's packages (idempotent).
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang clang-format libhdf5-dev hdf5-tools libssl-dev
      libcriterion-dev libjansson-dev libomp-dev python3-networkx python3-h5py python3-numpy
      python3-scipy python3-pandas python3-igraph python3-graph-tool
      libyaml-dev libopenmpi-dev openmpi-bin
      libplplot-dev plplot-driver-cairo chromium)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
