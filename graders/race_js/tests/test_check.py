"""Unit tests of check.py's judging on hand-made traces (stdlib unittest);
the observer's own tests are in test_observer.py.

  python3 -m unittest discover -s graders/race_js/tests -p 'test_*.py'
"""

import json
import os
import subprocess
import sys
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)
import check  # noqa: E402

PAYLOAD = {"id": 7, "ok": True, "tags": ["a"]}


def trace(*events, end="idle", exit_code=0):
    return {"scenario": "s", "events": [dict(e, t=e.get("t", 0)) for e in events],
            "end": {"reason": end, "t": 0, "exit_code": exit_code}, "dropped": 0}


FETCH = {"kind": "fetch", "index": 1, "url": "/api/data"}
ARRIVE = {"kind": "response", "index": 1, "outcome": "ok", "status": 200, "t": 1500}
BODY = {"kind": "body", "index": 1, "how": "json", "ok": True, "t": 1500}


def log(*args, t=1500, method="log"):
    return {"kind": "console", "method": method, "args": list(args), "t": t}


class ValueTest(unittest.TestCase):
    def test_types_are_strict(self):
        self.assertTrue(check.same({"id": 7, "ok": True, "tags": ["a"]}, PAYLOAD))
        self.assertFalse(check.same({"id": 7, "ok": 1, "tags": ["a"]}, PAYLOAD))
        self.assertFalse(check.same({"id": "7", "ok": True, "tags": ["a"]}, PAYLOAD))
        self.assertFalse(check.same({"id": 7, "ok": True, "tags": ["a"], "x": None}, PAYLOAD))

    def test_tagged_values_never_equal_plain_data(self):
        self.assertFalse(check.same({"$gb": "instance", "class": "Object", "props": PAYLOAD}, PAYLOAD))
        self.assertTrue(check.same({"$gb": "object", "entries": {"$gb": 1}}, {"$gb": 1}))

    def test_json_text_counts_as_the_data(self):
        self.assertTrue(check.holds('Data: {"id":7,"ok":true,"tags":["a"]}', PAYLOAD))
        self.assertFalse(check.holds('Data: {"id":7,"ok":true}', PAYLOAD))

    def test_placeholders(self):
        self.assertTrue(check.is_placeholder(None))
        self.assertTrue(check.is_placeholder({"$gb": "undefined"}))
        self.assertTrue(check.is_placeholder({"$gb": "promise"}))
        self.assertTrue(check.is_placeholder("Data: null"))
        self.assertFalse(check.is_placeholder("Loading..."))


class CategoryTest(unittest.TestCase):
    def test_slow_response_needs_a_prompt_log(self):
        expect = {"payload": PAYLOAD}
        self.assertTrue(check.slow_response(trace(FETCH, ARRIVE, BODY, log(PAYLOAD)), expect)[0])
        late = trace(FETCH, ARRIVE, BODY, log(PAYLOAD, t=2000))
        self.assertFalse(check.slow_response(late, expect)[0])

    def test_null_before_the_body_is_premature(self):
        early = trace(log(None, t=0), FETCH, ARRIVE, BODY, log(PAYLOAD))
        self.assertFalse(check.no_premature_log(early, {})[0])
        self.assertTrue(check.no_premature_log(trace(FETCH, ARRIVE, BODY, log(PAYLOAD)), {})[0])

    def test_unhandled_rejection_fails_network_error_even_if_reported(self):
        crash = trace(FETCH, log("failed", method="error"), {"kind": "unhandled-rejection", "reason": None},
                      end="crash", exit_code=1)
        self.assertFalse(check.network_error(crash, {})[0])
        self.assertTrue(check.network_error(trace(FETCH, log("failed", method="error")), {})[0])

    def test_error_body_logged_as_data_fails_http_error(self):
        body = {"error": "boom"}
        logged = trace(FETCH, log(body), log("HTTP 500", method="error"))
        self.assertFalse(check.http_error(logged, {"error_body": body})[0])
        reported = trace(FETCH, log("Request failed:", body))
        self.assertTrue(check.http_error(reported, {"error_body": body})[0])

    def test_data_logged_before_its_delivery_does_not_count(self):
        # the runner could know the payload only from outside fetch (e.g. the inputs file)
        expect = {"payload": PAYLOAD}
        early = trace(log(PAYLOAD, t=0), FETCH, ARRIVE, BODY)
        self.assertFalse(check.logs_data(early, expect)[0])
        self.assertFalse(check.exactly_once(early, expect)[0])
        self.assertFalse(check.logs_data(trace(FETCH, log(PAYLOAD)), expect)[0])
        self.assertTrue(check.logs_data(trace(FETCH, ARRIVE, BODY, log(PAYLOAD)), expect)[0])

    def test_completes_needs_the_work_done(self):
        self.assertFalse(check.completes(trace(), {"exit_code": 0})[0])
        self.assertTrue(check.completes(trace(FETCH), {"exit_code": 0})[0])
        self.assertFalse(check.completes(trace(FETCH, end="virtual-cap", exit_code=None), {"exit_code": 0})[0])


class ProtocolTest(unittest.TestCase):
    def run_check(self, observations, outcome=None):
        tests = [{"id": "logs-data-1", "category": "logs-data", "expect": {"payload": PAYLOAD}}]
        stdin = json.dumps({"tests": tests, "observations": observations, "outcome": outcome or {}})
        out = subprocess.run([sys.executable, "-I", os.path.join(PACK, "check.py")], input=stdin,
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)["results"][0]

    # A test reported twice, or never (with the run's limit), is judged by
    # gradebox before check.py runs: tests/unit/script_checker_test.cc.

    def test_a_good_trace_passes(self):
        good = {"event": "test", "id": "logs-data-1", "status": "ok", "value": trace(FETCH, ARRIVE, BODY, log(PAYLOAD))}
        self.assertEqual(self.run_check([good])["status"], "pass")

    def test_malformed_trace_fails(self):
        bad = {"event": "test", "id": "logs-data-1", "status": "ok", "value": {"events": "x"}}
        self.assertEqual(self.run_check([bad])["status"], "fail")


def nested(levels, leaf=0):
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


class LimitsTest(unittest.TestCase):
    """What the answer logged reaches check.py nested up to the channel's
    2000 levels (console arguments are data): a fail, never a grader-error."""

    run_check = ProtocolTest.run_check

    def run_trace(self, *events):
        sys.setrecursionlimit(20000)  # to encode the request
        obs = {"event": "test", "id": "logs-data-1", "status": "ok", "value": trace(FETCH, ARRIVE, BODY, *events)}
        return self.run_check([obs])

    def test_an_argument_nested_to_the_channel_limit_fails(self):
        result = self.run_trace(log(nested(1990)))
        self.assertEqual(result["status"], "fail")
        self.assertLess(len(result["detail"]), 1000)

    def test_a_string_of_brackets_is_not_parsed_past_the_limit(self):
        for text in ("[" * 5000, "[" * 2001 + "]" * 2001, "x" + "{\"a\":" * 3000):
            self.assertEqual(self.run_trace(log(text))["status"], "fail")

    def test_json_inside_a_string_still_counts_within_the_limits(self):
        self.assertEqual(self.run_trace(log("data: " + json.dumps(PAYLOAD)))["status"], "pass")
        self.assertEqual(self.run_trace(log("[[" + json.dumps({"wrap": [PAYLOAD]})))["status"], "pass")
        self.assertTrue(check.json_inside("[" * 1990 + json.dumps(PAYLOAD) + "]" * 1990, PAYLOAD))
        self.assertFalse(check.json_inside("[" * 2001 + json.dumps(PAYLOAD) + "]" * 2001, PAYLOAD))

    def test_json_is_looked_for_only_in_a_string_s_first_64_kib(self):
        head = " " * (check.JSON_TEXT_LIMIT - 100)
        self.assertTrue(check.json_inside(head + json.dumps(PAYLOAD), PAYLOAD))
        self.assertFalse(check.json_inside(head + " " * 100 + json.dumps(PAYLOAD), PAYLOAD))


if __name__ == "__main__":
    unittest.main()
