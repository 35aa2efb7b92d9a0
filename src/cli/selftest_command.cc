// gradebox selftest [TASK...]: each task's reference must score 10/10 on
// both components, and each known answer in graders/<task>/known/ must get
// what its expectation says (known/known_check.h): its verdict, its exact
// categories, the categories it must fail, and a hostile answer may never
// out-score its honest twin (report/twin_compare.h). Each answer is graded
// once; ctest runs this per task (tests/CMakeLists.txt).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/common.h"
#include "gradebox/report.h"
#include "known/known_answers.h"
#include "known/known_check.h"

namespace gradebox::cli {
namespace {

struct Tally {
  int failures = 0;
  int grader_errors = 0;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void print_line(const std::string& task, const std::string& what,
                const std::vector<std::string>& problems) {
  std::string why;
  for (const auto& p : problems) why += (why.empty() ? ": " : "; ") + p;
  std::printf("%-5s %-14s %s%s\n", problems.empty() ? "ok" : "FAIL", task.c_str(), what.c_str(),
              why.c_str());
}

void record(Tally& tally, const std::string& task, const std::string& what, const Report& report,
            const std::vector<std::string>& problems) {
  print_line(task, what, problems);
  tally.failures += !problems.empty();
  tally.grader_errors += report.verdict == Verdict::kGraderError;
}

Report grade_known(const Grader& grader, const Task& task, const KnownAnswer& known) {
  GradeOptions options{"selftest"};
  if (!known.reasoning.empty()) options.reasoning = read_file(known.reasoning);
  options.finish_reason = known.finish_reason;
  return grader.grade(task, read_file(known.answer), options);
}

void selftest_task(const Task& task, const Grader& grader, Tally& tally) {
  Report reference = grader.grade(task, read_file(task.dir / task.reference), {"reference"});
  record(tally, task.id, "reference " + task.reference + " scores 10/10", reference,
         check_reference(reference));
  auto answers = load_known_answers(task);
  if (!answers.ok()) {
    print_line(task.id, "known/", {answers.error().message});
    tally.failures++;
    return;
  }
  std::map<std::string, Report> reports;
  for (const auto& known : *answers) {
    Report r = grade_known(grader, task, known);
    record(tally, task.id, "known/" + known.name + ".md", r, check_known(known, r));
    reports.emplace(known.name, std::move(r));
  }
  for (const auto& known : *answers) {
    if (known.twin.empty()) continue;
    const Report& twin = reports.at(known.twin);
    record(tally, task.id, "known/" + known.name + ".md scores no more than " + known.twin, twin,
           check_twin(reports.at(known.name), twin));
  }
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
  Tally tally;
  for (const Task* task : tasks) selftest_task(*task, grader, tally);
  std::printf("selftest: %d failed%s\n", tally.failures,
              tally.grader_errors ? " (grader errors among them)" : "");
  if (tally.grader_errors) return kGraderError;
  return tally.failures || !registry.problems.empty() ? kCheckFailed : kJudged;
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
