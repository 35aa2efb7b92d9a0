"""Hostile answers are reports, never exceptions or a crashed interpreter."""

import json

import gradebox
import pytest
from conftest import PACK, category_results

# The known answers that attack the process grading them or its channel:
# through this module that process is the caller's interpreter's child.
# Those that only cheat on values (eq_always_true) or spend a limit
# (sleep_forever: 7 s of wall time, memory_hog) are left to `gradebox
# selftest flatten_py` (graders_known_flatten_py), which asserts the same
# expectations; through this module they prove nothing the others do not.
HOSTILE = ["exit_at_import", "forged_stdout", "forged_channel", "reads_box", "kills_parent"]


def known_case(name: str) -> dict:
    """known/<name>.json, with the answer's file name added."""
    case = json.loads((PACK / "known" / (name + ".json")).read_text())
    return {**case, "answer": "known/" + name + ".md"}


def test_known_hacks_fail_what_their_expectation_says():
    cases = [known_case(name) for name in HOSTILE]
    records = [{"task": "flatten_py", "model": c["answer"], "text": (PACK / c["answer"]).read_text()}
               for c in cases]
    reports = gradebox.grade_many(records, jobs=2)
    for case, report in zip(cases, reports):
        assert report["model"] == case["answer"]
        assert report["verdict"] == case.get("verdict", "graded"), case["answer"]
        passed = {t["category"] for t in report["tests"] if t["status"] == "pass"}
        failed = {t["category"] for t in report["tests"] if t["status"] != "pass"}
        for category in case.get("must_fail", []):
            assert category in failed, f"{case['answer']}: {category} all pass"
        assert report["correctness"]["score"] < 10.0, case["answer"]


# Bytes that are not UTF-8 on stdout and stderr, and an exception whose
# message holds a lone surrogate: the report must still be valid text.
UNDECODABLE = r'''```python
import os
os.write(1, b"\xff\xfe stdout \xc3\x28\n")
os.write(2, b"\xed\xa0\x80 stderr\n")

def flatten(items):
    if items == [[]]:
        os.write(2, b"\xff in a test\n")
        raise ValueError("bad \udcff")
    out = []
    for item in items:
        out.extend(flatten(item) if isinstance(item, list) else [item])
    return out
```
'''


def test_undecodable_output_still_converts_to_a_report():
    report = gradebox.grade("flatten_py", UNDECODABLE)
    assert report["verdict"] == "graded"
    json.dumps(report, ensure_ascii=False).encode("utf-8")  # every string is valid text
    assert category_results(report)["empty-sublists"] == "fail"
    run = report["extra"]["run"]
    for stream in ("stdout", "stderr"):  # excerpts, when the report keeps them
        assert stream not in run or "\ufffd" in run[stream], run[stream]
    assert report["correctness"]["score"] == 10.0


def test_nul_bytes_and_a_huge_answer_are_graded():
    text = "```python\ndef flatten(x):\n    return [\"\\x00\"]\n```\n" + "\x00" + "filler " * 300_000
    report = gradebox.grade("flatten_py", text)
    assert report["verdict"] == "graded"
    assert report["correctness"]["score"] == 0.0


@pytest.mark.parametrize("answer", ["```python\nimport os\nos.kill(os.getppid(), 9)\n```",
                                    "```python\nwhile True:\n    pass\n```"])
def test_an_attack_at_import_leaves_the_module_usable(answer):
    report = gradebox.grade("flatten_py", answer)
    assert report["verdict"] in ("graded", "no-code")
    assert report["correctness"]["score"] == 0.0
    after = gradebox.grade("flatten_py", (PACK / "reference.md").read_text())
    assert after["correctness"]["score"] == 10.0


# An answer that prints and returns values nested 10**6 deep: neither
# gradebox nor the interpreter hosting it goes down, and the report is small.
DEEP = '''```python
print("[" * 1_000_000)
NESTED = []
for _ in range(1_000_000):
    NESTED = [NESTED]

def flatten(items):
    return NESTED
```
'''


def test_values_nested_a_million_deep_give_a_small_graded_report():
    report = gradebox.grade("flatten_py", DEEP)
    assert report["verdict"] == "graded"
    assert report["correctness"]["score"] == 0.0
    assert len(json.dumps(report)) < 1 << 20
