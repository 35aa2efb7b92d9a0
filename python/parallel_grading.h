// grade_many's pool: `jobs` threads share one Grader (thread-safe: each
// grade makes its own box and sandbox run) and take answers in order. The
// caller waits in short steps so Python can see Ctrl-C between them.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gradebox/frontend.h"
#include "gradebox/grade.h"

namespace gradebox::python {

/// One answer to grade; `task` points into a registry that outlives the pool.
struct GradeRequest {
  const Task* task = nullptr;
  std::string text;
  GradeOptions options;
  int sample = 0;  // the record's; not graded, only carried to its report
};

/// Starts grading at construction; the destructor stops and joins.
class ParallelGrading {
 public:
  ParallelGrading(std::shared_ptr<const Grader> grader, std::vector<GradeRequest> requests,
                  int jobs);
  ParallelGrading(const ParallelGrading&) = delete;
  ParallelGrading& operator=(const ParallelGrading&) = delete;
  ~ParallelGrading();

  /// True when every request is graded (or, after stop(), every started one).
  bool wait_for(std::chrono::milliseconds timeout);
  /// No further request starts; the ones running finish.
  void stop();
  /// Joins the workers; the reports in input order, nullopt where stopped.
  std::vector<std::optional<Report>> finish();

 private:
  void work();

  std::shared_ptr<const Grader> grader_;
  std::vector<GradeRequest> requests_;
  std::vector<std::optional<Report>> reports_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stopped_{false};
  WorkerPool pool_;  // last: its threads start once the fields above exist
};

}  // namespace gradebox::python
