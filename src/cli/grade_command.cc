// gradebox grade --task ID ANSWER: one answer, a text summary or JSON.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "gradebox/frontend.h"
#include "gradebox/grade.h"
#include "gradebox/report.h"
#include "pipeline/run_input.h"
#include "util/dev_trace.h"

namespace gradebox::cli {
namespace {

struct GradeArgs {
  std::string task;
  std::string answer;
  std::string format = "text";
  std::string model;
  std::string pick = "first";
  std::string out;
  bool no_retry = false;
  bool keep_box = false;      // the dev loop: leave each box and say how to re-run it
  bool verbose = false;       // the dev loop: observation lines and trusted calls on stderr
  std::string reasoning;      // file with the record's separate reasoning text
  std::string finish_reason;  // the API's finish reason ("length": cut off)
  std::size_t max_answer_bytes = pipeline::InputLimits{}.max_answer_bytes;
};

// The separate reasoning, read like an answer (same size limit), from a file.
std::string read_reasoning(const GradeArgs& args) {
  if (args.reasoning.empty()) return {};
  if (args.reasoning == "-" && args.answer == "-")
    throw UsageError("--reasoning -: stdin already holds the answer");
  std::error_code ec;
  if (args.reasoning != "-" && !std::filesystem::is_regular_file(args.reasoning, ec))
    throw UsageError("--reasoning: cannot read reasoning file " + args.reasoning);
  return read_answer(args.reasoning, args.max_answer_bytes);
}

void print(const Report& report, const GradeArgs& args) {
  write_output(args.out, args.format == "json" ? to_json(report).dump(2) + "\n" : to_text(report));
}

int run_grade(const GradeArgs& args, const GlobalOptions& global) {
  const Task task = load_one_task(global, args.task);
  std::string answer = read_answer(args.answer, args.max_answer_bytes);
  GradeOptions options{args.model,           args.pick == "best", !args.no_retry,
                       read_reasoning(args), args.finish_reason,  args.keep_box};
  if (args.verbose) enable_dev_trace();
  auto grader = open_grader();
  Report report = grader ? (*grader)->grade(task, answer, options)
                         : grader_error_report(task.id, args.model, grader.error().message);
  print(report, args);
  return report.verdict == Verdict::kGraderError ? kGraderError : kJudged;
}

}  // namespace

Runner add_grade_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<GradeArgs>();
  CLI::App* sub = app.add_subcommand("grade", "Grade one model answer (markdown or bare code)");
  sub->add_option("--task,-t", args->task, "task id (see `gradebox tasks`)")->required();
  sub->add_option("answer", args->answer, "answer file, or - for stdin")->required();
  sub->add_option("--format,-f", args->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--model,-m", args->model, "model id recorded in the report");
  sub->add_option("--pick", args->pick,
                  "first: grade the primary block (default); best: keep the best candidate")
      ->check(CLI::IsMember({"first", "best"}));
  sub->add_option("--reasoning", args->reasoning,
                  "file with the answer's separate reasoning (e.g. reasoning_content); its code is "
                  "graded only when the answer has none");
  sub->add_option("--finish-reason", args->finish_reason,
                  "the API's finish reason; length marks the report truncated")
      ->check(CLI::Validator(finish_reason_problem, "REASON"));
  sub->add_option("--out,-o", args->out, "write the report to this file instead of stdout");
  sub->add_flag("--no-retry", args->no_retry,
                "run every test once: no retry of a starved timeout or a time near the limit");
  sub->add_flag("--keep-box", args->keep_box,
                "keep each harness run's box folder and print it, with the command that runs the "
                "harness in it again (gradebox rerun-box)");
  sub->add_flag("--verbose,-v", args->verbose,
                "print every observation line the harness wrote and every trusted call (check.py, "
                "prober) on stderr");
  sub->add_option("--max-answer-bytes", args->max_answer_bytes,
                  "a larger answer is too-large: not graded (default 1 MiB)")
      ->check(CLI::PositiveNumber);
  sub->footer(
      "Exit codes: 0 the answer was judged (any verdict but grader-error), 2 usage error,\n"
      "3 grader-error (gradebox or its environment failed; never the answer's fault).");
  return [args, sub, &global] { return run_grade(*args, global); };
}

}  // namespace gradebox::cli
