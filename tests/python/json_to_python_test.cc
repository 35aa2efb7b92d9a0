// nlohmann::json -> Python objects in an embedded interpreter: plain values
// convert as json.loads would make them, and a value nested 10^6 deep
// converts without recursion (a recursive conversion overflows the C stack
// and takes the host interpreter down with it).
#include <pybind11/embed.h>

#include <gtest/gtest.h>

#include "../support/in_child.h"
#include "json_to_python.h"

namespace gradebox::python {
namespace {

namespace py = pybind11;
using nlohmann::json;

class JsonToPython : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static py::scoped_interpreter* interpreter = new py::scoped_interpreter();  // once per process
    (void)interpreter;
  }
  static json nested(int depth) {  // parsed, not built: nlohmann's parser does not recurse
    return json::parse(std::string(depth, '[') + std::string(depth, ']'));
  }
};

TEST_F(JsonToPython, PlainValuesConvertAsJsonLoadsMakesThem) {
  const char* text =
      R"({"a": [1, -2, 3.5, true, null, "\u00e9"], "b": {"c": []}, "n": 18446744073709551615})";
  py::object expected = py::module_::import("json").attr("loads")(text);
  EXPECT_TRUE(to_python(json::parse(text)).equal(expected));
}

TEST_F(JsonToPython, InvalidUtf8IsReplacedNotRaised) {
  json value = json::object();
  value["\xff key"] = std::string("bad \xfe");
  py::dict converted = to_python(value);
  EXPECT_TRUE(converted.contains("\xEF\xBF\xBD key"));
}

TEST_F(JsonToPython, AMillionLevelsConvertWithoutRecursion) {
  const json deep = nested(1000000);
  EXPECT_EQ(gradebox::testing::fate_in_child([&] { to_python(deep); }), "exited 0");
  if (HasFailure()) return;  // it would take this process down too
  py::object converted = to_python(deep);
  int depth = 0;
  for (PyObject* level = converted.ptr(); PyList_Check(level) && PyList_GET_SIZE(level) > 0;
       level = PyList_GET_ITEM(level, 0))
    ++depth;
  EXPECT_EQ(depth, 1000000 - 1);  // the innermost list is empty
}

}  // namespace
}  // namespace gradebox::python
