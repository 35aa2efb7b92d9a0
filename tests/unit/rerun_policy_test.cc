// The rerun policy alone: which measurements are near the limit, when one
// more run is needed, and that the majority decides the same way every time.
#include <gtest/gtest.h>

#include <cmath>

#include "grade/rerun_policy.h"

namespace gradebox {
namespace {

constexpr double kLimit = 2000;

Measurement run(TestStatus status, std::optional<double> cpu_ms, bool starved = false) {
  Measurement m;
  m.result.status = status;
  m.result.detail = to_string(status);
  m.cpu_ms = cpu_ms;
  m.starved = starved;
  return m;
}

const TestStatus kPass = TestStatus::kPass;
const TestStatus kTimeout = TestStatus::kTimeout;

TEST(RerunPolicy, NearMeansWithinTenPercentOnEitherSide) {
  EXPECT_TRUE(near_limit(run(kPass, 1867), kLimit));  // the sample answer's large-input-2
  EXPECT_TRUE(near_limit(run(kPass, 1800), kLimit));
  EXPECT_FALSE(near_limit(run(kPass, 1799), kLimit));
  EXPECT_TRUE(near_limit(run(kTimeout, 2000), kLimit));  // stopped at the limit
  EXPECT_TRUE(near_limit(run(kTimeout, 2200), kLimit));
  EXPECT_FALSE(near_limit(run(kTimeout, 2201), kLimit));
  EXPECT_FALSE(near_limit(run(kPass, 1000), kLimit));
}

TEST(RerunPolicy, OnlyPassOrTimeoutWithATimeIsNear) {
  EXPECT_FALSE(near_limit(run(kPass, std::nullopt), kLimit));
  EXPECT_FALSE(near_limit(run(kTimeout, std::nullopt), kLimit));
  EXPECT_FALSE(near_limit(run(TestStatus::kFail, 1900), kLimit));  // a wrong value stays wrong
  EXPECT_FALSE(near_limit(run(TestStatus::kCrash, 1990), kLimit));
  EXPECT_FALSE(near_limit(run(kPass, 1900), 0));  // no limit known
  EXPECT_FALSE(near_limit(run(kPass, std::nan("")), kLimit));
}

TEST(RerunPolicy, AClearFirstRunIsNeverRerun) {
  EXPECT_FALSE(needs_another_run({run(kPass, 1000)}, kLimit));
  EXPECT_FALSE(needs_another_run({run(kTimeout, 2000)}, 0));
  EXPECT_FALSE(needs_another_run({run(kPass, std::nullopt)}, kLimit));
}

TEST(RerunPolicy, NearTheLimitUntilTwoOfThreeAgree) {
  EXPECT_TRUE(needs_another_run({run(kPass, 1867)}, kLimit));
  EXPECT_FALSE(needs_another_run({run(kPass, 1867), run(kPass, 1850)}, kLimit));
  EXPECT_FALSE(needs_another_run({run(kTimeout, 2001), run(kTimeout, 2003)}, kLimit));
  EXPECT_TRUE(needs_another_run({run(kPass, 1867), run(kTimeout, 2002)}, kLimit));
  EXPECT_FALSE(
      needs_another_run({run(kPass, 1867), run(kTimeout, 2002), run(kPass, 1990)}, kLimit));
}

TEST(RerunPolicy, TheMajorityDecides) {
  EXPECT_EQ(settle({run(kPass, 1867), run(kTimeout, 2002), run(kTimeout, 2001)}, kLimit).status,
            kTimeout);
  EXPECT_EQ(settle({run(kTimeout, 2002), run(kPass, 1867), run(kPass, 1990)}, kLimit).status,
            kPass);
  EXPECT_EQ(settle({run(kPass, 1867), run(kPass, 1850)}, kLimit).status, kPass);
}

TEST(RerunPolicy, ThreeVotesGiveTheSameVerdictInAnyOrder) {
  // Which run came first changes nothing but whose detail is shown.
  std::vector<std::vector<Measurement>> orders = {
      {run(kPass, 1867), run(kTimeout, 2002), run(kTimeout, 2001)},
      {run(kTimeout, 2002), run(kPass, 1867), run(kTimeout, 2001)},
      {run(kTimeout, 2002), run(kTimeout, 2001), run(kPass, 1867)}};
  for (const auto& runs : orders) EXPECT_EQ(settle(runs, kLimit).status, kTimeout);
}

TEST(RerunPolicy, ATieLeftByAFailedRerunGoesToTheFirstVote) {
  EXPECT_EQ(settle({run(kPass, 1867), run(kTimeout, 2002)}, kLimit).status, kPass);
  EXPECT_EQ(settle({run(kTimeout, 2002), run(kPass, 1867)}, kLimit).status, kTimeout);
}

TEST(RerunPolicy, EveryRunIsRecorded) {
  TestResult r =
      settle({run(kPass, 1867), run(kTimeout, 2002), run(kTimeout, std::nullopt)}, kLimit);
  EXPECT_TRUE(r.retried);
  EXPECT_EQ(r.limit_ms, kLimit);
  ASSERT_EQ(r.runs.size(), 3u);
  EXPECT_EQ(r.runs[0].status, kPass);
  EXPECT_EQ(*r.runs[0].cpu_ms, 1867);
  EXPECT_EQ(*r.runs[1].cpu_ms, 2002);
  EXPECT_FALSE(r.runs[2].cpu_ms.has_value());
  EXPECT_TRUE(settle({run(kPass, 1000)}, kLimit).runs.empty());
}

TEST(RerunPolicy, AStarvedRunIsRunOnceMoreAndDoesNotVote) {
  EXPECT_TRUE(needs_another_run({run(kTimeout, 300, true)}, kLimit));
  // The rerun is clear: it alone counts (the old "the retry counts").
  EXPECT_FALSE(needs_another_run({run(kTimeout, 300, true), run(kPass, 500)}, kLimit));
  EXPECT_EQ(settle({run(kTimeout, 300, true), run(kPass, 500)}, kLimit).status, kPass);
  // The rerun is near the limit: it is the first of up to three votes.
  EXPECT_TRUE(needs_another_run({run(kTimeout, 300, true), run(kPass, 1900)}, kLimit));
  EXPECT_TRUE(
      needs_another_run({run(kTimeout, 300, true), run(kPass, 1900), run(kTimeout, 2001)}, kLimit));
  EXPECT_EQ(
      settle({run(kTimeout, 300, true), run(kPass, 1900), run(kTimeout, 2001), run(kPass, 1950)},
             kLimit)
          .status,
      kPass);
  // Starved and never rerun (--no-retry, a failed rerun): it stands.
  EXPECT_EQ(settle({run(kTimeout, 300, true)}, kLimit).status, kTimeout);
}

TEST(RerunPolicy, AStarvedRerunDoesNotVoteEither) {
  // A near-limit pass, then a rerun the wall-clock backstop stopped short of
  // the limit: the pass is still the only vote, and one is not a majority.
  const Measurement near_pass = run(kPass, 1900);
  const Measurement starved = run(kTimeout, 1600, true);
  EXPECT_TRUE(needs_another_run({near_pass, starved}, kLimit));
  EXPECT_TRUE(needs_another_run({near_pass, starved, starved}, kLimit));
  // The load never decides: only starved reruns after the pass, it stays a pass.
  EXPECT_EQ(settle({near_pass, starved, starved, starved}, kLimit).status, kPass);
  EXPECT_EQ(settle({near_pass, starved, run(kTimeout, 2050)}, kLimit).status, kPass);  // a tie
  EXPECT_EQ(settle({near_pass, run(kTimeout, 2050), starved, run(kTimeout, 2100)}, kLimit).status,
            kTimeout);
  // Every run starved: the last one stands.
  EXPECT_EQ(settle({starved, starved, starved}, kLimit).status, kTimeout);
  EXPECT_TRUE(needs_another_run({starved, starved}, kLimit));
}

}  // namespace
}  // namespace gradebox
