// Regression between two runs of the history: every (model, task, category)
// that changed and every score that moved, why it may have moved (the
// model's answer, the grader, the environment) and how sure we are.
#pragma once

#include <string>
#include <vector>

#include "pipeline/history.h"
#include "pipeline/stats.h"

namespace gradebox::pipeline {

struct DiffOptions {
  double threshold = 0.5;  // a correctness or edge drop larger than this (points of 10)
  double alpha = 1.0;      // also require McNemar p < alpha (1.0: report p, do not gate on it)
};

/// A category's state in one report: pass (every applicable test passed),
/// fail, n/a (no test applied) or absent (no tests: no-code, compile-error).
struct CategoryChange {
  std::string category;
  std::string kind;  // core | edge
  std::string before;
  std::string after;
};

struct AnswerDiff {
  std::string model;
  std::string task;
  std::vector<std::string> causes;  // answer, grader, environment; empty: nothing changed
  std::vector<std::string> cause_details;
  std::string verdict_before, verdict_after;
  double correctness_before = 0, correctness_after = 0;
  double edge_before = 0, edge_after = 0;
  std::vector<CategoryChange> categories;
  int worse = 0, better = 0, paired = 0;  // tests pass->fail, fail->pass, graded in both
  int new_failures = 0;                   // failing tests of B that A did not have
  double p_value = 1.0;                   // McNemar, exact
  Interval automated_delta;               // bootstrap 95% of the 0.4c+0.2e change
  bool drop = false;   // a score fell by more than the threshold or a category now fails
  bool flake = false;  // the drop is one test's flip and nothing else: not a regression
  bool regression = false;
  bool grader_error = false;  // either side is grader-error: listed apart, never scored
};

/// A model × task with more than one sample on both sides: the two means of
/// the automated score compared (samples are independent draws, so sample N
/// of one night is no pair for sample N of the other).
struct MeanDiff {
  std::string model;
  std::string task;
  int n_before = 0, n_after = 0;
  double mean_before = 0, mean_after = 0;  // 0.4c + 0.2e, out of 6
  Interval delta;                          // bootstrap 95% of after − before
  bool noise = false;                      // the interval holds 0: no change these samples can show
  bool regression = false;                 // the whole interval is below 0
};

struct RunDiff {
  std::string run_a, run_b;
  DiffOptions options;
  std::vector<AnswerDiff> changed;        // something moved (graded on both sides)
  std::vector<AnswerDiff> grader_errors;  // listed apart
  std::vector<MeanDiff> means;            // n > 1 on both sides
  std::vector<std::string> flaky;         // "model/task: test" flaky in B (run --repeat): apart
  std::vector<std::string> only_in_a, only_in_b;  // "model/task"
  int compared = 0;
  int regressions = 0;
};

RunDiff diff_runs(const RunView& a, const RunView& b, const DiffOptions& options);

}  // namespace gradebox::pipeline
