#include "pipeline/run_pipeline.h"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "tasks/stamp.h"
#include "util/atomic_file.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

std::vector<GradeJob> pending_jobs(History& history, const RunMeta& meta, const RunInput& input,
                                   const TaskRegistry& registry, const RunOptions& options,
                                   RunOutcome& outcome) {
  auto done = history.graded(meta.id);
  std::vector<GradeJob> jobs;
  for (const auto& answer : input.answers) {
    if (options.shard && !in_shard(answer.model, answer.task, *options.shard)) continue;
    ++outcome.in_slice;
    if (done.count(key_of(answer))) {
      ++outcome.already_done;
      continue;
    }
    jobs.push_back({answer, &registry.tasks.at(answer.task)});
  }
  return jobs;
}

}  // namespace

std::string run_fingerprint(const RunInput& input, const TaskRegistry& registry,
                            const GradeOptions& options) {
  std::string text = options_key(options) + "\n";
  std::set<std::string> tasks;
  for (const auto& a : input.answers) {
    text += a.model + "\t" + a.task + "\t" + answer_hash(a.text) + "\t" + answer_hash(a.reasoning) +
            "\t" + answer_hash(a.finish_reason) +
            (a.sample ? "\t#" + std::to_string(a.sample) : std::string()) + "\n";
    tasks.insert(a.task);
  }
  // A too-large answer scores 0: a run with one differs from a run without.
  for (const auto& p : input.problems)
    if (p.kind == "too-large")
      text += p.model + "\t" + p.task + (p.sample ? "\t#" + std::to_string(p.sample) : "") +
              "\ttoo-large\n";
  for (const auto& id : tasks) text += id + "=" + registry.tasks.at(id).stamp + "\n";
  return answer_hash(text).substr(0, 12);
}

std::string default_run_id(const RunInput& input, const std::string& fingerprint) {
  std::string name = input.path.filename().string();
  if (name.empty()) name = input.path.parent_path().filename().string();
  if (!is_safe_id(name)) name = "run";
  return name + "-" + fingerprint;
}

Result<RunOutcome> grade_run(History& history, const RunInput& input, const TaskRegistry& registry,
                             const RunOptions& options, const GraderFactory& make_grader) {
  RunOutcome outcome;
  std::string fingerprint = run_fingerprint(input, registry, options.batch.grade);
  outcome.meta = {options.run_id.empty() ? default_run_id(input, fingerprint) : options.run_id,
                  utc_now(),
                  input.path.string(),
                  fingerprint,
                  options.shard ? to_string(*options.shard) : "",
                  GRADEBOX_VERSION};
  if (!is_safe_id(outcome.meta.id))
    return Error{"run id '" + outcome.meta.id + "' is not a safe name"};
  if (auto s = history.begin_run(outcome.meta, input.answers, input.problems); !s) return s.error();
  outcome.answers = static_cast<int>(input.answers.size());
  auto jobs = pending_jobs(history, outcome.meta, input, registry, options, outcome);
  BatchOptions batch = options.batch;
  if (!options.reports_dir.empty()) {
    auto user_hook = batch.on_report;
    batch.on_report = [&, user_hook](const AnswerRecord& a, const Report& r) {
      if (auto s = write_report_file(options.reports_dir, outcome.meta.id, r, a.sample); !s) {
        outcome.summary.errors.push_back(s.error());
        ++outcome.reports_not_written;
      }
      if (user_hook) user_hook(a, r);
    };
  }
  BatchSummary summary = grade_batch(history, outcome.meta.id, jobs, batch, make_grader);
  summary.errors.insert(summary.errors.end(), outcome.summary.errors.begin(),
                        outcome.summary.errors.end());
  outcome.summary = std::move(summary);
  return outcome;
}

RunInput input_from_run(const RunView& run) {
  RunInput input;
  input.path = run.meta.id;
  for (const auto& a : run.answers) input.answers.push_back(a.record);
  input.problems = run.problems;
  return input;
}

Status write_report_file(const fs::path& dir, const std::string& run_id, const Report& report,
                         int sample) {
  for (const auto* id : {&run_id, &report.model, &report.task}) {
    if (!is_safe_id(*id))
      return Error{"report file under " + dir.string() + ": unsafe id '" + printable(*id) + "'"};
  }
  auto folder = open_folders_below(dir, {run_id, report.model});
  if (!folder) return folder.error();
  std::string name =
      report.task + (sample ? ".sample-" + std::to_string(sample) : std::string()) + ".json";
  fs::path shown = dir / run_id / report.model / name;
  return write_file_atomically_at(
      folder->get(), name,
      to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", shown);
}

}  // namespace gradebox::pipeline
