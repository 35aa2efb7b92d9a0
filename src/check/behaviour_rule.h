// The behaviour rule, applied once for every task after its checker has
// judged (graders/README.md, "The behaviour rule"): a behaviour category
// (judges == "behaviour": no mutation, pool reuse, a server that survives...)
// is judged by its behaviour alone, so a task's checker passes it whatever
// the values. So that an answer that does nothing (`return []`, a server
// that ignores its input) cannot collect those passes, a passed behaviour
// test stays `pass` only when the answer passes at least one core value
// test; prose categories do not count. Checkers never apply this themselves.
#pragma once

#include <vector>

#include "gradebox/report.h"
#include "gradebox/task.h"

namespace gradebox {

/// Turns passed behaviour tests into `fail` (with the reason as detail) when
/// no core value test passed. `tests` carry their category ids; other tests
/// and other statuses are left as they are.
void apply_behaviour_rule(const Task& task, std::vector<TestResult>& tests);

}  // namespace gradebox
