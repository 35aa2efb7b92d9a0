// gradebox run RUN: grade every answer of a benchmark run (models x tasks)
// into the history, then print the leaderboard.
#include <algorithm>
#include <iostream>
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/history_access.h"
#include "grade/job_limit.h"
#include "report/leaderboard_format.h"
#include "pipeline/child_grading.h"
#include "pipeline/repeats.h"
#include "pipeline/run_pipeline.h"
#include "pipeline/stop_signal.h"
#include "util/utf8.h"

namespace gradebox::cli {
namespace {

namespace fs = std::filesystem;
using namespace gradebox::pipeline;

fs::path history_path(const RunArgs& args) {
  return args.db.empty() ? default_history_path() : fs::path(args.db);
}

fs::path reports_path(const RunArgs& args) {
  if (!args.reports.empty()) return args.reports;
  return history_path(args).parent_path() / "reports";
}

std::set<std::string> known_tasks(const TaskRegistry& registry) {
  std::set<std::string> ids;
  for (const auto& [id, task] : registry.tasks) ids.insert(id);
  return ids;
}

// Answers re-graded from the history whose task no longer loads are problems.
// load_run has checked every id (rows that fail are problems, never paths).
RunInput stored_input(History& history, const std::string& id, const TaskRegistry& registry,
                      const InputLimits& limits) {
  auto run = history.load_run(id);
  if (!run) throw_history_error(run.error());
  RunInput input = input_from_run(*run);
  input.path = "regrade";
  enforce_answer_limit(input, limits);
  std::erase_if(input.answers, [&](const AnswerRecord& a) {
    if (registry.tasks.count(a.task)) return false;
    input.problems.push_back(
        {"unknown-task", a.source, a.model, a.task, "unknown or unloadable task '" + a.task + "'"});
    return true;
  });
  return input;
}

RunInput load_input(const RunArgs& args, History& history, const TaskRegistry& registry) {
  InputLimits limits;
  limits.max_answer_bytes = args.max_answer_bytes;
  if (!args.from_run.empty()) return stored_input(history, args.from_run, registry, limits);
  if (args.input.empty())
    throw UsageError("run: give a run directory or JSONL file (or --from-run ID)");
  auto input = load_run_input(args.input, known_tasks(registry), limits);
  if (!input) throw UsageError(input.error().message);
  return std::move(*input);
}

void print_problems(const RunInput& input) {
  for (const auto& p : input.problems)
    std::cerr << printable("gradebox: " + p.location + ": " + p.kind + ": " + p.message) << "\n";
}

RunOptions run_options(const RunArgs& args, Progress* progress, const std::atomic<bool>* stop) {
  RunOptions options;
  options.run_id = args.run_id;
  if (!args.shard.empty()) {
    options.shard = parse_shard(args.shard);
    if (!options.shard)
      throw UsageError("--shard wants K/N with 1 <= K <= N, not '" + args.shard + "'");
  }
  options.reports_dir = reports_path(args);
  std::string notice;
  options.batch.jobs = capped_jobs(args.jobs, "-j", notice);
  if (!notice.empty()) std::cerr << "gradebox: " << notice << "\n";
  options.batch.use_cache = !args.no_cache;
  options.batch.repeat = args.repeat;
  options.batch.grade = {"", args.pick == "best", !args.no_retry};
  options.batch.stop = stop;
  options.batch.progress = progress;
  return options;
}

// Each answer is graded by a child `gradebox grade` (child_grading.h): a
// crash or hang of gradebox on one answer is that answer's grader-error,
// and the run goes on.
GraderFactory child_process_grader(const GlobalOptions& global) {
  return [&global]() -> Result<std::shared_ptr<const Grader>> {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return Error{"readlink(/proc/self/exe): " + ec.message()};
    std::vector<std::string> command{self.string(), "--graders", graders_dir(global).string()};
    return std::shared_ptr<const Grader>(std::make_shared<ChildProcessGrader>(command));
  };
}

void show_leaderboard(const RunArgs& args, History& history, const std::string& run_id) {
  Prices prices;
  std::optional<HandScores> hand;
  if (!args.prices.empty()) {
    auto loaded = load_prices(args.prices);
    if (!loaded) throw UsageError(loaded.error().message);
    prices = std::move(*loaded);
  }
  if (!args.hand_scores.empty()) {
    auto loaded = load_hand_scores(args.hand_scores);
    if (!loaded) throw UsageError(loaded.error().message);
    hand = std::move(*loaded);
  }
  auto run = history.load_run(run_id);
  if (!run) throw_history_error(run.error());
  Leaderboard board = build_leaderboard(*run, prices, hand);
  if (auto s = sort_leaderboard(board, args.sort, args.ascending); !s)
    throw UsageError(s.error().message);
  if (!args.html.empty()) write_output(args.html, leaderboard_html(board, *run));
  if (args.quiet && args.out.empty()) return;  // -q silences stdout, not a file asked for
  if (args.format == "markdown")
    write_output(args.out, leaderboard_markdown(board));
  else if (args.format == "csv")
    write_output(args.out, leaderboard_csv(board));
  else if (args.format == "json")
    write_output(args.out, leaderboard_json(board).dump(2, ' ', false,
                                                        nlohmann::json::error_handler_t::replace) +
                               "\n");
  else if (args.format == "html")
    write_output(args.out, leaderboard_html(board, *run));
  else
    write_output(args.out, leaderboard_text(board));
}

void print_summary(const RunOutcome& o, const RunArgs& args) {
  const BatchSummary& s = o.summary;
  std::fprintf(
      stderr,
      "gradebox: run %s%s: %d answers%s, %d done before, %d graded, %d from cache, "
      "%d grader errors%s, %d left%s%s\n  history %s, reports %s\n",
      o.meta.id.c_str(), o.meta.shard.empty() ? "" : (" shard " + o.meta.shard).c_str(), o.answers,
      o.in_slice != o.answers ? (" (" + std::to_string(o.in_slice) + " in this shard)").c_str()
                              : "",
      o.already_done, s.graded, s.cached, s.grader_errors,
      s.retried ? (" (" + std::to_string(s.retried) + " retried once)").c_str() : "", s.left,
      o.reports_not_written
          ? (", " + std::to_string(o.reports_not_written) + " report files NOT written").c_str()
          : "",
      s.flaky ? (", " + std::to_string(s.flaky) + " flaky tests (see the notes)").c_str() : "",
      history_path(args).c_str(), (reports_path(args) / o.meta.id).c_str());
  for (const auto& e : s.errors) std::cerr << "gradebox: " << e.message << "\n";
}

}  // namespace

int run_pipeline(const RunArgs& args, const GlobalOptions& global, std::string* run_id) {
  TaskRegistry registry = load_registry(global);
  auto history = open_history(history_path(args).string());
  RunInput input = load_input(args, *history, registry);
  print_problems(input);
  const auto& stop = install_stop_handler();
  Progress progress(stderr, stderr_is_terminal(), 0);
  auto outcome = grade_run(*history, input, registry, run_options(args, &progress, &stop),
                           child_process_grader(global));
  progress.finish();
  if (!outcome) throw_history_error(outcome.error());
  if (run_id) *run_id = outcome->meta.id;
  print_summary(*outcome, args);
  if (stop.load()) {
    std::cerr << "gradebox: interrupted; run the same command again to resume\n";
    return kInterrupted;
  }
  const auto& errors = outcome->summary.errors;
  if (std::any_of(errors.begin(), errors.end(), History::is_busy)) {
    // Results that could not be stored are graded again by the same command.
    std::cerr << "gradebox: run the same command again to resume\n";
    return kHistoryBusy;
  }
  show_leaderboard(args, *history, outcome->meta.id);
  if (!outcome->summary.errors.empty()) return kGraderError;
  return outcome->summary.grader_errors ? kGraderError : kJudged;
}

void add_run_options(CLI::App* sub, RunArgs& args) {
  sub->add_option("--db", args.db,
                  "history database (default: $GRADEBOX_HISTORY, else "
                  "$XDG_DATA_HOME/gradebox/history.sqlite)");
  sub->add_option("--reports", args.reports,
                  "folder for every report's JSON (default: next to --db)");
  sub->add_option("--prices", args.prices, "prices per model (fixtures/prices.json)");
  sub->add_option("--hand-scores", args.hand_scores,
                  "hand scores for code quality and documentation (CSV or JSON)");
  sub->add_option("-j,--jobs", args.jobs,
                  "answers graded at once (default: one per core; at most 4 per core)")
      ->check(CLI::Range(0, 512));
  sub->add_option("--shard", args.shard,
                  "grade only slice K of N (K/N); join with `gradebox merge`");
  sub->add_option("--run-id", args.run_id, "name of the run (default: input name + fingerprint)");
  sub->add_option("--pick", args.pick, "first (default) or best candidate")
      ->check(CLI::IsMember({"first", "best"}));
  sub->add_flag("--no-cache", args.no_cache, "regrade even what the result cache holds");
  sub->add_option("--repeat", args.repeat,
                  "grade each answer R times (no cache); a test whose status differs is "
                  "flagged flaky (and fails)")
      ->check(CLI::Range(1, kMaxRepeat));
  sub->add_flag("--no-retry", args.no_retry,
                "run every test once: no retry of a starved timeout or a time near the limit");
  sub->add_option("--max-answer-bytes", args.max_answer_bytes,
                  "a larger answer (or reasoning_content) is too-large: not graded, scores 0 "
                  "(default 1 MiB)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--format,-f", args.format, "text (default), markdown, csv, json or html")
      ->check(CLI::IsMember({"text", "markdown", "csv", "json", "html"}));
  sub->add_option("--out,-o", args.out, "write the leaderboard here instead of stdout");
  sub->add_option("--html", args.html, "also write the HTML report to this file");
  sub->add_option("--sort", args.sort,
                  "column: model, price, correctness, edge, automated, "
                  "quality, documentation, overall, value, tasks, or a task id");
  sub->add_flag("--asc", args.ascending, "sort ascending (default: descending)");
  sub->add_flag("--quiet,-q", args.quiet, "no leaderboard on stdout (-o still writes it)");
}

Runner add_run_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand(
      "run", "Grade every answer of a benchmark run into the history and print the leaderboard");
  sub->add_option("input", args->input, "run directory (<model>/<task>.md) or JSONL records");
  sub->add_option("--from-run", args->from_run, "re-grade the answers of a stored run instead");
  add_run_options(sub, *args);
  sub->footer(
      "A second start of the same run resumes it; answers graded before (same text, same\n"
      "grader stamp) come from the cache. A second gradebox on the same history waits for\n"
      "it. Exit codes: 0 done, 2 usage error, 3 grader-error among the answers, 5 the\n"
      "history stayed busy (another gradebox writing it), 130 interrupted (run again to resume).");
  return [args, &global] { return run_pipeline(*args, global, nullptr); };
}

}  // namespace gradebox::cli
