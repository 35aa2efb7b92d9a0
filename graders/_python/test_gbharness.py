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
import gb_state  # noqa: E402


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


class HarnessEndToEndTest(unittest.TestCase):
    """The whole protocol on fd 3, with a badly behaved answer."""

    def run_harness(self, source, tests):
        box = tempfile.mkdtemp()
        answer = os.path.join(box, "answer.py")
        with open(answer, "w") as handle:
            handle.write(textwrap.dedent(source))
        inputs = os.path.join(box, "inputs.json")
        with open(inputs, "w") as handle:
            json.dump({"answer": answer, "tests": tests, "options": {"idle_ms": 200}}, handle)
        read_fd, write_fd = os.pipe()
        harness = os.path.join(HERE, "..", "flatten_py", "harness.py")
        proc = subprocess.Popen(["/usr/bin/python3", "-I", "-S", harness, inputs],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                close_fds=False, preexec_fn=lambda: as_fd3(write_fd))
        os.close(write_fd)
        with os.fdopen(read_fd) as channel:
            events = [json.loads(line) for line in channel]
        proc.wait(timeout=60)
        shutil.rmtree(box, ignore_errors=True)
        return events

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


if __name__ == "__main__":
    unittest.main()
