"""Grade LLM-written code in gradebox's sandbox (type stubs for editors).

Reports are dicts with the same fields as ``gradebox grade --format json``.
"""

import os
from typing import Any, Iterable, Literal, Mapping, NotRequired, TypedDict

__version__: str

Pick = Literal["first", "best"]
Verdict = Literal["graded", "no-code", "compile-error", "unsupported", "grader-error"]
TestStatus = Literal[
    "pass", "fail", "error", "timeout", "memory", "crash", "violation", "output-limit", "n/a"
]

class Score(TypedDict):
    score: float  # 10 x passed / total, one decimal
    passed: int
    total: int

class TestResult(TypedDict):
    id: str
    kind: Literal["core", "edge"]
    category: str
    status: TestStatus
    time_ms: float
    detail: str
    retried: NotRequired[bool]  # present (True) when the test was run again
    reruns: NotRequired[int]  # these four when it was: a starved timeout, or a CPU time
    times_ms: NotRequired[list[float | None]]  # within 10 % of its limit (majority of 3)
    run_statuses: NotRequired[list[TestStatus]]  # each run's status, in order
    limit_ms: NotRequired[float]  # the CPU limit the times were held against

class Report(TypedDict):
    """One graded answer; the contract's fields (docs/README.md)."""

    task: str
    model: str
    verdict: Verdict
    verdict_detail: str
    extraction: dict[str, Any]
    correctness: Score
    edge_cases: Score
    tests: list[TestResult]
    load: dict[str, Any]
    environment: dict[str, Any]
    extra: dict[str, Any]
    grade_seconds: float
    from_reasoning: bool  # the graded code is in the model's reasoning (the answer had none)
    truncated: bool  # cut at the token limit: finish_reason "length", or an unclosed fence
    sample: NotRequired[int]  # grade_many: the record's sample (0 when it had none)

class AnswerRecord(TypedDict, total=False):
    """A benchmark JSONL line; only task and text are required."""

    model: str
    task: str
    text: str
    latency_s: float
    tokens: int
    reasoning_content: str | None  # the API's separate reasoning ("reasoning" also read)
    reasoning: str | None
    finish_reason: str | None  # "length": the report says truncated
    sample: int | None  # which of the model's answers to the task, 0-9999 (None, absent: 0)

class Aggregate(TypedDict):
    """One model x task over its samples: the leaderboard's cell."""

    n: int  # samples
    passed: int  # samples whose core tests all pass
    verdict: str  # the samples' verdict if they agree, else "mixed"
    correctness: float  # means over the samples, 2 decimals (grader-error: 0)
    edge_cases: float
    automated: float  # 0.4 correctness + 0.2 edge cases, of 6
    pass_at: dict[str, float]  # {"1": p, "5": p, "10": p} for each k <= n (Chen et al. 2021)
    ci95: list[float] | None  # [low, high]: 95 % bootstrap interval of automated; None if n = 1

class Category(TypedDict):
    id: str
    kind: Literal["core", "edge"]
    judges: Literal["value", "behaviour", "prose"]  # docs/README.md: the behaviour rule
    description: str

class TaskInfo(TypedDict):
    id: str
    version: str
    stamp: str
    language: str
    runtime: str
    prompt: str
    categories: list[Category]
    tests: int
    dir: str

class GraderError(RuntimeError):
    """gradebox could not grade (verdict "grader-error"): never the answer's fault."""

    report: Report | None
    """The report of the answer that could not be graded."""
    reports: list[Report] | None
    """From grade_many: every report, in input order; None from grade."""
    def __init__(
        self, message: str, report: Report | None = ..., reports: list[Report] | None = ...
    ) -> None: ...

def grade(
    task: str,
    text: str,
    *,
    model: str = "",
    pick: Pick = "first",
    graders: str | os.PathLike[str] | None = None,
    retry_timeouts: bool = True,
    reasoning: str | None = None,
    finish_reason: str | None = None,
) -> Report:
    """Grade one answer (the model's raw text) for `task`; returns the report.

    `reasoning` (an API's reasoning_content) is graded only when the answer
    has no code (the report then says from_reasoning); finish_reason
    "length" marks the report truncated.

    Raises TypeError (non-str task/text/model/reasoning/finish_reason),
    ValueError (unknown task, bad pick, a finish_reason that is not one
    word) and GraderError (gradebox could not grade; see err.report).
    The GIL is released while grading.
    """

def grade_many(
    records: Iterable[Mapping[str, Any]],
    *,
    jobs: int = 0,
    pick: Pick = "first",
    graders: str | os.PathLike[str] | None = None,
    retry_timeouts: bool = True,
) -> list[Report]:
    """Grade records like the benchmark's JSONL lines on `jobs` threads
    (0: one per core); reports in input order, each with its record's
    ``sample`` (an int 0-9999, 0 when absent).

    Every record is checked first (TypeError/ValueError name the record).
    GraderError after all are done if any could not be graded (err.reports).
    """

def aggregate(results: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Aggregate]]:
    """{model: {task: Aggregate}} over grade_many's reports (model and
    sample as their records had them), computed by the same code as
    ``gradebox run``'s leaderboard.

    TypeError/ValueError name the result (e.g. results[3]['verdict']); two
    results with the same model, task and sample are a ValueError.
    """

def tasks(*, graders: str | os.PathLike[str] | None = None) -> list[TaskInfo]:
    """The task packs found, sorted by id."""
