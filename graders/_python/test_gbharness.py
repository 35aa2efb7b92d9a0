"""Unit tests of the shared harness (stdlib unittest, no sandbox needed):
    python3 -m unittest discover -s graders/_python -p 'test_*.py'
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gb_entry  # noqa: E402
import gb_json  # noqa: E402
import gb_load  # noqa: E402
import gb_observe  # noqa: E402
import gb_split  # noqa: E402
import gb_state  # noqa: E402
import gb_wire  # noqa: E402
import gbharness  # noqa: E402


class StrictJsonTest(unittest.TestCase):
    def test_plain_values_round_trip(self):
        value = [1, 2.5, "s", None, True, {"k": [0, {}]}, [[], [[-3]]]]
        self.assertEqual(json.loads(gb_json.to_json_text(value)), value)

    def test_list_subclass_is_rejected_even_if_it_equals_everything(self):
        class Anything(list):
            def __eq__(self, other):
                return True
        with self.assertRaises(gb_json.Unserializable) as caught:
            gb_json.to_plain([1, Anything()])
        self.assertEqual(caught.exception.type_name, "Anything")

    def test_cycles_nan_tuples_and_key_types_are_rejected(self):
        cyclic = [1]
        cyclic.append(cyclic)
        for bad in (cyclic, [float("nan")], [(1, 2)], [{1: "a"}], [2 ** 70], ["\ud800"]):
            with self.assertRaises(gb_json.Unserializable, msg=repr(bad)[:40]):
                gb_json.to_plain(bad)

    def test_shared_sublists_are_fine_and_deep_nesting_has_a_bound(self):
        shared = [1]
        self.assertEqual(gb_json.to_plain([shared, shared]), [[1], [1]])
        deep = [1]
        for _ in range(5000):
            deep = [deep]
        with self.assertRaises(gb_json.Unserializable):
            gb_json.to_plain(deep, max_depth=800)

    def test_big_flat_lists_take_the_fast_path_and_stay_checked(self):
        self.assertEqual(gb_json.to_plain([list(range(1000))])[0][999], 999)
        with self.assertRaises(gb_json.Unserializable):
            gb_json.to_plain([[1] * 100 + [float("inf")] * 100])
        with self.assertRaises(gb_json.TooLarge):
            gb_json.to_plain([list(range(1000))], max_nodes=500)

    def test_raw_json_is_spliced_verbatim(self):
        line = gb_json.encode_event({"id": "a", "value": gb_json.RawJSON("[1,2]")})
        self.assertEqual(json.loads(line), {"id": "a", "value": [1, 2]})


def load_source(source):
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(textwrap.dedent(source))
    try:
        return gb_load.load_answer(handle.name, statement_seconds=0.3)
    finally:
        os.unlink(handle.name)


class LoadAndEntryTest(unittest.TestCase):
    RULE = gb_entry.EntryRule("flatten")

    def test_demo_code_errors_are_recorded_and_functions_survive(self):
        loaded = load_source("""
            import sys, time
            print("demo")
            raise ValueError("boom")
            def flatten(x):
                return x
            sys.exit(2)
            while True:
                time.sleep(1)
            if __name__ == "__main__":
                raise SystemExit("must not run")
            undefined_name
        """)
        types = [e["type"] for e in loaded.errors]
        self.assertEqual(types, ["ValueError", "SystemExit", "Timeout", "NameError"])
        self.assertEqual(loaded.errors[-1]["missing_name"], "undefined_name")
        self.assertEqual(gb_entry.find_entry(loaded.module.__dict__, self.RULE).label, "flatten")

    def test_plain_function_arity_matches_inspect(self):
        import inspect
        loaded = load_source("""
            import functools
            def a(x): pass
            def b(x, y=1, *, k=2): pass
            def c(*args): pass
            def d(x, *, k): pass
            def e(x, /, y, z=3, *r, **kw): pass
            lam = lambda: None
            @functools.wraps(a)
            def w(*args, **kw): pass
        """)
        for name in "a b c d e lam w".split():
            func = loaded.module.__dict__[name]
            params = inspect.signature(func).parameters.values()
            kinds = [p.kind for p in params]
            if any(p.kind is p.KEYWORD_ONLY and p.default is p.empty for p in params):
                expected = None
            else:
                positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
                expected = (sum(p.default is p.empty for p in positional),
                            None if inspect.Parameter.VAR_POSITIONAL in kinds else len(positional))
            self.assertEqual(gb_entry._arity(func), expected, name)

    def test_syntax_error_is_a_compile_error_with_its_line(self):
        loaded = load_source("def flatten(x):\n    return x +\n")
        self.assertIn("line 2", loaded.compile_error)
        self.assertIsNone(loaded.module)

    def test_entry_preferences(self):
        loaded = load_source("""
            def _flatten_into(items, out):
                pass
            def flatten_list(items):
                return items
        """)
        self.assertEqual(gb_entry.find_entry(loaded.module.__dict__, self.RULE).label, "flatten_list")
        loaded = load_source("""
            class Flattener:
                def flatten(self, items):
                    return items
        """)
        entry = gb_entry.find_entry(loaded.module.__dict__, self.RULE)
        self.assertEqual((entry.label, entry.call([[1]])), ("Flattener().flatten", [1]))
        loaded = load_source("def unnest(items):\n    return items\n")
        self.assertEqual(gb_entry.find_entry(loaded.module.__dict__, self.RULE).label, "unnest")
        loaded = load_source("def a(x):\n    pass\ndef b(y):\n    pass\n")
        self.assertIsNone(gb_entry.find_entry(loaded.module.__dict__, self.RULE))


class StateFingerprintTest(unittest.TestCase):
    """gb_state decides whether a child may run the next test."""

    def changed_by(self, source, call):
        loaded = load_source(source)
        roots = [loaded.module]
        builtins_dict = __builtins__ if isinstance(__builtins__, dict) else __builtins__.__dict__
        before = gb_state.capture(roots, builtins_dict)
        self.assertIsNotNone(before)
        call(loaded.module.__dict__)
        return not gb_state.unchanged(before, gb_state.capture(roots, builtins_dict))

    def test_pure_function_leaves_nothing(self):
        self.assertFalse(self.changed_by("""
            from typing import Any, List
            def flatten(x: List[Any]) -> List[Any]:
                return [y for y in x]
        """, lambda ns: ns["flatten"]([1, [2]])))

    def test_defaults_globals_closures_and_class_state_are_seen(self):
        cases = {
            "def flatten(x, acc=[]):\n    acc.append(1)\n": "flatten",
            "n = 0\ndef flatten(x):\n    global n\n    n += 1\n": "flatten",
            "def make():\n    seen = set()\n    def f(x):\n        seen.add(len(x))\n"
            "    return f\nflatten = make()\n": "flatten",
            "class K:\n    calls = 0\n    def flatten(self, x):\n        K.calls += 1\n"
            "k = K()\nflatten = k.flatten\n": "flatten",
            "class K:\n    def flatten(self, x):\n        self.last = x\n"
            "flatten = K().flatten\n": "flatten",
            "import threading, time\ndef flatten(x):\n"
            "    threading.Thread(target=time.sleep, args=(0.5,)).start()\n": "flatten",
        }
        for source, name in cases.items():
            self.assertTrue(self.changed_by(source, lambda ns: ns[name]([1])), source)

    def test_state_it_cannot_see_into_means_no_sharing(self):
        loaded = load_source("import collections\nq = collections.deque()\n")
        self.assertIsNone(gb_state.capture([loaded.module], {}))


def as_fd3(fd):
    if fd == 3:
        os.set_inheritable(3, True)
    else:
        os.dup2(fd, 3)


# Run as root, the harness would pass every /proc access check (CAP_SYS_PTRACE):
# it runs as nobody then, as in the sandbox, with the channel pipe given to it.
NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] \
    if os.getuid() == 0 and shutil.which("setpriv") else []


def run_harness(source, tests, options=None, channel=None, pid_out=None):
    """Runs flatten_py's harness on `source`; returns the channel's events."""
    box = tempfile.mkdtemp()
    answer = os.path.join(box, "answer.py")
    with open(answer, "w") as handle:
        handle.write(textwrap.dedent(source))
    inputs = os.path.join(box, "inputs.json")
    with open(inputs, "w") as handle:
        json.dump({"answer": answer, "tests": tests, "options": options or {"idle_ms": 200},
                   "channel": channel or {}}, handle)
    read_fd, write_fd = os.pipe()
    if AS_NOBODY:
        os.chmod(box, 0o755)
        for path in (answer, inputs):
            os.chmod(path, 0o644)
        os.fchown(write_fd, NOBODY, NOBODY)  # so only non-dumpability guards /proc/<pid>/fd/3
    harness = os.path.join(HERE, "..", "flatten_py", "harness.py")
    proc = subprocess.Popen(AS_NOBODY + ["/usr/bin/python3", "-I", "-S", harness, inputs],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            close_fds=False, preexec_fn=lambda: as_fd3(write_fd))
    os.close(write_fd)
    if pid_out is not None:
        pid_out.append(proc.pid)
    with os.fdopen(read_fd) as channel_file:
        events = [json.loads(line) for line in channel_file]
    proc.wait(timeout=60)
    shutil.rmtree(box, ignore_errors=True)
    return events


def events_by_id(events):
    """The test events, by test id (not named test_*: pytest would collect it)."""
    return {e["id"]: e for e in events if e["event"] == "test"}


class HarnessEndToEndTest(unittest.TestCase):
    """The whole protocol on fd 3, with a badly behaved answer."""

    def run_harness(self, source, tests):
        return run_harness(source, tests)

    def test_each_test_is_isolated_and_observed_once(self):
        events = self.run_harness("""
            import os, time
            calls = []
            def flatten(x):
                calls.append(1)
                if x == [1]:
                    os._exit(0)
                if x == [2]:
                    time.sleep(100)
                if x == [3]:
                    while True:
                        pass
                if x == [4]:
                    raise KeyError("k")
                if x == [5]:
                    x.append(9)
                    return (i for i in [len(calls)])
                return x
        """, [{"id": i, "input": {"python": code, "report_input_after": True}, "time_limit_ms": 300}
              for i, code in [("exit", "[1]"), ("sleep", "[2]"), ("spin", "[3]"),
                              ("raise", "[4]"), ("gen", "[5]"), ("self", "a = [6]\na.append(a)\narg = a")]])
        kinds = [e["event"] for e in events]
        self.assertEqual((kinds[0], kinds[1], kinds[-1]), ("start", "load", "done"))
        tests = {e["id"]: e for e in events if e["event"] == "test"}
        self.assertEqual(len(tests), 6)
        self.assertEqual(tests["exit"]["status"], "crash")
        self.assertEqual((tests["sleep"]["status"], tests["sleep"]["reason"]), ("timeout", "idle"))
        self.assertEqual((tests["spin"]["status"], tests["spin"]["reason"]), ("timeout", "cpu"))
        # Stopped past gradebox's near-limit band (10 % of the 300 ms limit),
        # so this clear timeout is not run again.
        self.assertGreater(tests["spin"]["time_ms"], 1.1 * 300)
        self.assertEqual(tests["raise"]["error_type"], "KeyError")
        # Fresh process per test: calls does not leak between tests.
        self.assertEqual((tests["gen"]["value"], tests["gen"]["input_after"]), ([1], [5, 9]))
        self.assertEqual((tests["self"]["status"], tests["self"]["type"]), ("unserializable", "list"))

    def test_cheap_tests_share_a_child_until_one_exits_or_spins(self):
        events = self.run_harness("""
            import os, time
            def flatten(x):
                if x == ["exit"]:
                    os._exit(3)
                if x == ["spin"]:
                    while True:
                        pass
                if x == ["raise"]:
                    raise ValueError(x)
                x.append("mutated")
                return [os.getpid()]
        """, [{"id": i, "input": {"python": code, "report_input_after": True}, "time_limit_ms": 300}
              for i, code in [("a", "[1]"), ("b", "[2]"), ("exit", "['exit']"), ("c", "[3]"),
                              ("spin", "['spin']"), ("d", "[4]"), ("raise", "['raise']"),
                              ("e", "[5]"), ("f", "[6]")]])
        tests = {e["id"]: e for e in events if e["event"] == "test"}
        self.assertEqual(list(tests), ["a", "b", "exit", "c", "spin", "d", "raise", "e", "f"])
        pid = {name: tests[name]["value"][0] for name in "abcdef"}
        self.assertEqual(pid["a"], pid["b"])  # shared: the answer kept no state
        self.assertNotEqual(pid["b"], pid["c"])  # a fresh child after each failure
        self.assertNotEqual(pid["c"], pid["d"])
        self.assertEqual(pid["d"], pid["e"])  # a raise that left no state: same child
        self.assertEqual(pid["e"], pid["f"])
        self.assertEqual(tests["b"]["input_after"], [2, "mutated"])  # fresh input each time
        self.assertEqual((tests["exit"]["status"], tests["exit"]["exit_code"]), ("crash", 3))
        self.assertEqual((tests["spin"]["status"], tests["spin"]["reason"]), ("timeout", "cpu"))
        self.assertEqual(tests["raise"]["error_type"], "ValueError")

    def test_a_digest_test_reports_the_value_as_its_digest(self):
        events = self.run_harness("""
            def flatten(x):
                return list(x) if x != ["odd"] else {"not": "a list"}
        """, [{"id": i, "input": {"python": code, "report_digest": True}, "time_limit_ms": 300}
              for i, code in [("list", "list(range(1000))"), ("dict", "['odd']")]])
        tests = {e["id"]: e for e in events if e["event"] == "test"}
        expected = list(range(1000))
        self.assertNotIn("value", tests["list"])
        self.assertEqual(tests["list"]["value_digest"], gb_json.digest_plain(expected))
        self.assertEqual(tests["list"]["value_digest"]["head"], [0, 1, 2, 3, 4])
        self.assertEqual(tests["list"]["value_digest"]["sha256"], hashlib.sha256(
            json.dumps(expected, separators=(",", ":")).encode()).hexdigest())
        self.assertEqual(set(tests["dict"]["value_digest"]), {"sha256"})  # not a list: no head


class BoundedParsingTest(unittest.TestCase):
    """What comes from an answer process is parsed under the channel limits."""

    def test_over_cap_and_over_deep_lines_are_refused_without_crashing(self):
        limits = gb_observe.Limits({"max_line_bytes": 1000, "max_depth": 50})
        self.assertEqual(gb_observe.strict_json(b"[[1]]", limits), [[1]])
        for line in (b"[" + b"1," * 600 + b"1]", b"[" * 51 + b"]" * 51,
                     b"[" * 10 ** 6 + b"]" * 10 ** 6, b"[NaN]", b'"\xff"'):
            with self.assertRaises(ValueError, msg=line[:20]):
                gb_observe.strict_json(line, limits)
        deep = b"[" * 10 ** 6 + b"]" * 10 ** 6
        with self.assertRaisesRegex(ValueError, "nested deeper than the 2000-level limit"):
            gb_observe.strict_json(deep, gb_observe.Limits({"max_line_bytes": 10 ** 7}))
        at_limit = gb_observe.strict_json(b"[" * 50 + b"]" * 50, limits)  # just within: parsed
        self.assertEqual(repr(at_limit), "[" * 50 + "]" * 50)

    def test_the_channel_never_writes_a_line_over_its_cap(self):
        read_fd, write_fd = os.pipe()
        try:
            send = gb_wire.open_channel(gb_wire.Limits({"max_line_bytes": 200}), write_fd,
                                        encode=gb_json.encode_event)
            send({"event": "test", "id": "t", "status": "ok", "value": list(range(100))})
            send({"event": "test", "id": "u", "status": "ok", "value": [1]})
        finally:
            os.close(write_fd)
        with os.fdopen(read_fd) as handle:
            lines = handle.read().splitlines()
        self.assertTrue(all(len(line) <= 200 for line in lines))
        self.assertEqual([json.loads(line)["status"] for line in lines], ["output-limit", "ok"])

    def test_forged_load_facts_keep_only_bounded_plain_fields(self):
        event = gb_split.load_event({"ok": True, "entry": "f" * 500, "functions": ["a", 3] * 40,
                                     "errors": [{"type": "X", "message": "m" * 5000}, "junk"],
                                     "load_ms": float("inf"), "extra": {"x": 1}})
        self.assertEqual(event["entry"], "f" * 200)
        self.assertEqual(len(event["functions"]), 25)
        self.assertEqual(event["errors"], [{"type": "X", "message": "m" * 2000}])
        self.assertNotIn("load_ms", event)
        self.assertNotIn("extra", event)
        self.assertTrue(gb_split.load_event({"ok": True})["no_entry"])


_BURN = """
import time
def _burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
"""

_ANCESTORS = """
import os
def _ancestors():
    pid = os.getpid()
    while pid > 1:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            pid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        yield pid
"""


class ObserverTest(unittest.TestCase):
    """The answer's processes cannot change what the observer writes."""

    def cases(self, ids, limit_ms=300, **input_options):
        return [{"id": i, "input": {"python": "[1, [2]]", **input_options}, "time_limit_ms": limit_ms}
                for i in ids]

    def test_patching_the_harness_and_dup2_over_fd3_at_import_change_nothing(self):
        events = run_harness(_BURN + textwrap.dedent("""
            import json, os, sys
            import gbharness, gb_watch, gb_observe
            gbharness._time_limit = lambda test, settings: 1000.0
            gb_observe.observe = lambda *a, **k: {"event": "test", "id": "slow", "status": "ok"}
            for fd in range(3, 20):
                try:
                    os.write(fd, b'{"event":"test","id":"slow","status":"ok","value":[1,2]}\\n'
                                 b'{"event":"done"}\\n')
                except OSError:
                    pass
            os.dup2(os.open("/dev/null", os.O_WRONLY), 3)
            def flatten(x):
                _burn(0.6)
                return [1, 2]
        """), self.cases(["slow", "again"]))
        kinds = [e["event"] for e in events]
        self.assertEqual(kinds, ["start", "load", "test", "test", "done"])
        tests = events_by_id(events)
        for name in ("slow", "again"):
            self.assertEqual((tests[name]["status"], tests[name]["reason"]), ("timeout", "cpu"))
            self.assertGreaterEqual(tests[name]["time_ms"], 300)

    def test_the_observer_cannot_be_opened_through_proc(self):
        pids = []
        events = run_harness(_ANCESTORS + textwrap.dedent("""
            def flatten(x):
                opened = []
                for pid in _ancestors():
                    for path, flags in ((f"/proc/{pid}/mem", os.O_RDWR),
                                        (f"/proc/{pid}/fd/3", os.O_WRONLY)):
                        try:
                            os.close(os.open(path, flags))
                            opened.append(path)
                        except OSError:
                            pass
                return opened
        """), self.cases(["probe"]), pid_out=pids)
        opened = events_by_id(events)["probe"]["value"]
        if not AS_NOBODY and os.getuid() == 0:
            self.skipTest("root without setpriv: /proc checks do not apply")
        self.assertNotIn(f"/proc/{pids[0]}/mem", opened)
        self.assertNotIn(f"/proc/{pids[0]}/fd/3", opened)

    def test_work_hidden_in_an_orphan_is_counted(self):
        events = run_harness(_BURN + textwrap.dedent("""
            import os
            def flatten(x):
                done_read, done_write = os.pipe()
                if os.fork() == 0:
                    if os.fork() == 0:
                        _burn(0.5)  # reparented to the observer once its parent exits
                        os.write(done_write, b"!")
                    os._exit(0)
                _burn(0.2)
                os.read(done_read, 1)
                return [1, 2]
        """), self.cases(["orphan"], limit_ms=3000), options={"idle_ms": 2000})
        test = events_by_id(events)["orphan"]
        self.assertEqual(test["status"], "ok")
        self.assertGreaterEqual(test["time_ms"], 690)

    def test_a_forged_result_with_a_fake_time_moves_no_cpu_out_of_the_run(self):
        events = run_harness(_BURN + textwrap.dedent("""
            import os
            def flatten(x):
                for fd in range(3, 20):  # a result with a fake time, before the work
                    try:
                        os.write(fd, b'{"m":"result","status":"ok","time_ms":0,"cpu":0,'
                                     b'"parts":["value"]}\\n[1,2]\\n')
                    except OSError:
                        pass
                _burn(0.5)
                return [1, 2]
        """), self.cases(["a", "b"], limit_ms=300))
        tests = events_by_id(events)
        self.assertEqual(list(tests), ["a", "b"])
        # The forged line ends a's segment early; the work then counts for b.
        self.assertEqual((tests["b"]["status"], tests["b"]["reason"]), ("timeout", "cpu"))
        self.assertGreaterEqual(tests["b"]["time_ms"], 300)

    def test_over_cap_and_deep_result_lines_fail_only_their_test(self):
        events = run_harness("""
            import os
            def flatten(x):
                if x == [1, [2]]:
                    return list(range(5000))  # over the 4000-byte cap below
                if x == [3]:
                    for fd in range(3, 20):
                        try:
                            os.write(fd, b'{"m":"result","status":"ok","parts":["value"]}\\n'
                                     + b"[" * 1500 + b"]" * 1500 + b"\\n")
                        except OSError:
                            pass
                    os._exit(0)
                return x
        """,
            [{"id": "big", "input": {"python": "[1, [2]]"}, "time_limit_ms": 300},
             {"id": "deep", "input": {"python": "[3]"}, "time_limit_ms": 300},
             {"id": "fine", "input": {"python": "[4]"}, "time_limit_ms": 300}],
            channel={"max_line_bytes": 4000, "max_depth": 1000})
        tests = events_by_id(events)
        self.assertEqual(tests["big"]["status"], "output-limit")
        self.assertEqual(tests["deep"]["status"], "crash")
        self.assertEqual((tests["fine"]["status"], tests["fine"]["value"]), ("ok", [4]))
        self.assertEqual(events[-1]["event"], "done")

    def test_an_answer_process_patched_to_hang_or_die_fails_only_its_tests(self):
        for patch in ("gb_answer._run_batch = lambda *args: time.sleep(100)",
                      "gb_answer._run_batch = lambda *args: os._exit(0)"):
            events = run_harness(f"import gb_answer, os, time\n{patch}\n"
                                 "def flatten(x):\n    return x\n", self.cases(["a", "b"]))
            tests = events_by_id(events)
            self.assertEqual(list(tests), ["a", "b"], patch)
            self.assertTrue(all(t["status"] in ("timeout", "crash") for t in tests.values()))
            self.assertEqual(events[-1]["event"], "done")

    def test_a_killed_observer_leaves_its_tests_unobserved(self):
        # Same uid: nothing stops the signal. What gradebox then sees is no
        # event for the rest and no `done`: those tests fail.
        events = run_harness(_ANCESTORS + textwrap.dedent("""
            import signal
            def flatten(x):
                if x == [3]:
                    # All pids first: a killed parent may be reaped before
                    # its own /proc/<pid>/stat is read.
                    for pid in list(_ancestors()):
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                return x
        """), [{"id": i, "input": {"python": code}, "time_limit_ms": 300}
              for i, code in (("a", "[1]"), ("kill", "[3]"), ("b", "[2]"))])
        self.assertNotIn("kill", events_by_id(events))
        self.assertNotIn("b", events_by_id(events))
        self.assertNotEqual(events[-1]["event"], "done")


if __name__ == "__main__":
    unittest.main()
