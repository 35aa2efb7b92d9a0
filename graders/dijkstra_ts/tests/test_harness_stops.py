#!/usr/bin/env python3
"""The harness's two CPU savings are correct (no sandbox: harness_box.py).

- A test that spends its CPU limit ends as a timeout (reason "cpu"),
  stopped past gradebox's near-limit band (at 1.15 x the limit), also when
  the answer takes SIGINT for itself (the runner is killed, and the next
  test still runs).
- tsc's lite-first pass reports exactly the diagnostics of --types node
  (tools/compare_tsc_types.js on tools/tsc_cases), and its declarations are
  up to date with @types/node.

What they save (how soon the stop lands, the lite pass's time) is measured
by bench/dijkstra_ts_costs.py (`make bench`), never asserted here.

  cd graders/dijkstra_ts/tests && python3 -m unittest test_harness_stops
"""
import os
import subprocess
import sys
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TASK_DIR = os.path.dirname(TESTS)
TOOLS = os.path.join(TASK_DIR, "tools")
sys.path.insert(0, TESTS)
import harness_box  # noqa: E402

# Short, so the two spinning runs cost little: the stop is the same at any limit.
LIMIT_MS = 300

# Correct on the probe's small graphs, spins on anything larger.
SPIN_ON_LARGE = """
export function dijkstra(graph: Map<number, [number, number][]>, source: number): Map<number, number> {
  %s
  if (graph.size > 8) { for (;;) {} }
  const dist = new Map<number, number>([[source, 0]]);
  const todo = [source];
  while (todo.length) {
    const u = todo.pop()!;
    for (const [v, w] of graph.get(u) ?? []) {
      const d = dist.get(u)! + w;
      if (d < (dist.get(v) ?? Infinity)) { dist.set(v, d); todo.push(v); }
    }
  }
  return dist;
}
"""


def run_tests(answer, ids):
    """Test events (values dropped) of `answer` on the tests `ids`, limit LIMIT_MS."""
    return harness_box.run_tests(answer, ids, LIMIT_MS)[0]


def assert_spin_stopped(case, spun):
    """A spinning call ends as a timeout: past its CPU limit, or, on a machine
    so loaded that both tries were starved (their wall guards fired before
    the CPU limit was used), as a retried wall timeout short of the limit."""
    case.assertEqual(spun["status"], "timeout", spun)
    if spun.get("reason") == "cpu":
        if "cpu_ms" in spun:  # absent when the CPU watch had to kill the runner
            # Past gradebox's near-limit band (10 %), so it is not run again.
            case.assertGreater(spun["cpu_ms"], 1.1 * LIMIT_MS, spun)
    else:
        case.assertTrue(spun.get("retried"), spun)
        case.assertLess(spun["cpu_ms"], LIMIT_MS, spun)


class CpuStop(unittest.TestCase):
    def test_a_spinning_call_stops_at_its_cpu_limit(self):
        events = run_tests(SPIN_ON_LARGE % "", {"random-graphs-01", "small-graph-1"})
        assert_spin_stopped(self, events["random-graphs-01"])
        self.assertEqual(events["small-graph-1"]["status"], "ok")

    def test_an_answer_that_takes_sigint_is_killed_and_the_next_test_runs(self):
        grab = "process.on('SIGINT', () => {});"
        events = run_tests(SPIN_ON_LARGE % grab, {"random-graphs-01", "small-graph-1", "small-graph-2"})
        assert_spin_stopped(self, events["random-graphs-01"])
        self.assertEqual(events["small-graph-1"]["status"], "ok")
        self.assertEqual(events["small-graph-2"]["status"], "ok")


class TscLite(unittest.TestCase):
    def test_lite_declarations_are_generated_from_the_installed_types(self):
        r = subprocess.run(["node", os.path.join(TOOLS, "gen_node_lite.js"), "--check"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_reported_diagnostics_equal_the_full_pass_on_odd_answers(self):
        cases = sorted(os.path.join(TOOLS, "tsc_cases", f) for f in os.listdir(os.path.join(TOOLS, "tsc_cases")))
        r = subprocess.run(["node", os.path.join(TOOLS, "compare_tsc_types.js"), *cases],
                           capture_output=True, text=True, cwd=TASK_DIR)
        self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr)
        last = r.stdout.strip().splitlines()[-1]
        self.assertIn(f"{len(cases)} answers, 0 differ", last)
        # Both passes are exercised: some odd answers stay lite, most go to node.
        self.assertNotIn("from the lite pass: 0,", last)
        self.assertNotIn("from the node pass: 0", last)


if __name__ == "__main__":
    unittest.main()
