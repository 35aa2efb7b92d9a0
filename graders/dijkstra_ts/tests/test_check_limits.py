"""check.py at its limits: whatever the answer's runner returned (it shares a
process with the answer, so every field of its value is the answer's),
check.py judges it a pass or a fail, never an exception (grader-error);
only a request past what gradebox lets through ends it."""

import json
import os
import subprocess
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = {t["id"]: t for t in json.load(open(os.path.join(PACK, "tests.json")))["tests"]}
sys.setrecursionlimit(20000)  # this test encodes values nested 2000 deep
SHAPE = {"mode": "all", "directed": True, "paths": True, "rep": "adjacency"}


def nested(levels, leaf=0):
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def check(test_id, value, shape=SHAPE, **fields):
    """check.py's (exit code, result for the test, extra) on one observation."""
    event = {"event": "test", "id": test_id, "status": "ok", "value": value, "time_ms": 1, **fields}
    request = {"tests": [TESTS[test_id]], "outcome": {"exit_code": 0},
               "observations": [{"event": "load", "ok": True, "report": {"shape": shape}}, event, {"event": "done"}]}
    proc = subprocess.run([sys.executable, "-I", "-S", os.path.join(PACK, "check.py")],
                          input=json.dumps(request), capture_output=True, text=True)
    if proc.returncode != 0:
        return proc.returncode, proc.stderr[-300:], None
    reply = json.loads(proc.stdout)
    return 0, reply["results"][0], reply["extra"]


class CheckLimitsTest(unittest.TestCase):
    def assertFails(self, outcome, detail_part=""):
        code, result, _ = outcome
        self.assertEqual(code, 0, result)
        self.assertEqual(result["status"], "fail")
        self.assertIn(detail_part, result["detail"])
        self.assertLess(len(result["detail"]), 1000)

    def test_distances_nested_to_the_channel_limit_fail(self):
        self.assertFails(check("small-graph-1", {"dist": [nested(1995)] * 6}), "node 0: expected 0, got [[[[")

    def test_a_message_nested_to_the_channel_limit_is_shown_short(self):
        # (A status other than "ok" never reaches check.py: gradebox judges it,
        # tests/unit/script_checker_test.cc.)
        self.assertFails(check("small-graph-1", None, message=nested(1995)), "unusable result")

    def test_distances_that_are_lists_or_objects_fail(self):
        self.assertFails(check("small-graph-1", {"dist": [[1], {"a": 1}, 0, 0, 0, 0]}), "node 0")
        self.assertFails(check("unreachable-1", {"dist": [[1]] * TESTS["unreachable-1"]["input"]["n"]}), "node")

    def test_targets_that_are_not_node_ids_fail(self):
        shape = dict(SHAPE, mode="end")
        for targets in ([[1], 2], [99], [True], ["0"]):
            self.assertFails(check("small-graph-1", {"targets": targets, "dist": [0, 0]}, shape),
                             "no per-node distances")

    def test_paths_through_lists_fail(self):
        test = TESTS["path-consistency-1"]
        dist = test["expect"]["directed"]["dist"]
        paths = [[test["input"]["source"], [1]] for _ in dist]
        self.assertFails(check("path-consistency-1", {"dist": dist, "paths": paths}), "does not lead from the source")
        deep = [[test["input"]["source"], nested(1990)] for _ in dist]
        self.assertFails(check("path-consistency-1", {"dist": dist, "paths": deep}), "does not lead from the source")

    def test_the_extra_keeps_a_deep_load_report_short(self):
        deep_shape = dict(SHAPE, note=nested(1990))
        code, result, extra = check("small-graph-1", {"dist": [0, 7, 9, 20, 26, 11]}, deep_shape)
        self.assertEqual((code, result["status"]), (0, "pass"))
        self.assertLess(len(json.dumps(extra)), 2000)

    def test_a_request_past_the_channel_limit_is_a_grader_error(self):
        code, _, _ = check("small-graph-1", {"dist": [nested(2100)]})
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
