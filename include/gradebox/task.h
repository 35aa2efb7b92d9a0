// A task pack: one folder under graders/ described by its task.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gradebox/extract.h"
#include "gradebox/status.h"

namespace gradebox {

/// A test category from the contract (docs/tasks/<id>.md).
struct Category {
  std::string id;
  std::string kind;  // "core" or "edge"
  std::string description;
  // What the category judges: "value" (what the answer returned or served),
  // "behaviour" (one behaviour alone; graders/README.md "The behaviour rule")
  // or "prose" (the answer's text, e.g. review findings).
  std::string judges;
};

/// Per-task limits. Time limits are scaled from the reference solution's
/// time on this host: max(floor, multiple x reference).
struct TaskLimits {
  double test_cpu_floor_ms = 1000;
  double reference_multiple = 10;
  double run_wall_seconds = 60;  // backstop for one sandboxed harness run
  std::uint64_t memory_mb = 512;
  int max_processes = 64;
  std::uint64_t output_kb = 1024;
  std::uint64_t tmpfs_mb = 64;
};

/// Everything gradebox knows about a task, loaded from its folder.
struct Task {
  std::filesystem::path dir;
  std::string id;
  std::string version;   // the grader's own version string
  std::string stamp;     // version + hash of all that decides a verdict (grader_stamp.h)
  std::string language;  // canonical language of answers
  std::string runtime;   // sandbox runtime profile (python, node, go)
  std::string prompt;
  std::vector<std::string> prompt_blocks;  // code quoted in the prompt
  EntryPointRule entry;
  std::vector<Category> categories;
  TaskLimits limits;
  std::string answer_file;                 // name the answer gets in the box, e.g. answer.py
  std::vector<std::string> harness_files;  // copied into the box
  std::vector<std::string> harness_argv;   // run inside the sandbox
  std::string checker;                     // "values" (built in) or a trusted script path
  std::string reference;                   // reference answer, relative to dir
  std::string tests_file = "tests.json";    // relative to dir
  std::vector<std::string> also_languages;  // languages a primary may also be in
  bool multi_file = false;                  // sibling blocks naming files are laid out too
  bool check_without_code = false;          // "no_code": "check": prose is judged without code
  std::string probe;                        // trusted prober script, relative to dir; "" = none
  double probe_timeout_seconds = 60;
  double startup_cpu_seconds = 5;  // CPU the runtime needs before the first test
  // Task-specific JSON stays JSON, held by pointer so this header needs only
  // json_fwd.hpp. Loaded tasks always have both; a null one reads as empty.
  std::shared_ptr<const nlohmann::json> tests;    // hidden tests (the "tests" array), expectations
                                                  // included: they never enter the sandbox
  std::shared_ptr<const nlohmann::json> options;  // "options", passed to the harness

  const Category* category(const std::string& id) const;
  std::size_t test_count() const;
};

/// Loads and validates one task folder; the Error names the file and field.
Result<Task> load_task(const std::filesystem::path& dir);

/// Every task folder under `root` (folders starting with '_' are shared
/// helpers, not tasks). Invalid folders are reported, not skipped silently.
struct TaskRegistry {
  std::map<std::string, Task> tasks;
  std::vector<Error> problems;
};
TaskRegistry load_tasks(const std::filesystem::path& root);

/// Where graders/ is: $GRADEBOX_GRADERS, else next to the executable, else
/// the source tree this binary was built from.
std::filesystem::path default_graders_dir();

/// A runtime's profile, beside its harness library: `graders_dir`'s
/// _<runtime>/profile.json, else the source tree's (docs/runtime_profiles.md).
std::filesystem::path runtime_profile_path(const std::filesystem::path& graders_dir,
                                           const std::string& runtime);

}  // namespace gradebox
