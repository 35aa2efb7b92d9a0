// gradebox-init processes started ahead of their runs.
//
// Moving a process into a cgroup v1 takes the kernel's
// cgroup_threadgroup_rwsem for writing, which waits for an RCU grace
// period: 7-20 ms measured here, ten times the whole sandbox budget. So
// each run's gradebox-init is started before it is needed: it joins its
// cgroup and unshares its namespaces while the previous run works, then
// blocks reading the spec on its stdin ("<length>\n<json>"). A run takes
// one from the pool and, once its program runs, the pool starts a
// replacement.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cgroup.h"
#include "gradebox/status.h"

namespace gradebox::sandbox {

/// One waiting gradebox-init: its process, gradebox's ends of its five
/// pipes (stdin, stdout, stderr, channel, status) and its cgroup. Dropping
/// it closes stdin, so the init reads EOF and exits, then reaps it.
struct WarmInit {
  pid_t pid = -1;
  int fds[5] = {-1, -1, -1, -1, -1};
  std::optional<RunCgroup> cgroup;
  ~WarmInit();
};

/// What every gradebox-init of one Sandbox shares.
struct InitSettings {
  std::string init_path;
  CgroupLayout layout;
  bool user_namespace = false;
};

/// Starts one gradebox-init that waits for its spec, its cgroup limited
/// ahead by `expected` if given (apply_limits then has nothing to write).
Result<std::unique_ptr<WarmInit>> spawn_warm_init(
    const InitSettings& settings, const std::optional<SandboxLimits>& expected = std::nullopt);

/// A few waiting inits; thread-safe. Replacements are started on the
/// pool's own thread, so a run never waits for gradebox's fork of the next
/// init.
class WarmPool {
 public:
  WarmPool(InitSettings settings, size_t size);
  ~WarmPool();
  /// A waiting init, or a fresh one when the pool is empty. Replacements
  /// are limited ahead as this run is (runs of one grader mostly share
  /// their limits).
  Result<std::unique_ptr<WarmInit>> take(const SandboxLimits& limits);
  /// Wakes the pool's thread to replace what was taken. Called once the
  /// run's program has started: woken earlier, the thread preempted the
  /// run's own setup (traced: +0.35 ms median when both cores were busy).
  void refill();

 private:
  void refill_until_stopped();
  InitSettings settings_;
  size_t size_;
  std::mutex mutex_;
  std::condition_variable wanted_;
  bool stopping_ = false;
  std::deque<std::unique_ptr<WarmInit>> waiting_;
  std::optional<SandboxLimits> expected_;  // the latest run's
  std::thread refiller_;
};

}  // namespace gradebox::sandbox
