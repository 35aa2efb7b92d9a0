// What gradebox tells gradebox-init about one run: the spec, the resolved
// limits and the cgroup files to join. Serialized as JSON, framed
// "<length>\n<json>" on gradebox-init's stdin (first the prelaunch part,
// then the spec; never in argv, which the box can read at /proc/1/cmdline);
// the same struct is read back by the init, so both sides share this one
// definition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gradebox/sandbox.h"
#include "gradebox/status.h"

namespace gradebox::sandbox {

/// File descriptors gradebox-init receives (0-2 are the program's stdio).
inline constexpr int kChannelFd = 3;  // the program's result channel
inline constexpr int kStatusFd = 4;   // init -> gradebox: setup error or outcome

/// How the cgroup's CPU usage file is read.
enum class CpuUsageFormat { kNone, kV1Nanoseconds, kV2CpuStat };

/// Everything gradebox-init needs; plain data.
struct LaunchConfig {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::vector<BindMount> mounts;
  std::string cwd = "/tmp";
  bool loopback = true;
  bool shield_program = false;  // SandboxSpec::guard_program: no signals toward it
  std::vector<std::string> seccomp_allow;
  double cpu_seconds = 0;
  double wall_seconds = 0;
  std::uint64_t file_size_bytes = 0;
  int open_files = 0;
  std::uint64_t tmpfs_bytes = 0;
  std::vector<std::string> cgroup_procs;  // cgroup.procs files to join
  std::string cpu_usage_path;             // cpuacct.usage or cpu.stat
  CpuUsageFormat cpu_usage_format = CpuUsageFormat::kNone;
  bool user_namespace = false;  // not root: map the caller into a new userns
  unsigned outside_uid = 0;     // the caller's ids, mapped when user_namespace
  unsigned outside_gid = 0;
};

std::string to_json(const LaunchConfig& config);
/// `prelaunch`: the part known before the spec (cgroups, user namespace);
/// argv may then be empty.
Result<LaunchConfig> launch_config_from_json(const std::string& text, bool prelaunch = false);

/// What the init reports on kStatusFd when the program has ended.
struct InitReport {
  bool exited = false;
  int exit_code = -1;
  int term_signal = 0;
  double wall_seconds = 0;
  LimitHit limit = LimitHit::kNone;  // only kWall or kCpu come from the init
  std::string violation;
};

/// Lines on kStatusFd: first {"ready": true} once the program has exec'd
/// (or {"error": "..."}: the sandbox could not be set up), then the report.
std::string ready_line();
std::string report_line(const InitReport& report);
std::string error_line(const std::string& message);
/// Parses the first status line: ok when ready, the init's Error if not.
Status parse_ready(const std::string& line);
/// Parses the report line; an {"error"} line or garbage becomes an Error.
Result<InitReport> parse_status(const std::string& text);

}  // namespace gradebox::sandbox
