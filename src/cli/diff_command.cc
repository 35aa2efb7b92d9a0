// gradebox diff RUN_A RUN_B: what changed between two runs of the history.
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/history_access.h"
#include "pipeline/diff.h"
#include "report/diff_format.h"

namespace gradebox::cli {
namespace {

using namespace gradebox::pipeline;

struct DiffArgs {
  std::string run_a, run_b, db, format = "text", out;
  DiffOptions options;
};

// "latest" is the newest run; "previous" the one before RUN_B.
std::string resolve(History& history, const std::string& name, const std::string& after) {
  auto runs = history.runs();
  if (name == "latest" && !runs.empty()) return runs.back().id;
  if (name == "previous") {
    auto prev = history.previous_run(after);
    if (!prev) throw UsageError("diff: no run before " + after);
    return *prev;
  }
  return name;
}

int run_diff(const DiffArgs& args) {
  auto history = open_history(args.db);
  std::string b = resolve(*history, args.run_b, "");
  std::string a = resolve(*history, args.run_a, b);
  auto view_a = history->load_run(a);
  if (!view_a) throw_history_error(view_a.error());
  auto view_b = history->load_run(b);
  if (!view_b) throw_history_error(view_b.error());
  // A row that does not read back is named and left out of the comparison.
  warn_bad_rows(*view_a);
  warn_bad_rows(*view_b);
  RunDiff diff = diff_runs(*view_a, *view_b, args.options);
  std::string text = args.format == "json"    ? diff_json(diff)
                     : args.format == "junit" ? diff_junit(diff)
                                              : diff_text(diff);
  write_output(args.out, text);
  return diff.regressions ? kCheckFailed : kJudged;
}

}  // namespace

void add_diff_options(CLI::App* sub, DiffOptions& options) {
  sub->add_option(
      "--threshold", options.threshold,
      "a correctness or edge drop above this many points (of 10) is a drop (default 0.5)");
  sub->add_option("--alpha", options.alpha,
                  "also require McNemar p < alpha for a regression (default 1: report p only)");
}

Runner add_diff_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* sub =
      app.add_subcommand("diff", "Compare two runs of the history: what changed and why");
  sub->add_option("run_a", args->run_a, "the earlier run id (or 'previous': the run before RUN_B)")
      ->required();
  sub->add_option("run_b", args->run_b, "the later run id (or 'latest')")->required();
  sub->add_option("--db", args->db, "history database (default as for `gradebox run`)");
  sub->add_option("--format,-f", args->format, "text (default), json or junit")
      ->check(CLI::IsMember({"text", "json", "junit"}));
  sub->add_option("--out,-o", args->out, "write here instead of stdout");
  add_diff_options(sub, args->options);
  sub->footer(
      "Exit codes: 0 no regression, 1 a regression, 2 usage error, 5 the history stayed busy.");
  return [args] { return run_diff(*args); };
}

}  // namespace gradebox::cli
