#include "pipeline/job_queue.h"

namespace gradebox::pipeline {

JobQueue::JobQueue(const std::vector<const GradeJob*>& jobs) {
  for (const GradeJob* job : jobs) {
    const std::string& task = job->answer.task;
    if (!waiting_.count(task)) task_order_.push_back(task);
    waiting_[task].push_back(job);
  }
}

// Mean cost of the task's finished answers; a task still waiting for its
// first result counts as the mean of all finished answers.
double JobQueue::estimate(const std::string& task) const {
  auto it = cost_.find(task);
  if (it != cost_.end() && it->second.finished > 0) return it->second.seconds / it->second.finished;
  double seconds = 0;
  int finished = 0;
  for (const auto& [_, c] : cost_) {
    seconds += c.seconds;
    finished += c.finished;
  }
  return finished > 0 ? seconds / finished : 0;
}

const GradeJob* JobQueue::next() {
  std::lock_guard lock(mutex_);
  const std::string* pick = nullptr;
  double best = -1;
  for (const std::string& task : task_order_) {
    if (waiting_[task].empty()) continue;
    if (cost_[task].started == 0) {  // not sampled yet: goes first
      pick = &task;
      break;
    }
    if (double e = estimate(task); e > best) {
      best = e;
      pick = &task;
    }
  }
  if (!pick) return nullptr;
  const GradeJob* job = waiting_[*pick].front();
  waiting_[*pick].pop_front();
  cost_[*pick].started++;
  return job;
}

void JobQueue::finished(const GradeJob& job, double seconds) {
  std::lock_guard lock(mutex_);
  TaskCost& c = cost_[job.answer.task];
  c.finished++;
  c.seconds += seconds;
}

}  // namespace gradebox::pipeline
