// The batch's grading order: every task sampled once, then the costliest
// task first, and every job handed out exactly once.
#include "pipeline/job_queue.h"

#include <gtest/gtest.h>

#include <set>

namespace gradebox::pipeline {
namespace {

std::vector<GradeJob> make_jobs(const std::vector<std::string>& tasks, int models) {
  std::vector<GradeJob> jobs;
  for (int m = 0; m < models; ++m) {
    for (const auto& t : tasks) {
      GradeJob job;
      job.answer.model = "m" + std::to_string(m);
      job.answer.task = t;
      jobs.push_back(job);
    }
  }
  return jobs;
}

std::vector<const GradeJob*> pointers(const std::vector<GradeJob>& jobs) {
  std::vector<const GradeJob*> out;
  for (const auto& j : jobs) out.push_back(&j);
  return out;
}

TEST(JobQueue, SamplesEveryTaskOnceInInputOrderFirst) {
  auto jobs = make_jobs({"cheap", "slow", "mid"}, 3);
  JobQueue queue(pointers(jobs));
  EXPECT_EQ(queue.next()->answer.task, "cheap");
  EXPECT_EQ(queue.next()->answer.task, "slow");
  EXPECT_EQ(queue.next()->answer.task, "mid");
}

TEST(JobQueue, ServesTheCostliestTaskOnceCostsAreKnown) {
  auto jobs = make_jobs({"cheap", "slow", "mid"}, 3);
  JobQueue queue(pointers(jobs));
  std::map<std::string, double> cost = {{"cheap", 0.2}, {"slow", 4.0}, {"mid", 1.0}};
  for (int i = 0; i < 3; ++i) {
    const GradeJob* j = queue.next();
    queue.finished(*j, cost[j->answer.task]);
  }
  std::vector<std::string> order;
  while (const GradeJob* j = queue.next()) order.push_back(j->answer.task);
  EXPECT_EQ(order, (std::vector<std::string>{"slow", "slow", "mid", "mid", "cheap", "cheap"}));
}

TEST(JobQueue, KeepsInputOrderWithinATaskAndHandsOutEveryJobOnce) {
  auto jobs = make_jobs({"a", "b"}, 4);
  JobQueue queue(pointers(jobs));
  std::set<const GradeJob*> seen;
  std::map<std::string, std::vector<std::string>> models_by_task;
  while (const GradeJob* j = queue.next()) {
    EXPECT_TRUE(seen.insert(j).second);
    models_by_task[j->answer.task].push_back(j->answer.model);
    queue.finished(*j, j->answer.task == "a" ? 1.0 : 2.0);
  }
  EXPECT_EQ(seen.size(), jobs.size());
  EXPECT_EQ(models_by_task["a"], (std::vector<std::string>{"m0", "m1", "m2", "m3"}));
}

TEST(JobQueue, ATaskWithoutResultsYetCountsAsTheAverage) {
  // "b" was started but has not finished: it must neither jump ahead of a
  // known slow task nor be starved behind a known cheap one.
  auto jobs = make_jobs({"a", "b", "c"}, 2);
  JobQueue queue(pointers(jobs));
  const GradeJob* a = queue.next();
  queue.next();  // b, in flight
  const GradeJob* c = queue.next();
  queue.finished(*a, 5.0);
  queue.finished(*c, 1.0);  // average 3.0: b (3.0) goes after a (5.0), before c
  EXPECT_EQ(queue.next()->answer.task, "a");
  EXPECT_EQ(queue.next()->answer.task, "b");
  EXPECT_EQ(queue.next()->answer.task, "c");
  EXPECT_EQ(queue.next(), nullptr);
}

}  // namespace
}  // namespace gradebox::pipeline
