"""Reasoning and truncation through the module: grade(reasoning=...,
finish_reason=...) and grade_many records carrying reasoning_content and
finish_reason (docs/extraction.md, "Reasoning")."""

import gradebox
import pytest
from conftest import fixture_text

ANSWER_WITHOUT_CODE = fixture_text("separate_reasoning_only.md")
REASONING_WITH_CODE = fixture_text("separate_reasoning_only.reasoning.txt")


def test_reasoning_is_graded_only_when_the_answer_has_no_code():
    report = gradebox.grade("flatten_py", ANSWER_WITHOUT_CODE, reasoning=REASONING_WITH_CODE)
    assert report["verdict"] == "graded"
    assert report["from_reasoning"] is True
    assert report["correctness"]["score"] == 10.0
    blocks = report["extraction"]["blocks"]
    assert blocks and all(block.get("reasoning") for block in blocks)


def test_without_the_reasoning_the_same_answer_has_no_code():
    report = gradebox.grade("flatten_py", ANSWER_WITHOUT_CODE)
    assert report["verdict"] == "no-code"
    assert report["from_reasoning"] is False


def test_reasoning_beside_an_answer_with_code_is_never_read():
    report = gradebox.grade("flatten_py", fixture_text("separate_reasoning_ignored.md"),
                            reasoning=fixture_text("separate_reasoning_ignored.reasoning.txt"))
    assert report["from_reasoning"] is False
    assert report["extraction"]["candidates"] == 1
    assert report["correctness"]["score"] == 10.0


def test_finish_reason_length_marks_the_report_truncated():
    text = fixture_text("recursive_typed.md")
    assert gradebox.grade("flatten_py", text, finish_reason="length")["truncated"] is True
    assert gradebox.grade("flatten_py", text, finish_reason="stop")["truncated"] is False


@pytest.mark.parametrize("bad, error", [(b"length", TypeError), (3, TypeError),
                                        ("len gth", ValueError), ("", ValueError)])
def test_bad_finish_reason_is_an_argument_error(bad, error):
    with pytest.raises(error, match="finish_reason"):
        gradebox.grade("flatten_py", "x", finish_reason=bad)


def test_bad_reasoning_type_is_a_type_error():
    with pytest.raises(TypeError, match="reasoning"):
        gradebox.grade("flatten_py", "x", reasoning=b"bytes")


def test_grade_many_reads_reasoning_content_and_finish_reason():
    records = [
        {"task": "flatten_py", "text": ANSWER_WITHOUT_CODE, "reasoning_content": REASONING_WITH_CODE},
        {"task": "flatten_py", "text": ANSWER_WITHOUT_CODE, "reasoning": REASONING_WITH_CODE,
         "finish_reason": "length"},
        {"task": "flatten_py", "text": ANSWER_WITHOUT_CODE, "reasoning_content": None},
    ]
    first, second, third = gradebox.grade_many(records, jobs=1)
    assert first["from_reasoning"] and first["verdict"] == "graded"
    assert second["from_reasoning"] and second["truncated"]
    assert third["verdict"] == "no-code" and not third["truncated"]


def test_grade_many_names_the_record_with_a_bad_finish_reason():
    records = [{"task": "flatten_py", "text": "x"}, {"task": "flatten_py", "text": "x", "finish_reason": 7}]
    with pytest.raises(TypeError, match=r"records\[1\]\['finish_reason'\]"):
        gradebox.grade_many(records)
