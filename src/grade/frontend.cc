// The front ends' shared steps (include/gradebox/frontend.h).
#include "gradebox/frontend.h"

#include <algorithm>

#include "grade/box.h"
#include "grade/job_limit.h"

namespace gradebox {

Result<std::shared_ptr<Sandbox>> open_sandbox() {
  clean_stale_sandboxes();
  remove_stale_boxes();
  auto sandbox = make_namespace_sandbox();
  if (!sandbox) return sandbox.error();
  return std::shared_ptr<Sandbox>(std::move(*sandbox));
}

Result<std::shared_ptr<const Grader>> open_grader() {
  auto sandbox = open_sandbox();
  if (!sandbox) return sandbox.error();
  return std::shared_ptr<const Grader>(std::make_shared<const Grader>(std::move(*sandbox)));
}

Report grader_error_report(const std::string& task, const std::string& model,
                           const std::string& why) {
  Report report;
  report.task = task;
  report.model = model;
  report.verdict = Verdict::kGraderError;
  report.verdict_detail = why;
  compute_scores(report);
  return report;
}

Result<const Task*> find_task(const TaskRegistry& registry, const std::string& id) {
  auto it = registry.tasks.find(id);
  if (it != registry.tasks.end()) return &it->second;
  std::string known;
  for (const auto& [name, task] : registry.tasks) known += (known.empty() ? "" : ", ") + name;
  std::string message =
      "unknown task '" + id + "' (known: " + (known.empty() ? "none" : known) + ")";
  for (const auto& problem : registry.problems) message += "; " + problem.message;
  return Error{message};
}

int worker_count(int jobs, std::size_t count) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  int wanted = std::min(jobs > 0 ? jobs : std::max(cores, 1), max_jobs());
  return std::max(1, std::min<int>(wanted, static_cast<int>(count)));
}

WorkerPool::WorkerPool(int threads, const std::function<void()>& work) {
  // Counted before any thread starts: one that finishes at once must not
  // see zero while the others are still being started.
  running_ = threads;
  for (int t = 0; t < threads; ++t) {
    threads_.emplace_back([this, work] {
      work();
      std::lock_guard lock(mutex_);
      if (--running_ == 0) idle_.notify_all();
    });
  }
}

bool WorkerPool::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return running_ == 0; });
}

void WorkerPool::join() {
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace gradebox
