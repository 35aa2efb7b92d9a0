// The twin rule's arithmetic: a hostile answer may never out-score its twin.
#include <gtest/gtest.h>

#include "report/twin_compare.h"

namespace gradebox {
namespace {

Report report_with(std::vector<std::pair<std::string, TestStatus>> tests) {
  Report r;
  r.verdict = Verdict::kGraded;
  for (const auto& [category, status] : tests) {
    TestResult test;
    test.id = category + "-" + std::to_string(r.tests.size());
    test.kind = "core";
    test.category = category;
    test.status = status;
    r.tests.push_back(test);
  }
  compute_scores(r);
  return r;
}

TEST(TwinCompare, EqualReportsGainNothing) {
  Report a = report_with({{"basic", TestStatus::kPass}, {"order", TestStatus::kFail}});
  EXPECT_TRUE(gains_over_twin(a, a).empty());
}

TEST(TwinCompare, AForgedPassIsAGainInItsCategoryAndScore) {
  Report twin = report_with({{"basic", TestStatus::kFail}, {"order", TestStatus::kFail}});
  Report hostile = report_with({{"basic", TestStatus::kPass}, {"order", TestStatus::kFail}});
  auto gains = gains_over_twin(hostile, twin);
  ASSERT_EQ(gains.size(), 2u);
  EXPECT_EQ(gains[0].rfind("basic:", 0), 0u);
  EXPECT_EQ(gains[1].rfind("correctness:", 0), 0u);
}

TEST(TwinCompare, ACategoryTheTwinDidNotApplyCountsAsZero) {
  Report twin = report_with({{"basic", TestStatus::kNotApplicable}});
  Report hostile = report_with({{"basic", TestStatus::kPass}});
  EXPECT_FALSE(gains_over_twin(hostile, twin).empty());
}

TEST(TwinCompare, NoMutationIsExemptAndDoesNotCountThroughTheScore) {
  Report twin = report_with({{"basic", TestStatus::kPass}, {"no-mutation", TestStatus::kFail}});
  Report hostile = report_with({{"basic", TestStatus::kPass}, {"no-mutation", TestStatus::kPass}});
  EXPECT_TRUE(gains_over_twin(hostile, twin).empty());
}

TEST(TwinCompare, ALowerScoreIsNoGain) {
  Report twin = report_with({{"basic", TestStatus::kPass}});
  Report hostile = report_with({{"basic", TestStatus::kTimeout}});
  EXPECT_TRUE(gains_over_twin(hostile, twin).empty());
}

TEST(TwinCompare, AForcedGraderErrorIsAGain) {
  Report twin = report_with({{"basic", TestStatus::kFail}});
  Report hostile;
  hostile.verdict = Verdict::kGraderError;
  ASSERT_EQ(gains_over_twin(hostile, twin).size(), 1u);
}

}  // namespace
}  // namespace gradebox
