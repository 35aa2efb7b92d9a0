// The module's three functions, in Python terms: argument checks that raise
// TypeError/ValueError, the GIL released while gradebox works, reports as
// dicts, and GraderError when gradebox (never the answer) failed.
#pragma once

#include <pybind11/pybind11.h>

#include <filesystem>
#include <optional>
#include <string>

namespace gradebox::python {

using OptionalPath = std::optional<std::filesystem::path>;

/// Options grade and grade_many share, as Python passed them.
struct PythonGradeOptions {
  std::string pick = "first";
  OptionalPath graders;
  bool retry_timeouts = true;
};

pybind11::dict grade(const pybind11::object& task, const pybind11::object& text,
                     const pybind11::object& model, const PythonGradeOptions& options,
                     const pybind11::object& reasoning, const pybind11::object& finish_reason);
pybind11::list grade_many(const pybind11::iterable& records, int jobs,
                          const PythonGradeOptions& options);
pybind11::list tasks(const OptionalPath& graders);

/// Defines gradebox.GraderError (a RuntimeError with .report and .reports).
void define_grader_error(pybind11::module_& module);

}  // namespace gradebox::python
