#include "pipeline/child_grading.h"

#include <algorithm>
#include <csignal>
#include <cstring>

#include "gradebox/frontend.h"
#include "pipeline/batch.h"
#include "pipeline/child_process.h"
#include "pipeline/history_rows.h"
#include "pipeline/private_temp_file.h"

namespace gradebox::pipeline {
namespace {

constexpr int kGradedRuns = 6;  // four candidates, the join retry, a timeout's rerun

// `reasoning_file`: where the answer's reasoning was written, or empty.
std::vector<std::string> grade_argv(std::vector<std::string> argv, const Task& task,
                                    const GradeOptions& options, std::size_t answer_bytes,
                                    const std::string& reasoning_file) {
  // name=value: an id that starts with '-' is still a value, not an option.
  for (std::string arg :
       {"grade", "--format=json", options.pick_best ? "--pick=best" : "--pick=first"})
    argv.push_back(std::move(arg));
  argv.push_back("--task=" + task.id);
  argv.push_back("--model=" + options.model);
  if (!options.retry_timeouts) argv.push_back("--no-retry");
  // Checked on the way in (input and history), by the rule the CLI applies.
  if (!options.finish_reason.empty()) argv.push_back("--finish-reason=" + options.finish_reason);
  if (!reasoning_file.empty()) argv.push_back("--reasoning=" + reasoning_file);
  // The run admitted this answer and its reasoning under its own
  // --max-answer-bytes: the child must not apply its default to them again.
  std::size_t largest = std::max(answer_bytes, options.reasoning.size());
  argv.push_back("--max-answer-bytes=" + std::to_string(largest + 1));
  argv.push_back("-");  // the answer comes on stdin
  return argv;
}

// The last line the child wrote on stderr: its one-line error, if any.
std::string last_line(const std::string& text) {
  std::size_t end = text.find_last_not_of("\n");
  if (end == std::string::npos) return "";
  std::size_t start = text.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return text.substr(start, std::min<std::size_t>(end + 1 - start, 400));
}

std::string why_no_report(const ChildEnd& end, std::chrono::seconds backstop) {
  if (end.timed_out)
    return "gradebox hung grading this answer (no report within " +
           std::to_string(backstop.count()) + " s); the run went on";
  if (!end.exited)
    return "gradebox crashed grading this answer (signal " + std::to_string(end.term_signal) +
           ", " + strsignal(end.term_signal) + "); the run went on";
  return "gradebox grade exited " + std::to_string(end.exit_code) +
         " without a report: " + last_line(end.stderr_data);
}

}  // namespace

std::chrono::seconds hang_backstop(const Task& task) {
  double probe = task.probe.empty() ? 0.0 : task.probe_timeout_seconds;
  double per_run = task.limits.run_wall_seconds + probe;
  return std::chrono::seconds(static_cast<long>(kGradedRuns * per_run) + 120);
}

ChildProcessGrader::ChildProcessGrader(std::vector<std::string> command,
                                       std::optional<std::chrono::seconds> backstop)
    : command_(std::move(command)), backstop_(backstop) {}

Report ChildProcessGrader::grade(const Task& task, const std::string& answer,
                                 const GradeOptions& options) const {
  const std::chrono::seconds backstop = backstop_.value_or(hang_backstop(task));
  AnswerRecord record{options.model, task.id, answer, 0, 0, ""};
  // The answer takes stdin: the reasoning goes by a private file, removed
  // when this call returns.
  std::optional<PrivateTempFile> reasoning;
  if (!options.reasoning.empty()) {
    auto file = PrivateTempFile::write("reasoning", options.reasoning);
    if (!file)
      return grader_error_report(
          record.task, record.model,
          "cannot hand the reasoning to gradebox grade: " + file.error().message);
    reasoning.emplace(std::move(*file));
  }
  auto end = run_child(
      grade_argv(command_, task, options, answer.size(), reasoning ? reasoning->path() : ""),
      answer, backstop);
  if (!end)
    return grader_error_report(record.task, record.model,
                               "cannot start gradebox grade: " + end.error().message);
  // Exit 0 (judged) and 3 (grader-error) both come with the report.
  if (end->exited && (end->exit_code == 0 || end->exit_code == 3)) {
    // Read like a stored report: under size and depth limits, and only for
    // the answer asked about, so a child gone wrong cannot file another's.
    auto report = parse_stored_report(end->stdout_data);
    if (!report)
      return grader_error_report(
          record.task, record.model,
          "gradebox grade wrote no readable report: " + report.error().message);
    if (report->task != task.id || report->model != options.model)
      return grader_error_report(
          record.task, record.model,
          "gradebox grade reported on another answer (" + report->model + "/" + report->task + ")");
    return std::move(*report);
  }
  return grader_error_report(record.task, record.model, why_no_report(*end, backstop));
}

}  // namespace gradebox::pipeline
