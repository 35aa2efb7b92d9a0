// The gradebox command: one file per subcommand, each adding itself to the
// CLI11 app and returning the function that runs it. CLI11 is only declared
// here: its header costs ~6.6 s of CPU in every file that includes it, so
// only the files that add options include it.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace CLI {
class App;
}

namespace gradebox::pipeline {
struct DiffOptions;
}

namespace gradebox::cli {

/// Exit codes (the foundation issue): 0 the answer was judged, whatever its
/// verdict; 1 a check failed (selftest, nightly regression); 2 usage errors;
/// 3 grader-error.
enum ExitCode { kJudged = 0, kCheckFailed = 1, kUsage = 2, kGraderError = 3 };
/// nightly: the selftest canary failed, so the night's numbers mean nothing.
constexpr int kCanaryFailed = 4;
/// The history file stayed busy (another gradebox writing it) past the wait.
constexpr int kHistoryBusy = 5;
/// run/nightly stopped by Ctrl-C (128 + SIGINT); the run resumes later.
constexpr int kInterrupted = 130;

/// A usage problem found after parsing (unknown task, missing file): main
/// prints it as one line and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// "history <path> is busy": main prints it as one line and exits kHistoryBusy.
struct HistoryBusy : std::runtime_error {
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
Runner add_run_command(CLI::App& app, const GlobalOptions& global);
Runner add_diff_command(CLI::App& app, const GlobalOptions& global);
Runner add_nightly_command(CLI::App& app, const GlobalOptions& global);
Runner add_merge_command(CLI::App& app, const GlobalOptions& global);
Runner add_rerun_box_command(CLI::App& app);

/// `gradebox run`'s options; nightly grades its run with the same code.
struct RunArgs {
  std::string input;     // run directory or JSONL file
  std::string from_run;  // instead: re-grade a stored run's answers
  std::string db;        // empty: default_history_path()
  std::string reports;   // empty: <db folder>/reports
  std::string prices, hand_scores;
  int jobs = 0;                            // 0: one per core
  int repeat = 1;                          // gradings per answer; > 1 flags flaky tests
  std::size_t max_answer_bytes = 1 << 20;  // pipeline::InputLimits' default
  std::string shard, run_id, pick = "first";
  bool no_cache = false, no_retry = false, quiet = false, ascending = false;
  std::string format = "text", out, html, sort;
};
/// Adds run's options to a subcommand (run and nightly share them).
void add_run_options(CLI::App* sub, RunArgs& args);
/// Adds diff's --threshold and --alpha (diff and nightly share them).
void add_diff_options(CLI::App* sub, pipeline::DiffOptions& options);
/// Grades the run, prints the leaderboard; sets *run_id. Returns the exit code.
int run_pipeline(const RunArgs& args, const GlobalOptions& global, std::string* run_id);

}  // namespace gradebox::cli
