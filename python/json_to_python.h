// nlohmann::json -> plain Python objects (dict, list, str, int, float, bool,
// None). Strings are decoded with errors="replace": report fields such as a
// test's detail can carry bytes a hostile answer printed, and a report must
// never fail to convert because of them.
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

namespace gradebox::python {

/// Needs the GIL. Walks with an explicit stack: any depth converts.
pybind11::object to_python(const nlohmann::json& value);

}  // namespace gradebox::python
