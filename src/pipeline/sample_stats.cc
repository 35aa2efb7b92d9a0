#include "pipeline/sample_stats.h"

#include <algorithm>
#include <functional>
#include <random>

namespace gradebox::pipeline {
namespace {

// One resample of `values` (same size, drawn with replacement): its mean.
double resampled_mean(const std::vector<double>& values, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick(0, values.size() - 1);
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) sum += values[pick(rng)];
  return sum / static_cast<double>(values.size());
}

// The 2.5 % and 97.5 % points of `statistic` over `resamples` draws.
Interval percentile_interval(const std::function<double(std::mt19937_64&)>& statistic,
                             std::uint64_t seed, int resamples) {
  std::mt19937_64 rng(seed);
  std::vector<double> draws;
  draws.reserve(resamples);
  for (int r = 0; r < resamples; ++r) draws.push_back(statistic(rng));
  std::sort(draws.begin(), draws.end());
  auto at = [&](double q) { return draws[static_cast<std::size_t>(q * (draws.size() - 1))]; };
  return {at(0.025), at(0.975)};
}

}  // namespace

double pass_at_k(int n, int c, int k) {
  if (n - c < k) return 1.0;  // every draw of k holds a passing sample
  double all_fail = 1.0;
  for (int i = n - c + 1; i <= n; ++i) all_fail *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - all_fail;
}

double mean_of(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

Interval bootstrap_mean(const std::vector<double>& values, std::uint64_t seed, int resamples) {
  if (values.empty()) return {};
  return percentile_interval([&](std::mt19937_64& rng) { return resampled_mean(values, rng); },
                             seed, resamples);
}

Interval bootstrap_stratified_mean(const std::vector<std::vector<double>>& strata,
                                   std::uint64_t seed, int resamples) {
  std::vector<const std::vector<double>*> filled;
  for (const auto& s : strata)
    if (!s.empty()) filled.push_back(&s);
  if (filled.empty()) return {};
  return percentile_interval(
      [&](std::mt19937_64& rng) {
        double sum = 0;
        for (const auto* s : filled) sum += resampled_mean(*s, rng);
        return sum / static_cast<double>(filled.size());
      },
      seed, resamples);
}

Interval bootstrap_mean_difference(const std::vector<double>& before,
                                   const std::vector<double>& after, std::uint64_t seed,
                                   int resamples) {
  if (before.empty() || after.empty()) return {};
  return percentile_interval(
      [&](std::mt19937_64& rng) {
        double b = resampled_mean(before, rng);
        return resampled_mean(after, rng) - b;
      },
      seed, resamples);
}

}  // namespace gradebox::pipeline
