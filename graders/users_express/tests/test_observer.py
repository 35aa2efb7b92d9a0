"""Unit tests of the observer side (harness.py and observer_*.py), no
gradebox: what the runner says is parsed under the limits into plain,
capped fields; a non-graded load verdict is reported only when the observer
can check it; the runner never holds the observer's fd 3; and, run as uid
65534 like in the box, the observer guard closes /proc/<observer>/mem.

    python3 -I graders/users_express/tests/test_observer.py   (test_trusted.py runs these too)
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
sys.path.insert(0, os.path.join(os.path.dirname(PACK), "_python"))  # gb_wire

import gb_wire  # noqa: E402
import observer_claims as claims  # noqa: E402
import observer_runner as runner_mod  # noqa: E402
from observer_spawn import spawn_runner  # noqa: E402

NODE_PATH = os.path.join(os.path.dirname(PACK), "_node", "node_modules")
HAVE_NODE = bool(shutil.which("node"))
ENTRY = "/w/app/answer.js"


def texts(code):
    return {ENTRY: code}


def not_found(pkg):
    return {"type": "Error", "code": "MODULE_NOT_FOUND", "message": f"Cannot find module '{pkg}'"}


class ReportTest(unittest.TestCase):
    def test_a_load_report_becomes_typed_capped_fields(self):
        r = runner_mod.load_report({
            "kind": "load", "usable": "yes", "routes": ["/users", 7, "x" * 500], "all_routes": -3, "reason": "made up",
            "error": {"type": "E", "message": "m" * 5000, "line": "ten", "extra": {"deep": 1}}})
        self.assertFalse(r["usable"])
        self.assertEqual([len(x) for x in r["routes"]], [6, 200])
        self.assertEqual((r["all_routes"], r["reason"]), (0, None))
        self.assertEqual(sorted(r["error"]), ["message", "type"])
        self.assertEqual(len(r["error"]["message"]), 2000)
        self.assertIsNone(runner_mod.load_report({"kind": "test", "ok": True}))
        self.assertIsNone(runner_mod.load_report([1, 2]))


class ClaimsTest(unittest.TestCase):
    def verify(self, error, code, stubs=()):
        claim = claims.classify(error)
        return claims.verify_load_claim(claim, error, texts(code), ENTRY, None, list(stubs))[0]

    def test_missing_package_needs_a_lacking_grader_and_a_real_import(self):
        self.assertIn("unsupported", claims.classify(not_found("mongoose")))
        self.assertTrue(self.verify(not_found("mongoose"), "const m = require('mongoose');"))
        self.assertFalse(self.verify(not_found("mongoose"), "// require('mongoose')\nconst x = 1;"))
        self.assertFalse(self.verify(not_found("morgan"), "require('morgan')", stubs=["morgan"]))
        self.assertTrue(claims.classify(not_found("fastify"))["no_entry"])
        self.assertTrue(self.verify(not_found("fastify"), "import Fastify from 'fastify';"))

    @unittest.skipUnless(HAVE_NODE, "needs node")
    def test_compile_error_needs_a_file_the_observer_cannot_parse(self):
        error = {"type": "SyntaxError", "message": "Unexpected token", "stack": f"{ENTRY}:1\nx\n    at wrapSafe (x)"}
        self.assertIn("compile_error", claims.classify(error))
        self.assertTrue(self.verify(error, "const x = ;"))
        self.assertFalse(self.verify(error, "const x = 1;"))
        self.assertFalse(self.verify(error, "import e from 'express'; export default e;"))
        self.assertFalse(self.verify({**error, "stack": "/etc/passwd:1\nx"}, "const x = ;"))

    def test_no_route_is_refused_when_the_text_registers_one_or_the_port_accepts(self):
        reason = "no Express app with a GET route"
        self.assertFalse(claims.verify_no_route(reason, texts("app.get('/users', h);"), False)[0])
        self.assertFalse(claims.verify_no_route(reason, texts("router.route('/u').get(h);"), False)[0])
        self.assertTrue(claims.verify_no_route(reason, texts("app.post('/u', h); req.get('Authorization');"), False)[0])
        self.assertFalse(claims.verify_no_route(reason, texts("app.post('/u', h);"), True)[0])
        self.assertTrue(claims.verify_no_route("the Express app registers no GET route", texts("x"), True)[0])
        self.assertTrue(claims.verify_no_route(reason, texts("// app.get('/users', h);"), False)[0])


@unittest.skipUnless(HAVE_NODE and os.path.isdir(NODE_PATH), "needs node and the grader's packages")
class RunnerTest(unittest.TestCase):
    def test_the_runner_holds_a_report_socket_on_fd_3_parsed_with_limits(self):
        work = tempfile.mkdtemp(prefix="gb-observe-")
        entry = os.path.join(work, "answer.js")
        with open(entry, "w") as f:  # says what its fd 3 is, floods the pipe, then fails to load
            f.write("const fs = require('fs');\n"
                    "fs.writeSync(3, 'x'.repeat(3000) + '\\n' + '['.repeat(50) + '\\n');\n"
                    "fs.writeSync(3, JSON.stringify({ kind: 'answer_error', origin: 'fd3',"
                    " error: { type: fs.readlinkSync('/proc/self/fd/3'), message: '' } }) + '\\n');\n"
                    "throw new Error('boom');\n")
        os.makedirs(os.path.join(work, "node_modules"))
        os.symlink(os.path.join(NODE_PATH, "express"), os.path.join(work, "node_modules", "express"))
        seen = []
        loop = runner_mod.Loop(gb_wire.Limits({"max_line_bytes": 1024, "max_depth": 20}), seen.append)
        old = os.environ.get("NODE_PATH")
        os.environ["NODE_PATH"] = NODE_PATH
        try:
            runner = runner_mod.Runner(loop, spawn_runner(warm=True))
            runner.configure({"appDir": work, "entry": entry, "port": 0, "host": "127.0.0.1", "listenGraceMs": 10})
            loop.run_until(lambda: runner.report is not None or runner.ended is not None)
            runner.stop()
        finally:
            os.environ.pop("NODE_PATH") if old is None else os.environ.__setitem__("NODE_PATH", old)
            shutil.rmtree(work, ignore_errors=True)
        self.assertEqual(runner.report["error"]["message"], "boom")
        self.assertEqual((runner.notes["over_cap"], runner.notes["malformed"]), (1, 1))
        self.assertTrue(seen[0]["error"]["type"].startswith("pipe:"), seen)
        theirs = seen[0]["error"]["type"]
        self.assertNotIn(theirs, [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                                  if os.path.exists(f"/proc/self/fd/{fd}") and fd in ("0", "1", "2", "3")])


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


def lay_out_harness(box):
    """task.json's harness files, flat in one folder, as gradebox lays out the
    box (the shared ../_python/gb_wire.py lands beside harness.py)."""
    with open(os.path.join(PACK, "task.json")) as f:
        files = json.load(f)["harness"]["files"]
    folder = os.path.join(box, "harness")
    os.makedirs(folder)
    for name in files:
        shutil.copy(os.path.join(PACK, name), folder)
    return folder


def harness_as_nobody(tmp, answer_md, guard):
    """Runs harness.py (the observer) as uid 65534 on the answer's code, like in
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
    env = {"PATH": "/usr/bin:/bin", "NODE_PATH": NODE_PATH}
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
        proc = subprocess.Popen(["/usr/bin/python3", "-I", "-S", os.path.join(lay_out_harness(box), "harness.py"),
                                 os.path.join(box, "inputs.json")], env=env, pass_fds=(3,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=drop)
    finally:
        os.close(write)
    with os.fdopen(read) as lines:
        events = [json.loads(line) for line in lines.read().splitlines()]
    _, err = proc.communicate(timeout=30)
    return events, err.decode(errors="replace")


@unittest.skipUnless(os.geteuid() == 0 and HAVE_NODE, "needs root (to run the harness as uid 65534) and node")
class GuardedObserverTest(unittest.TestCase):
    """known/hostile_parent_mem.md patches, through /proc/<ppid>/mem, the
    observer's own copy of the answer's text (a commented-out import becomes
    a real one), so the observer would report "unsupported": the observer
    guard must close that; without it the patch works (so the test can fail)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="gb-ux-guard-")
        os.chmod(cls.tmp, 0o755)
        cls.guard = guard_library(cls.tmp)
        with open(os.path.join(PACK, "known", "hostile_parent_mem.md")) as f:
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
        self.assertRegex(err, r"patched [1-9]\d* place")
        self.assertIn("unsupported", self.load_of(events))


if __name__ == "__main__":
    unittest.main()
