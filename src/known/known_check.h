// What `gradebox selftest` asserts about a grading: the reference scores
// 10/10, a known answer gets exactly what its expectation says (verdict,
// categories, must_fail, the extraction flags), and a hostile answer gains
// nothing over its honest twin (report/twin_compare.h). Each check returns
// the problems found, one line each; none means it holds.
#pragma once

#include <string>
#include <vector>

#include "gradebox/report.h"
#include "known/known_answers.h"

namespace gradebox {

/// The category's result as an expectation spells it: "pass", "fail" or
/// "n/a" (no test of the category applied).
std::string category_result(const Report& report, const std::string& category);

/// The reference must be graded and score 10/10 on both components.
std::vector<std::string> check_reference(const Report& report);

/// `report` is the grading of `known`: every way it differs from the expectation.
std::vector<std::string> check_known(const KnownAnswer& known, const Report& report);

/// Where `hostile` out-scored its twin, or the twin got a grader-error.
std::vector<std::string> check_twin(const Report& hostile, const Report& twin);

}  // namespace gradebox
