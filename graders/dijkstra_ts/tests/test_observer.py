#!/usr/bin/env python3
"""The harness is an observer the runner (answer) cannot reach (no sandbox:
the harness runs as uid 65534 under the observer guard, like in the box).

- Guarded, the runner cannot open the harness's /proc/<pid>/mem or fd/3 and
  holds no descriptor of the channel; unguarded it can (so the test can fail).
- Times are the observer's: a reply forged on the runner's pipe (cpu_ms 1,
  a "disarm") changes nothing, the test still stops at its CPU limit.
- Replies over the line cap or nested past the depth limit are that test's
  output-limit; the harness still ends with done and exit 0.

  cd graders/dijkstra_ts/tests && python3 -m unittest test_observer
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TASK_DIR = os.path.dirname(TESTS)
ROOT = os.path.dirname(os.path.dirname(TASK_DIR))
sys.path.insert(0, TESTS)
import harness_box  # noqa: E402

NOBODY = 65534
LIMIT_MS = 1000
INSTALLED_GUARD = "/opt/gradebox/lib/observer_guard.so"

# Correct on every graph; `%s` runs first in each call, `%%s` at load.
CORRECT = """
import * as fs from "fs";
%s
export function dijkstra(graph: Map<number, [number, number][]>, source: number): Map<number, number> {
  %s
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

PROBE_PARENT = """
const seen: Record<string, string> = {};
const attempt = (name: string, f: () => unknown) => { try { f(); seen[name] = "opened"; } catch (e: any) { seen[name] = String(e.code); } };
attempt("mem", () => fs.openSync("/proc/" + process.ppid + "/mem", "r+"));
attempt("fd/3", () => fs.openSync("/proc/" + process.ppid + "/fd/3", "a"));
seen.own_fds = fs.readdirSync("/proc/self/fd").map((f) => { try { return fs.readlinkSync("/proc/self/fd/" + f); } catch { return "?"; } }).join(" ");
console.log("PROBE " + JSON.stringify(seen));
"""

# On random-graphs-01 (38 nodes): a "disarm" and a forged reply for the
# next test on the runner's pipe, then spin (random-graphs-02 spins too).
FORGE_AND_SPIN = """
if (graph.size === 38) {
  fs.writeSync(4, JSON.stringify({ t: "disarm" }) + "\\n");
  fs.writeSync(4, JSON.stringify({ t: "test", id: "random-graphs-02", status: "ok", value: { dist: [] }, cpu_ms: 1 }) + "\\n");
}
if (graph.size > 8) for (;;) {}
"""

# A line nested 10^6 deep in random-graphs-01 (38 nodes), one of 2 MiB in
# random-graphs-02 (52 nodes): past the depth limit and the line cap.
FLOOD = """
if (graph.size === 38) fs.writeSync(4, "[".repeat(1000000) + "\\n");
if (graph.size === 52) fs.writeSync(4, '{"t":"test","pad":"' + "x".repeat(2 << 20) + '"}\\n');
"""


# On random-graphs-01 (38 nodes): start a Worker that keeps computing, and
# return once it has worked for 50 ms.
BUSY_WORKER = """
if (graph.size === 38) {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const code = "const { workerData } = require('worker_threads'); Atomics.store(workerData, 0, 1); Atomics.notify(workerData, 0); for (;;) {}";
  new (require("worker_threads").Worker)(code, { eval: true, workerData: flag });
  Atomics.wait(flag, 0, 0, 5000);
  Atomics.wait(flag, 0, 1, 50);
}
"""


def open_standard_fds():
    """ctest may start the test with fd 0 closed: the observation file opened
    next would become fd 0 and be replaced by the child's stdin."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open("/dev/null", os.O_RDWR)


open_standard_fds()


def guard_library(tmp):
    """The installed guard, else one built from sandbox/observer_guard.c, else None."""
    if os.path.exists(INSTALLED_GUARD):
        return INSTALLED_GUARD
    out = os.path.join(tmp, "observer_guard.so")
    src = os.path.join(ROOT, "sandbox", "observer_guard.c")
    r = subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", out, src], capture_output=True)
    return out if r.returncode == 0 else None


def run_as_nobody(answer, ids, guard):
    """(test events by id, done seen, exit code, stdout) of the harness run as uid 65534."""
    box = harness_box.make_box(answer, ids, LIMIT_MS)
    try:
        path = os.path.join(box, "inputs.json")
        obs_path = os.path.join(box, "obs.jsonl")
        fd = os.open(obs_path, os.O_WRONLY | os.O_CREAT, 0o666)
        os.fchmod(fd, 0o666)  # writable by all: only the guard may refuse fd/3
        subprocess.run(["chmod", "-R", "a+rwX", box], check=True)
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "NODE_ENV": "production",
               "NODE_PATH": harness_box.NODE_PATH}

        def channel_on_fd_3():
            os.dup2(fd, 3)
        # In a PID namespace of its own, as in the box: the observer counts the
        # CPU of every process it can see but itself, so outside one it would
        # charge the host's (ctest's own polling, other tests) to the answer.
        as_nobody_alone = ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
                           "/usr/bin/setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        # The guard goes on the last exec (it unsets LD_PRELOAD where it loads).
        preload = ["/usr/bin/env", "LD_PRELOAD=" + guard] if guard else []
        p = subprocess.run([*as_nobody_alone, *preload, "/usr/bin/node", os.path.join(box, "harness.js"), path], env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, preexec_fn=channel_on_fd_3,
                           # fd 3 is kept too: the child closes every other fd after
                           # channel_on_fd_3, and os.open gave fd > 3 when 3 is taken (ctest).
                           pass_fds=(fd, 3), timeout=120)
        os.close(fd)
        events = [json.loads(line) for line in open(obs_path) if line.strip()]
    finally:
        shutil.rmtree(box, ignore_errors=True)
    tests = {e["id"]: e for e in events if e.get("event") == "test"}
    done = any(e.get("event") == "done" for e in events)
    load = next((e for e in events if e.get("event") == "load"), {})
    notes = (load.get("report") or {}).get("runner_notes") or []
    return tests, done, p.returncode, p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace") + "\n".join(notes)


def probe_report(output):
    line = next(x for x in output.splitlines() if x.startswith("PROBE "))
    return json.loads(line[len("PROBE "):])


@unittest.skipUnless(os.geteuid() == 0, "needs root to run the harness as uid 65534")
class Observer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        os.chmod(cls.tmp, 0o755)
        cls.guard = guard_library(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_guarded_observer_is_closed_to_the_runner(self):
        if not self.guard:
            self.skipTest("no observer guard and no C compiler")
        tests, done, code, out = run_as_nobody(CORRECT % (PROBE_PARENT, ""), {"small-graph-1"}, self.guard)
        seen = probe_report(out)
        self.assertEqual(seen["mem"], "EACCES", seen)
        self.assertEqual(seen["fd/3"], "EACCES", seen)
        self.assertNotIn("obs.jsonl", seen["own_fds"])
        self.assertEqual((code, done, tests["small-graph-1"]["status"]), (0, True, "ok"), out[-2000:])

    def test_unguarded_observer_is_open_to_the_runner(self):
        _, _, _, out = run_as_nobody(CORRECT % (PROBE_PARENT, ""), {"small-graph-1"}, None)
        self.assertEqual(probe_report(out)["mem"], "opened")

    def test_forged_messages_on_the_runner_pipe_change_nothing(self):
        ids = {"small-graph-1", "random-graphs-01", "random-graphs-02"}
        tests, done, code, out = run_as_nobody(CORRECT % ("", FORGE_AND_SPIN), ids, self.guard)
        for tid in ("random-graphs-01", "random-graphs-02"):
            spun = tests[tid]
            self.assertEqual(spun["status"], "timeout", spun)
            if spun.get("reason") == "cpu":
                self.assertGreaterEqual(spun.get("cpu_ms", LIMIT_MS), LIMIT_MS)  # absent: the watch killed the runner
            else:  # both tries starved by a loaded machine: a retried wall stop
                self.assertTrue(spun.get("retried"), spun)
            self.assertNotIn("value", spun)
        self.assertEqual(tests["small-graph-1"]["status"], "ok")
        self.assertEqual((code, done), (0, True), out[-2000:])

    def test_replies_over_the_limits_are_output_limits(self):
        ids = {"small-graph-1", "random-graphs-01", "random-graphs-02"}
        tests, done, code, out = run_as_nobody(CORRECT % ("", FLOOD), ids, self.guard)
        self.assertEqual(tests["random-graphs-01"]["status"], "output-limit", tests["random-graphs-01"])
        self.assertIn("nested deeper", tests["random-graphs-01"]["message"])
        self.assertEqual(tests["random-graphs-02"]["status"], "output-limit", tests["random-graphs-02"])
        self.assertIn("byte cap", tests["random-graphs-02"]["message"])
        self.assertEqual(tests["small-graph-1"]["status"], "ok")
        self.assertEqual((code, done), (0, True), out[-2000:])


    def test_a_thread_working_across_tests_restarts_the_runner(self):
        ids = {"small-graph-1", "random-graphs-01", "random-graphs-02"}
        tests, done, code, out = run_as_nobody(CORRECT % ("", BUSY_WORKER), ids, self.guard)
        self.assertIn("a thread the answer started was working at a test boundary", out)
        self.assertEqual(tests["random-graphs-02"]["status"], "ok", tests)
        self.assertLess(tests["random-graphs-02"]["cpu_ms"], 500, tests)  # not the worker's
        self.assertEqual((code, done), (0, True), out[-2000:])


class ObservedReply(unittest.TestCase):
    def observed(self, reply, cpu_ms, limit):
        with tempfile.TemporaryDirectory() as flat:  # laid out as in the box
            shutil.copy(os.path.join(TASK_DIR, "observe.js"), flat)
            shutil.copy(os.path.join(ROOT, "graders", "_node", "lib", "gb_channel.js"), flat)
            script = ("const { observed } = require(%r); process.stdout.write(JSON.stringify(observed(%s, %s, 5, %s)))"
                      % (os.path.join(flat, "observe.js"), json.dumps(reply), cpu_ms, limit))
            r = subprocess.run(["node", "-e", script], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def test_only_result_fields_cross_and_times_are_ours(self):
        ev = self.observed({"t": "test", "id": "x", "status": "ok", "value": {"dist": [0]}, "cpu_ms": 1,
                            "time_ms": 1, "reason": "cpu", "retried": True}, 120, 1000)
        self.assertEqual(ev, {"status": "ok", "value": {"dist": [0]}, "cpu_ms": 120, "time_ms": 5})

    def test_over_the_limit_is_a_timeout_whatever_the_runner_says(self):
        ev = self.observed({"status": "ok", "value": {"dist": [0]}}, 1010, 1000)
        self.assertEqual((ev["status"], ev["reason"], "value" in ev), ("timeout", "cpu", False))

    def test_a_reply_without_status_is_an_error(self):
        self.assertEqual(self.observed({"value": 1}, 0, 1000)["status"], "error")


if __name__ == "__main__":
    unittest.main()
