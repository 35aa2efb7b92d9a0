#include "pipeline/diff.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "pipeline/leaderboard.h"
#include "pipeline/repeats.h"
#include "pipeline/sample_stats.h"
#include "util/text_hash.h"

namespace gradebox::pipeline {
namespace {

// What in a report's environment makes results incomparable when it moves.
constexpr const char* kEnvironmentFields[] = {"gradebox_version", "toolchain", "runtime", "kernel",
                                              "limits"};

std::map<std::string, std::pair<std::string, std::string>> category_states(const Report& r) {
  std::map<std::string, std::pair<std::string, std::string>> states;  // id -> (kind, state)
  for (const auto& t : r.tests) {
    if (t.flaky) continue;  // listed apart: a flaky test alone is no regression
    auto& [kind, state] = states[t.category];
    kind = t.kind;
    if (t.status == TestStatus::kNotApplicable) {
      if (state.empty()) state = "n/a";
    } else if (t.status != TestStatus::kPass) {
      state = "fail";
    } else if (state != "fail") {
      state = "pass";
    }
  }
  return states;
}

void compare_categories(const Report& a, const Report& b, AnswerDiff& d) {
  auto sa = category_states(a), sb = category_states(b);
  std::set<std::string> ids;
  for (const auto& [id, s] : sa) ids.insert(id);
  for (const auto& [id, s] : sb) ids.insert(id);
  for (const auto& id : ids) {
    auto ia = sa.find(id), ib = sb.find(id);
    std::string before = ia == sa.end() ? "absent" : ia->second.second;
    std::string after = ib == sb.end() ? "absent" : ib->second.second;
    if (before == after) continue;
    std::string kind = ia != sa.end() ? ia->second.first : ib->second.first;
    d.categories.push_back({id, kind, before, after});
  }
}

std::vector<PairedTest> pair_tests(const Report& a, const Report& b, int& new_failures) {
  std::map<std::string, const TestResult*> before;
  for (const auto& t : a.tests) before[t.id] = &t;
  std::vector<PairedTest> paired;
  for (const auto& t : b.tests) {
    if (t.flaky) continue;
    auto it = before.find(t.id);
    if (it != before.end() && it->second->flaky) continue;
    bool failing = t.status != TestStatus::kPass && t.status != TestStatus::kNotApplicable;
    if (it == before.end()) new_failures += failing;
    if (it == before.end() || t.status == TestStatus::kNotApplicable ||
        it->second->status == TestStatus::kNotApplicable)
      continue;
    paired.push_back(
        {t.kind == "core", it->second->status == TestStatus::kPass, t.status == TestStatus::kPass});
  }
  return paired;
}

std::string env_field(const Report& r, const char* field) {
  return r.environment->contains(field) ? (*r.environment)[field].dump() : "";
}

void classify_cause(const StoredResult& a, const StoredResult& b, AnswerDiff& d) {
  if (a.answer_hash != b.answer_hash) {
    d.causes.push_back("answer");
    d.cause_details.push_back("the model's answer changed");
  }
  if (a.grader_stamp != b.grader_stamp) {
    d.causes.push_back("grader");
    d.cause_details.push_back("grader stamp " + a.grader_stamp + " -> " + b.grader_stamp);
  }
  bool env = false;
  for (const char* field : kEnvironmentFields) {
    std::string before = env_field(a.report, field), after = env_field(b.report, field);
    if (before == after) continue;
    env = true;
    d.cause_details.push_back(std::string(field) + " " + before + " -> " + after);
  }
  if (env) d.causes.push_back("environment");
}

// Decides drop / flake / regression from what moved and how sure we are.
void judge(AnswerDiff& d, const DiffOptions& options) {
  bool category_broke = false;
  for (const auto& c : d.categories) category_broke |= c.before == "pass" && c.after == "fail";
  bool verdict_degraded = d.verdict_before == "graded" && d.verdict_after != "graded";
  d.drop = verdict_degraded || category_broke ||
           d.correctness_before - d.correctness_after > options.threshold ||
           d.edge_before - d.edge_after > options.threshold;
  // One test flipping, with the verdict unchanged, is what a flaky test looks like.
  d.flake = d.drop && !verdict_degraded && d.worse + d.new_failures <= 1;
  bool significant = verdict_degraded || d.p_value < options.alpha;
  d.regression = d.drop && !d.flake && significant;
}

AnswerDiff compare(const StoredResult& a, const StoredResult& b, const DiffOptions& options) {
  const Report &ra = a.report, &rb = b.report;
  AnswerDiff d;
  d.model = rb.model, d.task = rb.task;
  d.verdict_before = to_string(ra.verdict), d.verdict_after = to_string(rb.verdict);
  d.correctness_before = ra.correctness.score, d.correctness_after = rb.correctness.score;
  d.edge_before = ra.edge_cases.score, d.edge_after = rb.edge_cases.score;
  classify_cause(a, b, d);
  d.grader_error = ra.verdict == Verdict::kGraderError || rb.verdict == Verdict::kGraderError;
  if (d.grader_error) return d;
  compare_categories(ra, rb, d);
  auto paired = pair_tests(ra, rb, d.new_failures);
  d.paired = static_cast<int>(paired.size());
  for (const auto& t : paired) {
    d.worse += t.passed_before && !t.passed_after;
    d.better += !t.passed_before && t.passed_after;
  }
  d.p_value = mcnemar_exact_p(d.worse, d.better);
  auto seed = std::stoull(hash_text(d.model + "/" + d.task), nullptr, 16);
  d.automated_delta = bootstrap_automated_delta(paired, seed);
  judge(d, options);
  return d;
}

bool moved(const AnswerDiff& d) {
  return !d.categories.empty() || d.worse || d.better || d.verdict_before != d.verdict_after ||
         d.correctness_before != d.correctness_after || d.edge_before != d.edge_after;
}

using TaskKey = std::pair<std::string, std::string>;  // (model, task)

// Per model × task, each sample's automated score (grader-errors left out:
// they are listed apart, never scored).
std::map<TaskKey, std::vector<double>> sample_scores(const RunView& run) {
  std::map<TaskKey, std::vector<double>> scores;
  for (const auto& [key, result] : run.results) {
    const Report& r = result.report;
    if (r.verdict == Verdict::kGraderError) continue;
    scores[{key.model, key.task}].push_back(kCorrectnessWeight * r.correctness.score +
                                            kEdgeWeight * r.edge_cases.score);
  }
  return scores;
}

// The model × tasks with n > 1 on both sides, compared by their means.
std::vector<MeanDiff> compare_means(const RunView& a, const RunView& b) {
  auto sa = sample_scores(a), sb = sample_scores(b);
  std::vector<MeanDiff> means;
  for (const auto& [key, before] : sa) {
    auto it = sb.find(key);
    if (before.size() < 2 || it == sb.end() || it->second.size() < 2) continue;
    const auto& after = it->second;
    MeanDiff m;
    m.model = key.first, m.task = key.second;
    m.n_before = static_cast<int>(before.size()), m.n_after = static_cast<int>(after.size());
    m.mean_before = mean_of(before), m.mean_after = mean_of(after);
    m.delta = bootstrap_mean_difference(before, after, kSampleBootstrapSeed);
    m.noise = m.delta.low <= 0 && m.delta.high >= 0;
    m.regression = m.delta.high < 0;
    means.push_back(m);
  }
  return means;
}

}  // namespace

RunDiff diff_runs(const RunView& a, const RunView& b, const DiffOptions& options) {
  RunDiff diff;
  diff.run_a = a.meta.id, diff.run_b = b.meta.id;
  diff.options = options;
  diff.means = compare_means(a, b);
  for (const auto& [key, rb] : b.results)
    for (const auto& name : flaky_tests(rb.report)) diff.flaky.push_back(name);
  std::set<TaskKey> by_means;
  for (const auto& m : diff.means) {
    by_means.insert({m.model, m.task});
    ++diff.compared;
    diff.regressions += m.regression;
  }
  for (const auto& [key, ra] : a.results) {
    if (by_means.count({key.model, key.task})) continue;
    auto it = b.results.find(key);
    if (it == b.results.end()) {
      diff.only_in_a.push_back(answer_name(key));
      continue;
    }
    ++diff.compared;
    AnswerDiff d = compare(ra, it->second, options);
    if (d.grader_error) {
      diff.grader_errors.push_back(std::move(d));
    } else if (moved(d)) {
      diff.regressions += d.regression;
      diff.changed.push_back(std::move(d));
    }
  }
  for (const auto& [key, rb] : b.results) {
    if (!a.results.count(key) && !by_means.count({key.model, key.task}))
      diff.only_in_b.push_back(answer_name(key));
  }
  return diff;
}

}  // namespace gradebox::pipeline
