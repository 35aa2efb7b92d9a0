// Finding graders/ (and the runtime profiles in it) at run time, so a task is a folder, not a
// rebuild.
#include <unistd.h>

#include <cstdlib>

#include "gradebox/task.h"

namespace gradebox {

std::filesystem::path default_graders_dir() {
  if (const char* env = std::getenv("GRADEBOX_GRADERS"); env && *env) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    // build/src/gradebox -> ../../graders; an installed bin/gradebox -> ../share/gradebox/graders
    for (const char* relative : {"../../graders", "../graders", "../share/gradebox/graders"}) {
      auto candidate = (exe.parent_path() / relative).lexically_normal();
      if (std::filesystem::exists(candidate / "README.md", ec)) return candidate;
    }
  }
  return std::filesystem::path(GRADEBOX_SOURCE_DIR) / "graders";
}

std::filesystem::path runtime_profile_path(const std::filesystem::path& graders_dir,
                                           const std::string& runtime) {
  const std::filesystem::path relative = std::filesystem::path("_" + runtime) / "profile.json";
  std::error_code ec;
  if (std::filesystem::is_regular_file(graders_dir / relative, ec)) return graders_dir / relative;
  return std::filesystem::path(GRADEBOX_SOURCE_DIR) / "graders" / relative;
}

}  // namespace gradebox
