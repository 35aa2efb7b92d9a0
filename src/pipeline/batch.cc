#include "pipeline/batch.h"

#include "pipeline/job_queue.h"

#include <mutex>
#include <thread>

namespace gradebox::pipeline {
namespace {

int worker_count(int requested, std::size_t jobs) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  int n = requested > 0 ? requested : (cores > 0 ? cores : 1);
  return std::max(1, std::min<int>(n, static_cast<int>(jobs)));
}

bool stopped(const BatchOptions& options) { return options.stop && options.stop->load(); }

// Stores one report; summary bookkeeping under the caller's lock.
void store(History& history, const std::string& run_id, const GradeJob& job,
           const BatchOptions& options, const Report& report, bool from_cache,
           BatchSummary& summary) {
  auto status = history.record(run_id, job.answer, job.task->stamp, options_key(options.grade),
                               report, from_cache);
  if (!status) summary.errors.push_back(status.error());
  (from_cache ? summary.cached : summary.graded)++;
  if (!from_cache && report.verdict == Verdict::kGraderError) summary.grader_errors++;
  if (options.on_report) options.on_report(report);
  if (options.progress) options.progress->done(report, from_cache);
}

// Cache hits are answered at once; the rest are returned for grading.
std::vector<const GradeJob*> answer_from_cache(History& history, const std::string& run_id,
                                               const std::vector<GradeJob>& jobs,
                                               const BatchOptions& options, BatchSummary& summary) {
  std::vector<const GradeJob*> misses;
  std::string key = options_key(options.grade);
  for (const auto& job : jobs) {
    auto hit =
        options.use_cache ? history.cached(job.answer.text, job.task->stamp, key) : std::nullopt;
    if (!hit) {
      misses.push_back(&job);
      continue;
    }
    hit->model = job.answer.model;  // the same text may come from two models
    store(history, run_id, job, options, *hit, true, summary);
  }
  return misses;
}

void run_pool(History& history, const std::string& run_id,
              const std::vector<const GradeJob*>& misses, const BatchOptions& options,
              const Grader& grader, BatchSummary& summary) {
  JobQueue queue(misses);
  std::mutex mutex;
  auto work = [&] {
    for (const GradeJob* next; !stopped(options) && (next = queue.next());) {
      const GradeJob& job = *next;
      GradeOptions grade_options = options.grade;
      grade_options.model = job.answer.model;
      Report report = grader.grade(*job.task, job.answer.text, grade_options);
      queue.finished(job, report.grade_seconds);
      std::lock_guard lock(mutex);
      // After Ctrl-C the sandboxed children may have been signalled too: a
      // result finished now is not trusted; the resume grades it again.
      if (stopped(options)) return;
      store(history, run_id, job, options, report, false, summary);
    }
  };
  std::vector<std::thread> workers;
  for (int w = 0; w < worker_count(options.jobs, misses.size()); ++w) workers.emplace_back(work);
  for (auto& t : workers) t.join();
}

}  // namespace

std::string options_key(const GradeOptions& options) {
  return std::string("pick=") + (options.pick_best ? "best" : "first") +
         ";retry=" + (options.retry_timeouts ? "1" : "0");
}

Report grader_error_report(const AnswerRecord& answer, const std::string& why) {
  Report report;
  report.task = answer.task;
  report.model = answer.model;
  report.verdict = Verdict::kGraderError;
  report.verdict_detail = why;
  compute_scores(report);
  return report;
}

BatchSummary grade_batch(History& history, const std::string& run_id,
                         const std::vector<GradeJob>& jobs, const BatchOptions& options,
                         const GraderFactory& make_grader) {
  BatchSummary summary;
  if (options.progress) options.progress->start(static_cast<int>(jobs.size()));
  auto misses = answer_from_cache(history, run_id, jobs, options, summary);
  if (!misses.empty() && !stopped(options)) {
    auto grader = make_grader();
    if (grader) {
      run_pool(history, run_id, misses, options, **grader, summary);
    } else {
      for (const GradeJob* job : misses) {
        store(history, run_id, *job, options,
              grader_error_report(job->answer, grader.error().message), false, summary);
      }
    }
  }
  summary.left = static_cast<int>(jobs.size()) - summary.graded - summary.cached;
  return summary;
}

}  // namespace gradebox::pipeline
