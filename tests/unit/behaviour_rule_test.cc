// The behaviour rule: a passed behaviour test counts only when the answer
// passes at least one core value test; prose never counts for it.
#include <gtest/gtest.h>

#include "check/behaviour_rule.h"

namespace gradebox {
namespace {

Task review_like_task() {
  Task task;
  task.categories = {{"same-results", "core", "", "value"},
                     {"finds-pool", "core", "", "prose"},
                     {"pool-reuse", "core", "", "behaviour"},
                     {"empty-array", "edge", "", "value"},
                     {"no-leaks", "edge", "", "behaviour"}};
  return task;
}

TestResult result(const std::string& category, TestStatus status, std::string detail = "") {
  TestResult r;
  r.id = category + "-1";
  r.category = category;
  r.status = status;
  r.detail = std::move(detail);
  return r;
}

TEST(BehaviourRule, PassesStandWhenACoreValueTestPassed) {
  std::vector<TestResult> tests = {result("same-results", TestStatus::kPass),
                                   result("pool-reuse", TestStatus::kPass),
                                   result("no-leaks", TestStatus::kPass)};
  apply_behaviour_rule(review_like_task(), tests);
  EXPECT_EQ(tests[1].status, TestStatus::kPass);
  EXPECT_EQ(tests[2].status, TestStatus::kPass);
}

TEST(BehaviourRule, PassesFailWhenNoCoreValueTestPassed) {
  std::vector<TestResult> tests = {result("same-results", TestStatus::kFail, "wrong rows"),
                                   result("pool-reuse", TestStatus::kPass),
                                   result("no-leaks", TestStatus::kPass)};
  apply_behaviour_rule(review_like_task(), tests);
  for (std::size_t i : {1u, 2u}) {
    EXPECT_EQ(tests[i].status, TestStatus::kFail);
    EXPECT_NE(tests[i].detail.find("core value test"), std::string::npos) << tests[i].detail;
  }
  EXPECT_EQ(tests[0].detail, "wrong rows") << "value tests are left alone";
}

TEST(BehaviourRule, ProseDoesNotCount) {
  std::vector<TestResult> tests = {result("finds-pool", TestStatus::kPass),
                                   result("same-results", TestStatus::kFail),
                                   result("pool-reuse", TestStatus::kPass)};
  apply_behaviour_rule(review_like_task(), tests);
  EXPECT_EQ(tests[0].status, TestStatus::kPass) << "prose is judged on its own";
  EXPECT_EQ(tests[2].status, TestStatus::kFail);
}

TEST(BehaviourRule, AnEdgeValuePassDoesNotCount) {
  std::vector<TestResult> tests = {result("empty-array", TestStatus::kPass),
                                   result("same-results", TestStatus::kFail),
                                   result("no-leaks", TestStatus::kPass)};
  apply_behaviour_rule(review_like_task(), tests);
  EXPECT_EQ(tests[0].status, TestStatus::kPass);
  EXPECT_EQ(tests[2].status, TestStatus::kFail);
}

TEST(BehaviourRule, OtherStatusesKeepTheirOwnDetail) {
  std::vector<TestResult> tests = {result("same-results", TestStatus::kFail),
                                   result("pool-reuse", TestStatus::kNotApplicable, "n/a here"),
                                   result("no-leaks", TestStatus::kTimeout, "timed out")};
  apply_behaviour_rule(review_like_task(), tests);
  EXPECT_EQ(tests[1].status, TestStatus::kNotApplicable);
  EXPECT_EQ(tests[1].detail, "n/a here");
  EXPECT_EQ(tests[2].status, TestStatus::kTimeout);
  EXPECT_EQ(tests[2].detail, "timed out");
}

TEST(BehaviourRule, OneCoreValuePassAmongFailsIsEnough) {
  std::vector<TestResult> tests = {result("same-results", TestStatus::kFail),
                                   result("same-results", TestStatus::kPass),
                                   result("no-leaks", TestStatus::kPass)};
  apply_behaviour_rule(review_like_task(), tests);
  EXPECT_EQ(tests[2].status, TestStatus::kPass);
}

}  // namespace
}  // namespace gradebox
