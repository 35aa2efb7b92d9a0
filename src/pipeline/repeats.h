// `gradebox run --repeat R`: each answer graded R times. A test whose status
// differs across the R gradings is flaky: it keeps the status `fail` (the
// contract's statuses are fixed) with `flaky: true` and the statuses seen.
#pragma once

#include <vector>

#include "gradebox/report.h"

namespace gradebox::pipeline {

/// `run --repeat R` takes 1 <= R <= kMaxRepeat; stored repeats are numbered 0 to R - 1.
inline constexpr int kMaxRepeat = 20;

/// The first graded report of `repeats` with every test that differs across
/// them marked flaky (a fail), its scores computed again. Grader-errors among
/// the repeats are left out (gradebox's fault, not the answer's); when all
/// are grader-errors the first is returned as it is.
Report merge_repeats(const std::vector<Report>& repeats);

/// "model/task: test-id" of each flaky test of `report`.
std::vector<std::string> flaky_tests(const Report& report);

}  // namespace gradebox::pipeline
