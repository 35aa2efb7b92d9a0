#include "tasks/grader_stamp.h"

#include <algorithm>

#include "tasks/stamp.h"

namespace gradebox {
namespace {

// "../_node/lib/x.js" -> "_node": the library folder a harness file is in.
std::string library_of(const std::string& harness_file) {
  std::filesystem::path path(harness_file);
  auto part = path.begin();
  if (part == path.end() || *part != "..") return "";
  ++part;
  return part != path.end() && part->string().starts_with("_") ? part->string() : "";
}

bool runs_trusted_script(const Task& task) {
  return task.checker != "values" || !task.probe.empty();
}

}  // namespace

std::vector<std::filesystem::path> shared_libraries(const Task& task) {
  std::vector<std::string> names = {"_" + task.runtime};
  for (const auto& file : task.harness_files) names.push_back(library_of(file));
  if (runs_trusted_script(task)) {
    names.push_back("_trusted");  // trusted helpers, the probers' HTTP client (gb_http.py)
    names.push_back("_python");   // gb_trusted.py parses with the box side's gb_wire.py
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::filesystem::path> folders;
  for (const auto& name : names) {
    if (!name.empty()) folders.push_back(task.dir.parent_path() / name);
  }
  return folders;
}

std::string grader_stamp(const Task& task, const nlohmann::json& spec_file) {
  ContentHash hash;
  hash.add("task.json", spec_file.dump());
  // Known answers test the grader; adding one must not look like a new grader.
  // Nor do the grader's own tests and its authors' tools (generators, benches).
  hash.add_folder(task.dir, task.id, {"known", "task.json", "tests", "tools"});
  for (const auto& library : shared_libraries(task)) {
    hash.add_folder(library, library.filename().string());
  }
  auto profile = runtime_profile_path(task.dir.parent_path(), task.runtime);
  hash.add_file(profile, "profile:" + task.runtime);
  hash.add("engine", engine_version());
  return task.version + "+" + hash.hex();
}

}  // namespace gradebox
