#!/usr/bin/env bash
# Median wall time of grading one answer per task, with the whole gradebox
# process (start-up, extraction, sandbox, checks) included. Time limits are
# calibrated (and cached) by a warm-up run first, so only grading is timed.
# Usage: bench/grade_bench.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-7}
gradebox="$build/gradebox"
root=$(cd "$(dirname "$0")/.." && pwd)

median_ms() {  # command... -> median wall ms over $runs runs
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-14s %-40s %10s\n' task answer "median ms"
for task_dir in "$root"/graders/*/; do
  task=$(basename "$task_dir")
  [[ $task == _* || ! -f $task_dir/task.json ]] && continue
  answer="$task_dir/reference.md"
  [[ -f $answer ]] || continue
  "$gradebox" grade --task "$task" "$answer" >/dev/null 2>&1 || true  # warm-up: calibration
  printf '%-14s %-40s %10s\n' "$task" "graders/$task/reference.md" "$(median_ms "$gradebox" grade --task "$task" "$answer")"
done
