#include "tasks/task_json.h"

namespace gradebox {

const nlohmann::json& hidden_tests(const Task& task) {
  static const nlohmann::json kNone = nlohmann::json::array();
  return task.tests ? *task.tests : kNone;
}

const nlohmann::json& harness_options(const Task& task) {
  static const nlohmann::json kNone = nlohmann::json::object();
  return task.options ? *task.options : kNone;
}

std::size_t Task::test_count() const { return hidden_tests(*this).size(); }

}  // namespace gradebox
