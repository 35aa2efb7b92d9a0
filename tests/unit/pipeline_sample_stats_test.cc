// pass@k and the bootstrap intervals over samples, against values computed
// by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/sample_stats.h"

namespace gradebox::pipeline {
namespace {

TEST(PassAtK, TenSamplesThreePassingMatchTheHandComputedValues) {
  // 1 − C(7,k)/C(10,k): k=1 → 1 − 7/10; k=5 → 1 − 21/252; k=10 → C(7,10) = 0.
  EXPECT_NEAR(pass_at_k(10, 3, 1), 0.3, 1e-12);
  EXPECT_NEAR(pass_at_k(10, 3, 5), 1.0 - 21.0 / 252.0, 1e-12);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 3, 10), 1.0);
}

TEST(PassAtK, NonePassingIsZeroAllPassingIsOne) {
  EXPECT_DOUBLE_EQ(pass_at_k(10, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 0, 10), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(10, 10, 1), 1.0);
  EXPECT_DOUBLE_EQ(pass_at_k(1, 1, 1), 1.0);
}

TEST(PassAtK, LargeCountsStayExactWhereBinomialsWouldOverflow) {
  // C(199,100)/C(200,100) = 100/200; both binomials are ~1e59.
  EXPECT_NEAR(pass_at_k(200, 1, 100), 0.5, 1e-12);
  // Against lgamma for n = 2000, c = 700, k = 10.
  auto log_choose = [](double n, double k) {
    return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
  };
  double expected = 1.0 - std::exp(log_choose(1300, 10) - log_choose(2000, 10));
  EXPECT_NEAR(pass_at_k(2000, 700, 10), expected, 1e-9);
}

TEST(PassAtK, PassAtOneIsThePassRate) {
  for (int c = 0; c <= 7; ++c) EXPECT_NEAR(pass_at_k(7, c, 1), c / 7.0, 1e-12);
}

TEST(BootstrapMean, SameSeedSameIntervalAndItHoldsTheMean) {
  std::vector<double> scores{2.0, 6.0, 4.0, 5.5, 1.0, 6.0};
  Interval a = bootstrap_mean(scores, 7), b = bootstrap_mean(scores, 7);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_LT(a.low, mean_of(scores));
  EXPECT_GT(a.high, mean_of(scores));
  EXPECT_GE(a.low, 1.0);
  EXPECT_LE(a.high, 6.0);
}

TEST(BootstrapMean, EqualSamplesHaveNoSpread) {
  Interval i = bootstrap_mean({3.5, 3.5, 3.5}, 1);
  EXPECT_DOUBLE_EQ(i.low, 3.5);
  EXPECT_DOUBLE_EQ(i.high, 3.5);
}

TEST(BootstrapStratifiedMean, ResamplesWithinTasksSoAFixedTaskAddsNoSpread) {
  // Task A always 6, task B always 0: every resample's mean over tasks is 3.
  Interval fixed = bootstrap_stratified_mean({{6, 6, 6}, {0, 0, 0, 0}}, 3);
  EXPECT_DOUBLE_EQ(fixed.low, 3.0);
  EXPECT_DOUBLE_EQ(fixed.high, 3.0);
  // Pooling the samples instead would move with the sample counts per task.
  Interval varied = bootstrap_stratified_mean({{6, 0, 6}, {0, 0, 0, 0}}, 3);
  EXPECT_LT(varied.low, 2.0);
  EXPECT_GE(varied.low, 0.0);
  EXPECT_LE(varied.high, 3.0);
}

TEST(BootstrapMeanDifference, ANoisyPairHoldsZeroAClearChangeDoesNot) {
  std::vector<double> night1{2, 5, 3, 6, 1}, night2{3, 4, 2, 6, 2};
  Interval noise = bootstrap_mean_difference(night1, night2, 11);
  EXPECT_LE(noise.low, 0.0);
  EXPECT_GE(noise.high, 0.0);
  Interval drop = bootstrap_mean_difference({6, 6, 5.5, 6, 5.8}, {1, 0.5, 1.2, 0, 1}, 11);
  EXPECT_LT(drop.high, 0.0);
}

}  // namespace
}  // namespace gradebox::pipeline
