"""Many samples per model and task: grade_many's "sample" and aggregate()."""

import gradebox
import pytest
from conftest import fixture_text

# Two models, three samples each, numbered differently; "a" passes every
# core test in two samples, "b" in one (forgets_return / returns_empty fail).
SAMPLES = [("a", 0, "recursive_typed.md"), ("a", 1, "forgets_return.md"),
           ("a", 2, "recursive_typed.md"), ("b", 3, "returns_empty.md"),
           ("b", 7, "returns_empty.md"), ("b", 9, "falsy_dropped.md")]


def test_three_samples_of_two_models_aggregate_the_same_on_every_call():
    records = [{"model": m, "task": "flatten_py", "sample": n, "text": fixture_text(name)}
               for m, n, name in SAMPLES]
    reports = gradebox.grade_many(records, jobs=2)
    assert [(r["model"], r["sample"]) for r in reports] == [(m, n) for m, n, _ in SAMPLES]
    first, second = gradebox.aggregate(reports), gradebox.aggregate(reports)
    assert first == second
    a, b = first["a"]["flatten_py"], first["b"]["flatten_py"]
    assert (a["n"], a["passed"], b["n"], b["passed"]) == (3, 2, 3, 1)
    assert a["pass_at"] == {"1": pytest.approx(2 / 3)}
    assert b["pass_at"] == {"1": pytest.approx(1 / 3)}
    for cell in (a, b):
        low, high = cell["ci95"]
        assert low <= cell["automated"] <= high
        assert cell["verdict"] == "graded"
    assert b["automated"] < a["automated"]


def report(model, sample, passed, total=4, verdict="graded", **extra):
    score = 10.0 * passed / total
    return {"model": model, "task": "flatten_py", "sample": sample, "verdict": verdict,
            "correctness": {"score": score, "passed": passed, "total": total},
            "edge_cases": {"score": 5.0}, **extra}


def test_aggregate_is_the_pipelines_estimator_and_interval():
    # n = 10, c = 3: pass@5 = 1 - C(7,5)/C(10,5) = 1 - 21/252; pass@10 = 1.
    results = [report("m", i, 4 if i < 3 else 0) for i in range(10)]
    cell = gradebox.aggregate(results)["m"]["flatten_py"]
    assert cell["n"] == 10 and cell["passed"] == 3
    assert cell["pass_at"] == {"1": pytest.approx(0.3), "5": pytest.approx(1 - 21 / 252),
                               "10": pytest.approx(1.0)}
    assert cell["correctness"] == 3.0 and cell["automated"] == 2.2  # 0.4*3 + 0.2*5
    assert cell["ci95"][0] < 2.2 < cell["ci95"][1]
    one = gradebox.aggregate([report("m", 0, 4)])["m"]["flatten_py"]
    assert one["n"] == 1 and one["ci95"] is None and one["pass_at"] == {"1": 1.0}


def test_a_grader_error_sample_counts_zero_and_absent_sample_is_zero():
    results = [report("m", None, 4), report("m", 1, 4, verdict="grader-error")]
    del results[0]["sample"]
    cell = gradebox.aggregate(results)["m"]["flatten_py"]
    assert cell["n"] == 2 and cell["passed"] == 1 and cell["correctness"] == 5.0
    assert cell["verdict"] == "mixed"


@pytest.mark.parametrize("sample, error, message", [
    (-1, ValueError, r"records\[1\]\['sample'\] must be an integer from 0 to 9999, not -1"),
    (10000, ValueError, r"records\[1\]\['sample'\] must be an integer from 0 to 9999"),
    (2**80, ValueError, r"records\[1\]\['sample'\] must be an integer from 0 to 9999"),
    (True, TypeError, r"records\[1\]\['sample'\] must be int, not bool"),
    ("1", TypeError, r"records\[1\]\['sample'\] must be int, not str"),
    (1.0, TypeError, r"records\[1\]\['sample'\] must be int, not float"),
])
def test_a_bad_sample_names_the_record_before_anything_is_graded(sample, error, message):
    good = {"task": "flatten_py", "text": "x"}
    with pytest.raises(error, match=message):
        gradebox.grade_many([good, {**good, "sample": sample}])


@pytest.mark.parametrize("bad, error, message", [
    (report("m", 0, 4), ValueError, r"results\[1\]: model 'm', task 'flatten_py', sample 0 "
                                    r"repeats results\[0\]"),
    (report("m", 1, 4, verdict="fine"), ValueError, r"results\[1\]\['verdict'\]: unknown"),
    (report("m", 10000, 4), ValueError, r"results\[1\]\['sample'\] must be an integer"),
    ({"task": "flatten_py"}, ValueError, r"results\[1\] has no 'verdict'"),
    (report("m", 1, 4, correctness={"score": "x"}), TypeError,
     r"results\[1\]\['correctness'\]\['score'\] must be a number"),
    ("flatten_py", TypeError, r"results\[1\] must be a report"),
])
def test_a_bad_result_names_it(bad, error, message):
    with pytest.raises(error, match=message):
        gradebox.aggregate([report("m", 0, 4), bad])
