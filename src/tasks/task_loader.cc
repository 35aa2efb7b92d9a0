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

// The tests file stays JSON (its inputs and expectations are task-specific);
// what gradebox itself relies on is checked: ids, unique, in a category.
Status check_tests(const json& file, const Task& task) {
  if (!file.is_object() || !file.contains("tests") || !file["tests"].is_array())
    return Error{"tests file has no \"tests\" array"};
  std::set<std::string> seen;
  for (const auto& test : file["tests"]) {
    const json* id = test.is_object() && test.contains("id") ? &test["id"] : nullptr;
    if (!id || !id->is_string() || id->get<std::string>().empty()) return Error{"a test has no id"};
    const std::string name = id->get<std::string>();
    if (!seen.insert(name).second) return Error{"duplicate test id " + name};
    const json category = test.value("category", json(""));
    if (!category.is_string() || !task.category(category.get<std::string>()))
      return Error{"test " + name + ": unknown category '" +
                   (category.is_string() ? category.get<std::string>() : category.dump()) + "'"};
  }
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

// Parsing and checks of one folder; the caller prefixes task.json's path.
Status load_into(const std::filesystem::path& dir, const json& spec, Task& task) {
  task.dir = dir;
  if (auto s = parse_task(spec, task); !s) return s;
  if (auto s = validate(task, dir.filename().string()); !s) return s;
  auto tests = read_json_file(dir / task.tests_file);
  if (!tests) return Error{tests.error().message};
  if (auto s = check_tests(*tests, task); !s)
    return Error{task.tests_file + ": " + s.error().message};
  task.tests = std::make_shared<const json>(std::move((*tests)["tests"]));
  task.stamp = grader_stamp(task, spec);
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
  Status loaded = Error{"unexpected JSON error"};
  try {
    loaded = load_into(dir, *spec, task);
  } catch (const json::exception& e) {  // a check above missed a type: still one line
    loaded = Error{e.what()};
  }
  if (!loaded) return Error{(dir / "task.json").string() + ": " + loaded.error().message};
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
