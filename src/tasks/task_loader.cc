// Loads graders/<id>/task.json into a Task and validates it, so a broken
// task pack is a one-line Error naming the file and field, not a crash later.
#include <fstream>
#include <set>
#include <regex>
#include <sstream>

#include "gradebox/task.h"
#include "tasks/grader_stamp.h"

namespace gradebox {
namespace {

using nlohmann::json;

Result<json> read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read " + path.string()};
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return Error{path.string() + ": malformed JSON: " + e.what()};
  }
}

std::vector<std::string> string_list(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key)) {
    for (const auto& item : j.at(key)) out.push_back(item.get<std::string>());
  }
  return out;
}

TaskLimits read_limits(const json& j) {
  TaskLimits limits;
  if (!j.is_object()) return limits;
  limits.test_cpu_floor_ms = j.value("test_cpu_floor_ms", limits.test_cpu_floor_ms);
  limits.reference_multiple = j.value("reference_multiple", limits.reference_multiple);
  limits.run_wall_seconds = j.value("run_wall_seconds", limits.run_wall_seconds);
  limits.memory_mb = j.value("memory_mb", limits.memory_mb);
  limits.max_processes = j.value("max_processes", limits.max_processes);
  limits.output_kb = j.value("output_kb", limits.output_kb);
  limits.tmpfs_mb = j.value("tmpfs_mb", limits.tmpfs_mb);
  return limits;
}

EntryPointRule read_entry(const json& j) {
  EntryPointRule rule;
  rule.all_of = string_list(j, "all_of");
  rule.any_of = string_list(j, "any_of");
  rule.fallback_any_of = string_list(j, "fallback_any_of");
  rule.choose_last = j.value("choose", std::string("first")) == "last";
  return rule;
}

Status check_regexes(const EntryPointRule& rule) {
  for (const auto* list : {&rule.all_of, &rule.any_of, &rule.fallback_any_of}) {
    for (const auto& pattern : *list) {
      try {
        std::regex compiled(pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Error{"entry_point regex /" + pattern + "/: " + e.what()};
      }
    }
  }
  return ok_status();
}

Status check_tests(const Task& task) {
  if (!task.tests.is_object() || !task.tests.contains("tests") || !task.tests["tests"].is_array())
    return Error{"tests file has no \"tests\" array"};
  std::set<std::string> seen;
  for (const auto& test : task.tests["tests"]) {
    std::string id = test.value("id", "");
    std::string category = test.value("category", "");
    if (id.empty()) return Error{"a test has no id"};
    if (!seen.insert(id).second) return Error{"duplicate test id " + id};
    if (!task.category(category))
      return Error{"test " + id + ": unknown category '" + category + "'"};
  }
  return ok_status();
}

// Kept as written so validate() can name a wrong value; a non-string is
// reported as such rather than thrown as a bare JSON type error.
std::string judges_of(const json& category) {
  auto it = category.find("judges");
  if (it == category.end()) return "";
  return it->is_string() ? it->get<std::string>() : "(" + std::string(it->type_name()) + ")";
}

Result<Task> parse_task(const std::filesystem::path& dir, const json& j) {
  Task task;
  task.dir = dir;
  task.raw = j;
  task.id = j.at("id").get<std::string>();
  task.version = j.at("version").get<std::string>();
  task.language = j.at("language").get<std::string>();
  task.runtime = j.at("runtime").get<std::string>();
  task.prompt = j.value("prompt", "");
  task.prompt_blocks = string_list(j, "prompt_code");
  task.entry = read_entry(j.at("entry_point"));
  for (const auto& c : j.at("categories")) {
    task.categories.push_back({c.at("id").get<std::string>(), c.at("kind").get<std::string>(),
                               c.value("description", ""), judges_of(c)});
  }
  task.limits = read_limits(j.value("limits", json::object()));
  task.answer_file = j.at("answer_file").get<std::string>();
  task.harness_files = string_list(j.at("harness"), "files");
  task.harness_argv = string_list(j.at("harness"), "argv");
  task.checker = j.value("checker", "values");
  task.reference = j.value("reference", "");
  return task;
}

Status validate(const Task& task, const std::string& folder_name) {
  if (task.id != folder_name) return Error{"id '" + task.id + "' differs from folder name"};
  if (task.harness_argv.empty()) return Error{"harness.argv is empty"};
  for (const auto& c : task.categories) {
    if (c.kind != "core" && c.kind != "edge")
      return Error{"category " + c.id + ": kind must be core or edge"};
    if (c.judges != "value" && c.judges != "behaviour" && c.judges != "prose")
      return Error{"category " + c.id + ": \"judges\" must be value, behaviour or prose" +
                   (c.judges.empty() ? " (missing)" : ", not '" + c.judges + "'")};
  }
  for (const auto& file : task.harness_files) {
    if (!std::filesystem::exists(task.dir / file)) return Error{"harness file missing: " + file};
  }
  if (auto s = check_regexes(task.entry); !s) return s;
  return check_tests(task);
}

}  // namespace

const Category* Task::category(const std::string& wanted) const {
  for (const auto& c : categories) {
    if (c.id == wanted) return &c;
  }
  return nullptr;
}

Result<Task> load_task(const std::filesystem::path& dir) {
  auto spec = read_json_file(dir / "task.json");
  if (!spec) return spec.error();
  Result<Task> task = Error{""};
  try {
    task = parse_task(dir, *spec);
  } catch (const json::exception& e) {
    return Error{(dir / "task.json").string() + ": " + e.what()};
  }
  auto tests = read_json_file(dir / task->raw.value("tests", std::string("tests.json")));
  if (!tests) return tests.error();
  task->tests = std::move(*tests);
  if (auto s = validate(*task, dir.filename().string()); !s)
    return Error{(dir / "task.json").string() + ": " + s.error().message};
  task->stamp = grader_stamp(*task);
  return task;
}

TaskRegistry load_tasks(const std::filesystem::path& root) {
  TaskRegistry registry;
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    registry.problems.push_back({"graders folder not found: " + root.string()});
    return registry;
  }
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.starts_with("_") || name.starts_with(".")) continue;
    auto task = load_task(entry.path());
    if (task) {
      registry.tasks.emplace(task->id, std::move(*task));
    } else {
      registry.problems.push_back(task.error());
    }
  }
  return registry;
}

}  // namespace gradebox
