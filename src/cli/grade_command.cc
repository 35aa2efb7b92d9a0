// gradebox grade --task ID ANSWER: one answer, a text summary or JSON.
#include "cli/common.h"
#include "gradebox/report.h"
#include "pipeline/run_input.h"

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
  std::string reasoning;  // a file holding the answer's separate reasoning
  std::string finish_reason;
  std::size_t max_answer_bytes = pipeline::InputLimits{}.max_answer_bytes;
};

Report grader_error_report(const Task& task, const std::string& model, const std::string& why) {
  Report report;
  report.task = task.id;
  report.model = model;
  report.verdict = Verdict::kGraderError;
  report.verdict_detail = why;
  compute_scores(report);
  return report;
}

void print(const Report& report, const GradeArgs& args) {
  write_output(args.out, args.format == "json" ? to_json(report).dump(2) + "\n" : to_text(report));
}

GradeOptions grade_options(const GradeArgs& args) {
  GradeOptions options{args.model, args.pick == "best", !args.no_retry};
  if (!args.reasoning.empty()) {
    if (args.reasoning == "-" && args.answer == "-")
      throw UsageError("--reasoning -: the answer already comes on stdin");
    options.reasoning = read_answer(args.reasoning, args.max_answer_bytes);
  }
  options.finish_reason = args.finish_reason;
  return options;
}

int run_grade(const GradeArgs& args, const GlobalOptions& global) {
  const Task task = load_one_task(global, args.task);
  std::string answer = read_answer(args.answer, args.max_answer_bytes);
  GradeOptions options = grade_options(args);
  std::string error;
  auto sandbox = make_sandbox(error);
  Report report = sandbox ? Grader(sandbox).grade(task, answer, options)
                          : grader_error_report(task, args.model, error);
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
  sub->add_option("--out,-o", args->out, "write the report to this file instead of stdout");
  sub->add_flag("--no-retry", args->no_retry, "run every test once: no retry of a starved timeout or a time near the limit");
  sub->add_option("--reasoning", args->reasoning,
                  "file holding the answer's separate reasoning (JSONL reasoning_content)");
  sub->add_option("--finish-reason", args->finish_reason,
                  "why the model stopped, e.g. stop or length (cut at the token limit)")
      ->check([](const std::string& value) {
        return value.size() <= pipeline::kMaxFinishReasonBytes
                   ? std::string()
                   : "at most " + std::to_string(pipeline::kMaxFinishReasonBytes) + " bytes";
      });
  sub->add_option("--max-answer-bytes", args->max_answer_bytes,
                  "a larger answer is too-large: not graded (default 1 MiB)")
      ->check(CLI::PositiveNumber);
  sub->footer(
      "Exit codes: 0 the answer was judged (any verdict but grader-error), 2 usage error,\n"
      "3 grader-error (gradebox or its environment failed; never the answer's fault).");
  return [args, sub, &global] { return run_grade(*args, global); };
}

}  // namespace gradebox::cli
