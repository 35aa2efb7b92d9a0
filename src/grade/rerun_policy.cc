#include "grade/rerun_policy.h"

#include <algorithm>
#include <cmath>

namespace gradebox {
namespace {

constexpr double kNearShare = 0.10;  // "within 10 % of its limit, on either side"
constexpr std::size_t kMaxVotes = 3;
constexpr std::size_t kMajority = kMaxVotes / 2 + 1;

bool passed(const Measurement* run) { return run->result.status == TestStatus::kPass; }

// The runs that vote: every run but the starved ones, which measured the
// machine's load rather than the answer (a starved rerun too: a busy
// machine must not outvote a pass).
std::vector<const Measurement*> votes_of(const std::vector<Measurement>& runs) {
  std::vector<const Measurement*> votes;
  for (const Measurement& run : runs)
    if (!run.starved) votes.push_back(&run);
  return votes;
}

std::size_t passes(const std::vector<const Measurement*>& votes) {
  return static_cast<std::size_t>(std::count_if(votes.begin(), votes.end(), passed));
}

}  // namespace

bool near_limit(const Measurement& run, double limit_ms) {
  const TestStatus status = run.result.status;
  if (!run.cpu_ms || !(limit_ms > 0)) return false;
  if (status != TestStatus::kPass && status != TestStatus::kTimeout) return false;
  return std::abs(*run.cpu_ms - limit_ms) <= kNearShare * limit_ms;
}

bool needs_another_run(const std::vector<Measurement>& runs, double limit_ms) {
  auto votes = votes_of(runs);
  if (votes.empty()) return true;  // only starved runs so far: the next may vote
  // A clear first measurement decides alone: most tests run once.
  if (!near_limit(*votes.front(), limit_ms) || votes.size() >= kMaxVotes) return false;
  const std::size_t pass = passes(votes);
  return std::max(pass, votes.size() - pass) < kMajority;
}

TestResult settle(const std::vector<Measurement>& runs, double limit_ms) {
  auto votes = votes_of(runs);
  TestResult result = runs.back().result;  // every run starved: the last stands
  if (!votes.empty()) {
    const std::size_t pass = passes(votes);
    const std::size_t other = votes.size() - pass;
    const bool pass_wins = pass > other || (pass == other && passed(votes.front()));
    result = (*std::find_if(votes.begin(), votes.end(), [&](const Measurement* v) {
               return passed(v) == pass_wins;
             }))->result;
  }
  if (runs.size() < 2) return result;
  result.retried = true;
  result.limit_ms = limit_ms;
  for (const auto& run : runs) result.runs.push_back({run.result.status, run.cpu_ms});
  return result;
}

}  // namespace gradebox
