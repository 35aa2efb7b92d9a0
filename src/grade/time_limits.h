// Per-test time limits scaled from the reference solution measured on this
// host: max(floor, multiple x reference time), unless the contract fixes a
// test's limit (tests.json `time_limit_ms`). Verdicts then do not depend on
// how fast this machine happens to be.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "gradebox/sandbox.h"
#include "gradebox/task.h"
#include "grade/runtime_profile.h"

namespace gradebox {

struct TimeLimits {
  std::map<std::string, double> per_test_ms;
  nlohmann::json calibration;  // how they were derived, for the report
};

/// Measures the reference once per grader stamp (cached in memory and under
/// ~/.cache/gradebox), then derives the limits.
TimeLimits time_limits(const Task& task, Sandbox& sandbox, const RuntimeProfile& profile);

/// The limits before any measurement: the contract's or 5 x the floor.
std::map<std::string, double> provisional_limits(const Task& task);

/// Pure derivation, for tests: reference times -> limits.
std::map<std::string, double> derive_limits(const Task& task,
                                            const std::map<std::string, double>& reference_ms);

}  // namespace gradebox
