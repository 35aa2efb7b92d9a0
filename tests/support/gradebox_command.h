// Runs the built gradebox as a user would: with its own cache under `dir`
// and its output appended to dir/log (named in a failing assertion), or
// with its exit code, stdout and stderr captured for the test to read.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "file_text.h"

namespace gradebox::testing {

inline const std::string kGradeboxBinary = std::string(GRADEBOX_BUILD_DIR) + "/gradebox";

/// The exit code of `gradebox ARGS`, or -1 if it did not exit normally.
inline int run_gradebox(const std::string& args, const std::filesystem::path& dir) {
  std::string command = "XDG_CACHE_HOME=" + (dir / "cache").string() + " " + kGradeboxBinary + " " +
                        args + " >>" + (dir / "log").string() + " 2>&1 </dev/null";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// What a command printed and how it ended.
struct CliRun {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

/// Runs `command_line` in a shell, its stdin empty, capturing stdout and
/// stderr in files under TempDir (one pair per call).
inline CliRun run_command(const std::string& command_line) {
  static int calls = 0;
  std::string base = ::testing::TempDir() + "/command-" + std::to_string(::getpid()) + "-" +
                     std::to_string(calls++);
  std::string command = command_line + " >" + base + ".out 2>" + base + ".err </dev/null";
  int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, file_text(base + ".out"),
          file_text(base + ".err")};
}

}  // namespace gradebox::testing
