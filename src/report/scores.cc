// Rubric components from test results (docs/README.md, "Scores").
#include <cmath>

#include "gradebox/report.h"

namespace gradebox {
namespace {

Score score_of(const std::vector<TestResult>& tests, const std::string& kind) {
  Score score;
  for (const auto& test : tests) {
    if (test.kind != kind || test.status == TestStatus::kNotApplicable) continue;
    ++score.total;
    if (test.status == TestStatus::kPass) ++score.passed;
  }
  // One decimal, as the contract says; an answer with no applicable test of
  // a kind scores 0 rather than a free 10.
  score.score = score.total ? std::round(100.0 * score.passed / score.total) / 10.0 : 0.0;
  return score;
}

}  // namespace

void compute_scores(Report& report) {
  if (report.verdict != Verdict::kGraded) {
    report.correctness = Score{};
    report.edge_cases = Score{};
    // Keep the totals so a reader sees what the answer was measured against.
    for (const auto& test : report.tests) {
      if (test.status == TestStatus::kNotApplicable) continue;
      (test.kind == "core" ? report.correctness : report.edge_cases).total++;
    }
    return;
  }
  report.correctness = score_of(report.tests, "core");
  report.edge_cases = score_of(report.tests, "edge");
}

}  // namespace gradebox
