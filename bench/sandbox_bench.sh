#!/bin/sh
# Prints the median cost of /bin/true and `python3 -I -S -c pass`: bare,
# in gradebox's sandbox and in bubblewrap, measured in one interleaved run.
# Usage: bench/sandbox_bench.sh [rounds]   (root; builds into build-sandbox/)
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-sandbox"
cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" -j2 --target gradebox_sandbox gradebox-init >/dev/null
g++ -std=c++20 -O2 -I"$root/include" "$root/bench/sandbox/sandbox_bench.cc" \
  "$build/sandbox/libgradebox_sandbox.a" -lboost_filesystem -lseccomp -lpthread \
  -o "$build/sandbox_bench"
exec "$build/sandbox_bench" "${1:-60}"
