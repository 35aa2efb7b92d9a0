#include "aggregates.h"

#include <map>

#include "fields.h"
#include "pipeline/leaderboard.h"

namespace gradebox::python {
namespace py = pybind11;

namespace {

using pipeline::AnswerKey;
using pipeline::TaskCell;

double number_field(const py::handle& mapping, const char* key, const std::string& where) {
  py::object value = record_field(mapping, key, where, true);
  std::string what = where + "['" + key + "']";
  if (!py::isinstance<py::int_>(value) && !py::isinstance<py::float_>(value))
    throw py::type_error(what + " must be a number");
  return value.cast<double>();
}

int count_field(const py::handle& mapping, const char* key, const std::string& where) {
  py::object value = record_field(mapping, key, where, true);
  std::string what = where + "['" + key + "']";
  if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value))
    throw py::type_error(what + " must be int");
  int overflow = 0;
  long long n = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow || n < 0 || n > 1000000) throw py::value_error(what + " is out of range");
  return static_cast<int>(n);
}

py::object mapping_field(const py::handle& mapping, const char* key, const std::string& where,
                         const py::handle& mapping_type) {
  py::object value = record_field(mapping, key, where, true);
  if (!py::isinstance(value, mapping_type))
    throw py::type_error(where + "['" + key + "'] must be a mapping");
  return value;
}

// What the leaderboard reads of one report: its verdict and the two scores.
Report report_from(const py::handle& result, const std::string& where,
                   const py::handle& mapping_type) {
  if (!py::isinstance(result, mapping_type))
    throw py::type_error(where + " must be a report (a mapping), as grade_many returns");
  Report r;
  r.task = require_str(record_field(result, "task", where, true), where + "['task']");
  py::object model = record_field(result, "model", where, false);
  r.model = model.is_none() ? "" : require_str(model, where + "['model']");
  std::string verdict =
      require_str(record_field(result, "verdict", where, true), where + "['verdict']");
  auto parsed = verdict_from(verdict);
  if (!parsed) throw py::value_error(where + "['verdict']: unknown verdict '" + verdict + "'");
  r.verdict = *parsed;
  std::string c = where + "['correctness']";
  py::object correctness = mapping_field(result, "correctness", where, mapping_type);
  r.correctness.score = number_field(correctness, "score", c);
  r.correctness.passed = count_field(correctness, "passed", c);
  r.correctness.total = count_field(correctness, "total", c);
  py::object edge = mapping_field(result, "edge_cases", where, mapping_type);
  r.edge_cases.score = number_field(edge, "score", where + "['edge_cases']");
  return r;
}

// The results as a run of the pipeline: one answer per (model, task, sample).
pipeline::RunView run_of(const py::iterable& results) {
  py::object mapping_type = py::module_::import("collections.abc").attr("Mapping");
  pipeline::RunView run;
  std::map<AnswerKey, std::string> seen;
  int i = 0;
  for (const py::handle& result : results) {
    std::string where = "results[" + std::to_string(i++) + "]";
    Report report = report_from(result, where, mapping_type);
    AnswerKey key{report.model, report.task, sample_field(result, where)};
    if (auto it = seen.find(key); it != seen.end())
      throw py::value_error(where + ": model '" + key.model + "', task '" + key.task +
                            "', sample " + std::to_string(key.sample) + " repeats " + it->second);
    seen[key] = where;
    pipeline::AnswerRecord record{key.model, key.task, "", 0, 0, where};
    record.sample = key.sample;
    run.answers.push_back({record, ""});
    run.results[key] = {"", "", false, std::move(report)};
  }
  return run;
}

py::dict cell_dict(const TaskCell& cell) {
  py::dict pass_at;
  for (const auto& [k, p] : cell.pass_at) pass_at[py::str(std::to_string(k))] = p;
  py::dict d;
  d["n"] = cell.n;
  d["passed"] = cell.passed;
  d["verdict"] = cell.verdict;
  d["correctness"] = cell.correctness;
  d["edge_cases"] = cell.edge;
  d["automated"] = cell.automated;
  d["pass_at"] = pass_at;
  d["ci95"] = cell.ci95 ? py::object(py::list(py::make_tuple(cell.ci95->low, cell.ci95->high)))
                        : py::none();
  return d;
}

}  // namespace

py::dict aggregate(const py::iterable& results) {
  pipeline::RunView run = run_of(results);
  pipeline::Leaderboard board;
  {
    py::gil_scoped_release release;  // 2000 resamples per interval
    board = pipeline::build_leaderboard(run, {}, std::nullopt);
  }
  py::dict models;
  for (const auto& row : board.rows) {
    py::dict tasks;
    for (const auto& [task, cell] : row.tasks)
      if (cell.n > 0) tasks[py::str(task)] = cell_dict(cell);  // not a missing answer
    models[py::str(row.model)] = tasks;
  }
  return models;
}

}  // namespace gradebox::python
