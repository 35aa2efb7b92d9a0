// The grader stamp: what a cached result, a run's fingerprint and a nightly
// comparison key on. It must change whenever anything that can change a
// verdict changes, or a stale (perhaps forgeable) report is served again.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gradebox/task.h"

namespace gradebox {

/// The shared library folders (graders/_<name>) a task loads: its runtime's
/// (`_<runtime>`), those its harness files reach into, and `_trusted` (with
/// `_python`, whose parser it shares) when a trusted script (checker or
/// probe) runs through the Python script server.
std::vector<std::filesystem::path> shared_libraries(const Task& task);

/// `version + "+" + hash` over the task folder without its known answers
/// (known/), its own tests and tools, every shared library it loads, its
/// runtime profile and the grading engine's own sources. `spec_file` is
/// task.json as parsed: its canonical dump is hashed, so every key counts,
/// typed or not.
std::string grader_stamp(const Task& task, const nlohmann::json& spec_file);

/// A hash of gradebox's own grading code (extraction, task loading, grading,
/// checking, scoring, the sandbox), generated at build time.
const char* engine_version();

}  // namespace gradebox
