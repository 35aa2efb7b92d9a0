// Merging repeated gradings of one answer (run --repeat): a test whose
// status differs is flaky and fails; the scores follow; grader-errors among
// the repeats are left out.
#include <gtest/gtest.h>

#include "pipeline/repeats.h"

namespace gradebox::pipeline {
namespace {

Report graded(std::vector<TestStatus> statuses) {
  Report r;
  r.model = "m", r.task = "t", r.verdict = Verdict::kGraded;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    TestResult& t = r.tests.emplace_back();
    t.id = "t" + std::to_string(i), t.kind = "core", t.category = "c";
    t.status = statuses[i];
  }
  compute_scores(r);
  return r;
}

TEST(Repeats, ATestThatDiffersIsFlakyAndFails) {
  auto pass = TestStatus::kPass, fail = TestStatus::kFail;
  Report merged = merge_repeats({graded({pass, pass, fail}), graded({pass, fail, fail}),
                                 graded({pass, pass, fail})});
  EXPECT_FALSE(merged.tests[0].flaky);
  EXPECT_EQ(merged.tests[0].status, pass);
  EXPECT_TRUE(merged.tests[1].flaky);
  EXPECT_EQ(merged.tests[1].status, fail);
  EXPECT_NE(merged.tests[1].detail.find("pass, fail, pass"), std::string::npos);
  EXPECT_FALSE(merged.tests[2].flaky);  // failed every time: a plain fail
  EXPECT_EQ(merged.correctness.passed, 1);
  EXPECT_EQ(flaky_tests(merged), std::vector<std::string>{"m/t: t1"});
}

TEST(Repeats, SteadyRepeatsChangeNothingAndGraderErrorsAreLeftOut) {
  auto pass = TestStatus::kPass;
  Report error;
  error.verdict = Verdict::kGraderError;
  Report merged = merge_repeats({error, graded({pass, pass}), graded({pass, pass})});
  EXPECT_EQ(merged.verdict, Verdict::kGraded);
  EXPECT_TRUE(flaky_tests(merged).empty());
  EXPECT_EQ(merged.correctness.passed, 2);
  EXPECT_EQ(merge_repeats({error, error}).verdict, Verdict::kGraderError);
}

}  // namespace
}  // namespace gradebox::pipeline
