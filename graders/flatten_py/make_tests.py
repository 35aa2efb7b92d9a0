"""Writes tests.json for flatten_py (dev tool; gradebox never runs it).

Small tests carry hand-written expectations; the deep and large ones are
generated. Core tests hold no falsy values, strings or dicts, and each edge
test only the trait its category is about, so one bug fails one category. Every expectation is cross-checked against an independent
flatten run on the very input code the harness will evaluate, so a typo in
either shows up here, not as a wrong grade. Usage:
    python3 graders/flatten_py/make_tests.py > graders/flatten_py/tests.json
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "_python"))
import gb_json  # noqa: E402 - the harness's own encoder and digest

LARGE = "large-input"
# Behaviour categories (task.json "judges"): judged by the behaviour alone, so
# their tests keep no expected value; graders/README.md, "The behaviour rule".
BEHAVIOUR = {"no-mutation"}


def t(test_id, code, value=None, *, raises=False, after=None, limit_ms=None):
    """One test: `code` builds `arg` (or is an expression for it)."""
    test = {"id": test_id, "category": test_id.rsplit("-", 1)[0],
            "input": {"python": code}, "expect": {}}
    if raises:
        test["expect"]["raises"] = True
    else:
        test["expect"]["value"] = value
    if after is not None:
        test["input"]["report_input_after"] = True
        test["expect"]["input_after"] = after
    if limit_ms is not None:
        test["time_limit_ms"] = limit_ms
    return test


SMALL = [
    t("basic-1", "[1, [2, [3, 4], 5], [6]]", [1, 2, 3, 4, 5, 6]),
    t("basic-2", "[[1, 2], [3, 4], [5, 6]]", [1, 2, 3, 4, 5, 6]),
    t("basic-3", "[1, [2, 3], 4, [5, [6, 7]], 8]", [1, 2, 3, 4, 5, 6, 7, 8]),
    t("basic-4", "[[10, [20]], 30, [[40, 50], 60]]", [10, 20, 30, 40, 50, 60]),
    t("flat-1", "[1, 2, 3, 4, 5]", [1, 2, 3, 4, 5]),
    t("flat-2", "[5, 4, 3, 2, 1]", [5, 4, 3, 2, 1]),
    t("flat-3", "[-7, 12, 3, 99, -1, 8]", [-7, 12, 3, 99, -1, 8]),
    t("deep-small-1", "[[[[[1]]]], 2]", [1, 2]),
    t("deep-small-2", "[1, [2, [3, [4, [5, [6, [7]]]]]]]", [1, 2, 3, 4, 5, 6, 7]),
    t("deep-small-3", "[[[[[[[[[[1, 2]]]]]]]]], 3]", [1, 2, 3]),
    t("deep-small-4", "[[[[[[[[[[1]]]]]]]]], [[[[2]]]], [[[[[[[[3]]]]]]]]]", [1, 2, 3]),
    t("order-1", "[[3, [2]], 1, [[[9]], 8], 7]", [3, 2, 1, 9, 8, 7]),
    t("order-2", "[1, [[[[2]]]], 3, [4, [5]], [[6]]]", [1, 2, 3, 4, 5, 6]),
    t("order-3", "[[[[1], 2], 3], 4]", [1, 2, 3, 4]),
    t("order-4", "[9, [8, [7, [6]]], [[[5], 4], 3], 2, [1]]", [9, 8, 7, 6, 5, 4, 3, 2, 1]),
    t("single-1", "[42]", [42]),
    t("single-2", "[[42]]", [42]),
    t("single-3", "[[[[[42]]]]]", [42]),
    t("single-4", "[[[-3]]]", [-3]),
    t("numbers-1", "[1, [2.5, [3, 4.75]], 5.0]", [1, 2.5, 3, 4.75, 5.0]),
    t("numbers-2", "[[1.5], 2, [[3.25, 4]]]", [1.5, 2, 3.25, 4]),
    t("numbers-3", "[2 ** 53, [-(2 ** 40), [1e-3]]]", [9007199254740992, -1099511627776, 0.001]),
    t("numbers-4", "[[-1.5, [-2]], [0.1, [0.25]]]", [-1.5, -2, 0.1, 0.25]),
    t("empty-1", "[]", []),
    t("empty-sublists-1", "[[], [[]], [1, []]]", [1]),
    t("empty-sublists-2", "[[], [], []]", []),
    t("empty-sublists-3", "[[[[]]], 2, [[], [3]]]", [2, 3]),
    t("strings-atomic-1", "['ab', ['cd', ['e']]]", ["ab", "cd", "e"]),
    t("strings-atomic-2", "['a', ['b', ['c']]]", ["a", "b", "c"]),
    t("strings-atomic-3", "['hello', [1, ['world', 2]]]", ["hello", 1, "world", 2]),
    t("strings-atomic-4", "[['a', ['bc']], 'd', [['ef', 'g']]]", ["a", "bc", "d", "ef", "g"]),
    t("falsy-elements-1", "[0, [None, [False, '']], []]", [0, None, False, ""]),
    t("falsy-elements-2", "[[0], [0.0, [0]]]", [0, 0.0, 0]),
    t("falsy-elements-3", "[None, [None]]", [None, None]),
    t("falsy-elements-4", "[1, [False, [True]], 0]", [1, False, True, 0]),
    t("dicts-atomic-1", "[{'a': 1}, [{'b': 2}]]", [{"a": 1}, {"b": 2}]),
    t("dicts-atomic-2", "[{'z': None}, [1, {'k': [1, 2]}]]", [{"z": None}, 1, {"k": [1, 2]}]),
    t("dicts-atomic-3", "[[{'x': 1, 'y': 2}], 3]", [{"x": 1, "y": 2}, 3]),
    t("no-mutation-1", "[1, [2, [3, 4], 5], [6]]", [1, 2, 3, 4, 5, 6],
      after=[1, [2, [3, 4], 5], [6]]),
    t("no-mutation-2", "[[1], [[2]], [[[3]]]]", [1, 2, 3], after=[[1], [[2]], [[[3]]]]),
    t("no-mutation-3", "[[], [1, []], [[2, 3]]]", [1, 2, 3], after=[[], [1, []], [[2, 3]]]),
    t("shared-sublists-1", "s = [1, 2]\narg = [s, s]", [1, 2, 1, 2]),
    t("shared-sublists-2", "s = [3]\nt = [s, 4, s]\narg = [t, [t]]", [3, 4, 3, 3, 4, 3]),
    t("shared-sublists-3", "inner = [5]\narg = [[inner], [inner], inner]", [5, 5, 5]),
    t("shared-sublists-4", "row = [1, [2]]\narg = [row] * 3", [1, 2, 1, 2, 1, 2]),
    t("cyclic-input-1", "a = [1]\na.append(a)\narg = a", raises=True),
    t("cyclic-input-2", "a = [1, 2]\nb = [3, a]\na.append(b)\narg = [0, a]", raises=True),
    t("cyclic-input-3", "a = []\na.append(a)\narg = a", raises=True),
    t("cyclic-input-4", "a = [1]\narg = [2, a]\na.append(arg)", raises=True),
]

GENERATED = [
    # 300 levels: a single element at the bottom.
    t("deep-nesting-1", "arg = [1]\nfor _ in range(299):\n    arg = [arg]", [1]),
    # 300 levels, one element before each deeper level: [1, [2, [3, ...]]].
    t("deep-nesting-2", "arg = [300]\nfor i in range(299, 0, -1):\n    arg = [i, arg]",
      list(range(1, 301))),
    # 300 levels, one element after each deeper level: [[[1], 2], 3] ...
    t("deep-nesting-3", "arg = [1]\nfor i in range(2, 301):\n    arg = [arg, i]",
      list(range(1, 301))),
    # The large inputs are built from slices of one 1..999 cycle: the same
    # values as the comprehensions named in the comments, in a few ms instead
    # of ~25 ms per test (the children build inputs on every grading).
    # [i % 999 + 1 for i in range(200000)]
    t("large-input-1", "arg = (list(range(1, 1000)) * 201)[:200000]",
      [i % 999 + 1 for i in range(200000)], limit_ms=2000),
    # [[(i * 100 + j) % 999 + 1 for j in range(100)] for i in range(2000)]
    t("large-input-2",
      "cycle = list(range(1, 1000)) * 2\n"
      "arg = [cycle[i * 100 % 999:i * 100 % 999 + 100] for i in range(2000)]",
      [i % 999 + 1 for i in range(200000)], limit_ms=2000),
]


def check_large_inputs_unchanged():
    """The sliced large inputs equal the comprehensions they replaced."""
    slow = {"large-input-1": [i % 999 + 1 for i in range(200000)],
            "large-input-2": [[(i * 100 + j) % 999 + 1 for j in range(100)]
                              for i in range(2000)]}
    for test in GENERATED:
        if test["id"] in slow:
            assert build_input(test["input"]["python"]) == slow[test["id"]], test["id"]


def independent_flatten(value):
    """Explicit-stack flatten; raises on cycles (checks the expectations)."""
    out, stack, on_path = [], [(iter(value), id(value))], {id(value)}
    while stack:
        items, owner = stack[-1]
        for item in items:
            if type(item) is list:
                if id(item) in on_path:
                    raise ValueError("cycle")
                on_path.add(id(item))
                stack.append((iter(item), id(item)))
                break
            out.append(item)
        else:
            stack.pop()
            on_path.discard(owner)
    return out


def build_input(code):
    try:
        return eval(code, {})  # noqa: S307 - our own test code
    except SyntaxError:
        scope = {}
        exec(code, scope)  # noqa: S102
        return scope["arg"]


def same(a, b):
    return json.dumps(a) == json.dumps(b) and type(a) is type(b)


def cross_check(test):
    expect = test["expect"]
    arg = build_input(test["input"]["python"])
    try:
        got = independent_flatten(arg)
    except ValueError:
        assert expect.get("raises"), f"{test['id']}: input has a cycle"
        return
    assert not expect.get("raises"), f"{test['id']}: expected a raise"
    assert same(got, expect["value"]), f"{test['id']}: {got} != {expect['value']}"
    if "input_after" in expect:
        assert same(arg, expect["input_after"]), f"{test['id']}: input_after"


def as_digest(test):
    """A large expectation kept as its digest; the harness reports the answer's
    value the same way (gb_json.digest_plain), so ~1 MB never crosses."""
    test["input"]["report_digest"] = True
    test["expect"] = {"value_digest": gb_json.digest_plain(test["expect"]["value"])}


def main():
    tests = SMALL + GENERATED
    check_large_inputs_unchanged()
    for test in tests:
        cross_check(test)
    for test in tests:
        if test["category"] == LARGE:
            as_digest(test)
        if test["category"] in BEHAVIOUR:
            del test["expect"]["value"]  # cross-checked above, judged in the value categories
    lines = [json.dumps(test, separators=(",", ":")) for test in tests]
    sys.stdout.write('{"tests": [\n' + ",\n".join(lines) + "\n]}\n")


if __name__ == "__main__":
    main()
