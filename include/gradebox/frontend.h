// What every front end (the CLI in src/cli/, the pipeline in src/pipeline/,
// the Python module in python/) does around grading, written once: opening
// a Grader after cleaning up what killed runs left behind, the report of an
// answer gradebox could not grade, looking a task up by id, and the worker
// threads that grade answers side by side.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gradebox/grade.h"
#include "gradebox/report.h"
#include "gradebox/status.h"
#include "gradebox/task.h"

namespace gradebox {

/// Removes the sandboxes and boxes of runs that were killed, then opens the
/// namespace sandbox. A sandbox that cannot start is an Error naming why.
Result<std::shared_ptr<Sandbox>> open_sandbox();

/// open_sandbox(), and a Grader on it.
Result<std::shared_ptr<const Grader>> open_grader();

/// The report of an answer gradebox could not grade: verdict grader-error,
/// never the answer's fault, scored (all zero) like any other.
Report grader_error_report(const std::string& task, const std::string& model,
                           const std::string& why);

/// The task `id` in `registry`, or an Error "unknown task 'x' (known: a, b)"
/// followed by why any pack failed to load (it may be the one asked for).
Result<const Task*> find_task(const TaskRegistry& registry, const std::string& id);

/// Threads for `jobs` (0: one per core) and `count` answers: at least one.
int worker_count(int jobs, std::size_t count);

/// The one thread pool: `threads` threads each run `work` (which takes jobs
/// until none are left) from construction; the destructor joins them.
class WorkerPool {
 public:
  WorkerPool(int threads, const std::function<void()>& work);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool() { join(); }
  /// True once every thread's `work` has returned (a caller can wait in
  /// short steps, e.g. so Python sees Ctrl-C between them).
  bool wait_for(std::chrono::milliseconds timeout);
  void join();

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace gradebox
