// One cgroup per run: memory, pids and CPU accounting, v1 or v2.
//
// Each run's cgroup is created under the cgroup gradebox itself is in (per
// hierarchy), so a gradebox that is limited stays limited, and named
// gradebox-<owner pid>-<n> so that clean_stale_sandboxes() can tell whose it
// is. v1 follows isolate 1.10's cg.c: memsw limited together with memory,
// peak from max_usage_in_bytes, OOM kills from memory.oom_control.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gradebox/sandbox.h"
#include "gradebox/status.h"
#include "launch_config.h"

namespace gradebox::sandbox {

/// Where the controllers live. Empty paths: not available.
struct CgroupLayout {
  bool v2 = false;
  std::string memory;  // parent directory for runs (v1 memory or v2 unified)
  std::string pids;    // v1 only
  std::string cpu;     // v1 cpuacct only
};

/// Finds the hierarchies from /proc/self/mountinfo and /proc/self/cgroup.
Result<CgroupLayout> detect_cgroups();

/// What a run's cgroup measured.
struct CgroupStats {
  double cpu_seconds = 0;
  std::uint64_t peak_memory_bytes = 0;
  std::uint64_t oom_kills = 0;
  std::uint64_t pids_refused = 0;  // forks refused by pids.max
};

/// A created cgroup (one directory per v1 hierarchy); removed on
/// destruction, after killing anything still inside. Created before the
/// run's limits are known (a pre-started gradebox-init joins it early, see
/// warm_pool.h), limited by apply_limits().
class RunCgroup {
 public:
  static Result<RunCgroup> create(const CgroupLayout& layout);
  RunCgroup(RunCgroup&& other) noexcept;
  RunCgroup& operator=(RunCgroup&&) = delete;
  ~RunCgroup();

  /// Writes the memory and pids limits, unless these are already set.
  Status apply_limits(const SandboxLimits& limits);
  /// The cgroup.procs files gradebox-init writes itself into.
  std::vector<std::string> procs_files() const;
  std::string cpu_usage_path() const;
  CpuUsageFormat cpu_usage_format() const;
  CgroupStats read_stats() const;

 private:
  RunCgroup(bool v2, std::string memory, std::string pids, std::string cpu);
  // Opened with the cgroup, off the run's path: reading the numbers after
  // a run is then one pread per file, not an open and a stream each.
  enum StatFile { kCpuUsage, kPeakMemory, kOomKills, kPidsRefused, kStats };
  std::string stat_path(StatFile file) const;
  std::string stat_text(StatFile file) const;
  Status write_limits(const SandboxLimits& limits);
  bool v2_;
  std::string memory_, pids_, cpu_;          // directories; v2: all in memory_
  int stat_fds_[kStats] = {-1, -1, -1, -1};  // -1: no such file
  std::optional<SandboxLimits> applied_;     // what the files now say
};

/// Removes run cgroups under `layout` whose owner pid no longer exists.
void remove_stale_cgroups(const CgroupLayout& layout);

/// Kills what is left in a cgroup directory, then removes it.
void remove_cgroup_dir(const std::string& dir);

}  // namespace gradebox::sandbox
