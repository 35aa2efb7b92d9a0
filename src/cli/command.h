// The gradebox command: one file per subcommand, each adding itself to the
// CLI11 app and returning the function that runs it.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

namespace gradebox::cli {

/// Exit codes (the foundation issue): 0 the answer was judged, whatever its
/// verdict; 1 a check failed (selftest, nightly regression); 2 usage errors;
/// 3 grader-error.
enum ExitCode { kJudged = 0, kCheckFailed = 1, kUsage = 2, kGraderError = 3 };

/// A usage problem found after parsing (unknown task, missing file): main
/// prints it as one line and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Options every subcommand shares.
struct GlobalOptions {
  std::string graders_dir;  // empty: default_graders_dir()
};

using Runner = std::function<int()>;

Runner add_grade_command(CLI::App& app, const GlobalOptions& global);
Runner add_tasks_command(CLI::App& app, const GlobalOptions& global);
Runner add_selftest_command(CLI::App& app, const GlobalOptions& global);

}  // namespace gradebox::cli
