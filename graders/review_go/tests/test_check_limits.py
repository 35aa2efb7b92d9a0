"""check.py at its limits: the load event's values come from the Go
harness's view of the answer (e.g. a compile error's text), and reach
check.py nested up to the channel's 2000 levels; it judges them and keeps
its reply small, never a RecursionError (grader-error).

    python3 -I graders/review_go/tests/test_check_limits.py
"""
import json
import os
import subprocess
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = json.load(open(os.path.join(PACK, "tests.json")))["tests"]
sys.setrecursionlimit(20000)  # to encode the requests below


def nested(levels, leaf=0):
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def check(load):
    request = {"answer": "", "tests": TESTS, "observations": [{"event": "start"}, load], "outcome": {}, "probe": {}}
    return subprocess.run([sys.executable, "-I", "-S", os.path.join(PACK, "check.py")], input=json.dumps(request),
                          capture_output=True, text=True)


class CheckLimitsTest(unittest.TestCase):
    def test_a_load_event_nested_to_the_channel_limit_is_judged(self):
        proc = check({"event": "load", "ok": False, "compile_error": nested(1990), "report": {"x": nested(1990)}})
        self.assertEqual(proc.returncode, 0, proc.stderr[-300:])
        reply = json.loads(proc.stdout)
        self.assertEqual({r["status"] for r in reply["results"] if not r["id"].startswith("finds-")}, {"fail"})
        self.assertLess(len(proc.stdout), 20000)

    def test_a_request_past_what_gradebox_lets_through_is_a_grader_error(self):
        self.assertNotEqual(check({"event": "load", "ok": True, "report": nested(2100)}).returncode, 0)


if __name__ == "__main__":
    unittest.main()
