// A CPU quota for this test process and everything it starts from now on:
// a child cgroup in the cgroup v1 `cpu` hierarchy with cfs_quota_us set,
// which this process joins (its children inherit it) and leaves again when
// the quota goes out of scope. The processes inside share the quota; the
// rest of the machine keeps the other cores. Used by the load test, so
// that an oversubscribed machine costs a fraction of a core, not all of
// them, and other tests can run beside it.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace gradebox::testing {

class CpuQuota {
 public:
  /// Joins a new cgroup limited to `cores` of CPU (e.g. 0.5); nullopt when
  /// this machine has no writable cgroup v1 `cpu` controller.
  static std::optional<CpuQuota> join(double cores) {
    std::string own = own_cpu_cgroup();
    if (own.empty()) return std::nullopt;
    std::string dir = own + "/gradebox-test-quota-" + std::to_string(::getpid());
    std::filesystem::remove(dir);  // an empty leftover of this pid's earlier run
    std::error_code error;
    if (!std::filesystem::create_directory(dir, error)) return std::nullopt;
    CpuQuota quota(own, dir);
    const long period_us = 100000;
    if (!write(dir + "/cpu.cfs_period_us", std::to_string(period_us)) ||
        !write(dir + "/cpu.cfs_quota_us", std::to_string(static_cast<long>(cores * period_us))) ||
        !write(dir + "/cgroup.procs", std::to_string(::getpid())))
      return std::nullopt;
    return quota;
  }

  CpuQuota(CpuQuota&& other) noexcept : parent_(other.parent_), dir_(std::move(other.dir_)) {
    other.dir_.clear();
  }
  CpuQuota& operator=(CpuQuota&&) = delete;

  /// Back to the parent cgroup; the quota's cgroup is removed once empty
  /// (processes started inside must have ended by then).
  ~CpuQuota() {
    if (dir_.empty()) return;
    write(parent_ + "/cgroup.procs", std::to_string(::getpid()));
    ::rmdir(dir_.c_str());
  }

  /// Throttled periods so far: > 0 shows the quota really held processes back.
  long throttled_periods() const {
    std::ifstream in(dir_ + "/cpu.stat");
    std::string key;
    long value = 0;
    while (in >> key >> value)
      if (key == "nr_throttled") return value;
    return 0;
  }

 private:
  CpuQuota(std::string parent, std::string dir) : parent_(std::move(parent)), dir_(std::move(dir)) {}

  static bool write(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.flush();
    return static_cast<bool>(out);
  }

  // This process's directory in the v1 hierarchy whose options name `cpu`
  // (alone or co-mounted, e.g. "cpu,cpuacct"), or "".
  static std::string own_cpu_cgroup() {
    std::ifstream mounts("/proc/self/mountinfo");
    for (std::string line; std::getline(mounts, line);) {
      std::istringstream fields(line);
      std::string id, parent, device, root, point, field, type, source, options;
      fields >> id >> parent >> device >> root >> point;
      while (fields >> field && field != "-") {
      }
      fields >> type >> source >> options;
      if (type != "cgroup" || ("," + options + ",").find(",cpu,") == std::string::npos) continue;
      std::ifstream groups("/proc/self/cgroup");
      for (std::string entry; std::getline(groups, entry);) {
        std::size_t first = entry.find(':'), second = entry.find(':', first + 1);
        std::string names = "," + entry.substr(first + 1, second - first - 1) + ",";
        if (names.find(",cpu,") == std::string::npos) continue;
        std::string path = entry.substr(second + 1);
        if (root != "/" && path.rfind(root, 0) == 0) path = path.substr(root.size());
        return point + (path == "/" ? "" : path);
      }
    }
    return "";
  }

  std::string parent_, dir_;
};

}  // namespace gradebox::testing
