// gradebox nightly RUN: the night's job, as an ordered checklist: the
// selftest canary (graders that accept a known-wrong answer make every
// number meaningless), grade the new run, compare with the previous run of
// the history, fail on a regression.
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/history_access.h"
#include "pipeline/diff.h"
#include "report/diff_format.h"
#include "pipeline/history.h"

extern char** environ;

namespace gradebox::cli {
namespace {

using namespace gradebox::pipeline;

struct NightlyArgs {
  RunArgs run;
  DiffOptions diff;
  bool regrade = false;
  bool skip_selftest = false;
  std::string junit;
};

// Runs `gradebox selftest` as its own process, so a canary that crashes or
// hangs the grader cannot take the night's bookkeeping with it.
int run_selftest_process(const GlobalOptions& global) {
  std::vector<std::string> argv{"/proc/self/exe"};
  if (!global.graders_dir.empty()) argv.insert(argv.end(), {"--graders", global.graders_dir});
  argv.push_back("selftest");
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  pid_t pid = 0;
  if (int rc = ::posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, raw.data(), environ);
      rc != 0)
    throw std::runtime_error("posix_spawn(/proc/self/exe selftest): " +
                             std::string(std::strerror(rc)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string latest_run(const RunArgs& args) {
  auto history = open_history(args.db);
  auto runs = history->runs();
  if (runs.empty()) throw UsageError("nightly --regrade: the history holds no run");
  return runs.back().id;
}

int compare_with_previous(const NightlyArgs& args, const std::string& run_id) {
  auto history = open_history(args.run.db);
  auto previous = history->previous_run(run_id);
  if (!previous) {
    std::cerr << "gradebox: nightly: no earlier run in the history; nothing to compare\n";
    return kJudged;
  }
  auto a = history->load_run(*previous), b = history->load_run(run_id);
  if (!a || !b) throw_history_error(!a ? a.error() : b.error());
  warn_bad_rows(*a);
  RunDiff diff = diff_runs(*a, *b, args.diff);
  std::cout << "\n" << diff_text(diff);
  if (!args.junit.empty()) write_output(args.junit, diff_junit(diff));
  return diff.regressions ? kCheckFailed : kJudged;
}

// A grader-error left in the night outranks a regression: the comparison
// is incomplete until it is regraded, and exit 3 says so (gradebox's
// fault), where exit 1 would blame the models alone. Both are reported.
int nightly_exit(int graded, int compared) {
  if (graded == kGraderError) {
    if (compared == kCheckFailed)
      std::cerr << "gradebox: nightly: a regression was found, and grader-errors remain: "
                   "exit 3 until they are regraded (run the same command again)\n";
    return kGraderError;
  }
  return compared != kJudged ? compared : graded;
}

int run_nightly(NightlyArgs args, const GlobalOptions& global) {
  if (!args.skip_selftest) {
    int canary = run_selftest_process(global);
    if (canary != 0) {
      std::cerr << "gradebox: nightly: selftest failed (exit " << canary
                << "): the graders are not "
                << "trustworthy tonight; nothing graded\n";
      return kCanaryFailed;
    }
  }
  if (args.regrade)
    args.run.from_run = latest_run(args.run);
  else if (args.run.input.empty())
    throw UsageError("nightly: give the night's run (or --regrade)");
  std::string run_id;
  int graded = run_pipeline(args.run, global, &run_id);
  if (graded == kInterrupted || run_id.empty()) return graded;
  return nightly_exit(graded, compare_with_previous(args, run_id));
}

}  // namespace

Runner add_nightly_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<NightlyArgs>();
  CLI::App* sub = app.add_subcommand(
      "nightly",
      "selftest, grade the night's run, compare with the previous run, fail on regressions");
  sub->add_option("input", args->run.input, "the night's run directory or JSONL records");
  sub->add_flag("--regrade", args->regrade,
                "re-grade the latest stored run's answers with the current graders instead");
  sub->add_flag("--skip-selftest", args->skip_selftest, "do not run the selftest canary first");
  sub->add_option("--junit", args->junit, "also write the comparison as JUnit XML");
  add_run_options(sub, args->run);
  add_diff_options(sub, args->diff);
  sub->footer(
      "Exit codes: 0 no regression, 1 a regression (a score dropped by more than --threshold or a\n"
      "category that passed now fails, beyond a single flipped test), 2 usage error, 3 "
      "grader-error\n"
      "among the answers (also when a regression was found), 4 the selftest canary failed\n"
      "(nothing graded), 5 the history stayed busy (another gradebox writing it), 130 "
      "interrupted.");
  return [args, &global] { return run_nightly(*args, global); };
}

}  // namespace gradebox::cli
