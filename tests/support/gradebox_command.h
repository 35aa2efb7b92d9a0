// Runs the built gradebox as a user would, with its own cache under `dir`
// and its output appended to dir/log (named in a failing assertion).
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace gradebox::testing {

inline const std::string kGradeboxBinary = std::string(GRADEBOX_BUILD_DIR) + "/gradebox";

/// The exit code of `gradebox ARGS`, or -1 if it did not exit normally.
inline int run_gradebox(const std::string& args, const std::filesystem::path& dir) {
  std::string command = "XDG_CACHE_HOME=" + (dir / "cache").string() + " " + kGradeboxBinary + " " +
                        args + " >>" + (dir / "log").string() + " 2>&1 </dev/null";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace gradebox::testing
