// gradebox.aggregate: the reports grade_many returned, folded into the
// per-model × task numbers of the leaderboard (n, pass@k, means, 95 %
// interval). The statistics are the pipeline library's (pipeline/leaderboard.h,
// pipeline/sample_stats.h), linked, so Python and `gradebox run` agree.
#pragma once

#include <pybind11/pybind11.h>

namespace gradebox::python {

/// {model: {task: {n, passed, verdict, correctness, edge_cases, automated,
/// pass_at: {"1": ...}, ci95: [low, high] | None}}}. Each result needs task,
/// verdict, correctness {score, passed, total} and edge_cases {score};
/// model ('' when absent) and sample (0) as grade_many's records. A bad or
/// repeated (model, task, sample) is a TypeError/ValueError naming results[i].
pybind11::dict aggregate(const pybind11::iterable& results);

}  // namespace gradebox::python
