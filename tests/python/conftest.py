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
PACK = SOURCE / "graders" / "flatten_py"
KNOWN = PACK / "known"  # known answers and their expectations (graders/README.md)


def fixture_text(name: str) -> str:
    """A flatten_py known answer's text (or its .reasoning.txt)."""
    return (KNOWN / name).read_text()


def expected_categories(name: str) -> dict:
    """The per-category results known/<name>.json expects for known answer `name`."""
    return json.loads((KNOWN / name).with_suffix(".json").read_text())["categories"]


def category_results(report: dict) -> dict:
    """pass/fail per category, as an expectation spells it (n/a left out)."""
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
