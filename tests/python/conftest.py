"""Shared helpers for the gradebox module's tests.

The tests grade in the real sandbox (root, as CI runs them). ctest sets
PYTHONPATH to the build's python/ folder; by hand:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python
"""

import json
import pathlib
import shutil

import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = SOURCE / "fixtures" / "flatten_py"
PACK = SOURCE / "graders" / "flatten_py"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def expected_categories(name: str) -> dict:
    """fixtures/flatten_py/expected.json's per-category results for `name`."""
    return json.loads((FIXTURES / "expected.json").read_text())[name]["categories"]


def category_results(report: dict) -> dict:
    """pass/fail per category, as expected.json spells it (n/a left out)."""
    results: dict[str, str] = {}
    for test in report["tests"]:
        if test["status"] == "n/a":
            continue
        ok = test["status"] == "pass" and results.get(test["category"], "pass") == "pass"
        results[test["category"]] = "pass" if ok else "fail"
    return results


@pytest.fixture
def graders_copy(tmp_path: pathlib.Path) -> pathlib.Path:
    """A graders folder with flatten_py and its shared helpers, to break at will."""
    for name in ("flatten_py", "_python"):
        shutil.copytree(SOURCE / "graders" / name, tmp_path / name)
    return tmp_path
