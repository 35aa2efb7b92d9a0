// Statistics over many samples of one model × task (docs/README.md "Many
// samples"): the unbiased pass@k estimator of Chen et al. (2021) and
// percentile bootstrap intervals for a mean, plain, stratified by task, and
// of a difference of two means. Every bootstrap takes a seed, so the same
// samples in the same order always give the same interval.
#pragma once

#include <cstdint>
#include <vector>

#include "pipeline/stats.h"

namespace gradebox::pipeline {

/// The one seed of every interval over samples: the same run prints the same numbers.
constexpr std::uint64_t kSampleBootstrapSeed = 2021;

/// 1 − C(n−c, k) / C(n, k): the chance that at least one of k samples drawn
/// without replacement from n, of which c pass, passes. Computed as the
/// product ∏_{i=n−c+1..n} (1 − k/i), which neither overflows nor loses
/// precision where the binomials would. Requires 0 ≤ c ≤ n and 1 ≤ k ≤ n.
double pass_at_k(int n, int c, int k);

/// The mean of `values` (0 for none).
double mean_of(const std::vector<double>& values);

/// 95 % percentile bootstrap interval of the mean of `values`.
Interval bootstrap_mean(const std::vector<double>& values, std::uint64_t seed,
                        int resamples = 2000);

/// 95 % interval of the mean over strata of each stratum's mean, resampling
/// within each stratum (a model's score over tasks, each with its samples).
Interval bootstrap_stratified_mean(const std::vector<std::vector<double>>& strata,
                                   std::uint64_t seed, int resamples = 2000);

/// 95 % interval of mean(after) − mean(before), the two resampled
/// independently (two nights' samples of one model × task).
Interval bootstrap_mean_difference(const std::vector<double>& before,
                                   const std::vector<double>& after, std::uint64_t seed,
                                   int resamples = 2000);

}  // namespace gradebox::pipeline
