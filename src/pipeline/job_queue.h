// The order in which a batch's answers are graded: longest first, learned
// as the run goes. With a few workers, the run's wall time is set by the
// answers that start last; if those are the slow ones (a Dijkstra that
// burns its 3 s CPU limit) the other workers sit idle. So each task is
// sampled once, then the task whose answers have cost most so far is
// served first, and the cheap ones fill the gaps at the end.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/batch.h"

namespace gradebox::pipeline {

class JobQueue {
 public:
  explicit JobQueue(const std::vector<const GradeJob*>& jobs);
  /// The next job to grade, or nullptr when none is left. Thread-safe.
  const GradeJob* next();
  /// Tells the queue what grading `job` cost, in seconds. Thread-safe.
  void finished(const GradeJob& job, double seconds);

 private:
  struct TaskCost {
    int started = 0;
    int finished = 0;
    double seconds = 0;
  };
  double estimate(const std::string& task) const;
  std::mutex mutex_;
  std::vector<std::string> task_order_;  // first appearance in the input
  std::map<std::string, std::deque<const GradeJob*>> waiting_;
  std::map<std::string, TaskCost> cost_;
};

}  // namespace gradebox::pipeline
