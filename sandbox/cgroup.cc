#include "cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

std::atomic<unsigned> run_counter{0};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status write_text(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return sys_error("open", path);
  bool complete = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int saved = errno;
  close(fd);
  errno = saved;
  if (!complete) return sys_error("write", path + ", " + text);
  return ok_status();
}

// "key value" lines (memory.oom_control, pids.events, cpu.stat).
std::uint64_t key_in(const std::string& text, const std::string& key) {
  std::istringstream lines(text);
  std::string name;
  std::uint64_t value = 0;
  while (lines >> name >> value) {
    if (name == key) return value;
  }
  return 0;
}

std::uint64_t number_in(const std::string& text) {
  return std::strtoull(text.c_str(), nullptr, 10);
}

struct Mount {
  std::string root, point, type, options;
};

std::vector<Mount> cgroup_mounts() {
  std::vector<Mount> mounts;
  std::istringstream lines(read_text("/proc/self/mountinfo"));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point, rest, dash, type, source, options;
    fields >> id >> parent >> device >> root >> point;
    while (fields >> dash && dash != "-") {
    }
    fields >> type >> source >> options;
    if (type == "cgroup" || type == "cgroup2") {
      mounts.push_back({root, point, type, "," + options + ","});
    }
  }
  return mounts;
}

// The directory of gradebox's own cgroup in the hierarchy mounted `mount`.
std::string own_directory(const Mount& mount, const std::string& controller) {
  std::istringstream lines(read_text("/proc/self/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    size_t first = line.find(':'), second = line.find(':', first + 1);
    std::string names = "," + line.substr(first + 1, second - first - 1) + ",";
    bool match = controller.empty() ? names == ",,"
                                    : names.find("," + controller + ",") != std::string::npos;
    if (!match) continue;
    std::string path = line.substr(second + 1);
    if (mount.root != "/" && path.rfind(mount.root, 0) == 0) {
      path = path.substr(mount.root.size());
    }
    return mount.point + (path == "/" ? "" : path);
  }
  return "";
}

std::string v1_parent(const std::vector<Mount>& mounts, const std::string& name) {
  for (const Mount& mount : mounts) {
    if (mount.type == "cgroup" && mount.options.find("," + name + ",") != std::string::npos) {
      return own_directory(mount, name);
    }
  }
  return "";
}

}  // namespace

Result<CgroupLayout> detect_cgroups() {
  std::vector<Mount> mounts = cgroup_mounts();
  CgroupLayout layout;
  layout.memory = v1_parent(mounts, "memory");
  if (!layout.memory.empty()) {
    layout.pids = v1_parent(mounts, "pids");
    layout.cpu = v1_parent(mounts, "cpuacct");
    return layout;
  }
  for (const Mount& mount : mounts) {
    if (mount.type != "cgroup2") continue;
    std::string own = own_directory(mount, "");
    if (read_text(own + "/cgroup.controllers").find("memory") == std::string::npos) {
      continue;
    }
    // Children need the controllers enabled; fails with EBUSY when
    // gradebox shares a non-root cgroup with its own processes.
    Status enabled = write_text(own + "/cgroup.subtree_control", "+memory +pids +cpu");
    if (!enabled.ok()) return enabled.error();
    layout.v2 = true;
    layout.memory = own;
    return layout;
  }
  return Error{
      "no cgroup memory controller (v1 memory or v2 with memory) in "
      "/proc/self/mountinfo"};
}

Result<RunCgroup> RunCgroup::create(const CgroupLayout& layout) {
  std::string name = "gradebox-" + std::to_string(getpid()) + "-" + std::to_string(run_counter++);
  std::string dirs[3];
  const std::string* parents[3] = {&layout.memory, &layout.pids, &layout.cpu};
  for (int i = 0; i < 3; ++i) {
    if (parents[i]->empty()) continue;
    dirs[i] = *parents[i] + "/" + name;
    if (mkdir(dirs[i].c_str(), 0755) != 0) {
      Error error = sys_error("mkdir", dirs[i]);
      for (int j = 0; j < i; ++j) rmdir(dirs[j].c_str());
      return error;
    }
  }
  return RunCgroup(layout.v2, dirs[0], dirs[1], dirs[2]);
}

RunCgroup::RunCgroup(bool v2, std::string memory, std::string pids, std::string cpu)
    : v2_(v2), memory_(std::move(memory)), pids_(std::move(pids)), cpu_(std::move(cpu)) {
  for (int file = 0; file < kStats; ++file) {
    std::string path = stat_path(static_cast<StatFile>(file));
    if (!path.empty()) stat_fds_[file] = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
}

RunCgroup::RunCgroup(RunCgroup&& other) noexcept
    : v2_(other.v2_),
      memory_(std::move(other.memory_)),
      pids_(std::move(other.pids_)),
      cpu_(std::move(other.cpu_)),
      applied_(other.applied_) {
  other.memory_.clear();
  other.pids_.clear();
  other.cpu_.clear();
  for (int file = 0; file < kStats; ++file) {
    stat_fds_[file] = other.stat_fds_[file];
    other.stat_fds_[file] = -1;
  }
}

RunCgroup::~RunCgroup() {
  for (int fd : stat_fds_) {
    if (fd >= 0) close(fd);
  }
  for (const std::string* dir : {&memory_, &pids_, &cpu_}) {
    if (!dir->empty()) remove_cgroup_dir(*dir);
  }
}

Status RunCgroup::apply_limits(const SandboxLimits& limits) {
  if (applied_ && applied_->memory_bytes == limits.memory_bytes &&
      applied_->max_processes == limits.max_processes) {
    return ok_status();  // set ahead by the pool (warm_pool.h)
  }
  applied_.reset();  // unknown until every write below has succeeded
  GB_RETURN_IF_ERROR(write_limits(limits));
  applied_ = limits;
  return ok_status();
}

Status RunCgroup::write_limits(const SandboxLimits& limits) {
  std::string memory = std::to_string(limits.memory_bytes);
  std::string pids = std::to_string(limits.max_processes + 2);  // outer, init
  if (v2_) {
    GB_RETURN_IF_ERROR(write_text(memory_ + "/memory.max", memory));
    write_text(memory_ + "/memory.swap.max", "0");  // absent without swap
    return write_text(memory_ + "/pids.max", pids);
  }
  // No swap: memsw (memory + swap) gets the same limit where it exists. It
  // must stay >= the memory limit at every step, so it is relaxed first
  // (isolate's cg.c).
  std::string memsw = memory_ + "/memory.memsw.limit_in_bytes";
  bool has_memsw = write_text(memsw, "-1").ok();
  GB_RETURN_IF_ERROR(write_text(memory_ + "/memory.limit_in_bytes", memory));
  if (has_memsw) GB_RETURN_IF_ERROR(write_text(memsw, memory));
  if (!pids_.empty()) GB_RETURN_IF_ERROR(write_text(pids_ + "/pids.max", pids));
  return ok_status();
}

std::vector<std::string> RunCgroup::procs_files() const {
  std::vector<std::string> files;
  for (const std::string* dir : {&memory_, &pids_, &cpu_}) {
    if (!dir->empty()) files.push_back(*dir + "/cgroup.procs");
  }
  return files;
}

std::string RunCgroup::cpu_usage_path() const {
  if (v2_) return memory_ + "/cpu.stat";
  return cpu_.empty() ? "" : cpu_ + "/cpuacct.usage";
}

CpuUsageFormat RunCgroup::cpu_usage_format() const {
  if (v2_) return CpuUsageFormat::kV2CpuStat;
  return cpu_.empty() ? CpuUsageFormat::kNone : CpuUsageFormat::kV1Nanoseconds;
}

std::string RunCgroup::stat_path(StatFile file) const {
  switch (file) {
    case kCpuUsage:
      if (v2_) return memory_ + "/cpu.stat";
      return cpu_.empty() ? "" : cpu_ + "/cpuacct.usage";
    case kPeakMemory:
      return memory_ + (v2_ ? "/memory.peak" : "/memory.max_usage_in_bytes");
    case kOomKills:
      return memory_ + (v2_ ? "/memory.events" : "/memory.oom_control");
    case kPidsRefused:
      if (v2_) return memory_ + "/pids.events";
      return pids_.empty() ? "" : pids_ + "/pids.events";
    default:
      return "";
  }
}

// Empty when the file does not exist here: its number reads as 0.
std::string RunCgroup::stat_text(StatFile file) const {
  char text[4096];
  ssize_t length = stat_fds_[file] < 0 ? -1 : pread(stat_fds_[file], text, sizeof(text) - 1, 0);
  return length > 0 ? std::string(text, length) : std::string();
}

CgroupStats RunCgroup::read_stats() const {
  CgroupStats stats;
  std::string cpu = stat_text(kCpuUsage);
  stats.cpu_seconds = v2_ ? static_cast<double>(key_in(cpu, "usage_usec")) / 1e6
                          : static_cast<double>(number_in(cpu)) / 1e9;
  stats.peak_memory_bytes = number_in(stat_text(kPeakMemory));
  stats.oom_kills = key_in(stat_text(kOomKills), "oom_kill");
  stats.pids_refused = key_in(stat_text(kPidsRefused), "max");
  return stats;
}

void remove_cgroup_dir(const std::string& dir) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
    std::istringstream pids(read_text(dir + "/cgroup.procs"));
    for (pid_t pid; pids >> pid;) kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void remove_stale_cgroups(const CgroupLayout& layout) {
  for (const std::string& parent : {layout.memory, layout.pids, layout.cpu}) {
    if (parent.empty()) continue;
    DIR* listing = opendir(parent.c_str());
    if (listing == nullptr) continue;
    while (struct dirent* entry = readdir(listing)) {
      int owner = 0;
      if (std::sscanf(entry->d_name, "gradebox-%d-", &owner) != 1) continue;
      if (owner > 0 && (kill(owner, 0) == 0 || errno != ESRCH)) continue;
      remove_cgroup_dir(parent + "/" + entry->d_name);
    }
    closedir(listing);
  }
}

}  // namespace gradebox::sandbox
