// Loads graders/<id>/task.json into a Task and validates it, so a broken
// task pack is a one-line Error naming the file and field, not a crash later.
#include <fstream>
#include <set>
#include <regex>
#include <sstream>

#include "gradebox/task.h"
#include "tasks/grader_stamp.h"
#include "tasks/json_fields.h"

namespace gradebox {
namespace {

using nlohmann::json;

// A hidden test's fixed time limit: an hour is far past any sane test.
constexpr int kMaxTestLimitMs = 3'600'000;

Result<json> read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read " + path.string()};
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return Error{path.string() + ": malformed JSON: " + e.what()};
  }
}

// The sub-objects of task.json, each read with its keys checked; the
// first problem lands in `problem` (see json_fields.h).
void read_limits(const json& j, TaskLimits& limits, std::string& problem) {
  JsonFields f(j, "limits.", problem);
  f.read("test_cpu_floor_ms", limits.test_cpu_floor_ms);
  f.read("reference_multiple", limits.reference_multiple);
  f.read("run_wall_seconds", limits.run_wall_seconds);
  f.read("memory_mb", limits.memory_mb);
  f.read("max_processes", limits.max_processes);
  f.read("output_kb", limits.output_kb);
  f.read("tmpfs_mb", limits.tmpfs_mb);
  f.reject_unknown_keys();
}

void read_entry(const json& j, EntryPointRule& rule, std::string& problem) {
  JsonFields f(j, "entry_point.", problem);
  f.read("all_of", rule.all_of);
  f.read("any_of", rule.any_of);
  f.read("fallback_any_of", rule.fallback_any_of);
  std::string choose = "first";
  f.read_choice("choose", choose, {"first", "last"});
  rule.choose_last = choose == "last";
  f.reject_unknown_keys();
}

void read_harness(const json& j, Task& task, std::string& problem) {
  JsonFields f(j, "harness.", problem);
  f.read("files", task.harness_files);
  f.read("argv", task.harness_argv, Need::kRequired);
  f.reject_unknown_keys();
}

// Named by id where it has one ("categories[basic].judges"), else by index.
std::string item_path(const char* list, const json& item, std::size_t index) {
  const json* id = item.is_object() && item.contains("id") ? &item["id"] : nullptr;
  std::string name = id && id->is_string() ? id->get<std::string>() : std::to_string(index);
  return std::string(list) + "[" + name + "].";
}

void read_categories(const json& list, Task& task, std::string& problem) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonFields f(list[i], item_path("categories", list[i], i), problem);
    Category c;
    f.read("id", c.id, Need::kRequired);
    f.read_choice("kind", c.kind, {"core", "edge"}, Need::kRequired);
    f.read("description", c.description);
    f.read_choice("judges", c.judges, {"value", "behaviour", "prose"}, Need::kRequired);
    f.reject_unknown_keys();
    task.categories.push_back(std::move(c));
  }
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

// One hidden test's keys, typed (graders/README.md "tests.json"): what
// gradebox and the harnesses read while grading, so a wrong type is named
// here rather than thrown mid-grade. "input" is the task's own JSON (any
// type); the checker reads "expect", an object.
std::string read_test(const json& test, std::size_t index, const Task& task, std::string& problem) {
  JsonFields f(test, item_path("tests", test, index), problem);
  std::string id, category;
  f.read("id", id, Need::kRequired);
  f.read("category", category, Need::kRequired);
  f.accept("input");
  f.nested("expect", json::value_t::object,
           task.checker == "values" ? Need::kRequired : Need::kOptional);
  double limit_ms = 1;
  f.read("time_limit_ms", limit_ms);
  if (!(limit_ms > 0 && limit_ms <= kMaxTestLimitMs))
    f.fail(f.name("time_limit_ms") + " must be a number of milliseconds above 0 and at most " +
           std::to_string(kMaxTestLimitMs));
  f.reject_unknown_keys();
  if (problem.empty() && id.empty()) f.fail(f.name("id") + " is empty");
  if (problem.empty() && !task.category(category))
    f.fail("test " + id + ": unknown category '" + category + "'");
  return id;
}

// The tests file stays JSON (its inputs and expectations are task-specific);
// each test's keys are typed, ids unique, each in a category of task.json.
Status check_tests(const json& file, const Task& task) {
  if (!file.is_object() || !file.contains("tests") || !file["tests"].is_array())
    return Error{"no \"tests\" array"};
  std::set<std::string> seen;
  std::string problem;
  const json& tests = file["tests"];
  for (std::size_t i = 0; i < tests.size() && problem.empty(); ++i) {
    std::string id = read_test(tests[i], i, task, problem);
    if (problem.empty() && !seen.insert(id).second) problem = "duplicate test id " + id;
  }
  if (!problem.empty()) return Error{problem};
  return ok_status();
}

// Nested objects and lists: read when present with the right type (the
// reader has already named a wrong type or a missing required one).
void read_nested(JsonFields& f, Task& task, std::string& problem) {
  using T = json::value_t;
  if (auto* entry = f.nested("entry_point", T::object, Need::kRequired))
    read_entry(*entry, task.entry, problem);
  if (auto* harness = f.nested("harness", T::object, Need::kRequired))
    read_harness(*harness, task, problem);
  if (auto* limits = f.nested("limits", T::object, Need::kOptional))
    read_limits(*limits, task.limits, problem);
  if (auto* categories = f.nested("categories", T::array, Need::kRequired))
    read_categories(*categories, task, problem);
  auto* options = f.nested("options", T::object, Need::kOptional);
  task.options = std::make_shared<const json>(options ? *options : json::object());
}

// Every key of task.json, typed; graders/README.md "task.json" lists them.
Status parse_task(const json& j, Task& task) {
  std::string problem;
  JsonFields f(j, "", problem);
  f.read("id", task.id, Need::kRequired);
  f.read("version", task.version, Need::kRequired);
  f.read("language", task.language, Need::kRequired);
  f.read("runtime", task.runtime, Need::kRequired);
  f.read("prompt", task.prompt);
  f.read("prompt_code", task.prompt_blocks);
  f.read("answer_file", task.answer_file, Need::kRequired);
  f.read("tests", task.tests_file);
  f.read("checker", task.checker);
  f.read("reference", task.reference);
  f.read("also_languages", task.also_languages);
  f.read("multi_file", task.multi_file);
  std::string no_code;
  f.read_choice("no_code", no_code, {"check"});
  task.check_without_code = no_code == "check";
  f.read("probe", task.probe);
  f.read("probe_timeout_seconds", task.probe_timeout_seconds);
  f.read("startup_cpu_seconds", task.startup_cpu_seconds);
  read_nested(f, task, problem);
  f.reject_unknown_keys();
  if (!problem.empty()) return Error{problem};
  return ok_status();
}

Status validate(const Task& task, const std::string& folder_name) {
  if (task.id != folder_name) return Error{"id '" + task.id + "' differs from folder name"};
  if (task.harness_argv.empty()) return Error{"harness.argv is empty"};
  for (const auto& file : task.harness_files) {
    if (!std::filesystem::exists(task.dir / file)) return Error{"harness file missing: " + file};
  }
  for (const auto& script : {task.checker == "values" ? "" : task.checker, task.probe}) {
    if (!script.empty() && !std::filesystem::exists(task.dir / script))
      return Error{"trusted script missing: " + script};
  }
  return check_regexes(task.entry);
}

// Parsing and checks of task.json; the caller prefixes its path.
Status load_spec(const std::filesystem::path& dir, const json& spec, Task& task) {
  task.dir = dir;
  if (auto s = parse_task(spec, task); !s) return s;
  return validate(task, dir.filename().string());
}

// A check that missed a type still ends as one line, never a throw.
template <typename Load>
Status without_throwing(Load load) {
  try {
    return load();
  } catch (const json::exception& e) {
    return Error{e.what()};
  }
}

// The tests file, checked; an error names its path.
Status load_tests(Task& task) {
  std::filesystem::path path = task.dir / task.tests_file;
  auto tests = read_json_file(path);
  if (!tests) return tests.error();
  Status checked = without_throwing([&] { return check_tests(*tests, task); });
  if (!checked) return Error{path.string() + ": " + checked.error().message};
  task.tests = std::make_shared<const json>(std::move((*tests)["tests"]));
  return ok_status();
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
  Task task;
  Status loaded = without_throwing([&] { return load_spec(dir, *spec, task); });
  if (!loaded) return Error{(dir / "task.json").string() + ": " + loaded.error().message};
  if (auto s = load_tests(task); !s) return s.error();
  task.stamp = grader_stamp(task, *spec);
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
