#!/usr/bin/env bash
# Median wall time of grading one answer per task, with the whole gradebox
# process (start-up, extraction, sandbox, checks) included. Time limits are
# calibrated (and cached) by a warm-up run first, so only grading is timed.
# A reference that does not grade 10/10 stops the bench: a failed grading
# is often fast, and timing it would report a speed-up that is a bug.
#
# With BASELINE=path/to/gradebox (and BASELINE_GRADERS=its graders folder),
# each round runs the baseline and this build back to back, and the table
# adds the baseline's median and the ratio: both measured in one run, as
# README.md's Benchmarks section asks, because this machine's speed drifts.
# Usage: bench/grade_bench.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-7}
gradebox="$build/gradebox"
root=$(cd "$(dirname "$0")/.." && pwd)

# grade_once GRADEBOX GRADERS TASK ANSWER: sets $elapsed_ms to the gradebox
# process's wall time; dies unless the answer scored 10/10.
grade_once() {
  local report start
  start=$(now_ms)
  report=$(GRADEBOX_GRADERS="$2" "$1" grade --task "$3" "$4" --format json 2>&1) || {
    echo "bench: $1 grade --task $3 failed (exit $?): ${report:0:300}" >&2
    exit 1
  }
  elapsed_ms=$(( $(now_ms) - start ))
  if ! python3 -c 'import json,sys; r=json.loads(sys.stdin.read())
sys.exit(not (r["verdict"] == "graded" and r["correctness"]["score"] == 10 and r["edge_cases"]["score"] == 10))' <<<"$report"; then
    echo "bench: $3 reference did not score 10/10 with $1: ${report:0:300}" >&2
    exit 1
  fi
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

if [[ -n ${BASELINE:-} ]]; then
  printf '%-14s %12s %12s %7s\n' task "baseline ms" "this ms" ratio
else
  printf '%-14s %-40s %10s\n' task answer "median ms"
fi
for task_dir in "$root"/graders/*/; do
  task=$(basename "$task_dir")
  [[ $task == _* || ! -f $task_dir/task.json ]] && continue
  answer="$task_dir/reference.md"
  [[ -f $answer ]] || continue
  base_answer="${BASELINE_GRADERS:-}/$task/reference.md"
  grade_once "$gradebox" "$root/graders" "$task" "$answer"  # warm-up: calibration
  [[ -n ${BASELINE:-} ]] && grade_once "$BASELINE" "$BASELINE_GRADERS" "$task" "$base_answer"
  mine=() theirs=()
  for _ in $(seq "$runs"); do
    if [[ -n ${BASELINE:-} ]]; then
      grade_once "$BASELINE" "$BASELINE_GRADERS" "$task" "$base_answer"
      theirs+=("$elapsed_ms")
    fi
    grade_once "$gradebox" "$root/graders" "$task" "$answer"
    mine+=("$elapsed_ms")
  done
  m=$(printf '%s\n' "${mine[@]}" | median)
  if [[ -n ${BASELINE:-} ]]; then
    t=$(printf '%s\n' "${theirs[@]}" | median)
    printf '%-14s %12s %12s %7s\n' "$task" "$t" "$m" "$(awk -v a="$m" -v b="$t" 'BEGIN {printf "%.2f", a / b}')"
  else
    printf '%-14s %-40s %10s\n' "$task" "graders/$task/reference.md" "$m"
  fi
done
