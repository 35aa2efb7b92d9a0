// The built-in checker: strict JSON types, raising, and what happens when an
// observation is missing, duplicated or forged.
#include <gtest/gtest.h>

#include "check/checker.h"
#include "check/observations.h"

namespace gradebox {
namespace {

using nlohmann::json;

class ValuesCheckerTest : public ::testing::Test {
 protected:
  TestResult judge(const json& expect, const std::string& channel,
                   SandboxOutcome outcome = exited()) {
    task_.id = "t";
    tests_ = json::array({{{"id", "x"}, {"category", "c"}, {"expect", expect}}});
    obs_ = parse_observations(channel, {"x"});
    CheckInput in{task_, tests_, obs_, outcome, answer_, probe_};
    auto result = check_values(in);
    EXPECT_TRUE(result.ok());
    return result->results.at("x");
  }
  static SandboxOutcome exited() {
    SandboxOutcome o;
    o.exited = true;
    o.exit_code = 0;
    return o;
  }
  Task task_;
  json tests_;
  Observations obs_;
  std::string answer_;
  json probe_;
};

std::string test_line(const json& fields) {
  json e = fields;
  e["event"] = "test";
  e["id"] = "x";
  return e.dump() + "\n";
}

TEST_F(ValuesCheckerTest, EqualValuePasses) {
  auto r = judge({{"value", {1, 2.5, "a", nullptr}}},
                 test_line({{"status", "ok"}, {"value", {1, 2.5, "a", nullptr}}}));
  EXPECT_EQ(r.status, TestStatus::kPass);
}

TEST_F(ValuesCheckerTest, IntIsNotFloatAndBoolIsNotInt) {
  EXPECT_EQ(judge({{"value", {1}}}, test_line({{"status", "ok"}, {"value", {1.0}}})).status,
            TestStatus::kFail);
  EXPECT_EQ(judge({{"value", {0}}}, test_line({{"status", "ok"}, {"value", {false}}})).status,
            TestStatus::kFail);
}

TEST_F(ValuesCheckerTest, FailureDetailShowsExpectedAndActual) {
  auto r = judge({{"value", {"ab"}}}, test_line({{"status", "ok"}, {"value", {"a", "b"}}}));
  EXPECT_EQ(r.status, TestStatus::kFail);
  EXPECT_NE(r.detail.find("expected [\"ab\"]"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("got [\"a\",\"b\"]"), std::string::npos) << r.detail;
}

TEST_F(ValuesCheckerTest, RaisingPassesOnlyWhenExpected) {
  std::string raised =
      test_line({{"status", "error"}, {"error_type", "RecursionError"}, {"message", "deep"}});
  EXPECT_EQ(judge({{"raises", true}}, raised).status, TestStatus::kPass);
  auto r = judge({{"value", {1}}}, raised);
  EXPECT_EQ(r.status, TestStatus::kError);
  EXPECT_NE(r.detail.find("RecursionError: deep"), std::string::npos);
}

TEST_F(ValuesCheckerTest, TimeoutOrMemoryIsNotRaising) {
  EXPECT_EQ(judge({{"raises", true}}, test_line({{"status", "timeout"}})).status,
            TestStatus::kTimeout);
  EXPECT_EQ(judge({{"raises", true}}, test_line({{"status", "memory"}})).status,
            TestStatus::kMemory);
  EXPECT_EQ(judge({{"raises", true}}, test_line({{"status", "ok"}, {"value", 1}})).status,
            TestStatus::kFail);
}

TEST_F(ValuesCheckerTest, NonPlainResultFails) {
  auto r =
      judge({{"value", {1}}}, test_line({{"status", "unserializable"}, {"type", "AlwaysEqual"}}));
  EXPECT_EQ(r.status, TestStatus::kFail);
  EXPECT_NE(r.detail.find("AlwaysEqual"), std::string::npos);
}

TEST_F(ValuesCheckerTest, DuplicateReportsMakeTheTestFailEvenIfOneIsRight) {
  std::string lines =
      test_line({{"status", "ok"}, {"value", {1}}}) + test_line({{"status", "ok"}, {"value", {1}}});
  auto r = judge({{"value", {1}}}, lines);
  EXPECT_EQ(r.status, TestStatus::kFail);
  EXPECT_NE(r.detail.find("more than once"), std::string::npos);
}

TEST_F(ValuesCheckerTest, MissingObservationTakesTheRunsLimit) {
  SandboxOutcome killed = exited();
  killed.exited = false;
  killed.term_signal = 9;
  killed.limit = LimitHit::kCpu;
  EXPECT_EQ(judge({{"value", 1}}, "", killed).status, TestStatus::kTimeout);
  killed.limit = LimitHit::kNone;
  killed.violation = "ptrace";
  auto r = judge({{"value", 1}}, "", killed);
  EXPECT_EQ(r.status, TestStatus::kViolation);
  EXPECT_NE(r.detail.find("ptrace"), std::string::npos);
  EXPECT_EQ(judge({{"value", 1}}, "", exited()).status, TestStatus::kFail);
}

TEST_F(ValuesCheckerTest, InputAfterIsCompared) {
  json expect = {{"value", {1}}, {"input_after", {{1}}}};
  EXPECT_EQ(
      judge(expect, test_line({{"status", "ok"}, {"value", {1}}, {"input_after", {{1}}}})).status,
      TestStatus::kPass);
  EXPECT_EQ(
      judge(expect, test_line({{"status", "ok"}, {"value", {1}}, {"input_after", json::array()}}))
          .status,
      TestStatus::kFail);
  EXPECT_EQ(judge(expect, test_line({{"status", "ok"}, {"value", {1}}})).status, TestStatus::kFail);
}

TEST_F(ValuesCheckerTest, DigestExpectationComparesTheReportedDigest) {
  std::string sha(64, 'a');
  json expect = {{"value_digest", {{"sha256", sha}, {"length", 3}, {"head", {1, 2, 3}}}}};
  auto same = test_line(
      {{"status", "ok"}, {"value_digest", {{"sha256", sha}, {"length", 3}, {"head", {1, 2, 3}}}}});
  EXPECT_EQ(judge(expect, same).status, TestStatus::kPass);

  auto other = test_line(
      {{"status", "ok"},
       {"value_digest", {{"sha256", std::string(64, 'b')}, {"length", 2}, {"head", {2, 3}}}}});
  auto r = judge(expect, other);
  EXPECT_EQ(r.status, TestStatus::kFail);
  EXPECT_NE(r.detail.find("a list of 3 items starting [1,2,3]"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("got a list of 2 items starting [2,3]"), std::string::npos) << r.detail;
}

TEST_F(ValuesCheckerTest, DigestExpectationIsNotMetByAPlainValueOrNothing) {
  json expect = {{"value_digest", {{"sha256", std::string(64, 'a')}}}};
  // A harness that ignored report_digest, or an answer forging a result line.
  EXPECT_EQ(judge(expect, test_line({{"status", "ok"}, {"value", {1}}})).status, TestStatus::kFail);
  EXPECT_EQ(judge(expect, test_line({{"status", "ok"}, {"value_digest", "aaaa"}})).status,
            TestStatus::kFail);
  EXPECT_EQ(judge(expect, test_line({{"status", "ok"}, {"value_digest", {{"sha256", 5}}}})).status,
            TestStatus::kFail);
}

TEST(Observations, MalformedLinesAndUnknownIdsAreNotedNotTrusted) {
  std::string channel =
      "{\"event\":\"start\"}\nnot json\n{\"event\":\"test\",\"id\":\"zzz\",\"status\":\"ok\"}\n"
      "{\"event\":\"test\",\"id\":\"x\",\"status\":\"ok\",\"value\":1}\n{\"event\":\"done\"}\n";
  Observations obs = parse_observations(channel, {"x"});
  EXPECT_TRUE(obs.started);
  EXPECT_TRUE(obs.done);
  EXPECT_EQ(obs.tests.size(), 1u);
  EXPECT_EQ(obs.problems.size(), 2u);
}

TEST(Observations, TruncatedLastLineIsDropped) {
  Observations obs =
      parse_observations("{\"event\":\"start\"}\n{\"event\":\"test\",\"id\":\"x\",\"sta", {"x"});
  EXPECT_TRUE(obs.tests.empty());
  EXPECT_EQ(obs.problems.size(), 1u);
}

}  // namespace
}  // namespace gradebox
