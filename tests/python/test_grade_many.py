"""gradebox.grade_many: JSONL-like records, input order, record errors."""

import json
import re
import time

import gradebox
import pytest
from conftest import category_results, expected_categories, fixture_text

NAMES = ["falsy_dropped.md", "recursive_typed.md", "strings_split.md", "dicts_iterated.md",
         "recursive_typed.md"]


def record(name: str, model: str) -> dict:
    return {"model": model, "task": "flatten_py", "text": fixture_text(name),
            "latency_s": 1.5, "tokens": 321}


def test_reports_come_back_in_input_order():
    records = [record(name, f"model-{i}") for i, name in enumerate(NAMES)]
    reports = gradebox.grade_many(records, jobs=2)
    assert [r["model"] for r in reports] == [f"model-{i}" for i in range(len(NAMES))]
    for name, report in zip(NAMES, reports):
        assert category_results(report) == expected_categories(name), name


def test_records_from_a_jsonl_generator_with_one_job():
    lines = [json.dumps(record(name, "m")) for name in NAMES[:2]]
    reports = gradebox.grade_many((json.loads(line) for line in lines), jobs=1)
    assert [category_results(r) for r in reports] == [expected_categories(n) for n in NAMES[:2]]


# Two alternatives, the first wrong and both cheap to grade (test_grade.py's
# pick test grades the known answer whose broken alternative spends its limits).
TWO_ALTERNATIVES = """Two ways:

```python
def flatten(nested):
    return list(nested)
```

```python
def flatten(nested):
    out = []
    for item in nested:
        out.extend(flatten(item) if isinstance(item, list) else [item])
    return out
```
"""


def test_model_is_optional_and_options_apply_to_every_record():
    first, best = (gradebox.grade_many([{"task": "flatten_py", "text": TWO_ALTERNATIVES}],
                                       pick=pick)[0]
                   for pick in ("first", "best"))
    assert first["model"] == "" and best["extraction"]["pick"] == "best"
    assert best["correctness"]["score"] > first["correctness"]["score"]


def test_jobs_above_four_per_core_are_capped_with_a_warning():
    with pytest.warns(RuntimeWarning, match=r"jobs 100000 is more than 4 per core"):
        reports = gradebox.grade_many([record(NAMES[1], "m")], jobs=100000)
    assert category_results(reports[0]) == expected_categories(NAMES[1])


def test_no_records_no_reports():
    assert gradebox.grade_many([]) == []


def test_a_bad_record_fails_before_anything_is_graded():
    gradebox.tasks()  # task packs loaded, so the timing below is the records' only
    sleepy = "```python\nimport time\ntime.sleep(2)\ndef flatten(x):\n    return x\n```"
    records = [{"task": "flatten_py", "text": sleepy}] * 3 + [{"task": "flatten_go", "text": "x"}]
    started = time.monotonic()
    with pytest.raises(ValueError, match=r"records\[3\]: unknown task 'flatten_go'"):
        gradebox.grade_many(records, jobs=1)
    assert time.monotonic() - started < 1.0  # grading the first would take 2 s


@pytest.mark.parametrize("bad, error, message", [
    ({"task": "flatten_py"}, ValueError, r"records\[1\] has no 'text'"),
    ({"text": "x"}, ValueError, r"records\[1\] has no 'task'"),
    ({"task": "flatten_py", "text": b"x"}, TypeError, r"records\[1\]\['text'\] must be str"),
    ({"task": "flatten_py", "text": "x", "model": 3}, TypeError, r"\['model'\] must be str"),
    ("flatten_py", TypeError, r"records\[1\] must be a mapping"),
    (("flatten_py", "x"), TypeError, r"records\[1\] must be a mapping"),
])
def test_malformed_record_names_the_record(bad, error, message):
    with pytest.raises(error, match=message):
        gradebox.grade_many([record("recursive_typed.md", "a"), bad])


def test_bad_jobs_and_pick_are_value_errors():
    with pytest.raises(ValueError, match="jobs"):
        gradebox.grade_many([], jobs=-1)
    with pytest.raises(ValueError, match="pick"):
        gradebox.grade_many([], pick="all")


def test_a_grader_failure_raises_after_all_with_every_report(graders_copy):
    (graders_copy / "flatten_py" / "harness.py").write_text("raise SystemExit(3)\n")
    records = [record("recursive_typed.md", "a"), record("falsy_dropped.md", "b")]
    with pytest.raises(gradebox.GraderError) as err:
        gradebox.grade_many(records, jobs=2, graders=graders_copy)
    assert err.value.report["model"] == "a"
    assert [r["model"] for r in err.value.reports] == ["a", "b"]
    assert all(r["verdict"] == "grader-error" for r in err.value.reports)


def test_a_mistyped_hidden_test_field_is_named_when_the_task_loads(graders_copy):
    # tests.json's per-test fields are typed when the task loads (this one
    # used to make gradebox's C++ throw mid-grade). grade_many's guard for an
    # exception inside grading is tested in C++: tests/python/parallel_grading_test.cc.
    tests_json = graders_copy / "flatten_py" / "tests.json"
    tests = json.loads(tests_json.read_text())
    tests["tests"][0]["time_limit_ms"] = "fast"
    tests_json.write_text(json.dumps(tests))
    named = (r'flatten_py/tests\.json: "tests\[' + re.escape(tests["tests"][0]["id"]) +
             r'\]\.time_limit_ms" must be a number, not string')
    with pytest.raises(ValueError, match=named):
        gradebox.grade("flatten_py", fixture_text("recursive_typed.md"), graders=graders_copy)
    records = [record("recursive_typed.md", "a"), record("falsy_dropped.md", "b")]
    with pytest.raises(ValueError, match=named):
        gradebox.grade_many(records, jobs=2, graders=graders_copy)
    # The interpreter and the module go on.
    report = gradebox.grade("flatten_py", fixture_text("recursive_typed.md"))
    assert category_results(report) == expected_categories("recursive_typed.md")
