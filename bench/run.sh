#!/usr/bin/env bash
# `make bench`: every benchmark, each measured in one run so the ratios hold
# on a noisy machine. Usage: bench/run.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)

echo "== sandbox overhead: bare vs gradebox vs bubblewrap (medians) =="
"$build/bench/sandbox_bench" "${SANDBOX_ROUNDS:-60}"
echo
echo "== one graded answer per task (whole gradebox process, medians) =="
"$here/grade_bench.sh" "$build" "${GRADE_RUNS:-7}"
if [[ -x $here/pipeline_bench.sh ]]; then
  echo
  echo "== the sample run: 50 answers, cold and warm result cache =="
  "$here/pipeline_bench.sh" "$build"
fi
echo
echo "== task harnesses outside the sandbox: what their savings save (medians) =="
python3 "$here/dijkstra_ts_costs.py" -n "${HARNESS_ROUNDS:-5}"
python3 "$here/race_js_harness.py" -n "${HARNESS_ROUNDS:-5}"
