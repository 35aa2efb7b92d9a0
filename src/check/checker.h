// Trusted judging: observations (untrusted data) against expectations that
// never entered the sandbox. Two kinds: the built-in "values" checker and a
// task's own trusted script (check.py), run outside the sandbox.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "gradebox/report.h"
#include "gradebox/sandbox.h"
#include "gradebox/status.h"
#include "gradebox/task.h"
#include "check/observations.h"

namespace gradebox {

struct CheckInput {
  const Task& task;
  const nlohmann::json& tests;  // the tests of this run, expectations included
  const Observations& observations;
  const SandboxOutcome& outcome;
  const std::string& answer;    // the raw answer text (prose findings)
  const nlohmann::json& probe;  // the trusted prober's output, or null
  // A harness ran and reported its tests on the channel (no prober): the
  // generic rules (status_before_value) judge every test that did not return
  // normally, and a task's script sees only those that did.
  bool harness_reported = false;
};

struct CheckResult {
  std::map<std::string, TestResult> results;  // by test id; kind/category filled by the caller
  nlohmann::json extra = nlohmann::json::object();
};

/// Judges with the task's checker. An Error means the checker itself failed
/// (grader-error), never that the answer was wrong.
Result<CheckResult> check(const CheckInput& input);

/// The status a test gets from its observation when the harness did not see
/// it return normally (error, timeout, crash...), or from the run's outcome
/// when there is no trustworthy observation. nullopt: the harness saw a
/// normal return and the checker must compare values.
std::optional<TestResult> status_without_value(const std::string& id, const Observations& obs,
                                               const SandboxOutcome& outcome);

/// The status of a test the harness never reported: what happened to the run
/// (a limit, a blocked call, a signal) explains it.
TestResult status_from_outcome(const std::string& id, const SandboxOutcome& outcome);

/// status_without_value for one test of the run, with its expectation's say
/// on raising: `"raises": true` (raising is the right answer) or
/// `"raises": "allowed"` (raising is as good as returning) turns an error
/// into a pass.
std::optional<TestResult> status_before_value(const nlohmann::json& test, const Observations& obs,
                                              const SandboxOutcome& outcome);

Result<CheckResult> check_values(const CheckInput& input);
Result<CheckResult> check_with_script(const CheckInput& input);

/// A one-line, length-capped rendering of a JSON value for `detail`.
std::string brief(const nlohmann::json& value, std::size_t max = 240);

}  // namespace gradebox
