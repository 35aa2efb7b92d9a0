"""Unit tests of the pack's trusted logic (no server needed): check.py, the
prober's pure helpers, and the observer side (tests/test_observer.py):

    python3 -I graders/users_express/tests/test_trusted.py
"""

import json
import os
import subprocess
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)

import probe_shape as shape  # noqa: E402
from probe_checks import size_for  # noqa: E402
from probe_http import MAX_BODY, MAX_DEPTH, _parse, bounded_json  # noqa: E402

TESTS = [{"id": "lists-users-1", "category": "lists-users"}, {"id": "total-count-1", "category": "total-count"}]


def run_check(request):
    out = subprocess.run([sys.executable, "-I", os.path.join(PACK, "check.py")], input=json.dumps(request),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def probe_with(statuses, route="/users"):
    return {"reachable": True, "discovery": {"route": route}, "server": "up",
            "results": [{"id": i, "status": s, "detail": "d"} for i, s in statuses.items()]}


class ShapeTest(unittest.TestCase):
    def test_array_found_top_level_and_nested(self):
        self.assertEqual(shape.find_array([{"id": 1}]), ())
        self.assertEqual(shape.find_array({"meta": {}, "data": [{"id": 1}]}), ("data",))
        self.assertEqual(shape.find_array({"data": {"users": [{"id": 1}], "page": 1}}), ("data", "users"))
        self.assertIsNone(shape.find_array({"data": [1, 2]}))

    def test_total_prefers_total_names_and_skips_booleans(self):
        body = {"count": 2, "pagination": {"totalItems": 9, "hasNext": True}}
        self.assertEqual(shape.total_candidates(body), [(("pagination", "totalItems"), 9), (("count",), 2)])

    def test_id_key_must_be_unique(self):
        self.assertEqual(shape.choose_id_key([{"id": 1, "email": "a"}, {"id": 1, "email": "b"}]), "email")

    def test_size_for_leaves_a_partial_last_page(self):
        self.assertEqual(size_for(50, 5), 9)
        self.assertEqual(size_for(47, 5), 10)


class CheckTest(unittest.TestCase):
    def base(self, observations, probe):
        return {"answer": "", "tests": TESTS, "observations": observations, "untrusted": [], "problems": [],
                "outcome": {}, "probe": probe}

    def test_probe_results_are_the_verdicts(self):
        events = [{"event": "start"}, {"event": "load", "ok": True}, {"event": "listening"}]
        reply = run_check(self.base(events, probe_with({"lists-users-1": "pass", "total-count-1": "fail"})))
        self.assertEqual([r["status"] for r in reply["results"]], ["pass", "fail"])

    def test_forged_channel_fails_everything(self):
        events = [{"event": "start"}, {"event": "load", "ok": True}, {"event": "load", "ok": True}]
        reply = run_check(self.base(events, probe_with({"lists-users-1": "pass", "total-count-1": "pass"})))
        self.assertEqual({r["status"] for r in reply["results"]}, {"fail"})
        self.assertIn("channel_forged", reply["extra"])

    def test_missing_probe_result_fails(self):
        reply = run_check(self.base([{"event": "start"}], probe_with({"lists-users-1": "pass"})))
        self.assertEqual(reply["results"][1]["status"], "fail")

    def test_unsupported_claim_needs_the_package_in_the_answer(self):
        events = [{"event": "start"}, {"event": "load", "ok": False, "unsupported": "needs a MongoDB server (mongoose)"}]
        request = self.base(events, {"reachable": False, "results": []})
        request["answer"] = "const express = require('express');"
        self.assertEqual(run_check(request)["extra"].get("verdict_override"), "graded")
        request["answer"] = "const mongoose = require('mongoose');"
        self.assertNotIn("verdict_override", run_check(request)["extra"])

    def test_a_package_named_only_in_a_comment_is_not_imported(self):
        events = [{"event": "start"}, {"event": "load", "ok": False, "unsupported": "needs a MongoDB server (mongoose)"}]
        request = self.base(events, {"reachable": False, "results": []})
        request["answer"] = "// const mongoose = require('mongoose');\n/* require('mongoose') */ const u = 'http://x';"
        self.assertEqual(run_check(request)["extra"].get("verdict_override"), "graded")


def nested(levels, leaf=0):
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


class LimitsTest(unittest.TestCase):
    """Bytes the answer's server sent, and events its runner caused, at the
    declared limits: refused with the limit named or judged, never a crash."""

    def test_a_body_just_within_and_just_past_the_depth_limit(self):
        self.assertEqual(bounded_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH), nested(MAX_DEPTH - 1, []))
        for raw in (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), b"[" * 5000, b"[" * 10**6 + b"]" * 10**6):
            with self.assertRaisesRegex(ValueError, f"nested deeper than the {MAX_DEPTH}-level limit"):
                bounded_json(raw)

    def test_a_refused_body_names_its_limit_in_the_detail(self):
        self.assertEqual(_parse(200, b"[" * 5000, 1.0).describe(),
                         f"HTTP 200 refused body (nested deeper than the {MAX_DEPTH}-level limit)")
        self.assertEqual(_parse(200, b"<html>", 1.0).describe(), "HTTP 200 non-JSON")

    def test_a_body_just_within_and_just_past_the_size_limit(self):
        body = b'"' + b"x" * (MAX_BODY - 2) + b'"'
        self.assertEqual(len(bounded_json(body)), MAX_BODY - 2)
        with self.assertRaisesRegex(ValueError, f"over the {MAX_BODY}-byte limit"):
            bounded_json(body + b" ")

    def test_a_body_that_does_not_parse(self):
        for raw in (b"[1,", b"\xff", b"NaN x", b"", b"[NaN]", b'{"a": -Infinity}'):
            with self.assertRaises(ValueError):
                bounded_json(raw)

    def test_check_keeps_deep_answer_errors_out_of_its_reply(self):
        sys.setrecursionlimit(20000)  # to encode the request
        deep = nested(1990)
        events = [{"event": "start"}, {"event": "load", "ok": True, "errors": [{"type": "E", "message": deep}]},
                  {"event": "answer_error", "error": {"type": "E", "message": deep}}]
        request = CheckTest.base(None, events, probe_with({"lists-users-1": "fail", "total-count-1": "fail"}))
        request["probe"]["reachable"] = False
        reply = run_check(request)
        self.assertEqual([r["status"] for r in reply["results"]], ["fail", "fail"])
        self.assertLess(len(json.dumps(reply)), 20000)


# The observer side's tests live in test_observer.py; running this file runs them too.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_observer import *  # noqa: E402,F401,F403


if __name__ == "__main__":
    unittest.main()
