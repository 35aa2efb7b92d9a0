"""Unit tests of the observer (harness side, stdlib unittest): the bounded
wire, ScenarioObserver on hand-made runner messages, and ScenarioRun against
fake runners that behave as a fully compromised runner could (forge, spam,
send huge or deep lines, stop reading, exit, hang).

  python3 -m unittest discover -s graders/race_js/tests -p 'test_*.py'
"""

import os
import sys
import tempfile
import time
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)
sys.path.insert(0, os.path.join(os.path.dirname(PACK), "_python"))  # gb_wire
import race_harness as harness  # noqa: E402
import gb_wire  # noqa: E402
from race_observer import LIMITS, ScenarioObserver  # noqa: E402

SPEC = {"scenario": "ok-120ms", "response": {"delay_ms": 120, "status": 200, "body": '{"id": 7}'}}
FETCH = {"op": "fetch", "url": "/api/data", "method": "GET", "aborted": False}


def kinds(obs):
    return [e["kind"] for e in obs.trace()["events"]]


class HarnessTest(unittest.TestCase):
    def test_missing_names(self):
        self.assertEqual(harness.missing_name("fetchData is not defined"), "fetchData")
        self.assertEqual(harness.missing_name("$el is not defined"), "$el")
        for other in ["a.b is not defined", "x is not defined yet", "1x is not defined", None]:
            self.assertIsNone(harness.missing_name(other))


class ObserverTest(unittest.TestCase):
    def test_calls_are_stamped_with_the_observers_time_and_data_comes_when_due(self):
        obs = ScenarioObserver(SPEC, "cjs")
        self.assertEqual(obs.handle(FETCH), {"op": "fetch-reply", "id": 1})  # queued: no data yet
        step = obs.handle({"op": "idle"})
        self.assertEqual((step["op"], step["now"], step["response"]["body"]), ("step", 120, '{"id": 7}'))
        obs.handle({"op": "body", "index": 1, "how": "json"})
        obs.handle({"op": "console", "method": "log", "args": [{"id": 7}], "t": 0})  # a runner's "t" is ignored
        self.assertEqual(kinds(obs), ["fetch", "response", "body", "console"])
        self.assertEqual([e["t"] for e in obs.trace()["events"]], [0, 120, 120, 120])

    def test_a_body_is_json_only_as_json_parse_reads_it(self):
        obs = ScenarioObserver({"response": {"delay_ms": 1, "body": "NaN"}}, "cjs")
        obs.handle(FETCH)
        obs.handle({"op": "idle"})
        obs.handle({"op": "body", "index": 1, "how": "json"})
        self.assertEqual(obs.trace()["events"][-1]["ok"], False)

    def test_body_reads_count_only_for_delivered_responses(self):
        obs = ScenarioObserver({"response": {"delay_ms": 10, "body": "<html>"}}, "cjs")
        obs.handle(FETCH)
        obs.handle({"op": "body", "index": 1, "how": "json"})  # before delivery
        obs.handle({"op": "body", "index": 9, "how": "json"})  # no such fetch
        obs.handle({"op": "idle"})
        obs.handle({"op": "body", "index": 1, "how": "json", "ok": True})  # "ok" is the observer's call
        bodies = [(e["t"], e["ok"]) for e in obs.trace()["events"] if e["kind"] == "body"]
        self.assertEqual(bodies, [(10, False)])

    def test_same_tick_and_abort(self):
        same = ScenarioObserver({"response": {"timing": "resolved", "body": "1"}}, "cjs")
        reply = same.handle(FETCH)
        self.assertEqual((reply["id"], reply["response"]["body"]), (0, "1"))
        aborted = ScenarioObserver(SPEC, "cjs")
        entry = aborted.handle(FETCH)["id"]
        aborted.handle({"op": "abort", "id": entry})
        self.assertEqual(aborted.handle({"op": "idle"}), {"op": "finish"})
        self.assertEqual([e.get("outcome") for e in aborted.trace()["events"]], [None, "aborted"])

    def test_timers_run_in_virtual_time_order(self):
        obs = ScenarioObserver(SPEC, "cjs")
        obs.handle({"op": "schedule", "kind": "timeout", "delay": 500})  # id 1
        obs.handle(FETCH)  # id 2, due 120
        obs.handle({"op": "schedule", "kind": "immediate"})  # id 3, due 0
        order = []
        command = obs.handle({"op": "idle"})
        while command["op"] == "step":
            order.append((command["id"], command["now"]))
            command = obs.handle({"op": "idle"})
        self.assertEqual(order, [(3, 0), (2, 120), (1, 500)])

    def test_how_a_scenario_ends(self):
        crash = ScenarioObserver(SPEC, "cjs")
        crash.handle({"op": "rejection", "reason": "x", "handled_by_listener": False})
        self.assertEqual(crash.trace()["end"]["reason"], "crash")
        self.assertEqual(crash.handle({"op": "idle"}), {"op": "end"})
        idle = ScenarioObserver(SPEC, "esm")
        idle.handle({"op": "exit-code", "code": 3})
        self.assertEqual([idle.handle({"op": "idle"})["op"] for _ in range(3)], ["probe", "finish", "end"])
        self.assertEqual(idle.trace()["end"], {"reason": "idle", "t": 0, "exit_code": 3})
        capped = ScenarioObserver(SPEC, "cjs")
        capped.handle({"op": "schedule", "kind": "timeout", "delay": LIMITS["virtual_cap_ms"] + 1})
        capped.handle({"op": "idle"})
        self.assertEqual(capped.trace()["end"]["reason"], "virtual-cap")

    def test_wrong_shapes_are_protocol_violations(self):
        for bad in [None, [], "x", {"op": 1}, {"op": "nope"}, {"op": "console", "method": "log", "args": "x"},
                    {"op": "console", "method": "constructor", "args": []}, {"op": "stop", "reason": "idle"},
                    {"op": "schedule", "kind": "fetch"}, {"op": "__init__"},
                    {"event": "test", "id": "logs-data-1", "status": "ok"}]:
            obs = ScenarioObserver(SPEC, "cjs")
            self.assertEqual(obs.handle(bad), {"op": "end"}, bad)
            self.assertEqual(obs.trace()["end"]["reason"], "protocol")
            self.assertIsNone(obs.handle({"op": "console", "method": "log", "args": [1]}))  # over: ignored

    def test_the_trace_stays_bounded(self):
        obs = ScenarioObserver(SPEC, "cjs")
        for _ in range(LIMITS["max_events"] + 50):
            obs.handle({"op": "console", "method": "log", "args": ["x"]})
        self.assertEqual((len(obs.trace()["events"]), obs.trace()["dropped"]), (LIMITS["max_events"], 50))
        counted = ScenarioObserver(SPEC, "cjs")
        counted.handle({"op": "dropped", "count": 7})
        counted.handle({"op": "dropped", "count": -7})  # only ever adds
        self.assertEqual(counted.trace()["dropped"], 7)
        flood = ScenarioObserver(SPEC, "cjs")
        replies = [flood.handle({"op": "exit-code", "code": 0}) for _ in range(LIMITS["max_messages"] + 1)]
        self.assertEqual(replies[-1], {"op": "end"})
        self.assertEqual(flood.trace()["end"]["reason"], "protocol")


# ---- fake runners: what a runner fully under the answer's control could do ----
PRELUDE = ("const fs = require('fs'); const say = (m) => fs.writeSync(1, JSON.stringify(m) + '\\n');\n"
           "say({ op: 'load', ok: true, kind: 'cjs', imports: [] }); const buf = Buffer.alloc(65536);"
           " fs.readSync(0, buf);\n")
LIMITS_1M = gb_wire.Limits()


def fake_run(body, time_limit_ms=100):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "runner.js")
        with open(path, "w") as f:
            f.write(PRELUDE + body)
        runner, report = harness.start_runner("/dev/null", LIMITS_1M, path)
        assert runner is not None and report["op"] == "load"
        scenario = harness.ScenarioRun(runner, SPEC, "cjs", time_limit_ms)
        trace, status, cpu_ms = scenario.run()
        runner.kill()
        return trace, status, cpu_ms, scenario.usable


class FakeRunnerTest(unittest.TestCase):
    def test_forged_channel_events_are_a_protocol_violation(self):
        trace, _, _, usable = fake_run("say({ event: 'test', id: 'logs-data-1', status: 'ok', value: {} });"
                                       " setInterval(() => {}, 1000);")
        self.assertEqual((trace["end"]["reason"], usable), ("protocol", False))

    def test_data_it_was_never_handed_gets_nothing(self):
        trace, *_ = fake_run("say({ op: 'console', method: 'log', args: [{ id: 7 }] }); say({ op: 'idle' });"
                             " fs.readSync(0, buf);")
        self.assertEqual([(e["kind"], e["t"]) for e in trace["events"]], [("console", 0)])

    def test_huge_and_deep_lines(self):
        trace, status, *_ = fake_run("fs.writeSync(1, 'x'.repeat(2 << 20) + '\\n'); setInterval(() => {}, 1000);")
        self.assertEqual((status, trace["end"]["reason"]), ("output-limit", "protocol"))
        trace, status, *_ = fake_run("fs.writeSync(1, '['.repeat(5000) + ']'.repeat(5000) + '\\n');"
                                     " setInterval(() => {}, 1000);")
        self.assertEqual((status, trace["end"]["reason"]), ("ok", "protocol"))
        self.assertIn("nested deeper", trace["end"]["detail"])

    def test_spam_ends_at_the_message_cap(self):
        trace, *_ = fake_run("const chunk = (JSON.stringify({ op: 'exit-code', code: 0 }) + '\\n').repeat(1000);"
                             " try { for (let i = 0; i < 1000; i++) fs.writeSync(1, chunk); } catch (_) {}"
                             " setInterval(() => {}, 1000);", time_limit_ms=2000)
        self.assertEqual(trace["end"]["reason"], "protocol")
        self.assertIn("messages", trace["end"]["detail"])

    def test_a_flood_of_large_lines_ends_at_the_byte_budget(self):
        trace, status, *_ = fake_run("const line = JSON.stringify({ op: 'output', stream: 'stdout', text: 'x'.repeat(900000) }) + '\\n';"
                                     " try { for (let i = 0; i < 40; i++) fs.writeSync(1, line); } catch (_) {}"
                                     " setInterval(() => {}, 1000);", time_limit_ms=2000)
        self.assertEqual((status, trace["end"]["reason"]), ("output-limit", "protocol"))

    def test_a_runner_that_stops_reading_cannot_block_the_observer(self):
        trace, *_ = fake_run("const m = JSON.stringify({ op: 'fetch', url: '/api/data', method: 'GET' }) + '\\n';"
                             " for (let i = 0; i < 5000; i++) fs.writeSync(1, m); setInterval(() => {}, 1000);",
                             time_limit_ms=2000)
        self.assertEqual(trace["end"]["reason"], "protocol")

    def test_exit_and_hangs_never_complete(self):
        self.assertEqual(fake_run("process.exit(0);")[0]["end"]["reason"], "runner-exit")
        trace, _, cpu_ms, _ = fake_run("for (;;) {}", time_limit_ms=50)
        self.assertEqual(trace["end"]["reason"], "timeout")
        self.assertGreater(cpu_ms, 50)  # counted by the observer, from /proc
        self.assertEqual(fake_run("setInterval(() => {}, 1000);", time_limit_ms=50)[0]["end"]["reason"], "timeout")


if __name__ == "__main__":
    unittest.main()
