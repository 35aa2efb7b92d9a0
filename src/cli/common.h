// Helpers several subcommands share: finding tasks, reading answers and
// writing outputs (opening a Grader is gradebox/frontend.h's).
#pragma once

#include <memory>
#include <string>

#include "cli/command.h"
#include "gradebox/frontend.h"
#include "gradebox/grade.h"
#include "gradebox/task.h"

namespace gradebox::cli {

std::filesystem::path graders_dir(const GlobalOptions& global);

/// All tasks; problems with task packs are printed as warnings on stderr.
TaskRegistry load_registry(const GlobalOptions& global);

/// The task, or a UsageError naming the known ones (gradebox::find_task).
const Task& task_or_usage_error(const TaskRegistry& registry, const std::string& id);

/// One task by id, loading no other pack; a UsageError names the problem.
Task load_one_task(const GlobalOptions& global, const std::string& id);

/// A file's text ("-" is stdin), or a UsageError; one over `max_bytes` is a
/// UsageError naming the limit (too-large: not graded).
std::string read_answer(const std::string& path, std::size_t max_bytes);

/// Writes an output file atomically (a symlink at `path` is replaced, never
/// followed); "" or "-" is stdout. A UsageError when it cannot be written.
void write_output(const std::string& path, const std::string& text);

}  // namespace gradebox::cli
