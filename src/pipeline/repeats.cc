#include "pipeline/repeats.h"

#include <map>

namespace gradebox::pipeline {

Report merge_repeats(const std::vector<Report>& repeats) {
  std::vector<const Report*> graded;
  for (const auto& r : repeats)
    if (r.verdict != Verdict::kGraderError) graded.push_back(&r);
  if (graded.empty()) return repeats.empty() ? Report{} : repeats.front();
  Report merged = *graded.front();
  std::map<std::string, std::vector<TestStatus>> seen;  // test id -> status in each repeat
  for (const Report* r : graded)
    for (const auto& t : r->tests) seen[t.id].push_back(t.status);
  for (auto& t : merged.tests) {
    const auto& statuses = seen[t.id];
    bool differs = statuses.size() != graded.size();
    for (TestStatus s : statuses) differs |= s != statuses.front();
    if (!differs) continue;
    std::string list;
    for (TestStatus s : statuses) list += (list.empty() ? "" : ", ") + std::string(to_string(s));
    t.flaky = true;
    t.status = TestStatus::kFail;
    t.detail =
        "flaky across " + std::to_string(graded.size()) + " gradings (" + list + "); " + t.detail;
  }
  compute_scores(merged);
  return merged;
}

std::vector<std::string> flaky_tests(const Report& report) {
  std::vector<std::string> names;
  for (const auto& t : report.tests)
    if (t.flaky) names.push_back(report.model + "/" + report.task + ": " + t.id);
  return names;
}

}  // namespace gradebox::pipeline
