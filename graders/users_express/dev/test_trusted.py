"""Unit tests of the pack's trusted logic (no server needed): check.py, the
prober's pure helpers, and (through node) the observer side, dev/test_observer.js:

    python3 -I graders/users_express/dev/test_trusted.py
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

PACK = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACK)

import probe_shape as shape  # noqa: E402
from probe_checks import size_for  # noqa: E402

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


class ObserverTest(unittest.TestCase):
    def test_observer_side(self):
        env = {"PATH": "/usr/bin:/bin", "NODE_PATH": os.path.join(os.path.dirname(PACK), "_node", "node_modules")}
        out = subprocess.run(["node", os.path.join(PACK, "dev", "test_observer.js")], capture_output=True, text=True,
                             env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout[-3000:] + out.stderr[-2000:])


INSTALLED_GUARD = "/opt/gradebox/lib/observer_guard.so"
NOBODY = 65534


def guard_library(tmp):
    """The installed observer guard, else one built from sandbox/observer_guard.c, else None."""
    if os.path.exists(INSTALLED_GUARD):
        return INSTALLED_GUARD
    src = os.path.join(os.path.dirname(os.path.dirname(PACK)), "sandbox", "observer_guard.c")
    out = os.path.join(tmp, "observer_guard.so")
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc or not os.path.exists(src):
        return None
    built = subprocess.run([cc, "-shared", "-fPIC", "-O2", "-o", out, src], capture_output=True)
    return out if built.returncode == 0 else None


def harness_as_nobody(tmp, answer_md, guard):
    """Runs harness.js (the observer) as uid 65534 on the answer's code, like in
    the box but without the sandbox; returns (channel events, stderr)."""
    code = re.search(r"```javascript\n(.*?)```", answer_md, re.S).group(1)
    box = tempfile.mkdtemp(dir=tmp)
    os.makedirs(os.path.join(box, "answer"))
    with open(os.path.join(box, "answer", "answer.js"), "w") as f:
        f.write(code)
    options = {"port": random.randint(20000, 40000), "listen_grace_ms": 150, "work_dir": box}
    with open(os.path.join(box, "inputs.json"), "w") as f:
        json.dump({"answer": os.path.join(box, "answer", "answer.js"), "files": [], "tests": [], "options": options}, f)
    os.chmod(box, 0o777)
    env = {"PATH": "/usr/bin:/bin", "NODE_PATH": os.path.join(os.path.dirname(PACK), "_node", "node_modules")}
    if guard:
        env["LD_PRELOAD"] = guard
    read, write = os.pipe()

    def drop():  # in the child: the channel's write end becomes fd 3, then uid 65534
        os.dup2(write, 3)
        os.close(write)
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    try:
        proc = subprocess.Popen(["node", os.path.join(PACK, "harness.js"), os.path.join(box, "inputs.json")], env=env,
                                pass_fds=(3,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=drop)
    finally:
        os.close(write)
    with os.fdopen(read) as channel:
        lines = channel.read()
    _, err = proc.communicate(timeout=30)
    return [json.loads(line) for line in lines.splitlines()], err.decode(errors="replace")


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("node"), "needs root (to run the harness as uid 65534) and node")
class GuardedObserverTest(unittest.TestCase):
    """selftest/hostile_parent_mem.md patches the observer's claim check through
    /proc/<ppid>/mem: the observer guard must close that, and the test shows
    it would work without the guard (so the test can fail)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="gb-ux-guard-")
        os.chmod(cls.tmp, 0o755)
        cls.guard = guard_library(cls.tmp)
        with open(os.path.join(PACK, "selftest", "hostile_parent_mem.md")) as f:
            cls.answer = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def load_of(self, events):
        loads = [e for e in events if e.get("event") == "load"]
        self.assertEqual(len(loads), 1, events)
        return loads[0]

    def test_guarded_observer_is_closed_to_the_runner(self):
        if not self.guard:
            self.skipTest("no observer guard and no C compiler")
        events, err = harness_as_nobody(self.tmp, self.answer, self.guard)
        load = self.load_of(events)
        self.assertNotIn("unsupported", load)
        self.assertIn("never imports", load["report"].get("claim_refused", ""))
        self.assertIn("parent memory: EACCES", err)

    def test_unguarded_observer_is_open_to_the_runner(self):
        events, err = harness_as_nobody(self.tmp, self.answer, None)
        self.assertIn("patched", err)
        self.assertIn("unsupported", self.load_of(events))


if __name__ == "__main__":
    unittest.main()
