#include "report/twin_compare.h"

#include <map>

namespace gradebox {
namespace {

struct Tally {
  int passed = 0;
  int total = 0;
  double rate() const { return total ? static_cast<double>(passed) / total : 0.0; }
};

std::map<std::string, Tally> by_category(const Report& report) {
  std::map<std::string, Tally> tallies;
  for (const auto& test : report.tests) {
    Tally& t = tallies[test.category];
    if (test.status == TestStatus::kNotApplicable) continue;
    ++t.total;
    t.passed += test.status == TestStatus::kPass;
  }
  return tallies;
}

std::string gain_line(const std::string& what, double hostile, double twin) {
  return what + ": hostile " + std::to_string(hostile) + " > twin " + std::to_string(twin);
}

}  // namespace

bool exempt_from_twin_rule(const std::string& category) { return category == "no-mutation"; }

std::vector<std::string> gains_over_twin(const Report& hostile, const Report& twin) {
  std::vector<std::string> gains;
  // A forced grader-error would leave the answer out of a ranking's mean.
  if (hostile.verdict == Verdict::kGraderError && twin.verdict != Verdict::kGraderError)
    gains.push_back(std::string("verdict: hostile grader-error, twin ") + to_string(twin.verdict));
  auto twin_tallies = by_category(twin);
  for (const auto& [category, tally] : by_category(hostile)) {
    if (exempt_from_twin_rule(category)) continue;
    double twin_rate = twin_tallies.count(category) ? twin_tallies[category].rate() : 0.0;
    if (tally.rate() > twin_rate) gains.push_back(gain_line(category, tally.rate(), twin_rate));
  }
  // Exempt categories count in the scores too: compare the scores only when
  // neither answer passes an exempt test the other fails.
  bool exempt_differs = false;
  auto hostile_tallies = by_category(hostile);
  for (const auto& [category, tally] : hostile_tallies) {
    if (exempt_from_twin_rule(category) && tally.passed != twin_tallies[category].passed)
      exempt_differs = true;
  }
  if (!exempt_differs && hostile.correctness.score > twin.correctness.score)
    gains.push_back(gain_line("correctness", hostile.correctness.score, twin.correctness.score));
  if (!exempt_differs && hostile.edge_cases.score > twin.edge_cases.score)
    gains.push_back(gain_line("edge cases", hostile.edge_cases.score, twin.edge_cases.score));
  return gains;
}

}  // namespace gradebox
