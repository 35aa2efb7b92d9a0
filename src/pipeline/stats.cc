#include "pipeline/stats.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace gradebox::pipeline {

double mcnemar_exact_p(int worse, int better) {
  int n = worse + better;
  if (n == 0) return 1.0;
  int k = std::min(worse, better);
  // P(X <= k) for X ~ Binomial(n, 1/2), in logs so large n does not overflow.
  double tail = 0;
  for (int i = 0; i <= k; ++i) {
    double log_choose = std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0);
    tail += std::exp(log_choose - n * std::log(2.0));
  }
  return std::min(1.0, 2.0 * tail);
}

double automated_score(const std::vector<PairedTest>& tests, bool after) {
  int core = 0, core_pass = 0, edge = 0, edge_pass = 0;
  for (const auto& t : tests) {
    bool pass = after ? t.passed_after : t.passed_before;
    (t.core ? core : edge)++;
    (t.core ? core_pass : edge_pass) += pass;
  }
  double c = core ? 10.0 * core_pass / core : 0.0;
  double e = edge ? 10.0 * edge_pass / edge : 0.0;
  return 0.4 * c + 0.2 * e;
}

Interval bootstrap_automated_delta(const std::vector<PairedTest>& tests, std::uint64_t seed,
                                   int resamples) {
  if (tests.empty()) return {};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, tests.size() - 1);
  std::vector<double> deltas;
  deltas.reserve(resamples);
  std::vector<PairedTest> sample(tests.size());
  for (int r = 0; r < resamples; ++r) {
    for (auto& s : sample) s = tests[pick(rng)];
    deltas.push_back(automated_score(sample, true) - automated_score(sample, false));
  }
  std::sort(deltas.begin(), deltas.end());
  auto at = [&](double q) { return deltas[static_cast<std::size_t>(q * (deltas.size() - 1))]; };
  return {at(0.025), at(0.975)};
}

}  // namespace gradebox::pipeline
