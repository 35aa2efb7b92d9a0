#include "known/known_check.h"

#include <set>

#include "report/twin_compare.h"

namespace gradebox {
namespace {

std::set<std::string> failing_categories(const Report& report) {
  std::set<std::string> failing;
  for (const auto& t : report.tests) {
    if (t.status != TestStatus::kPass && t.status != TestStatus::kNotApplicable)
      failing.insert(t.category);
  }
  return failing;
}

// The tests behind a category's unexpected result, so a failure explains itself.
std::string failing_tests(const Report& report, const std::string& category) {
  std::string text;
  for (const auto& t : report.tests) {
    if (t.category == category && t.status != TestStatus::kPass)
      text += "\n    " + t.id + ": " + to_string(t.status) + " " + t.detail.substr(0, 200);
  }
  return text;
}

std::string joined_text(const std::vector<int>& blocks) {
  std::string text = "[";
  for (int b : blocks) text += (text.size() > 1 ? ", " : "") + std::to_string(b);
  return text + "]";
}

void check_extraction(const KnownAnswer& known, const Report& r, std::vector<std::string>& out) {
  if (r.from_reasoning != known.from_reasoning)
    out.push_back("from_reasoning " + std::string(r.from_reasoning ? "true" : "false") + ": " +
                  r.extraction_reason);
  if (r.truncated != known.truncated)
    out.push_back("truncated " + std::string(r.truncated ? "true" : "false"));
  if (known.joined && r.joined != *known.joined)
    out.push_back("joined " + joined_text(r.joined) + ", wanted " + joined_text(*known.joined) +
                  ": " + r.extraction_reason);
}

void check_categories(const KnownAnswer& known, const Report& r, std::vector<std::string>& out) {
  auto failing = failing_categories(r);
  for (const auto& category : known.must_fail) {
    if (!failing.count(category)) out.push_back(category + " passed but must fail");
  }
  if (known.flaky) return;
  for (const auto& [category, want] : known.categories) {
    std::string got = category_result(r, category);
    if (got != want)
      out.push_back(category + " " + got + ", wanted " + want + failing_tests(r, category));
  }
}

}  // namespace

std::string category_result(const Report& report, const std::string& category) {
  bool any = false, all_pass = true;
  for (const auto& t : report.tests) {
    if (t.category != category || t.status == TestStatus::kNotApplicable) continue;
    any = true;
    all_pass &= t.status == TestStatus::kPass;
  }
  if (!any) return "n/a";
  return all_pass ? "pass" : "fail";
}

std::vector<std::string> check_reference(const Report& r) {
  if (r.verdict != Verdict::kGraded)
    return {std::string("verdict ") + to_string(r.verdict) + ": " + r.verdict_detail};
  if (r.correctness.score >= 10.0 && r.edge_cases.score >= 10.0) return {};
  std::string failing;
  for (const auto& c : failing_categories(r)) failing += " " + c;
  return {"scored " + std::to_string(r.correctness.score) + "/" +
          std::to_string(r.edge_cases.score) + ", failing:" + failing};
}

std::vector<std::string> check_known(const KnownAnswer& known, const Report& r) {
  if (r.verdict == Verdict::kGraderError) return {"grader-error: " + r.verdict_detail};
  if (known.verdict != to_string(r.verdict))
    return {"verdict " + std::string(to_string(r.verdict)) + ", wanted " + known.verdict + ": " +
            r.verdict_detail};
  std::vector<std::string> problems;
  check_extraction(known, r, problems);
  check_categories(known, r, problems);
  return problems;
}

std::vector<std::string> check_twin(const Report& hostile, const Report& twin) {
  if (twin.verdict == Verdict::kGraderError) return {"twin: grader-error: " + twin.verdict_detail};
  return gains_over_twin(hostile, twin);
}

}  // namespace gradebox
