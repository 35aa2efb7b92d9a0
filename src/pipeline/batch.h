// Grading many answers: cache hits first, then a pool of -j workers sharing
// one Grader (thread-safe: each grade call makes its own box and sandbox
// run). Each result is stored the moment it exists.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gradebox/grade.h"
#include "pipeline/history.h"
#include "pipeline/progress.h"

namespace gradebox::pipeline {

struct GradeJob {
  AnswerRecord answer;
  const Task* task = nullptr;
};

struct BatchOptions {
  int jobs = 0;           // workers; 0 = one per core
  bool use_cache = true;  // false: regrade even what the cache holds
  int repeat = 1;      // gradings per answer (run --repeat): > 1 marks flaky tests, skips the cache
  GradeOptions grade;  // pick and retry (the model is set per answer)
  const std::atomic<bool>* stop = nullptr;  // set by Ctrl-C: take no new answer
  Progress* progress = nullptr;
  // e.g. the report's JSON file; the answer says which sample it is
  std::function<void(const AnswerRecord&, const Report&)> on_report;
};

struct BatchSummary {
  int graded = 0;             // graded now, in the sandbox
  int cached = 0;             // taken from the result cache
  int grader_errors = 0;      // among graded, after the retry
  int retried = 0;            // grader-errors graded a second time
  int left = 0;               // not done because of a stop
  int flaky = 0;              // tests marked flaky by --repeat
  std::vector<Error> errors;  // history write failures
};

/// Makes the Grader on first need, so a run the cache answers entirely
/// never builds a sandbox.
using GraderFactory = std::function<Result<std::shared_ptr<const Grader>>()>;

/// The result-cache key of one answer: its grade options, and the repeat
/// count when it is more than one.
std::string cache_key(const BatchOptions& options, const AnswerRecord& answer);

/// The options one answer is graded with: the run's, and the answer's
/// model, reasoning and finish_reason.
GradeOptions answer_options(const GradeOptions& run, const AnswerRecord& answer);

/// The cache key's options part: what changes a report besides text and
/// grader, the reasoning (as a hash) and finish_reason included.
std::string options_key(const GradeOptions& options);

BatchSummary grade_batch(History& history, const std::string& run_id,
                         const std::vector<GradeJob>& jobs, const BatchOptions& options,
                         const GraderFactory& make_grader);

}  // namespace gradebox::pipeline
