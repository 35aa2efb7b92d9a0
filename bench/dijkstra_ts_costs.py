#!/usr/bin/env python3
"""What dijkstra_ts's two CPU savings save, measured in one run (`make bench`);
printed, never asserted (tests/test_harness_stops.py checks they are correct).

- The CPU stop: how far past its CPU limit a spinning test is stopped (the
  watch polls /proc), next to the wall guard it replaces (2 x limit + 500 ms).
- tsc's lite pass: the time of a type check of a plain answer that stays
  lite (`--types ''` + node_lite.d.ts) against the full pass (`--types node`).

  python3 bench/dijkstra_ts_costs.py [-n ROUNDS]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TASK_DIR = os.path.join(ROOT, "graders", "dijkstra_ts")
sys.path.insert(0, os.path.join(TASK_DIR, "tests"))
import harness_box  # noqa: E402
from test_harness_stops import SPIN_ON_LARGE  # noqa: E402

LIMIT_MS = 1000

WALL_GUARD_MS = 2 * LIMIT_MS + 500

# Times both passes on one file, each `rounds` times, interleaved.
TSC_TIMER = """
const { typecheck, tscPassForCompare, findNodeModules } = require(%s);
(async () => {
  const [file, rounds] = [process.argv[1], Number(process.argv[2])];
  const nm = findNodeModules();
  const times = { lite: [], node: [] };
  let types = '';
  for (let i = 0; i < rounds; i++) {
    let t = process.hrtime.bigint();
    types = (await typecheck([file], nm)).types;
    times.lite.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    await tscPassForCompare([file], nm);
    times.node.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  console.log(JSON.stringify({ types, times }));
})();
"""


def cpu_stop(rounds):
    late = []
    for _ in range(rounds):
        events, _ = harness_box.run_tests(SPIN_ON_LARGE % "", {"random-graphs-01"}, LIMIT_MS)
        spun = events.get("random-graphs-01", {})
        if spun.get("reason") == "cpu" and "cpu_ms" in spun and not spun.get("retried"):
            late.append(spun["cpu_ms"] - LIMIT_MS)
    if not late:
        print("cpu stop: no unstarved stop measured (machine too loaded?)")
        return
    median = statistics.median(late)
    print(f"cpu stop: stopped {median:.0f} ms past a {LIMIT_MS} ms limit (median of {len(late)}); "
          f"the wall guard would stop at +{WALL_GUARD_MS - LIMIT_MS} ms: "
          f"{(LIMIT_MS + median) / WALL_GUARD_MS:.2f} x its CPU")


def tsc_lite(rounds):
    with tempfile.TemporaryDirectory() as tmp:
        answer = os.path.join(tmp, "answer.ts")
        with open(answer, "w") as f:
            f.write(SPIN_ON_LARGE % "")
        timer = TSC_TIMER % json.dumps(os.path.join(TASK_DIR, "tools.js"))
        env = dict(os.environ, NODE_PATH=harness_box.NODE_PATH)
        r = subprocess.run(["node", "-e", timer, answer, str(rounds)], capture_output=True, text=True,
                           env=env, timeout=600)
    if r.returncode != 0:
        print("tsc lite: could not time it:", r.stderr.strip()[-400:])
        return
    out = json.loads(r.stdout)
    lite, full = (statistics.median(out["times"][k]) for k in ("lite", "node"))
    print(f"tsc: reported pass {out['types']} {lite:.0f} ms, full pass (--types node) {full:.0f} ms "
          f"(median of {rounds}): {lite / full:.2f} x")


def main():
    args = sys.argv[1:]
    rounds = int(args[args.index("-n") + 1]) if "-n" in args else 5
    cpu_stop(rounds)
    tsc_lite(rounds)


if __name__ == "__main__":
    main()
