#include "check/behaviour_rule.h"

#include <algorithm>

namespace gradebox {
namespace {

bool judges(const Task& task, const TestResult& test, const char* what) {
  const Category* category = task.category(test.category);
  return category != nullptr && category->judges == what;
}

bool passes_a_core_value_test(const Task& task, const std::vector<TestResult>& tests) {
  return std::any_of(tests.begin(), tests.end(), [&](const TestResult& t) {
    const Category* category = task.category(t.category);
    return t.status == TestStatus::kPass && category != nullptr && category->kind == "core" &&
           category->judges == "value";
  });
}

}  // namespace

void apply_behaviour_rule(const Task& task, std::vector<TestResult>& tests) {
  if (passes_a_core_value_test(task, tests)) return;
  for (auto& test : tests) {
    if (test.status != TestStatus::kPass || !judges(task, test, "behaviour")) continue;
    test.status = TestStatus::kFail;
    test.detail =
        "the behaviour held, but behaviour counts only when a core value test passes; none did";
  }
}

}  // namespace gradebox
