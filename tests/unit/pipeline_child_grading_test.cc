// One answer cannot stop a run: each answer is graded by a child process,
// here a script standing in for `gradebox grade` that crashes (SIGSEGV) on
// one answer, hangs on another and reports a grader-error on a third. The
// run completes, the other answers are graded, the three are grader-errors
// (retried once, contained again), and a resume meets them without a crash.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "pipeline/child_grading.h"
#include "pipeline/leaderboard.h"
#include "report/leaderboard_format.h"
#include "pipeline/run_pipeline.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

// A report as `gradebox grade` prints it: tests whose results give the
// scores (a history refuses a report whose scores its tests do not give).
// `passed` of two tests pass in each category: 0, 5 or 10 points.
Report canned(Verdict verdict, int passed, const std::string& detail) {
  Report report;
  report.task = "echo_task";
  report.verdict = verdict;
  report.verdict_detail = detail;
  for (const char* kind : {"core", "edge"})
    for (int i = 0; i < 2; ++i) {
      TestResult test;
      test.id = std::string(kind) + std::to_string(i);
      test.kind = kind;
      test.category = test.kind == "core" ? "basic" : "empty";
      test.status = i < passed ? TestStatus::kPass : TestStatus::kFail;
      report.tests.push_back(test);
    }
  compute_scores(report);
  return report;
}

class ChildGradingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = gradebox::testing::fresh_test_dir("child-grading");
    registry_ = load_tasks(fs::path(TESTS_DIR) / "unit/data");
    ASSERT_TRUE(registry_.tasks.count("echo_task"));
    std::ofstream(dir_ / "graded.json") << to_json(canned(Verdict::kGraded, 2, "")).dump();
    std::ofstream(dir_ / "zero.json") << to_json(canned(Verdict::kGraded, 0, "")).dump();
    // What a child that went wrong inside could print: a report whose extra
    // nests 10^6 deep. The run refuses it under the report's limits.
    std::string deep = to_json(canned(Verdict::kGraded, 1, "")).dump();
    deep.pop_back();
    std::ofstream(dir_ / "deep.json")
        << deep << ",\"extra\":" << std::string(1000000, '[') << std::string(1000000, ']') << "}";
    std::ofstream(dir_ / "error.json")
        << to_json(canned(Verdict::kGraderError, 0, "harness never sent start")).dump();
    // The stand-in for `gradebox grade ... -`: the answer on stdin; it names
    // the model it was given, as `gradebox grade --model=M` does.
    std::string script = R"(#!/bin/bash
for a in "$@"; do case $a in --model=*) m=${a#--model=} ;; --reasoning=*) r=${a#--reasoning=} ;; esac; done
printf '%s\n' "$@" > "DIR/argv-$m"
if [ -n "$r" ]; then cp "$r" "DIR/reasoning-$m"; stat -c %a "$r" > "DIR/mode-$m"; echo "$r" > "DIR/path-$m"; fi
report() { sed "s/\"model\":\"\"/\"model\":\"$m\"/" "DIR/$1.json"; }
text=$(cat)
case "$text" in
  *CRASH*) kill -SEGV $$ ;;
  *HANG*) exec sleep 60 ;;
  *ZERO*) report zero ;;
  *DEEP*) report deep ;;
  *GRADER_ERROR*) report error; exit 3 ;;
  *) report graded ;;
esac
)";
    for (std::size_t at; (at = script.find("DIR")) != std::string::npos;)
      script.replace(at, 3, dir_.string());
    std::ofstream(dir_ / "fake-gradebox") << script;
    fs::permissions(dir_ / "fake-gradebox", fs::perms::owner_all);
    auto history = History::open(dir_ / "history.sqlite");
    ASSERT_TRUE(history.ok()) << history.error().message;
    history_ = std::move(*history);
  }
  // `backstop`: how long a child may take before it counts as hung; short
  // where a test hangs one on purpose (each hang waits it out), long where
  // none should time out (a loaded machine must not turn a report into a hang).
  RunOutcome run(const RunInput& in, std::chrono::seconds backstop = std::chrono::seconds(60)) {
    RunOptions options;
    options.batch.jobs = 2;
    std::vector<std::string> command{(dir_ / "fake-gradebox").string()};
    auto outcome = grade_run(*history_, in, registry_, options,
                             [&]() -> Result<std::shared_ptr<const Grader>> {
                               return std::shared_ptr<const Grader>(
                                   std::make_shared<ChildProcessGrader>(command, backstop));
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
  std::string read(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  RunView view_;
};

TEST_F(ChildGradingTest, ACrashAHangAndAGraderErrorCostOnlyTheirOwnAnswers) {
  RunInput in;
  in.path = dir_ / "night.jsonl";
  for (std::string model : {"a", "CRASH", "HANG", "GRADER_ERROR", "b"})
    in.answers.push_back({model, "echo_task", "def echo(x): return x  # " + model, 1, 1, model});
  const auto backstop = std::chrono::seconds(1);  // the hang waits it out four times
  RunOutcome first = run(in, backstop);
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
  RunOutcome resumed = run(in, backstop);
  EXPECT_EQ(resumed.already_done, 2);
  EXPECT_EQ(resumed.summary.graded, 3);
  EXPECT_EQ(resumed.summary.grader_errors, 3);
  EXPECT_EQ(result(resumed, "CRASH").verdict, Verdict::kGraderError);
}

// Issue 16 in one run folder: a symlinked answer, an oversized one, a child
// report nested 10^6 deep, an honest zero, a crash and a grader-error. The
// run completes, nothing of the link's target is stored, every answer that
// was not judged counts 0 and loses the tie to the honest zero, and the CSV
// keeps a model id that starts with '-' inert.
TEST_F(ChildGradingTest, AHostileRunFolderCompletesAndRanksHonestly) {
  fs::path root = dir_ / "night";
  for (const char* model : {"good", "-zero", "crash", "gerr", "deep", "linker", "big"})
    fs::create_directories(root / model);
  auto answer = [](const std::string& tag) {
    return "```python\ndef echo(x): return x  # " + tag + "\n```\n";
  };
  std::ofstream(root / "good/echo_task.md") << answer("fine");
  std::ofstream(root / "-zero/echo_task.md") << answer("ZERO");
  std::ofstream(root / "crash/echo_task.md") << answer("CRASH");
  std::ofstream(root / "gerr/echo_task.md") << answer("GRADER_ERROR");
  std::ofstream(root / "deep/echo_task.md") << answer("DEEP");
  std::ofstream(root / "big/echo_task.md") << answer("big") << std::string(2 << 20, '#');
  std::ofstream(dir_ / "secret.md") << answer("SECRET-TEXT");
  fs::create_symlink(dir_ / "secret.md", root / "linker/echo_task.md");
  auto in = load_run_input(root, {"echo_task"});
  ASSERT_TRUE(in.ok()) << in.error().message;
  RunOutcome o = run(*in);
  EXPECT_EQ(o.summary.graded, 5);
  EXPECT_EQ(o.summary.left, 0);
  const Report& deep = result(o, "deep");
  EXPECT_EQ(deep.verdict, Verdict::kGraderError);
  EXPECT_NE(deep.verdict_detail.find("nested"), std::string::npos) << deep.verdict_detail;

  std::ifstream db(dir_ / "history.sqlite", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), {});
  EXPECT_EQ(bytes.find("SECRET-TEXT"), std::string::npos) << "the link's target was stored";

  Leaderboard board = build_leaderboard(view_, Prices{}, std::nullopt);
  std::vector<std::string> order;
  for (const auto& row : board.rows) order.push_back(row.model);
  ASSERT_GE(order.size(), 5u);
  EXPECT_EQ(order[0], "good");
  EXPECT_EQ(order[1], "-zero") << "an honest zero must rank above answers not judged";
  for (const auto& row : board.rows) {
    if (row.model == "crash" || row.model == "gerr" || row.model == "deep" || row.model == "big") {
      EXPECT_DOUBLE_EQ(row.automated, 0.0) << row.model;
      EXPECT_FALSE(row.complete) << row.model;
    }
  }
  std::string csv = leaderboard_csv(board);
  EXPECT_NE(csv.find("\n'-zero,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\n-zero"), std::string::npos) << csv;
}

// Issue 17: the child `gradebox grade` gets the answer's finish_reason as an
// option and its reasoning in a private file (the answer alone is on
// stdin), removed once the child is done.
TEST_F(ChildGradingTest, TheChildReceivesTheReasoningAndTheFinishReason) {
  RunInput in;
  in.path = dir_ / "night.jsonl";
  AnswerRecord r1{"r1", "echo_task", "def echo(x): return x", 1, 1, "r1"};
  r1.reasoning = "a draft\n```python\ndef echo(x): return None\n```\n$(touch PWNED) '\"";
  r1.finish_reason = "length";
  in.answers = {r1, {"plain", "echo_task", "def echo(x): return x", 1, 1, "plain"}};
  RunOutcome o = run(in);
  EXPECT_EQ(o.summary.graded, 2);
  EXPECT_EQ(result(o, "r1").verdict, Verdict::kGraded);
  std::string argv = read("argv-r1");
  EXPECT_NE(argv.find("\n--finish-reason=length\n"), std::string::npos) << argv;
  EXPECT_NE(argv.find("\n--reasoning="), std::string::npos) << argv;
  EXPECT_EQ(read("reasoning-r1"), r1.reasoning);
  EXPECT_EQ(read("mode-r1"), "600\n") << "the reasoning file is private";
  std::string path = read("path-r1");
  ASSERT_FALSE(path.empty());
  path.pop_back();
  EXPECT_FALSE(fs::exists(path)) << "the reasoning file was left behind: " << path;
  std::string plain = read("argv-plain");
  EXPECT_EQ(plain.find("--reasoning"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("--finish-reason"), std::string::npos) << plain;
  EXPECT_FALSE(fs::exists(dir_ / "reasoning-plain"));
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
