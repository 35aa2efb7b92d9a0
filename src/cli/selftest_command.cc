// gradebox selftest [TASK...]: each task's reference must score 10/10 on
// both components, and each known answer in graders/<task>/known/ must get
// what its expectation says (known/known_check.h): its verdict, its exact
// categories, the categories it must fail, and a hostile answer may never
// out-score its honest twin (report/twin_compare.h). Each answer is graded
// once; ctest runs this per task (tests/CMakeLists.txt).
//
// The answers are graded on several workers (-j, like `run`): many known
// answers wait out a timeout or a sleep, and those waits overlap. The lines
// are printed afterwards in the order of the files, each with its grading
// time, so the output does not depend on the workers.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "gradebox/report.h"
#include "grade/job_limit.h"
#include "known/known_answers.h"
#include "known/known_check.h"

namespace gradebox::cli {
namespace {

struct Tally {
  int failures = 0;
  int grader_errors = 0;
  int graded = 0;
  double grade_seconds = 0;  // summed over answers: more than the wall time when they overlap
};

// One task's part of the selftest: its known answers and, once graded, the
// reports (the reference's first, then one per answer in file order).
struct TaskPlan {
  const Task* task = nullptr;
  std::vector<KnownAnswer> answers;
  std::string load_error;  // known/ could not be read: only the reference is graded
  std::vector<Report> reports;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void print_line(const std::string& task, const std::string& what,
                const std::vector<std::string>& problems, const std::string& seconds = "") {
  std::string why;
  for (const auto& p : problems) why += (why.empty() ? ": " : "; ") + p;
  std::printf("%-5s %-14s %7s %s%s\n", problems.empty() ? "ok" : "FAIL", task.c_str(),
              seconds.c_str(), what.c_str(), why.c_str());
}

void record(Tally& tally, const std::string& task, const std::string& what, const Report& report,
            const std::vector<std::string>& problems) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1fs", report.grade_seconds);
  print_line(task, what, problems, seconds);
  tally.failures += !problems.empty();
  tally.grader_errors += report.verdict == Verdict::kGraderError;
  tally.graded++;
  tally.grade_seconds += report.grade_seconds;
}

Report grade_known(const Grader& grader, const Task& task, const KnownAnswer& known) {
  GradeOptions options{"selftest"};
  if (!known.reasoning.empty()) options.reasoning = read_file(known.reasoning);
  options.finish_reason = known.finish_reason;
  return grader.grade(task, read_file(known.answer), options);
}

// Grading `index` of `plan`: 0 is the reference, i > 0 is known answer i - 1.
Report grade_one(const Grader& grader, const TaskPlan& plan, std::size_t index) {
  const Task& task = *plan.task;
  if (index == 0) return grader.grade(task, read_file(task.dir / task.reference), {"reference"});
  return grade_known(grader, task, plan.answers[index - 1]);
}

// Every plan's gradings on `jobs` workers; each writes only its own report.
void grade_all(std::vector<TaskPlan>& plans, const Grader& grader, int jobs) {
  std::vector<std::pair<TaskPlan*, std::size_t>> queue;
  for (auto& plan : plans) {
    plan.reports.resize(plan.answers.size() + 1);
    for (std::size_t i = 0; i < plan.reports.size(); ++i) queue.emplace_back(&plan, i);
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < queue.size();) {
      auto [plan, index] = queue[i];
      plan->reports[index] = grade_one(grader, *plan, index);
    }
  };
  WorkerPool(worker_count(jobs, queue.size()), work).join();
}

void print_task(const TaskPlan& plan, Tally& tally) {
  const std::string& id = plan.task->id;
  const Report& reference = plan.reports.front();
  record(tally, id, "reference " + plan.task->reference + " scores 10/10", reference,
         check_reference(reference));
  if (!plan.load_error.empty()) {
    print_line(id, "known/", {plan.load_error});
    tally.failures++;
    return;
  }
  std::map<std::string, const Report*> reports;
  for (std::size_t i = 0; i < plan.answers.size(); ++i) {
    const KnownAnswer& known = plan.answers[i];
    const Report& r = plan.reports[i + 1];
    record(tally, id, "known/" + known.name + ".md", r, check_known(known, r));
    reports.emplace(known.name, &r);
  }
  for (const auto& known : plan.answers) {
    if (known.twin.empty()) continue;
    const Report& twin = *reports.at(known.twin);
    std::vector<std::string> problems = check_twin(*reports.at(known.name), twin);
    print_line(id, "known/" + known.name + ".md scores no more than " + known.twin, problems);
    tally.failures += !problems.empty();
    tally.grader_errors += twin.verdict == Verdict::kGraderError;
  }
}

TaskPlan plan_task(const Task& task) {
  TaskPlan plan;
  plan.task = &task;
  auto answers = load_known_answers(task);
  if (answers.ok()) {
    plan.answers = std::move(*answers);
  } else {
    plan.load_error = answers.error().message;
  }
  return plan;
}

int run_selftest(const std::vector<std::string>& ids, int jobs, const GlobalOptions& global) {
  TaskRegistry registry = load_registry(global);
  std::vector<const Task*> tasks;
  for (const auto& id : ids) tasks.push_back(&task_or_usage_error(registry, id));
  if (ids.empty()) {
    for (const auto& [id, task] : registry.tasks) tasks.push_back(&task);
  }
  std::string notice;
  jobs = capped_jobs(jobs, "-j", notice);
  if (!notice.empty()) std::cerr << "gradebox: " << notice << "\n";
  auto opened = open_grader();
  if (!opened) {
    std::cerr << "gradebox: selftest: " << opened.error().message << "\n";
    return kGraderError;
  }
  std::vector<TaskPlan> plans;
  for (const Task* task : tasks) plans.push_back(plan_task(*task));
  const auto started = std::chrono::steady_clock::now();
  grade_all(plans, **opened, jobs);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  Tally tally;
  for (const auto& plan : plans) print_task(plan, tally);
  std::printf("selftest: %d failed%s (%d answers graded: %.1f s of grading in %.1f s)\n",
              tally.failures, tally.grader_errors ? " (grader errors among them)" : "",
              tally.graded, tally.grade_seconds, wall.count());
  if (tally.grader_errors) return kGraderError;
  return tally.failures || !registry.problems.empty() ? kCheckFailed : kJudged;
}

}  // namespace

Runner add_selftest_command(CLI::App& app, const GlobalOptions& global) {
  auto ids = std::make_shared<std::vector<std::string>>();
  auto jobs = std::make_shared<int>(0);
  CLI::App* sub = app.add_subcommand(
      "selftest", "Check the graders: references score 10/10, known-wrong answers fail");
  sub->add_option("tasks", *ids, "task ids (default: all)");
  sub->add_option("-j,--jobs", *jobs,
                  "answers graded at once (default: one per core; at most 4 per core)")
      ->check(CLI::Range(0, 512));
  sub->footer("Exit codes: 0 all checks passed, 1 a check failed, 3 grader-error.");
  return [ids, jobs, &global] { return run_selftest(*ids, *jobs, global); };
}

}  // namespace gradebox::cli
