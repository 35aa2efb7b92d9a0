// Runs gradebox's own helper programs (a task's check.py, its probe.py):
// trusted code, so no sandbox, but a minimal environment, a timeout, and
// optionally joined to a sandbox's network namespace to reach its servers.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gradebox/status.h"

namespace gradebox {

struct TrustedRun {
  std::vector<std::string> argv;
  std::string stdin_data;
  std::chrono::milliseconds timeout{60000};
  std::string network_namespace;  // RunningSandbox::network_namespace_path(); empty: the host's
  std::string cwd;
};

struct TrustedOutput {
  int exit_code = -1;
  std::string stdout_data;
  std::string stderr_data;
};

/// An Error when the program cannot start, times out or is killed.
Result<TrustedOutput> run_trusted(const TrustedRun& run);

}  // namespace gradebox
