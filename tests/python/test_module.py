"""The module's face: tasks(), docstrings, and the .pyi stub next to it."""

import ast
import inspect
import pathlib

import gradebox
import pytest
from conftest import SOURCE


def test_tasks_lists_every_task_pack_with_its_categories():
    found = {t["id"]: t for t in gradebox.tasks()}
    folders = {p.name for p in (SOURCE / "graders").iterdir()
               if (p / "task.json").exists() and not p.name.startswith("_")}
    assert set(found) == folders
    flatten = found["flatten_py"]
    assert flatten["language"] == "python" and flatten["tests"] > 0
    assert {c["kind"] for c in flatten["categories"]} == {"core", "edge"}
    judges = {c["id"]: c["judges"] for c in flatten["categories"]}
    assert judges["no-mutation"] == "behaviour"
    assert set(judges.values()) == {"value", "behaviour"}
    assert flatten["stamp"].startswith(flatten["version"])
    assert [t["id"] for t in gradebox.tasks()] == sorted(found)


def test_a_broken_task_pack_is_a_warning(graders_copy):
    (graders_copy / "broken").mkdir()
    (graders_copy / "broken" / "task.json").write_text("{not json")
    with pytest.warns(RuntimeWarning, match="broken"):
        ids = [t["id"] for t in gradebox.tasks(graders=graders_copy)]
    assert ids == ["flatten_py"]


def test_functions_and_the_error_have_docstrings():
    for obj in (gradebox, gradebox.grade, gradebox.grade_many, gradebox.tasks,
                gradebox.GraderError):
        assert obj.__doc__ and len(obj.__doc__) > 80, obj
    assert "ValueError" in gradebox.grade.__doc__ and "GraderError" in gradebox.grade.__doc__
    assert gradebox.GraderError.__module__ == "gradebox"
    assert issubclass(gradebox.GraderError, RuntimeError)


def test_stub_sits_next_to_the_module_and_declares_every_public_name():
    stub = pathlib.Path(gradebox.__file__).with_name("gradebox.pyi")
    tree = ast.parse(stub.read_text())
    declared = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    declared |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}
    public = {name for name in dir(gradebox) if not name.startswith("_")} | {"__version__"}
    assert public <= declared


def test_stub_signatures_match_the_module():
    stub = ast.parse(pathlib.Path(gradebox.__file__).with_name("gradebox.pyi").read_text())
    for fn in (n for n in stub.body if isinstance(n, ast.FunctionDef)):
        keywords = {a.arg for a in fn.args.kwonlyargs}
        positional = [a.arg for a in fn.args.args]
        call = getattr(gradebox, fn.name)
        # pybind11 puts the real signature on the first docstring line.
        first_line = call.__doc__.splitlines()[0]
        for name in positional + sorted(keywords):
            assert f"{name}:" in first_line, (fn.name, name, first_line)
        assert ("*," in first_line) == bool(keywords), first_line


def test_version_is_the_projects():
    cmake = (SOURCE / "CMakeLists.txt").read_text()
    assert f"VERSION {gradebox.__version__}" in cmake
    assert inspect.isbuiltin(gradebox.grade)
