// Turning what the init reported, what the cgroup measured and what the
// pipes captured into one SandboxOutcome, and deciding which limit ended
// the run.
#pragma once

#include <string>

#include "cgroup.h"
#include "gradebox/sandbox.h"
#include "launch_config.h"

namespace gradebox::sandbox {

/// The captured pipes of a run.
struct Streams {
  std::string stdout_data, stderr_data, channel_data;
  bool stdout_truncated = false, stderr_truncated = false, channel_truncated = false;
};

/// The report of a run ended from outside before the init could report.
InitReport killed_report();

SandboxOutcome compose_outcome(const InitReport& report, const CgroupStats& stats,
                               const SandboxLimits& limits, bool output_exceeded, Streams streams);

}  // namespace gradebox::sandbox
