#include "fields.h"

#include "pipeline/run_input.h"

namespace gradebox::python {
namespace py = pybind11;

namespace {

std::string type_name(const py::handle& value) {
  return py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>();
}

}  // namespace

std::string require_str(const py::handle& value, const std::string& what) {
  if (!py::isinstance<py::str>(value))
    throw py::type_error(what + " must be str, not " + type_name(value));
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (!utf8) throw py::error_already_set();  // UnicodeEncodeError: a lone surrogate
  return std::string(utf8, static_cast<std::size_t>(size));
}

py::object record_field(const py::handle& mapping, const char* key, const std::string& where,
                        bool required) {
  PyObject* value = PyObject_GetItem(mapping.ptr(), py::str(key).ptr());
  if (value) return py::reinterpret_steal<py::object>(value);
  if (!PyErr_ExceptionMatches(PyExc_KeyError)) throw py::error_already_set();
  PyErr_Clear();
  if (required) throw py::value_error(where + " has no '" + key + "'");
  return py::none();
}

int sample_field(const py::handle& mapping, const std::string& where) {
  py::object sample = record_field(mapping, "sample", where, false);
  if (sample.is_none()) return 0;
  std::string what = where + "['sample']";
  // True is an int to Python, but no sample number (JSON's true is not one either).
  if (!py::isinstance<py::int_>(sample) || py::isinstance<py::bool_>(sample))
    throw py::type_error(what + " must be int, not " + type_name(sample));
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(sample.ptr(), &overflow);
  if (overflow || n < 0 || n > pipeline::kMaxSample)
    throw py::value_error(what + " must be an integer from 0 to " +
                          std::to_string(pipeline::kMaxSample) + ", not " +
                          py::str(sample).cast<std::string>().substr(0, 40));
  return static_cast<int>(n);
}

}  // namespace gradebox::python
