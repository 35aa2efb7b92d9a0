// What the Python module keeps for the whole process: the task packs of
// each graders folder (loaded once) and one Grader that every call and
// every grade_many worker shares. Plain C++, no Python: callers release the
// GIL before they come here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "gradebox/grade.h"
#include "gradebox/task.h"

namespace gradebox::python {

/// Makes fork() from any thread leave a child that can use the module. Call
/// once, before any thread can use the module (its init).
void install_fork_handlers();

/// The task packs under `graders` (empty: default_graders_dir()), loaded on
/// first use and kept; the same object for every later call.
std::shared_ptr<const TaskRegistry> registry_for(const std::filesystem::path& graders);

/// The process's Grader, made on first use (open_grader(), as the CLI
/// does). A sandbox that cannot start is an Error, and is not
/// remembered: the next call tries again.
Result<std::shared_ptr<const Grader>> shared_grader();

}  // namespace gradebox::python
