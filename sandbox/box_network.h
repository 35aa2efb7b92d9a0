// The box's network namespace, held open by descriptor from before its
// program starts until gradebox is done with the run. The trusted prober
// joins the box through it: an app that exits at load (ending every process
// of the box) leaves an empty network behind, in which nothing listens,
// the answer's fail; without the descriptor, /proc/<pid>/ns/net vanished
// with the box and the probe became a grader-error (17 of 32 gradings at
// -j 32 on 2 cores).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

#include "gradebox/status.h"

namespace gradebox::sandbox {

/// Opens the network namespace of the waiting init `outer_pid` once it is
/// no longer gradebox's own: a warm init unshares on its own time, so this
/// waits for it, up to `timeout`. The descriptor is close-on-exec.
Result<int> hold_box_network(pid_t outer_pid, std::chrono::milliseconds timeout);

/// A path that opens the held namespace again, from gradebox's own process.
std::string held_network_path(int fd);

}  // namespace gradebox::sandbox
