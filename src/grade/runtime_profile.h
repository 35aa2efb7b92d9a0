// Runtime profiles (graders/_<name>/profile.json) turned into the base of a
// SandboxSpec: per-language facts are data, not branches (docs/runtime_profiles.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gradebox/sandbox.h"
#include "gradebox/status.h"
#include "gradebox/task.h"  // runtime_profile_path

namespace gradebox {

struct RuntimeProfile {
  std::string name;
  std::vector<std::string> env;
  std::vector<BindMount> mounts;
  std::uint64_t memory_headroom_mb = 0;
  int max_processes = 64;
  std::vector<std::string> seccomp_allow;
  std::vector<std::string> version_command;
};

/// Loads graders/_<name>/profile.json; `${GRADERS}` in mount sources becomes
/// `graders_dir`. A profile with a "usr" list gets its installed view of
/// /usr (kInstallRoot/runtimes/<name>/usr) as its first mount. Missing host
/// paths, or a view older than the host's runtime binary, are an Error (a
/// set-up step was skipped).
Result<RuntimeProfile> load_runtime_profile(const std::string& name,
                                            const std::filesystem::path& graders_dir);

/// The toolchain's version line (runs `version_command`, trusted and
/// unsandboxed, when the host cache does not hold it; once per process at
/// most); "unknown" when it cannot run.
std::string runtime_version(const RuntimeProfile& profile);

/// The same without the in-process memo: from the host cache while the
/// toolchain's binary is unchanged, else by running version_command.
std::string toolchain_version(const RuntimeProfile& profile);

}  // namespace gradebox
