"""Threads: the GIL is released while grading, and concurrent grades of
different answers do not mix their results."""

import _thread
import threading
import time

import gradebox
import pytest
from conftest import category_results, expected_categories, fixture_text


def test_two_threads_grade_at_once_and_each_gets_its_own_report():
    names = ["recursive_typed.md", "falsy_dropped.md"]
    reports: dict[str, dict] = {}
    barrier = threading.Barrier(len(names))

    def grade(name):
        barrier.wait()  # both calls start together
        reports[name] = gradebox.grade("flatten_py", fixture_text(name), model=name)

    threads = [threading.Thread(target=grade, args=(name,)) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in names:
        assert reports[name]["model"] == name
        assert category_results(reports[name]) == expected_categories(name)


# A correct answer that sleeps at import: its grade takes at least
# SLEEP_S of wall time but almost no CPU, so the timing checks below hold on
# a loaded machine too.
SLEEP_S = 1.5
SLEEPY = f"""```python
import time
time.sleep({SLEEP_S})

def flatten(items):
    out = []
    for item in items:
        out.extend(flatten(item) if isinstance(item, list) else [item])
    return out
```
"""


def test_python_keeps_running_while_a_grade_is_in_progress():
    done = threading.Event()
    result = {}

    def grade():
        result["report"] = gradebox.grade("flatten_py", SLEEPY)
        done.set()

    thread = threading.Thread(target=grade)
    started = time.monotonic()
    thread.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
        time.sleep(0.01)
    thread.join()
    assert time.monotonic() - started >= SLEEP_S
    # ~150 ticks when the GIL is released; one or two if grade held it.
    assert ticks >= 20
    assert result["report"]["correctness"]["score"] == 10.0


def test_grade_many_with_two_jobs_grades_two_at_once():
    records = [{"task": "flatten_py", "text": SLEEPY}] * 2
    started = time.monotonic()
    serial = gradebox.grade_many(records, jobs=1)
    serial_s = time.monotonic() - started
    started = time.monotonic()
    parallel = gradebox.grade_many(records, jobs=2)
    parallel_s = time.monotonic() - started
    assert [r["correctness"]["score"] for r in serial + parallel] == [10.0] * 4
    assert serial_s >= 2 * SLEEP_S
    assert parallel_s < serial_s - SLEEP_S / 2, (parallel_s, serial_s)


def test_ctrl_c_stops_grade_many_after_the_running_answer():
    records = [{"task": "flatten_py", "text": SLEEPY}] * 8  # >= 12 s on one job
    threading.Timer(0.2, _thread.interrupt_main).start()  # as if Ctrl-C were pressed
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        gradebox.grade_many(records, jobs=1)
    assert time.monotonic() - started < 3 * SLEEP_S + 1.0
    # The module still works afterwards.
    report = gradebox.grade("flatten_py", fixture_text("recursive_typed.md"))
    assert report["correctness"]["score"] == 10.0
