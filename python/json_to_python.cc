#include "json_to_python.h"

namespace gradebox::python {
namespace py = pybind11;

namespace {

py::str decode_utf8(const std::string& text) {
  PyObject* str =
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (!str) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(str);
}

py::list array_to_python(const nlohmann::json& array) {
  py::list list(array.size());
  std::size_t i = 0;
  for (const auto& item : array) list[i++] = to_python(item);
  return list;
}

py::dict object_to_python(const nlohmann::json& object) {
  py::dict dict;
  for (const auto& [key, item] : object.items()) dict[decode_utf8(key)] = to_python(item);
  return dict;
}

}  // namespace

py::object to_python(const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null:
    case Type::discarded:
      return py::none();
    case Type::boolean:
      return py::bool_(value.get<bool>());
    case Type::number_integer:
      return py::int_(value.get<std::int64_t>());
    case Type::number_unsigned:
      return py::int_(value.get<std::uint64_t>());
    case Type::number_float:
      return py::float_(value.get<double>());
    case Type::string:
      return decode_utf8(value.get_ref<const std::string&>());
    case Type::array:
      return array_to_python(value);
    case Type::object:
      return object_to_python(value);
    case Type::binary:
      return py::bytes(reinterpret_cast<const char*>(value.get_binary().data()),
                       value.get_binary().size());
  }
  return py::none();
}

}  // namespace gradebox::python
