// Reading the fields of a Python mapping (a JSONL-like record, a report
// dict) with errors that name the record and key, e.g.
// "records[3]['sample']": a TypeError for a wrong type, a ValueError for a
// missing key or a value out of range. grade_many and aggregate share them.
#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace gradebox::python {

/// `value` as UTF-8, or TypeError "<what> must be str, not <type>".
std::string require_str(const pybind11::handle& value, const std::string& what);

/// mapping[key]; None when absent, unless `required` (then ValueError
/// "<where> has no '<key>'").
pybind11::object record_field(const pybind11::handle& mapping, const char* key,
                              const std::string& where, bool required);

/// mapping["sample"] with a JSONL record's rule (pipeline/run_input.h):
/// absent or None is 0, else an int from 0 to kMaxSample (bool is no int).
int sample_field(const pybind11::handle& mapping, const std::string& where);

}  // namespace gradebox::python
