#include "cli/common.h"

#include <fstream>
#include <iostream>
#include <iterator>

#include "util/atomic_file.h"

namespace gradebox::cli {

std::filesystem::path graders_dir(const GlobalOptions& global) {
  if (global.graders_dir.empty()) return default_graders_dir();
  // Absolute: trusted scripts and runtime mounts are started from other
  // working directories, where a relative path names nothing.
  return std::filesystem::absolute(global.graders_dir);
}

TaskRegistry load_registry(const GlobalOptions& global) {
  TaskRegistry registry = load_tasks(graders_dir(global));
  for (const auto& problem : registry.problems) {
    std::cerr << "gradebox: warning: " << problem.message << "\n";
  }
  return registry;
}

const Task& task_or_usage_error(const TaskRegistry& registry, const std::string& id) {
  auto task = find_task(registry, id);
  if (!task) throw UsageError(task.error().message);
  return **task;
}

Task load_one_task(const GlobalOptions& global, const std::string& id) {
  // Only the task asked for: a pack's tests can be megabytes (flatten_py's
  // large inputs), and `grade` pays for every pack it parses and hashes.
  bool plain_name = !id.empty() && id.find('/') == std::string::npos && !id.starts_with(".") &&
                    !id.starts_with("_");
  std::filesystem::path dir = graders_dir(global) / id;
  std::error_code ec;
  if (plain_name && std::filesystem::is_regular_file(dir / "task.json", ec)) {
    auto task = load_task(dir);
    if (!task) throw UsageError("task '" + id + "' cannot be loaded: " + task.error().message);
    return std::move(*task);
  }
  TaskRegistry registry = load_registry(global);  // names the known tasks
  return task_or_usage_error(registry, id);
}

std::string read_answer(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (path != "-" && std::filesystem::is_directory(path, ec))
    throw UsageError(path + " is a directory, not an answer file");
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw UsageError("cannot read answer file " + path);
  }
  std::istream& in = path == "-" ? std::cin : file;
  // Read only to one chunk past the limit: a 200 MB answer is never held.
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= max_bytes && in.read(chunk, sizeof chunk).gcount() > 0)
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bytes)
    throw UsageError(path + ": too-large: over the " + std::to_string(max_bytes) +
                     "-byte limit (--max-answer-bytes); not graded");
  return text;
}

void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text << std::flush;
    return;
  }
  if (auto written = write_file_atomically(path, text); !written)
    throw UsageError("cannot write " + path + ": " + written.error().message);
}

}  // namespace gradebox::cli
