// When a test's first verdict is noise, and how reruns settle it. A verdict
// is noise when the run measured the machine more than the answer: a
// timeout on the wall clock short of the CPU limit (starved by load), or a
// CPU time within 10 % of the limit, on either side, where scheduling
// jitter alone decides pass or timeout. No starved run votes (a starved
// rerun neither): the test is run again while it has no decision, within
// the caller's rounds, and if every run starved the last one stands. A
// near-limit test gets up to three votes and the majority, pass or not,
// decides. The harnesses stop a test at 1.15x its limit
// (gbharness.py's grace, dijkstra_ts's stopAt), so a clear timeout is
// measured past the band and not run again. Pure functions of the
// measurements: the same measurements always give the same verdict.
#pragma once

#include <optional>
#include <vector>

#include "gradebox/report.h"

namespace gradebox {

/// One run of one test.
struct Measurement {
  TestResult result;             // what the checker made of this run
  std::optional<double> cpu_ms;  // the observer's CPU time for the test, when it reported one
  bool starved = false;          // timed out on the wall clock before using its CPU limit
};

/// Passed or timed out with a CPU time within 10 % of `limit_ms`.
bool near_limit(const Measurement& run, double limit_ms);

/// Whether `runs` (the test's runs so far, in order, at least one) call
/// for one more run.
bool needs_another_run(const std::vector<Measurement>& runs, double limit_ms);

/// The result that counts: the majority's (a tie goes to the first vote),
/// with every run recorded when there was more than one.
TestResult settle(const std::vector<Measurement>& runs, double limit_ms);

}  // namespace gradebox
