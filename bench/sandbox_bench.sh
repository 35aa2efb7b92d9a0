#!/bin/sh
# The sandbox benchmark alone: bench/sandbox_bench.sh BUILD_DIR [rounds]
# (root; `make build` first). `make bench` runs it with the others.
set -e
exec "${1:-build}/bench/sandbox_bench" "${2:-60}"
