// A hostile known answer against its honest twin: the same logic without the
// exploit. The hostile one must never score more, anywhere: an exploit that
// gains a point is a hole in the trust boundary (graders/README.md,
// "Trust boundary"), whatever the rest of its score.
#pragma once

#include <string>
#include <vector>

#include "gradebox/report.h"

namespace gradebox {

/// Categories exempt from the comparison: `no-mutation` compares the input
/// after the call, and that input lives in the answer's own process, so an
/// answer can lie about it (an accepted limit of the contract).
bool exempt_from_twin_rule(const std::string& category);

/// Where `hostile` scored more than `twin`: one line per category whose
/// pass rate is higher (n/a counts as 0 passed), for correctness and edge
/// cases, and a grader-error the twin does not get. Empty when the exploit
/// gained nothing.
std::vector<std::string> gains_over_twin(const Report& hostile, const Report& twin);

}  // namespace gradebox
