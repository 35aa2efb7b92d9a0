// Runs one gradebox child: the answer on its stdin, its stdout and stderr
// captured, a deadline after which it is killed, and
// how it ended (an exit code, or the signal that killed it). Spawned with
// posix_spawn, so no fork of a multi-threaded gradebox runs any of its code.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gradebox/status.h"

namespace gradebox::pipeline {

struct ChildEnd {
  bool exited = false;  // true: exit_code; false: killed by term_signal
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;  // killed at the deadline
  std::string stdout_data;
  std::string stderr_data;
};

/// Error only when the child cannot be started (or its pipes fail).
Result<ChildEnd> run_child(const std::vector<std::string>& argv, const std::string& stdin_data,
                           std::chrono::milliseconds timeout);

}  // namespace gradebox::pipeline
