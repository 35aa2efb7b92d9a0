// gradebox as a Python module: grade answers from the benchmark harness
// without shelling out. The functions live in calls.cc; this file is their
// Python face (names, keyword arguments, docstrings).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "aggregates.h"
#include "calls.h"
#include "session.h"

namespace py = pybind11;
using gradebox::python::OptionalPath;
using gradebox::python::PythonGradeOptions;

namespace {

constexpr const char* kModuleDoc = R"(Grade LLM-written code in gradebox's sandbox.

    import gradebox
    report = gradebox.grade("flatten_py", text, model="glm-5")
    print(report["verdict"], report["correctness"]["score"], report["edge_cases"]["score"])

Reports are dicts with the same fields as `gradebox grade --format json`.
Grading runs the answer in a sandbox (root or user namespaces needed) and
releases the GIL, so threads grade in parallel. The first grading call
starts the sandbox; later calls reuse it.
)";

// The signature lines are written out (pybind11's would say `object` for
// task and text, which are checked by hand for clearer TypeErrors).
constexpr const char* kGradeDoc =
    R"(grade(task: str, text: str, *, model: str = '', pick: str = 'first', graders: str | os.PathLike | None = None, retry_timeouts: bool = True, reasoning: str | None = None, finish_reason: str | None = None) -> dict

Grade one answer (the model's raw text) for `task`; returns the report.

Args:
    task: a task id, e.g. "flatten_py" (see tasks()).
    text: the model's answer, markdown or bare code.
    model: the model id recorded in the report.
    pick: "first" grades the primary code block; "best" grades every
        candidate block and keeps the best.
    graders: folder of task packs; default $GRADEBOX_GRADERS, else the
        source tree's graders/, as the CLI.
    retry_timeouts: run a timed-out test once more before it counts.
    reasoning: the answer's separate reasoning text (an API's
        reasoning_content); its code is graded only when the answer has
        none, and the report then says from_reasoning.
    finish_reason: the API's finish reason; "length" (or "max_tokens")
        marks the report truncated.

Returns:
    The report as a dict (task, model, verdict, correctness, edge_cases,
    tests, extraction, environment, ...). A wrong, crashing or hostile
    answer is a report, never an exception.

Raises:
    TypeError: task, text, model, reasoning or finish_reason has the wrong type.
    ValueError: unknown task (the message names the known ones), bad pick,
        a finish_reason that is not one short word.
    GraderError: gradebox could not grade (verdict "grader-error", e.g. the
        sandbox cannot start); the report is in err.report.
)";

constexpr const char* kGradeManyDoc =
    R"(grade_many(records: Iterable[Mapping[str, Any]], *, jobs: int = 0, pick: str = 'first', graders: str | os.PathLike | None = None, retry_timeouts: bool = True) -> list[dict]

Grade many answers on `jobs` threads; returns the reports in input order.

Args:
    records: mappings like the benchmark's JSONL lines, {"model", "task",
        "text", "latency_s", "tokens"}; "task" and "text" are required,
        "model" is recorded, "sample" (an int from 0 to 9999, 0 when
        absent) numbers a model's answers to one task, "reasoning_content" (or "reasoning") and
        "finish_reason" are used as grade()'s reasoning and finish_reason,
        other keys are ignored.
    jobs: grading threads sharing one sandbox; 0 means one per core.
    pick, graders, retry_timeouts: as for grade().

Each report carries its record's "sample" (for aggregate()). Every record
is checked before anything is graded. Ctrl-C stops taking new
records, waits for the running ones and raises KeyboardInterrupt.

Raises:
    TypeError: a record is not a mapping, or a field has the wrong type.
    ValueError: a record lacks "task" or "text", names an unknown task,
        has a sample outside 0-9999 (the message says which record), or
        jobs < 0, or a bad pick.
    GraderError: after all records are done, if any could not be graded:
        err.report is the first such report, err.reports all of them.
)";

constexpr const char* kAggregateDoc =
    R"(aggregate(results: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, dict]]

Per model and task, the numbers `gradebox run`'s leaderboard shows for the
reports' samples (the same code computes them).

Args:
    results: reports as grade_many returns them (also err.reports of a
        GraderError): task, verdict, correctness, edge_cases, and model
        ('' when absent) and sample (0 when absent).

Returns:
    {model: {task: cell}}, each cell a dict: n (samples), passed (samples
    whose core tests all pass), verdict (the samples' if they agree, else
    "mixed"), correctness, edge_cases, automated (means, 2 decimals;
    automated = 0.4 correctness + 0.2 edge cases, of 6; a grader-error
    sample counts 0), pass_at ({"1": p, "5": p, "10": p} for each k <= n,
    unbiased, Chen et al. 2021) and ci95 ([low, high], a 95 % bootstrap
    interval of the automated score with a fixed seed; None when n = 1).

Raises:
    TypeError: a result is not a mapping, or a field has the wrong type.
    ValueError: a field is missing or out of range, or two results have
        the same model, task and sample (the message names the results).
)";

constexpr const char* kTasksDoc =
    R"(tasks(*, graders: str | os.PathLike | None = None) -> list[dict]

The task packs found in `graders` (default as for grade()).

Returns a list, sorted by id, of dicts: id, version, stamp, language,
runtime, prompt, categories [{id, kind, description}], tests (how many
hidden tests), dir. A task pack that does not load is a RuntimeWarning.
)";

}  // namespace

PYBIND11_MODULE(gradebox, m) {
  py::options options;
  options.disable_function_signatures();
  m.doc() = kModuleDoc;
  m.attr("__version__") = GRADEBOX_VERSION;
  gradebox::python::define_grader_error(m);
  gradebox::python::install_fork_handlers();

  m.def(
      "grade",
      [](const py::object& task, const py::object& text, const py::object& model,
         const std::string& pick, const OptionalPath& graders, bool retry_timeouts,
         const py::object& reasoning, const py::object& finish_reason) {
        return gradebox::python::grade(task, text, model, {pick, graders, retry_timeouts},
                                       reasoning, finish_reason);
      },
      kGradeDoc, py::arg("task"), py::arg("text"), py::kw_only(), py::arg("model") = "",
      py::arg("pick") = "first", py::arg("graders") = py::none(), py::arg("retry_timeouts") = true,
      py::arg("reasoning") = py::none(), py::arg("finish_reason") = py::none());

  m.def(
      "grade_many",
      [](const py::iterable& records, int jobs, const std::string& pick,
         const OptionalPath& graders, bool retry_timeouts) {
        return gradebox::python::grade_many(records, jobs, {pick, graders, retry_timeouts});
      },
      kGradeManyDoc, py::arg("records"), py::kw_only(), py::arg("jobs") = 0,
      py::arg("pick") = "first", py::arg("graders") = py::none(), py::arg("retry_timeouts") = true);

  m.def("aggregate", &gradebox::python::aggregate, kAggregateDoc, py::arg("results"));

  m.def("tasks", &gradebox::python::tasks, kTasksDoc, py::kw_only(),
        py::arg("graders") = py::none());
}
