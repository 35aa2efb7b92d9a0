// The uncertainty of a difference between two runs, over paired tests (the
// same test id graded in both): McNemar's exact test on the tests that
// flipped, and a bootstrap interval for the change of the automated score.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gradebox::pipeline {

/// Two-sided exact McNemar p-value: `worse` tests went pass -> fail,
/// `better` fail -> pass; under "no change" each flip is a fair coin.
double mcnemar_exact_p(int worse, int better);

/// One test graded in both runs.
struct PairedTest {
  bool core = true;  // core (correctness) or edge
  bool passed_before = false;
  bool passed_after = false;
};

struct Interval {
  double low = 0;
  double high = 0;
};

/// Percentile bootstrap (95%) of the change of 0.4·correctness + 0.2·edge
/// (points out of 6), resampling the paired tests; deterministic for a seed.
Interval bootstrap_automated_delta(const std::vector<PairedTest>& tests, std::uint64_t seed,
                                   int resamples = 2000);

/// 0.4·10·(core pass rate) + 0.2·10·(edge pass rate) over `tests`, `after` or before.
double automated_score(const std::vector<PairedTest>& tests, bool after);

}  // namespace gradebox::pipeline
