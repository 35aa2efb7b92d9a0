#include "parallel_grading.h"

#include <algorithm>

#include "session.h"

namespace gradebox::python {

int worker_count(int jobs, std::size_t count) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  int wanted = jobs > 0 ? jobs : std::max(cores, 1);
  return std::max(1, std::min<int>(wanted, static_cast<int>(count)));
}

ParallelGrading::ParallelGrading(std::shared_ptr<const Grader> grader,
                                 std::vector<GradeRequest> requests, int jobs)
    : grader_(std::move(grader)), requests_(std::move(requests)), reports_(requests_.size()) {
  // A local count: a worker that finishes at once decrements running_workers_
  // while this loop still starts the others (it stopped short, and waited forever).
  const int workers = worker_count(jobs, requests_.size());
  running_workers_ = workers;
  for (int w = 0; w < workers; ++w) workers_.emplace_back([this] { work(); });
}

ParallelGrading::~ParallelGrading() {
  stop();
  join();
}

void ParallelGrading::work() {
  for (std::size_t i; !stopped_ && (i = next_++) < requests_.size();) {
    const GradeRequest& request = requests_[i];
    // Each slot is written by exactly one worker and read after join().
    // Nothing may escape a worker thread: that would abort the interpreter.
    try {
      reports_[i] = grader_->grade(*request.task, request.text, request.options);
    } catch (const std::exception& e) {
      reports_[i] = grader_error_report(request.task->id, request.options.model,
                                        std::string("internal error: ") + e.what());
    }
  }
  std::lock_guard lock(mutex_);
  if (--running_workers_ == 0) idle_.notify_all();
}

bool ParallelGrading::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return running_workers_ == 0; });
}

void ParallelGrading::stop() { stopped_ = true; }

void ParallelGrading::join() {
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

std::vector<std::optional<Report>> ParallelGrading::finish() {
  join();
  return std::move(reports_);
}

}  // namespace gradebox::python
