// PID 1's job once the program runs: reap every orphan, enforce the wall
// limit and the whole tree's CPU budget, notice gradebox's death, and turn
// the program's end into an InitReport.
#pragma once

#include <sys/types.h>

#include "launch_config.h"

namespace gradebox::sandbox {

/// What the supervisor watches; every fd belongs to the init.
struct Supervised {
  pid_t program = -1;
  int listener_fd = -1;      // seccomp user notifications: violations
  int cpu_usage_fd = -1;     // the cgroup's CPU usage file, or -1
  int signal_fd = -1;        // SIGCHLD and SIGTERM (blocked, read here)
  double start_seconds = 0;  // CLOCK_MONOTONIC when the program was forked
};

/// Returns when the program has ended; every other process of the
/// namespace is killed by then.
InitReport supervise(const LaunchConfig& config, const Supervised& watched);

/// CLOCK_MONOTONIC in seconds.
double monotonic_seconds();

}  // namespace gradebox::sandbox
