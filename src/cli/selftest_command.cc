// gradebox selftest [TASK...]: each task's reference must score 10/10 on
// both components, each known-wrong mutant or hack kept in the task's folder
// must fail the categories it targets (or get its verdict), and a hostile
// answer must score no more than its honest twin (twin_compare.h).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/common.h"
#include "gradebox/report.h"
#include "report/twin_compare.h"

namespace gradebox::cli {
namespace {

struct Check {
  bool ok = true;
  bool grader_error = false;
  std::string why;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::set<std::string> failing_categories(const Report& report) {
  std::set<std::string> failing;
  for (const auto& t : report.tests) {
    if (t.status != TestStatus::kPass && t.status != TestStatus::kNotApplicable)
      failing.insert(t.category);
  }
  return failing;
}

Check check_reference(const Report& r) {
  if (r.verdict != Verdict::kGraded)
    return {false, r.verdict == Verdict::kGraderError,
            std::string("verdict ") + to_string(r.verdict) + ": " + r.verdict_detail};
  if (r.correctness.score < 10.0 || r.edge_cases.score < 10.0) {
    std::string failing;
    for (const auto& c : failing_categories(r)) failing += " " + c;
    return {false, false,
            "scored " + std::to_string(r.correctness.score) + "/" +
                std::to_string(r.edge_cases.score) + ", failing:" + failing};
  }
  return {};
}

Check check_case(const SelftestCase& c, const Report& r) {
  if (r.verdict == Verdict::kGraderError) return {false, true, "grader-error: " + r.verdict_detail};
  std::string want = c.verdict.empty() ? "graded" : c.verdict;
  if (want != to_string(r.verdict))
    return {false, false, "verdict " + std::string(to_string(r.verdict)) + ", wanted " + want};
  auto failing = failing_categories(r);
  for (const auto& category : c.must_fail) {
    if (!failing.count(category)) return {false, false, category + " passed but must fail"};
  }
  return {};
}

Check check_twin(const Report& hostile, const Report& twin) {
  if (twin.verdict == Verdict::kGraderError)
    return {false, true, "twin: grader-error: " + twin.verdict_detail};
  std::string why;
  for (const auto& gain : gains_over_twin(hostile, twin)) why += (why.empty() ? "" : "; ") + gain;
  return {why.empty(), false, why};
}

void print_line(const std::string& task, const std::string& what, const Check& check) {
  std::printf("%-5s %-14s %s%s%s\n", check.ok ? "ok" : "FAIL", task.c_str(), what.c_str(),
              check.ok ? "" : ": ", check.ok ? "" : check.why.c_str());
}

// Returns (failures, grader errors) for one task.
std::pair<int, int> selftest_task(const Task& task, const Grader& grader) {
  int failures = 0, errors = 0;
  auto tally = [&](const std::string& what, const Check& check) {
    print_line(task.id, what, check);
    failures += !check.ok;
    errors += check.grader_error;
  };
  Report reference = grader.grade(task, read_file(task.dir / task.reference), {"reference"});
  tally("reference " + task.reference + " scores 10/10", check_reference(reference));
  for (const auto& c : task.selftest) {
    Report r = grader.grade(task, read_file(task.dir / c.answer), {"selftest"});
    tally(c.answer, check_case(c, r));
    if (c.twin.empty()) continue;
    Report twin = grader.grade(task, read_file(task.dir / c.twin), {"selftest"});
    tally(c.answer + " scores no more than " + c.twin, check_twin(r, twin));
  }
  return {failures, errors};
}

int run_selftest(const std::vector<std::string>& ids, const GlobalOptions& global) {
  TaskRegistry registry = load_registry(global);
  std::vector<const Task*> tasks;
  for (const auto& id : ids) tasks.push_back(&task_or_usage_error(registry, id));
  if (ids.empty()) {
    for (const auto& [id, task] : registry.tasks) tasks.push_back(&task);
  }
  auto opened = open_grader();
  if (!opened) {
    std::cerr << "gradebox: selftest: " << opened.error().message << "\n";
    return kGraderError;
  }
  const Grader& grader = **opened;
  int failures = 0, errors = 0;
  for (const Task* task : tasks) {
    auto [f, e] = selftest_task(*task, grader);
    failures += f;
    errors += e;
  }
  std::printf("selftest: %d failed%s\n", failures, errors ? " (grader errors among them)" : "");
  if (errors) return kGraderError;
  return failures || !registry.problems.empty() ? kCheckFailed : kJudged;
}

}  // namespace

Runner add_selftest_command(CLI::App& app, const GlobalOptions& global) {
  auto ids = std::make_shared<std::vector<std::string>>();
  CLI::App* sub = app.add_subcommand(
      "selftest", "Check the graders: references score 10/10, known-wrong answers fail");
  sub->add_option("tasks", *ids, "task ids (default: all)");
  sub->footer("Exit codes: 0 all checks passed, 1 a check failed, 3 grader-error.");
  return [ids, &global] { return run_selftest(*ids, global); };
}

}  // namespace gradebox::cli
