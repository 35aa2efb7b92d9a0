#!/usr/bin/env bash
# Wall time of the whole sample run (50 answers: 10 models x 5 tasks) through
# `gradebox run`, with an empty result cache (cold) and with nothing changed
# (warm: the same run again; and a new run of the same answers, answered by
# the content-hash cache), plus answers per second.
# Targets on 2 cores (README.md, "Benchmarks"): cold <= 15 s, warm <= 1 s.
# Toolchain caches (time-limit calibration, Go build cache) are warmed first,
# as set-up builds them; only the result cache starts empty.
# Usage: bench/pipeline_bench.sh [BUILD_DIR] [JOBS]
set -euo pipefail
build=${1:-build}
jobs=${2:-$(nproc)}
root=$(cd "$(dirname "$0")/.." && pwd)
gradebox="$build/gradebox"
sample="$root/fixtures/runs/sample"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

timed() {  # label command... -> prints "label seconds rc"; leaves stderr in $tmp/last.err
  local label=$1 start end rc=0
  shift
  start=$(now_ms)
  "$@" >/dev/null 2>"$tmp/last.err" || rc=$?
  end=$(now_ms)
  printf '%s %d.%03d %d\n' "$label" $(( (end - start) / 1000 )) $(( (end - start) % 1000 )) "$rc"
}

# Set-up caches: one graded answer per task calibrates its time limits.
for task in flatten_py race_js dijkstra_ts review_go users_express; do
  "$gradebox" grade --task "$task" "$sample/deepseek-r1/$task.md" >/dev/null 2>&1 || {
    echo "bench: calibrating $task failed (exit $?)" >&2
    exit 1
  }
done

run() { "$gradebox" run "$sample" --db "$tmp/history.sqlite" -q -j "$jobs" "$@"; }
cold_cpu() {  # the cold run, its CPU (user+sys of gradebox and every child) kept in $tmp/cpu
  local TIMEFORMAT='%3U %3S'
  { time run "$@" 2>"$tmp/run.err"; } 2>"$tmp/cpu"
}
read -r _ cold cold_rc < <(timed cold cold_cpu --run-id bench)
errors=$(grep -o '[0-9]* grader errors' "$tmp/run.err" | head -1 || true)
# A run that failed, or graded some answers as grader-error, is not timed: a
# failure is often fast, and would read as a speed-up.
if [[ $cold_rc != 0 || ( -n $errors && $errors != "0 grader errors" ) ]]; then
  echo "bench: the cold sample run failed (exit $cold_rc, ${errors:-no summary}):" >&2
  tail -5 "$tmp/run.err" >&2
  exit 1
fi
read -r user sys <"$tmp/cpu"
# The time the graded candidates' tests took by the reports' time_ms (the
# answers' own code: Dijkstra's and flatten's are the call's CPU, race's and
# Express's scenario and request times, ~1.4 s, partly counted per test), and
# the part that ran into a contract limit: CPU no grader overhead can save.
read -r answers_own at_limit < <(/usr/bin/python3 -I - "$tmp/reports/bench" <<'PY'
import glob, json, sys
own = limit = 0.0
for path in glob.glob(sys.argv[1] + "/*/*.json"):
    for test in json.load(open(path)).get("tests", []):
        ms = test.get("time_ms") or 0
        own += ms
        limit += ms if test.get("status") == "timeout" else 0
print(f"{own / 1000:.1f} {limit / 1000:.1f}")
PY
)
read -r _ warm warm_rc < <(timed warm run --run-id bench)
read -r _ cached cached_rc < <(timed cached run --run-id bench-again)
hits=$(grep -o '[0-9]* from cache' "$tmp/last.err" | head -1 || true)

printf '\nsample run, 50 answers, -j %s on %s cores (%s)\n' "$jobs" "$(nproc)" "$(date -u +%F)"
printf '%-44s %8s %8s  %s\n' step seconds target note
printf '%-44s %8s %8s  %s\n' "cold (empty result cache)" "$cold" "15" "exit $cold_rc, $errors"
printf '%-44s %8s %8s  %s\n' "warm (same run again: nothing to do)" "$warm" "1" "exit $warm_rc"
printf '%-44s %8s %8s  %s\n' "warm (new run, same answers: cache)" "$cached" "1" "exit $cached_rc, $hits"
awk -v s="$cold" 'BEGIN { printf "%-44s %8.2f\n", "answers per second (cold)", 50 / s }'
awk -v u="$user" -v k="$sys" -v own="$answers_own" -v lim="$at_limit" -v j="$jobs" -v w="$cold" 'BEGIN {
  cpu = u + k
  printf "cold run CPU %.1f s (%.0f%% of %d cores busy); the answers'"'"' own code %.1f s of it (%.1f s at a\n", cpu, 100 * cpu / (j * w), j, own, lim
  printf "contract time limit), gradebox + toolchains + harnesses %.1f s = %.0f ms per answer\n", cpu - own, 1000 * (cpu - own) / 50
  # The per-answer floors (README.md, "Benchmarks"): what sandboxing, toolchains and harnesses
  # cost at best for the five answers of a model (flatten 0.16, race 0.06, dijkstra
  # 0.61 less its large-sparse 0.29, review_go 0.68, Express 0.21 s).
  floor = (own + 10 * 1.43) / j
  printf "floor for these answers: (own %.1f s + perf-floors overhead 14.3 s) / %d cores = %.1f s\n", own, j, floor
}'
