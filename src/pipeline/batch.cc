#include "pipeline/batch.h"

#include "gradebox/frontend.h"
#include "pipeline/job_queue.h"
#include "pipeline/repeats.h"

#include <algorithm>
#include <mutex>

namespace gradebox::pipeline {
namespace {

bool stopped(const BatchOptions& options) { return options.stop && options.stop->load(); }

// Stores one report; summary bookkeeping under the caller's lock.
void store(History& history, const std::string& run_id, const GradeJob& job,
           const BatchOptions& options, const Report& report, bool from_cache,
           BatchSummary& summary) {
  auto status = history.record(run_id, job.answer, job.task->stamp, cache_key(options, job.answer),
                               report, from_cache);
  if (!status) summary.errors.push_back(status.error());
  (from_cache ? summary.cached : summary.graded)++;
  if (!from_cache && report.verdict == Verdict::kGraderError) summary.grader_errors++;
  if (options.on_report) options.on_report(job.answer, report);
  if (options.progress) options.progress->done(report, from_cache);
}

// Cache hits are answered at once; the rest are returned for grading.
std::vector<const GradeJob*> answer_from_cache(History& history, const std::string& run_id,
                                               const std::vector<GradeJob>& jobs,
                                               const BatchOptions& options, BatchSummary& summary) {
  std::vector<const GradeJob*> misses;
  for (const auto& job : jobs) {
    std::string key = cache_key(options, job.answer);
    auto hit = options.use_cache && options.repeat <= 1
                   ? history.cached(job.answer, job.task->stamp, key)
                   : std::nullopt;
    if (!hit) {
      misses.push_back(&job);
      continue;
    }
    hit->model = job.answer.model;  // the same text may come from two models
    store(history, run_id, job, options, *hit, true, summary);
  }
  return misses;
}

// Grades `misses` on the workers; returns the jobs that ended grader-error.
std::vector<const GradeJob*> run_pool(History& history, const std::string& run_id,
                                      const std::vector<const GradeJob*>& misses,
                                      const BatchOptions& options, const Grader& grader,
                                      BatchSummary& summary) {
  JobQueue queue(misses);
  std::mutex mutex;
  std::vector<const GradeJob*> failed;
  auto work = [&] {
    for (const GradeJob* next; !stopped(options) && (next = queue.next());) {
      const GradeJob& job = *next;
      std::vector<Report> repeats;
      double seconds = 0;
      for (int r = 0; r < std::max(1, options.repeat) && !stopped(options); ++r) {
        repeats.push_back(
            grader.grade(*job.task, job.answer.text, answer_options(options.grade, job.answer)));
        seconds += repeats.back().grade_seconds;
      }
      if (repeats.empty()) return;
      Report report = repeats.size() > 1 ? merge_repeats(repeats) : repeats.front();
      queue.finished(job, seconds);
      std::lock_guard lock(mutex);
      if (repeats.size() > 1) {
        if (auto s = history.record_repeats(run_id, job.answer, repeats); !s)
          summary.errors.push_back(s.error());
        summary.flaky += static_cast<int>(flaky_tests(report).size());
      }
      // After Ctrl-C the sandboxed children may have been signalled too: a
      // result finished now is not trusted; the resume grades it again.
      if (stopped(options)) return;
      store(history, run_id, job, options, report, false, summary);
      if (report.verdict == Verdict::kGraderError) failed.push_back(next);
    }
  };
  WorkerPool(worker_count(options.jobs, misses.size()), work).join();
  return failed;
}

// A grader-error is gradebox's fault, maybe transient (a loaded machine, a
// sandbox that did not start): each is graded once more before the run
// ends, so one bad moment does not cost an answer its score until a resume.
void retry_grader_errors(History& history, const std::string& run_id,
                         const std::vector<const GradeJob*>& failed, const BatchOptions& options,
                         const Grader& grader, BatchSummary& summary) {
  if (failed.empty() || stopped(options)) return;
  const int count = static_cast<int>(failed.size());
  summary.graded -= count;  // counted again by the second attempt
  summary.grader_errors -= count;
  summary.retried = count;
  if (options.progress) options.progress->start(count);
  run_pool(history, run_id, failed, options, grader, summary);
}

}  // namespace

std::string cache_key(const BatchOptions& options, const AnswerRecord& answer) {
  std::string key = options_key(answer_options(options.grade, answer));
  // A report merged from repeats is only ever a hit for the same repeat count.
  return options.repeat > 1 ? key + ";repeat=" + std::to_string(options.repeat) : key;
}

GradeOptions answer_options(const GradeOptions& run, const AnswerRecord& answer) {
  GradeOptions options = run;
  options.model = answer.model;
  options.reasoning = answer.reasoning;
  options.finish_reason = answer.finish_reason;
  return options;
}

std::string options_key(const GradeOptions& options) {
  // Keys written before issue 17 end at retry=: they never match one of these.
  return std::string("pick=") + (options.pick_best ? "best" : "first") +
         ";retry=" + (options.retry_timeouts ? "1" : "0") +
         ";finish=" + answer_hash(options.finish_reason) +
         ";reasoning=" + answer_hash(options.reasoning);
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
      auto failed = run_pool(history, run_id, misses, options, **grader, summary);
      retry_grader_errors(history, run_id, failed, options, **grader, summary);
    } else {
      for (const GradeJob* job : misses) {
        store(history, run_id, *job, options,
              grader_error_report(job->answer.task, job->answer.model, grader.error().message),
              false, summary);
      }
    }
  }
  summary.left = static_cast<int>(jobs.size()) - summary.graded - summary.cached;
  return summary;
}

}  // namespace gradebox::pipeline
