// One answer cannot stop a run: each answer is graded by a child process,
// here a script standing in for `gradebox grade` that crashes (SIGSEGV) on
// one answer, hangs on another and reports a grader-error on a third. The
// run completes, the other answers are graded, the three are grader-errors
// (retried once, contained again), and a resume meets them without a crash.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "pipeline/child_grading.h"
#include "pipeline/run_pipeline.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

Report canned(Verdict verdict, double score, const std::string& detail) {
  Report report;
  report.task = "echo_task";
  report.verdict = verdict;
  report.verdict_detail = detail;
  report.correctness.score = score;
  report.edge_cases.score = score;
  return report;
}

class ChildGradingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "child-grading";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    registry_ = load_tasks(fs::path(TESTS_DIR) / "unit/data");
    ASSERT_TRUE(registry_.tasks.count("echo_task"));
    std::ofstream(dir_ / "graded.json") << to_json(canned(Verdict::kGraded, 10, "")).dump();
    std::ofstream(dir_ / "error.json")
        << to_json(canned(Verdict::kGraderError, 0, "harness never sent start")).dump();
    // The stand-in for `gradebox grade ... -`: the answer on stdin.
    std::ofstream(dir_ / "fake-gradebox") << "#!/bin/bash\n"
                                             "text=$(cat)\n"
                                             "case \"$text\" in\n"
                                             "  *CRASH*) kill -SEGV $$ ;;\n"
                                             "  *HANG*) exec sleep 60 ;;\n"
                                             "  *GRADER_ERROR*) cat " +
                                                 (dir_ / "error.json").string() +
                                                 "; exit 3 ;;\n"
                                                 "  *) cat " +
                                                 (dir_ / "graded.json").string() +
                                                 " ;;\n"
                                                 "esac\n";
    fs::permissions(dir_ / "fake-gradebox", fs::perms::owner_all);
    auto history = History::open(dir_ / "history.sqlite");
    ASSERT_TRUE(history.ok()) << history.error().message;
    history_ = std::move(*history);
  }
  RunOutcome run(const RunInput& in) {
    RunOptions options;
    options.batch.jobs = 2;
    std::vector<std::string> command{(dir_ / "fake-gradebox").string()};
    auto outcome = grade_run(*history_, in, registry_, options,
                             [&]() -> Result<std::shared_ptr<const Grader>> {
                               return std::shared_ptr<const Grader>(
                                   std::make_shared<ChildProcessGrader>(
                                       command, std::chrono::seconds(1)));
                             });
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return *outcome;
  }
  const Report& result(const RunOutcome& o, const std::string& model) {
    view_ = *history_->load_run(o.meta.id);
    return view_.results.at({model, "echo_task"}).report;
  }
  fs::path dir_;
  TaskRegistry registry_;
  std::unique_ptr<History> history_;
  RunView view_;
};

TEST_F(ChildGradingTest, ACrashAHangAndAGraderErrorCostOnlyTheirOwnAnswers) {
  RunInput in;
  in.path = dir_ / "night.jsonl";
  for (std::string model : {"a", "CRASH", "HANG", "GRADER_ERROR", "b"})
    in.answers.push_back({model, "echo_task", "def echo(x): return x  # " + model, 1, 1, model});
  RunOutcome first = run(in);
  EXPECT_EQ(first.summary.graded, 5);
  EXPECT_EQ(first.summary.left, 0);
  EXPECT_EQ(first.summary.retried, 3);
  EXPECT_EQ(first.summary.grader_errors, 3);
  EXPECT_EQ(result(first, "a").verdict, Verdict::kGraded);
  EXPECT_EQ(result(first, "b").correctness.score, 10.0);
  const Report& crash = result(first, "CRASH");
  EXPECT_EQ(crash.verdict, Verdict::kGraderError);
  EXPECT_NE(crash.verdict_detail.find("crashed grading this answer (signal 11"), std::string::npos)
      << crash.verdict_detail;
  const Report& hang = result(first, "HANG");
  EXPECT_EQ(hang.verdict, Verdict::kGraderError);
  EXPECT_NE(hang.verdict_detail.find("hung grading this answer"), std::string::npos)
      << hang.verdict_detail;
  EXPECT_EQ(result(first, "GRADER_ERROR").verdict_detail, "harness never sent start");
  // A resume retries the three grader-errors, contained again, and ends.
  RunOutcome resumed = run(in);
  EXPECT_EQ(resumed.already_done, 2);
  EXPECT_EQ(resumed.summary.graded, 3);
  EXPECT_EQ(resumed.summary.grader_errors, 3);
  EXPECT_EQ(result(resumed, "CRASH").verdict, Verdict::kGraderError);
}

TEST_F(ChildGradingTest, AChildThatCannotStartIsAGraderError) {
  ChildProcessGrader grader({(dir_ / "no-such-program").string()}, std::chrono::seconds(5));
  Report report = grader.grade(registry_.tasks.at("echo_task"), "text", {"m", false, true});
  EXPECT_EQ(report.verdict, Verdict::kGraderError);
  EXPECT_EQ(report.model, "m");
  EXPECT_NE(report.verdict_detail.find("no-such-program"), std::string::npos)
      << report.verdict_detail;
}

}  // namespace
}  // namespace gradebox::pipeline
