// Grading a run with a scripted sandbox: results land in the history, a
// second start resumes without regrading, the content-hash cache answers
// repeated texts, a grader change regrades, grader-errors are retried.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <mutex>

#include "fake_sandbox.h"
#include "pipeline/leaderboard.h"
#include "pipeline/run_pipeline.h"
#include "../support/old_history.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::echo_answer;
using testing::FakeRun;
using testing::FakeSandbox;

class PipelineRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    ::setenv("XDG_CACHE_HOME", dir_.c_str(), 1);
    registry_ = load_tasks(fs::path(TESTS_DIR) / "unit/data");
    ASSERT_TRUE(registry_.tasks.count("echo_task"));
    auto history = History::open(dir_ / "history.sqlite");
    ASSERT_TRUE(history.ok()) << history.error().message;
    history_ = std::move(*history);
    sandbox_ = std::make_shared<FakeSandbox>(testing::echo_unless_broken);
  }
  RunInput input(const std::vector<std::pair<std::string, std::string>>& model_texts) {
    RunInput in;
    in.path = dir_ / "night.jsonl";
    for (const auto& [model, text] : model_texts)
      in.answers.push_back({model, "echo_task", text, 1, 1, model});
    return in;
  }
  // One answer to echo_task with its reasoning and finish_reason.
  static AnswerRecord record(const std::string& model, const std::string& text,
                             const std::string& reasoning, const std::string& finish_reason) {
    AnswerRecord r{model, "echo_task", text, 1, 1, model};
    r.reasoning = reasoning, r.finish_reason = finish_reason;
    return r;
  }
  RunInput records_input(const std::vector<AnswerRecord>& records) {
    RunInput in;
    in.path = dir_ / "night.jsonl";
    in.answers = records;
    return in;
  }
  RunOutcome run(const RunInput& in, RunOptions options = {}) {
    options.batch.jobs = 2;
    ++factory_calls_;
    auto outcome = grade_run(
        *history_, in, registry_, options, [this]() -> Result<std::shared_ptr<const Grader>> {
          ++graders_made_;
          return std::shared_ptr<const Grader>(std::make_shared<Grader>(sandbox_));
        });
    EXPECT_TRUE(outcome.ok()) << outcome.error().message;
    return *outcome;
  }
  std::size_t answer_runs() const {  // harness runs on answers (not the reference calibration)
    std::size_t n = 0;
    for (const auto& r : sandbox_->runs()) n += r.answer_code.find("# ") != std::string::npos;
    return n;
  }
  fs::path dir_;
  TaskRegistry registry_;
  std::unique_ptr<History> history_;
  std::shared_ptr<FakeSandbox> sandbox_;
  int factory_calls_ = 0, graders_made_ = 0;
};

TEST_F(PipelineRunTest, GradesEveryAnswerIntoTheHistory) {
  RunOutcome o = run(
      input({{"a", echo_answer("a")}, {"b", echo_answer("b BROKEN")}, {"c", echo_answer("c")}}));
  EXPECT_EQ(o.summary.graded, 3);
  EXPECT_EQ(o.summary.left, 0);
  auto view = history_->load_run(o.meta.id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->results.size(), 3u);
  EXPECT_EQ(view->results.at({"a", "echo_task"}).report.correctness.score, 10.0);
  EXPECT_EQ(view->results.at({"b", "echo_task"}).report.correctness.score, 5.0);
  EXPECT_EQ(view->results.at({"b", "echo_task"}).report.model, "b");
  EXPECT_EQ(view->results.at({"a", "echo_task"}).grader_stamp,
            registry_.tasks.at("echo_task").stamp);
}

TEST_F(PipelineRunTest, SecondStartOfTheSameRunGradesNothing) {
  auto in = input({{"a", echo_answer("a")}, {"b", echo_answer("b")}});
  RunOutcome first = run(in);
  std::size_t runs_after_first = answer_runs();
  RunOutcome second = run(in);
  EXPECT_EQ(first.meta.id, second.meta.id);
  EXPECT_EQ(second.already_done, 2);
  EXPECT_EQ(second.summary.graded + second.summary.cached, 0);
  EXPECT_EQ(answer_runs(), runs_after_first);
  EXPECT_EQ(graders_made_, 1);  // the second start never built a sandbox
}

TEST_F(PipelineRunTest, CacheAnswersTheSameTextInANewRun) {
  run(input({{"a", echo_answer("same")}}));
  std::size_t before = answer_runs();
  RunOutcome o =
      run(input({{"a", echo_answer("same")}, {"z", echo_answer("same")}}));  // another run
  EXPECT_EQ(o.summary.cached, 2);
  EXPECT_EQ(o.summary.graded, 0);
  EXPECT_EQ(answer_runs(), before);
  auto view = history_->load_run(o.meta.id);
  EXPECT_EQ(view->results.at({"z", "echo_task"}).report.model, "z");
  EXPECT_TRUE(view->results.at({"z", "echo_task"}).from_cache);
}

TEST_F(PipelineRunTest, AChangedGraderStampRegrades) {
  auto in = input({{"a", echo_answer("a")}});
  RunOutcome first = run(in);
  registry_.tasks.at("echo_task").stamp += "-changed";
  RunOutcome second = run(in);
  EXPECT_NE(first.meta.id, second.meta.id);  // other graders: another run
  EXPECT_EQ(second.summary.cached, 0);
  EXPECT_EQ(second.summary.graded, 1);
}

TEST_F(PipelineRunTest, InterruptedRunResumesWithoutRegrading) {
  std::vector<std::pair<std::string, std::string>> answers;
  for (int i = 0; i < 6; ++i)
    answers.push_back({"m" + std::to_string(i), echo_answer(std::to_string(i))});
  auto in = input(answers);
  std::atomic<bool> stop{false};
  RunOptions options;
  options.batch.stop = &stop;
  int seen = 0;
  options.batch.on_report = [&](const AnswerRecord&, const Report&) {
    if (++seen == 2) stop = true;  // Ctrl-C after the second result
  };
  RunOutcome first = run(in, options);
  EXPECT_GE(first.summary.graded, 2);
  EXPECT_GT(first.summary.left, 0);
  // Everything stored survives the process: a fresh connection sees it.
  auto reopened = History::open(dir_ / "history.sqlite");
  ASSERT_TRUE(reopened.ok());
  auto stored = (*reopened)->graded(first.meta.id);
  EXPECT_EQ(static_cast<int>(stored.size()), first.summary.graded);
  std::size_t runs_before = answer_runs();
  RunOutcome second = run(in, RunOptions{});
  EXPECT_EQ(second.already_done, first.summary.graded);
  EXPECT_EQ(second.summary.graded, 6 - first.summary.graded);
  EXPECT_EQ(answer_runs() - runs_before, static_cast<std::size_t>(6 - first.summary.graded));
  EXPECT_EQ(history_->load_run(second.meta.id)->results.size(), 6u);
}

TEST_F(PipelineRunTest, NoSandboxMeansGraderErrorsThatAreRetriedAndNeverCached) {
  auto in = input({{"a", echo_answer("a")}});
  auto failing = []() {
    return Result<std::shared_ptr<const Grader>>(Error{"make_namespace_sandbox: no root"});
  };
  auto o = grade_run(*history_, in, registry_, {}, failing);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->summary.grader_errors, 1);
  auto view = history_->load_run(o->meta.id);
  EXPECT_EQ(view->results.at({"a", "echo_task"}).report.verdict, Verdict::kGraderError);
  EXPECT_FALSE(history_->cached(in.answers[0], registry_.tasks.at("echo_task").stamp,
                                options_key(GradeOptions{})));
  RunOutcome retried = run(in);  // the same run, now with a working sandbox
  EXPECT_EQ(retried.already_done, 0);
  EXPECT_EQ(retried.summary.graded, 1);
  EXPECT_EQ(history_->load_run(o->meta.id)->results.at({"a", "echo_task"}).report.verdict,
            Verdict::kGraded);
}

// A harness that never says "start" is gradebox's fault (grader-error):
// FLAKY's harness fails only its first time, DOOMED's every time.
TEST_F(PipelineRunTest, ARunRetriesEachGraderErrorOnceBeforeItEnds) {
  std::atomic<int> flaky_runs{0}, doomed_runs{0};
  sandbox_ = std::make_shared<FakeSandbox>([&](const FakeRun& run) {
    bool flaky = run.answer_code.find("FLAKY") != std::string::npos;
    bool doomed = run.answer_code.find("DOOMED") != std::string::npos;
    if (doomed) ++doomed_runs;
    if (doomed || (flaky && flaky_runs++ == 0)) return testing::exited("");
    return testing::echo_unless_broken(run);
  });
  RunOutcome o = run(
      input({{"a", echo_answer("a")}, {"f", echo_answer("FLAKY")}, {"d", echo_answer("DOOMED")}}));
  auto view = history_->load_run(o.meta.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->results.at({"f", "echo_task"}).report.verdict, Verdict::kGraded);
  EXPECT_EQ(view->results.at({"f", "echo_task"}).report.correctness.score, 10.0);
  EXPECT_EQ(view->results.at({"d", "echo_task"}).report.verdict, Verdict::kGraderError);
  EXPECT_EQ(doomed_runs.load(), 2);  // once, then once more: never a loop
  EXPECT_EQ(o.summary.graded, 3);
  EXPECT_EQ(o.summary.retried, 2);
  EXPECT_EQ(o.summary.grader_errors, 1);
  EXPECT_EQ(o.summary.left, 0);
}

TEST_F(PipelineRunTest, EveryReportIsAlsoAJsonFile) {
  RunOptions options;
  options.reports_dir = dir_ / "reports";
  RunOutcome o = run(input({{"a", echo_answer("a")}}), options);
  fs::path file = dir_ / "reports" / o.meta.id / "a" / "echo_task.json";
  ASSERT_TRUE(fs::exists(file));
  std::ifstream in(file);
  auto report = report_from_json(json::parse(in));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->correctness.score, 10.0);
}

TEST_F(PipelineRunTest, ShardsGradeDisjointSlicesThatCoverTheRun) {
  std::vector<std::pair<std::string, std::string>> answers;
  for (int i = 0; i < 12; ++i)
    answers.push_back({"m" + std::to_string(i), echo_answer(std::to_string(i))});
  auto in = input(answers);
  int total = 0;
  for (int k = 1; k <= 3; ++k) {
    RunOptions options;
    options.shard = Shard{k, 3};
    RunOutcome o = run(in, options);
    EXPECT_EQ(o.summary.graded, o.in_slice);
    total += o.in_slice;
  }
  EXPECT_EQ(total, 12);
}

// Issue 16 in one run: a symlinked answer, an oversized answer and an honest
// half score. The run completes, nothing of the link's target is stored, and
// the oversized answer counts as 0 (graded, its correct code would rank first).
TEST_F(PipelineRunTest, HostileRunFolderRanksHonestlyAndStoresNoLinkTarget) {
  fs::path root = dir_ / "night";
  fs::create_directories(root / "big");
  fs::create_directories(root / "honest");
  fs::create_directories(root / "linker");
  std::ofstream(dir_ / "secret.md") << echo_answer("SECRET-TEXT");
  fs::create_symlink(dir_ / "secret.md", root / "linker/echo_task.md");
  std::ofstream(root / "big/echo_task.md") << echo_answer("big") << std::string(1 << 20, '#');
  std::ofstream(root / "honest/echo_task.md") << echo_answer("honest BROKEN");
  auto in = load_run_input(root, {"echo_task"});
  ASSERT_TRUE(in.ok()) << in.error().message;
  RunOutcome o = run(*in);
  EXPECT_EQ(o.summary.graded, 1);
  auto view = history_->load_run(o.meta.id);
  ASSERT_TRUE(view.ok());
  for (const auto& a : view->answers)
    EXPECT_EQ(a.record.text.find("SECRET-TEXT"), std::string::npos) << a.record.source;
  Leaderboard board = build_leaderboard(*view, Prices{}, std::nullopt);
  ASSERT_GE(board.rows.size(), 2u);
  EXPECT_EQ(board.rows[0].model, "honest");
  EXPECT_GT(board.rows[0].automated, 0.0);
  EXPECT_EQ(board.rows[1].model, "big");
  EXPECT_DOUBLE_EQ(board.rows[1].automated, 0.0);
  EXPECT_FALSE(board.rows[1].complete);
}

// A too-large answer decides a score (0): a run with one is another run
// than the same answers without it, never a resume of it.
TEST_F(PipelineRunTest, ATooLargeAnswerIsPartOfTheRunsFingerprint) {
  RunInput plain = input({{"a", echo_answer("a")}});
  RunInput with_big = plain;
  with_big.problems.push_back({"too-large", "night.jsonl:2", "b", "echo_task", "over the limit"});
  EXPECT_NE(run_fingerprint(plain, registry_, {}), run_fingerprint(with_big, registry_, {}));
}

// Issue 17: the grader reads an answer's reasoning (its code when the answer
// has none) and its finish_reason (truncated): a result graded with another
// reasoning or finish_reason is not this answer's, and is not served.
TEST_F(PipelineRunTest, AnotherReasoningOrFinishReasonIsNotServedFromTheCache) {
  run(records_input({record("a", echo_answer("same"), "", "")}));
  RunOutcome reasoning = run(records_input({record("b", echo_answer("same"), "thinking", "")}));
  EXPECT_EQ(reasoning.summary.cached, 0);
  EXPECT_EQ(reasoning.summary.graded, 1);
  RunOutcome finish = run(records_input({record("c", echo_answer("same"), "", "length")}));
  EXPECT_EQ(finish.summary.cached, 0);
  EXPECT_EQ(finish.summary.graded, 1);
  RunOutcome both = run(records_input({record("d", echo_answer("same"), "thinking", "")}));
  EXPECT_EQ(both.summary.cached, 1) << "the same text and reasoning is served";
  RunOutcome plain = run(records_input({record("e", echo_answer("same"), "", "")}));
  EXPECT_EQ(plain.summary.cached, 1);
}

// Results cached before the key held the reasoning and finish_reason were
// graded by a gradebox that never saw them: a history made then opens, but
// its cache serves nothing.
TEST_F(PipelineRunTest, AResultCachedBeforeReasoningWasKeyedIsNotServed) {
  run(input({{"a", echo_answer("old")}}));
  fs::path old = dir_ / "before-reasoning.sqlite";
  {
    SQLite::Database db(old.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(testing::kSchemaBeforeReasoning);
    db.exec("ATTACH DATABASE '" + (dir_ / "history.sqlite").string() + "' AS now");
    SQLite::Statement copy(db,
                           "INSERT INTO cache(answer_hash, grader_stamp, options, text, "
                           "report) SELECT answer_hash, grader_stamp, ?, text, report FROM "
                           "now.cache");
    copy.bind(1, testing::kOptionsBeforeReasoning);
    ASSERT_EQ(copy.exec(), 1);
  }
  auto history = History::open(old);
  ASSERT_TRUE(history.ok()) << history.error().message;
  history_ = std::move(*history);
  RunOutcome o = run(input({{"b", echo_answer("old")}}));
  EXPECT_EQ(o.summary.cached, 0);
  EXPECT_EQ(o.summary.graded, 1);
}

// The worker grades each answer with its own reasoning and finish_reason.
TEST_F(PipelineRunTest, TheGraderReceivesEachAnswersReasoningAndFinishReason) {
  struct Recording : Grader {
    explicit Recording(std::shared_ptr<Sandbox> box) : inner(std::move(box)) {}
    Report grade(const Task& task, const std::string& answer,
                 const GradeOptions& options) const override {
      std::lock_guard lock(mutex);
      seen[options.model] = options;
      return inner.grade(task, answer, options);
    }
    Grader inner;
    mutable std::mutex mutex;
    mutable std::map<std::string, GradeOptions> seen;
  };
  auto grader = std::make_shared<Recording>(sandbox_);
  auto o = grade_run(*history_,
                     records_input({record("r1", echo_answer("1"), "the draft", "length"),
                                    record("plain", echo_answer("2"), "", "")}),
                     registry_, {}, [&]() -> Result<std::shared_ptr<const Grader>> {
                       return std::shared_ptr<const Grader>(grader);
                     });
  ASSERT_TRUE(o.ok()) << o.error().message;
  ASSERT_EQ(grader->seen.size(), 2u);
  EXPECT_EQ(grader->seen["r1"].reasoning, "the draft");
  EXPECT_EQ(grader->seen["r1"].finish_reason, "length");
  EXPECT_EQ(grader->seen["plain"].reasoning, "");
  EXPECT_EQ(grader->seen["plain"].finish_reason, "");
}

// Same texts with another reasoning or finish_reason are another run, never
// a resume of it.
TEST_F(PipelineRunTest, ReasoningAndFinishReasonArePartOfTheRunsFingerprint) {
  auto fingerprint = [&](const std::string& reasoning, const std::string& finish) {
    return run_fingerprint(records_input({record("a", echo_answer("a"), reasoning, finish)}),
                           registry_, {});
  };
  EXPECT_NE(fingerprint("", ""), fingerprint("thinking", ""));
  EXPECT_NE(fingerprint("", ""), fingerprint("", "length"));
  EXPECT_NE(fingerprint("thinking", ""), fingerprint("", "thinking"));
  EXPECT_EQ(fingerprint("thinking", "stop"), fingerprint("thinking", "stop"));
}

// run --from-run and nightly --regrade take their answers from a stored run:
// a model id there that is no safe name must never become a report path
// (before: files written outside --reports), and one that is not UTF-8
// must not abort gradebox (before: type_error.316 on a worker thread).
TEST_F(PipelineRunTest, IdsReadBackFromAHistoryNeverBecomePathsNorAbort) {
  std::string absolute = (dir_ / "abs").string();
  std::vector<AnswerRecord> stored;
  for (const std::string& model : std::vector<std::string>{"../..", absolute, "m\xff", "ok"})
    stored.push_back({model, "echo_task", echo_answer(model), 1, 1, "x"});
  ASSERT_TRUE(
      history_
          ->begin_run({"stored", "2024-05-01T00:00:00.000Z", "x", "fp", "", "0.1.0"}, stored, {})
          .ok());
  auto view = history_->load_run("stored");
  ASSERT_TRUE(view.ok()) << view.error().message;
  RunInput again = input_from_run(*view);
  again.path = "regrade";
  RunOptions options;
  options.reports_dir = dir_ / "reports";
  RunOutcome o = run(again, options);
  EXPECT_EQ(o.answers, 1);
  EXPECT_TRUE(fs::exists(dir_ / "reports" / o.meta.id / "ok" / "echo_task.json"));
  EXPECT_FALSE(fs::exists(dir_ / "echo_task.json")) << "written through ../..";
  EXPECT_FALSE(fs::exists(dir_ / "abs")) << "written to an absolute path";
  int named = 0;
  for (const auto& p : again.problems) named += p.kind == "bad-history-row";
  EXPECT_EQ(named, 3);
}

}  // namespace
}  // namespace gradebox::pipeline
