#include "calls.h"

#include <pybind11/eval.h>

#include <chrono>

#include "grade/job_limit.h"
#include "gradebox/frontend.h"
#include "gradebox/grade.h"
#include "gradebox/report.h"
#include "fields.h"
#include "json_to_python.h"
#include "parallel_grading.h"
#include "session.h"

namespace gradebox::python {
namespace py = pybind11;

namespace {

// How often grade_many looks for Ctrl-C while the workers grade.
constexpr std::chrono::milliseconds kSignalPoll{100};

GradeOptions grade_options(const std::string& model, const PythonGradeOptions& options) {
  if (options.pick != "first" && options.pick != "best") {
    throw py::value_error("pick must be 'first' or 'best', not '" + options.pick + "'");
  }
  return {model, options.pick == "best", options.retry_timeouts};
}

// reasoning / finish_reason: None or a str; a finish reason is one word.
// `where` names the record ("records[3]"), empty for grade()'s arguments.
void add_record_fields(GradeOptions& grade_opts, const py::handle& reasoning,
                       const py::handle& finish_reason, const std::string& where) {
  auto name = [&](const char* field) {
    return where.empty() ? field : where + "['" + field + "']";
  };
  if (!reasoning.is_none()) grade_opts.reasoning = require_str(reasoning, name("reasoning"));
  if (finish_reason.is_none()) return;
  grade_opts.finish_reason = require_str(finish_reason, name("finish_reason"));
  std::string problem = finish_reason_problem(grade_opts.finish_reason);
  if (!problem.empty()) throw py::value_error(name("finish_reason") + ": " + problem);
}

std::shared_ptr<const TaskRegistry> load_registry(const OptionalPath& graders) {
  py::gil_scoped_release release;  // hashing every task pack takes a while
  return registry_for(graders.value_or(std::filesystem::path()));
}

const Task& task_or_raise(const TaskRegistry& registry, const std::string& id,
                          const std::string& where = "") {
  auto task = find_task(registry, id);
  if (!task) throw py::value_error(where + task.error().message);
  return **task;
}

py::dict report_dict(const Report& report) {
  return py::reinterpret_borrow<py::dict>(to_python(to_json(report)));
}

[[noreturn]] void raise_grader_error(const std::string& message, const py::object& report,
                                     const py::object& reports) {
  py::object type = py::module_::import("gradebox").attr("GraderError");
  py::object error = type(message, report, reports);
  PyErr_SetObject(type.ptr(), error.ptr());
  throw py::error_already_set();
}

std::string grader_error_message(const Report& report) {
  return "gradebox could not grade the answer to " + report.task + " (model '" + report.model +
         "'): " + report.verdict_detail;
}

}  // namespace

py::dict grade(const py::object& task, const py::object& text, const py::object& model,
               const PythonGradeOptions& options, const py::object& reasoning,
               const py::object& finish_reason) {
  std::string id = require_str(task, "task");
  std::string answer = require_str(text, "text");
  GradeOptions grade_opts = grade_options(require_str(model, "model"), options);
  add_record_fields(grade_opts, reasoning, finish_reason, "");
  auto registry = load_registry(options.graders);
  const Task& found = task_or_raise(*registry, id);
  Report report;
  {
    py::gil_scoped_release release;
    auto grader = shared_grader();
    report = grader ? (*grader)->grade(found, answer, grade_opts)
                    : grader_error_report(id, grade_opts.model, grader.error().message);
  }
  py::dict dict = report_dict(report);
  if (report.verdict == Verdict::kGraderError) {
    raise_grader_error(grader_error_message(report), dict, py::none());
  }
  return dict;
}

namespace {

GradeRequest request_from(const py::handle& record, const std::string& where,
                          const TaskRegistry& registry, const PythonGradeOptions& options,
                          const py::handle& mapping_type) {
  if (!py::isinstance(record, mapping_type)) {
    throw py::type_error(where + " must be a mapping like {'task': ..., 'text': ...}, not " +
                         py::str(py::type::handle_of(record).attr("__name__")).cast<std::string>());
  }
  std::string id = require_str(record_field(record, "task", where, true), where + "['task']");
  std::string text = require_str(record_field(record, "text", where, true), where + "['text']");
  py::object model = record_field(record, "model", where, false);
  std::string model_id = model.is_none() ? "" : require_str(model, where + "['model']");
  const Task& task = task_or_raise(registry, id, where + ": ");
  GradeOptions grade_opts = grade_options(model_id, options);
  // JSONL from OpenAI-compatible APIs names it reasoning_content.
  py::object reasoning = record_field(record, "reasoning_content", where, false);
  if (reasoning.is_none()) reasoning = record_field(record, "reasoning", where, false);
  add_record_fields(grade_opts, reasoning, record_field(record, "finish_reason", where, false),
                    where);
  return {&task, std::move(text), std::move(grade_opts), sample_field(record, where)};
}

// Every record checked before anything is graded: a typo in record 90
// should not cost the sandbox time of the first 89.
std::vector<GradeRequest> requests_from(const py::iterable& records, const TaskRegistry& registry,
                                        const PythonGradeOptions& options) {
  py::object mapping_type = py::module_::import("collections.abc").attr("Mapping");
  std::vector<GradeRequest> requests;
  for (const py::handle& record : records) {
    std::string where = "records[" + std::to_string(requests.size()) + "]";
    requests.push_back(request_from(record, where, registry, options, mapping_type));
  }
  return requests;
}

// Called without the GIL. Grades on `jobs` threads; between short waits it
// takes the GIL to run Python's signal handlers. nullopt: a handler raised
// (Ctrl-C); the error stays set for the caller to throw.
std::optional<std::vector<std::optional<Report>>> grade_interruptibly(
    std::shared_ptr<const Grader> grader, std::vector<GradeRequest> requests, int jobs) {
  ParallelGrading pool(std::move(grader), std::move(requests), jobs);
  while (!pool.wait_for(kSignalPoll)) {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) {
      pool.stop();  // the destructor waits for the answers already running
      return std::nullopt;
    }
  }
  return pool.finish();
}

std::vector<std::optional<Report>> all_grader_errors(const std::vector<GradeRequest>& requests,
                                                     const std::string& why) {
  std::vector<std::optional<Report>> reports;
  for (const auto& r : requests)
    reports.push_back(grader_error_report(r.task->id, r.options.model, why));
  return reports;
}

}  // namespace

py::list grade_many(const py::iterable& records, int jobs, const PythonGradeOptions& options) {
  if (jobs < 0)
    throw py::value_error("jobs must be >= 0 (0: one per core), not " + std::to_string(jobs));
  grade_options("", options);  // a bad pick is an error even for no records
  std::string notice;
  jobs = capped_jobs(jobs, "jobs", notice);
  if (!notice.empty() && PyErr_WarnEx(PyExc_RuntimeWarning, notice.c_str(), 1) != 0)
    throw py::error_already_set();  // warnings turned into errors (-W error)
  auto registry = load_registry(options.graders);
  std::vector<GradeRequest> requests = requests_from(records, *registry, options);
  if (requests.empty()) return py::list();  // no sandbox needed
  std::vector<int> samples;
  for (const auto& r : requests) samples.push_back(r.sample);
  std::optional<std::vector<std::optional<Report>>> reports;
  {
    py::gil_scoped_release release;
    auto grader = shared_grader();
    reports = grader ? grade_interruptibly(*grader, std::move(requests), jobs)
                     : all_grader_errors(requests, grader.error().message);
  }
  if (!reports) throw py::error_already_set();
  py::list dicts;
  std::optional<std::size_t> first_error;
  for (std::size_t i = 0; i < reports->size(); ++i) {
    const Report& report = *(*reports)[i];  // all present: nothing stopped the pool
    py::dict dict = report_dict(report);
    dict["sample"] = samples[i];  // as the record said: aggregate() keys on it
    dicts.append(dict);
    if (!first_error && report.verdict == Verdict::kGraderError) first_error = i;
  }
  if (first_error) {
    raise_grader_error(grader_error_message(*(*reports)[*first_error]), dicts[*first_error], dicts);
  }
  return dicts;
}

namespace {

py::dict task_dict(const Task& task) {
  py::list categories;
  for (const auto& c : task.categories) {
    categories.append(py::dict(py::arg("id") = c.id, py::arg("kind") = c.kind,
                               py::arg("judges") = c.judges,
                               py::arg("description") = c.description));
  }
  std::size_t tests = task.test_count();
  return py::dict(py::arg("id") = task.id, py::arg("version") = task.version,
                  py::arg("stamp") = task.stamp, py::arg("language") = task.language,
                  py::arg("runtime") = task.runtime, py::arg("prompt") = task.prompt,
                  py::arg("categories") = categories, py::arg("tests") = tests,
                  py::arg("dir") = task.dir.string());
}

}  // namespace

py::list tasks(const OptionalPath& graders) {
  auto registry = load_registry(graders);
  // A task pack that did not load is said, never skipped silently.
  for (const auto& problem : registry->problems) {
    if (PyErr_WarnEx(PyExc_RuntimeWarning, problem.message.c_str(), 1) != 0) {
      throw py::error_already_set();  // warnings turned into errors (-W error)
    }
  }
  py::list list;
  for (const auto& [id, task] : registry->tasks) list.append(task_dict(task));
  return list;
}

void define_grader_error(py::module_& module) {
  // A Python class, so it has a normal __init__ and attributes, and pickles.
  py::exec(R"(
class GraderError(RuntimeError):
    """gradebox could not grade: its sandbox or a grader failed (verdict
    "grader-error"). Never the answer's fault, so never a score.

    report: the report (dict) of the answer that could not be graded.
    reports: from grade_many, every report in input order (the others are
        complete); None from grade.
    """

    def __init__(self, message, report=None, reports=None):
        super().__init__(message)
        self.report = report
        self.reports = reports

    def __reduce__(self):
        return (type(self), (str(self), self.report, self.reports))
)",
           module.attr("__dict__"));
}

}  // namespace gradebox::python
