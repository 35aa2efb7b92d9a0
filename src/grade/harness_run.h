// One sandboxed run of a task's harness over a set of tests: lay out the
// box, start the sandbox, let the trusted prober talk to it (server tasks),
// collect the outcome and parse the observations.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gradebox/sandbox.h"
#include "gradebox/task.h"
#include "grade/box.h"
#include "check/observations.h"
#include "grade/runtime_profile.h"

namespace gradebox {

struct HarnessRequest {
  const Task& task;
  const RuntimeProfile& profile;
  std::vector<AnswerFile> files;  // files[0] is the primary
  nlohmann::json tests;           // with expectations (stripped here)
  std::map<std::string, double> time_limits_ms;
  nlohmann::json options = nlohmann::json::object();
  bool keep_box = false;  // grade --keep-box: leave the box and a re-run file (kept_box.h)
};

struct HarnessResult {
  SandboxOutcome outcome;
  Observations observations;
  nlohmann::json probe;  // the prober's output; null when the task has none
  SandboxLimits limits;  // what the run was given, for the report
};

/// An Error is a gradebox or environment fault (grader-error).
Result<HarnessResult> run_harness(Sandbox& sandbox, const HarnessRequest& request);

/// The limits a harness run gets: the sum of its tests' time limits plus
/// start-up, the task's memory plus the runtime's headroom, and so on.
SandboxLimits harness_limits(const HarnessRequest& request);

}  // namespace gradebox
