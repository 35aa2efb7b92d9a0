#include "json_to_python.h"

#include <vector>

namespace gradebox::python {
namespace py = pybind11;

namespace {

using nlohmann::json;

py::str decode_utf8(const std::string& text) {
  PyObject* str =
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (!str) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(str);
}

py::object scalar_to_python(const json& value) {
  using Type = json::value_t;
  switch (value.type()) {
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
    case Type::binary:
      return py::bytes(reinterpret_cast<const char*>(value.get_binary().data()),
                       value.get_binary().size());
    default:
      return py::none();  // null, discarded
  }
}

// An empty list of the array's size, or an empty dict.
py::object empty_container(const json& container) {
  if (container.is_array()) return py::list(container.size());
  return py::dict();
}

// A container being filled: its JSON source, where the walk is, its Python copy.
struct Filling {
  const json* source;
  json::const_iterator next;
  py::object target;
  Py_ssize_t index = 0;
};

}  // namespace

// With an explicit stack: a recursive conversion of a value nested 10^6 deep
// would overflow the C stack and take the host interpreter down with it.
py::object to_python(const json& value) {
  if (!value.is_structured()) return scalar_to_python(value);
  py::object root = empty_container(value);
  std::vector<Filling> stack{{&value, value.cbegin(), root}};
  while (!stack.empty()) {
    Filling& top = stack.back();
    if (top.next == top.source->cend()) {
      stack.pop_back();
      continue;
    }
    auto item = top.next++;
    py::object converted = item->is_structured() ? empty_container(*item) : scalar_to_python(*item);
    if (top.source->is_array()) {
      PyList_SET_ITEM(top.target.ptr(), top.index++,
                      converted.inc_ref().ptr());  // steals the reference
    } else if (PyDict_SetItem(top.target.ptr(), decode_utf8(item.key()).ptr(), converted.ptr()) !=
               0) {
      throw py::error_already_set();
    }
    if (item->is_structured())
      stack.push_back({&*item, item->cbegin(), converted});  // `top` not used after
  }
  return root;
}

}  // namespace gradebox::python
