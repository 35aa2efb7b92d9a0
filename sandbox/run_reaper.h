// Ends finished runs off the caller's critical path.
//
// Once a run's status pipe reaches EOF its whole process tree is gone
// (init_main.cc), so the outcome can be returned at once; what is left is
// the outer's exit, which tears down the run's mount and network
// namespaces, reaping it, and removing the run's cgroups (~0.4 ms, with
// tails of several ms). A thread does that here instead.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "warm_pool.h"

namespace gradebox::sandbox {

/// Thread-safe. Destroying it finishes every init handed to it first, so no
/// process or cgroup outlives the Sandbox.
class RunReaper {
 public:
  RunReaper();
  ~RunReaper();
  RunReaper(const RunReaper&) = delete;
  RunReaper& operator=(const RunReaper&) = delete;

  /// Reaps the init and removes its cgroups soon, on the reaper's thread.
  void retire(std::unique_ptr<WarmInit> init);

 private:
  void reap_until_stopped();
  std::mutex mutex_;
  std::condition_variable retired_;
  bool stopping_ = false;
  std::deque<std::unique_ptr<WarmInit>> finished_;
  std::thread reaper_;
};

}  // namespace gradebox::sandbox
