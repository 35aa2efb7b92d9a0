"""gradebox.grade: reports as dicts, argument errors, grader failures."""

import json
import os
import pathlib
import pickle
import subprocess

import gradebox
import pytest
from conftest import (PACK, category_results, expected_categories, fixture_text)


@pytest.mark.parametrize("name", ["recursive_typed.md", "falsy_dropped.md", "strings_split.md"])
def test_fixture_gets_the_categories_expected_json_states(name):
    report = gradebox.grade("flatten_py", fixture_text(name), model="fixture")
    assert report["verdict"] == "graded"
    assert report["task"] == "flatten_py"
    assert report["model"] == "fixture"
    assert category_results(report) == expected_categories(name)


def test_correct_answer_scores_ten_and_buggy_one_less():
    correct = gradebox.grade("flatten_py", fixture_text("recursive_typed.md"))
    buggy = gradebox.grade("flatten_py", fixture_text("falsy_dropped.md"))
    assert correct["correctness"]["score"] == 10.0
    assert correct["edge_cases"]["score"] == 10.0
    assert correct["correctness"]["passed"] == correct["correctness"]["total"] > 0
    assert buggy["edge_cases"]["score"] < 10.0
    failed = [t for t in buggy["tests"] if t["status"] != "pass"]
    assert failed and all(t["category"] == "falsy-elements" for t in failed)


def test_report_is_the_cli_json_report():
    cli = pathlib.Path(gradebox.__file__).resolve().parent.parent / "gradebox"
    answer = PACK / "known" / "falsy_dropped.md"
    out = subprocess.run([str(cli), "grade", "--task", "flatten_py", "--format", "json",
                          "--model", "m", str(answer)], capture_output=True, text=True, check=True)
    from_cli = json.loads(out.stdout)
    from_module = gradebox.grade("flatten_py", answer.read_text(), model="m")
    assert from_module.keys() == from_cli.keys()
    for key in ("task", "model", "verdict", "extraction", "correctness", "edge_cases"):
        assert from_module[key] == from_cli[key], key
    assert [(t["id"], t["status"]) for t in from_module["tests"]] == \
           [(t["id"], t["status"]) for t in from_cli["tests"]]
    assert from_module["environment"].keys() == from_cli["environment"].keys()


def test_pick_best_keeps_the_working_alternative():
    text = fixture_text("two_alternatives_first_broken.md")
    first = gradebox.grade("flatten_py", text, pick="first")
    best = gradebox.grade("flatten_py", text, pick="best")
    assert first["extraction"]["pick"] == "first"
    assert best["extraction"]["pick"] == "best"
    assert best["correctness"]["score"] > first["correctness"]["score"]


def test_prose_without_code_is_a_verdict_not_an_exception():
    report = gradebox.grade("flatten_py", "I would rather not write code today.")
    assert report["verdict"] == "no-code"
    assert report["correctness"]["score"] == 0


def test_unknown_task_is_a_value_error_naming_the_known_ones():
    with pytest.raises(ValueError) as err:
        gradebox.grade("flatten_rs", "def flatten(x): return x")
    assert "flatten_rs" in str(err.value)
    for task in gradebox.tasks():
        assert task["id"] in str(err.value)


@pytest.mark.parametrize("text", [b"def flatten(x): return x", None, 42, ["def flatten"]])
def test_text_that_is_not_str_is_a_type_error(text):
    with pytest.raises(TypeError, match="text must be str"):
        gradebox.grade("flatten_py", text)


def test_task_and_model_that_are_not_str_are_type_errors():
    with pytest.raises(TypeError, match="task must be str"):
        gradebox.grade(b"flatten_py", "x")
    with pytest.raises(TypeError, match="model must be str"):
        gradebox.grade("flatten_py", "x", model=7)


def test_bad_pick_is_a_value_error():
    with pytest.raises(ValueError, match="pick"):
        gradebox.grade("flatten_py", "x", pick="worst")


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        gradebox.grade("flatten_py", "x", "model-as-positional")


def test_lone_surrogate_is_an_encode_error_not_a_crash():
    with pytest.raises(UnicodeEncodeError):
        gradebox.grade("flatten_py", "def flatten(x):\n    return '\ud800'\n")


def test_grader_failure_raises_grader_error_with_the_report(graders_copy):
    # A harness that dies before it reports is gradebox's fault, not the answer's.
    (graders_copy / "flatten_py" / "harness.py").write_text("import sys\nsys.exit(7)\n")
    with pytest.raises(gradebox.GraderError) as err:
        gradebox.grade("flatten_py", fixture_text("recursive_typed.md"), model="m",
                       graders=graders_copy)
    assert isinstance(err.value, RuntimeError)
    assert err.value.report["verdict"] == "grader-error"
    assert err.value.report["model"] == "m"
    assert err.value.report["verdict_detail"] in str(err.value)
    assert err.value.reports is None
    copy = pickle.loads(pickle.dumps(err.value))
    assert str(copy) == str(err.value) and copy.report == err.value.report


def test_graders_folder_is_honoured(graders_copy):
    assert [t["id"] for t in gradebox.tasks(graders=os.fspath(graders_copy))] == ["flatten_py"]
    with pytest.raises(ValueError, match=r"known: flatten_py\)"):
        gradebox.grade("race_js", "x", graders=graders_copy)
    report = gradebox.grade("flatten_py", fixture_text("recursive_typed.md"), graders=graders_copy)
    assert report["verdict"] == "graded"


def test_unknown_task_says_why_packs_did_not_load(tmp_path):
    with pytest.raises(ValueError, match=r"known: none\).*not found"):
        gradebox.grade("flatten_py", "x", graders=tmp_path / "missing")
