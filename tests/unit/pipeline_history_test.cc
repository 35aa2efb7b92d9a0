// Reading a history back (issue 16): whatever a file holds, a row that fails
// the checks is left out and named as a problem, never a path, an output or
// an abort; and two processes starting on one history both get it.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "pipeline/history.h"
#include "pipeline/leaderboard.h"
#include "../support/old_history.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

class HistoryReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = gradebox::testing::fresh_test_dir("history");
    auto history = History::open(path());
    ASSERT_TRUE(history.ok()) << history.error().message;
    history_ = std::move(*history);
  }
  fs::path path() const { return dir_ / "history.sqlite"; }

  void begin(const std::vector<std::string>& models) {
    std::vector<AnswerRecord> answers;
    for (const auto& m : models) answers.push_back({m, "echo_task", "text of " + m, 1, 1, m});
    ASSERT_TRUE(history_->begin_run(meta_, answers, {}).ok());
  }
  // A graded report whose stored JSON and columns say `score` (one core test).
  void record(const std::string& model, double score) {
    Report r = testing::old_report(model);  // one passed core test
    r.correctness.score = score;
    ASSERT_TRUE(history_
                    ->record(meta_.id, {model, "echo_task", "text of " + model, 1, 1, model},
                             "stamp", "pick=first;retry=1", r, false)
                    .ok());
  }
  int bad_rows(const RunView& view, const std::string& table) {
    int n = 0;
    for (const auto& p : view.problems)
      n += p.kind == "bad-history-row" && p.location.find("table " + table) != std::string::npos;
    return n;
  }

  fs::path dir_;
  std::unique_ptr<History> history_;
  RunMeta meta_{"night", "2024-05-01T00:00:00.000Z", "night.jsonl", "fp", "", "0.1.0"};
};

TEST_F(HistoryReadTest, ScoresOutsideZeroToTenAreLeftOutAndNeverReachTheLeaderboard) {
  begin({"huge", "negative", "overflow", "honest"});
  record("huge", 1000);
  record("negative", -5);
  record("overflow", 1e308);
  record("honest", 10);
  auto view = history_->load_run("night");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->results.size(), 1u);
  EXPECT_TRUE(view->results.count({"honest", "echo_task"}));
  EXPECT_EQ(bad_rows(*view, "results"), 3);
  Leaderboard board = build_leaderboard(*view, {}, std::nullopt);
  ASSERT_TRUE(sort_leaderboard(board, "correctness", false).ok());
  for (const auto& row : board.rows) {
    EXPECT_TRUE(std::isfinite(row.correctness) && row.correctness <= 10) << row.model;
    EXPECT_TRUE(std::isfinite(row.automated) && row.automated <= 6) << row.model;
  }
  EXPECT_EQ(board.rows.front().model, "honest");
}

TEST_F(HistoryReadTest, AStoredReportThatIsNotJsonIsAProblemNotAFailure) {
  begin({"a", "b"});
  record("a", 10);
  record("b", 10);
  {
    SQLite::Database db(path().string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE results SET report = 'not json {' WHERE model = 'a'");
  }
  auto view = history_->load_run("night");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->results.size(), 1u);
  EXPECT_EQ(bad_rows(*view, "results"), 1);
  // A resume grades it again rather than trusting a row it cannot read.
  EXPECT_EQ(history_->graded("night"), (std::set<AnswerKey>{{"b", "echo_task"}}));
}

TEST_F(HistoryReadTest, IdsThatAreNotSafeNamesAreLeftOutWhenRead) {
  begin({"../..", "/abs", "m\xff", "ok"});
  auto view = history_->load_run("night");
  ASSERT_TRUE(view.ok()) << view.error().message;
  ASSERT_EQ(view->answers.size(), 1u);
  EXPECT_EQ(view->answers[0].record.model, "ok");
  EXPECT_EQ(bad_rows(*view, "answers"), 3);
  for (const auto& p : view->problems) EXPECT_EQ(p.location.find('\xff'), std::string::npos);
}

TEST_F(HistoryReadTest, AHistoryNamedLikeAnSqliteUriIsAPlainFile) {
  fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  auto history = History::open("file:uri.sqlite?mode=memory");
  fs::current_path(cwd);
  ASSERT_TRUE(history.ok()) << history.error().message;
  EXPECT_TRUE(fs::exists(dir_ / "file:uri.sqlite?mode=memory"));
}

// Issue 17: an answer's reasoning and finish_reason are stored with it and
// read back with it.
TEST_F(HistoryReadTest, AnAnswerKeepsItsReasoningAndFinishReason) {
  AnswerRecord r1{"r1", "echo_task", "final", 1, 1, "r1"};
  r1.reasoning = "a draft first, then \xe2\x80\x94 the answer";
  r1.finish_reason = "length";
  AnswerRecord plain{"plain", "echo_task", "final", 1, 1, "plain"};
  ASSERT_TRUE(history_->begin_run(meta_, {r1, plain}, {}).ok());
  auto view = history_->load_run("night");
  ASSERT_TRUE(view.ok()) << view.error().message;
  ASSERT_EQ(view->answers.size(), 2u);
  EXPECT_EQ(view->answers[1].record.model, "r1");
  EXPECT_EQ(view->answers[1].record.reasoning, r1.reasoning);
  EXPECT_EQ(view->answers[1].record.finish_reason, "length");
  EXPECT_EQ(view->answers[0].record.reasoning, "");
  EXPECT_EQ(view->answers[0].record.finish_reason, "");
}

// A finish_reason read back is checked like the other short text fields:
// valid UTF-8, a few bytes; a reasoning must be text. A row that fails is
// left out and named.
TEST_F(HistoryReadTest, AnAnswerWithABadFinishReasonOrReasoningIsLeftOut) {
  begin({"long", "binary", "blob", "ok"});
  {
    SQLite::Database db(path().string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE answers SET finish_reason = '" + std::string(65, 'l') +
            "' WHERE model = 'long'");
    db.exec("UPDATE answers SET finish_reason = CAST(X'6cff' AS TEXT) WHERE model = 'binary'");
    db.exec("UPDATE answers SET reasoning = X'00ff' WHERE model = 'blob'");
  }
  auto view = history_->load_run("night");
  ASSERT_TRUE(view.ok()) << view.error().message;
  ASSERT_EQ(view->answers.size(), 1u);
  EXPECT_EQ(view->answers[0].record.model, "ok");
  EXPECT_EQ(bad_rows(*view, "answers"), 3);
}

// A file made by an older schema, in a folder of its own.
fs::path old_history(const std::string& folder, const char* schema) {
  fs::path dir = fs::path(::testing::TempDir()) / folder;
  fs::remove_all(dir);
  fs::create_directories(dir);
  testing::make_old_history(dir / "history.sqlite", schema);
  return dir / "history.sqlite";
}

// A history made before issue 17 opens: its tables get the new columns,
// its rows stay and read back (no reasoning, no finish_reason), and new
// answers store both. Opening it again changes nothing.
TEST(HistoryMigration, AHistoryMadeBeforeReasoningOpensAndKeepsItsRows) {
  fs::path path = old_history("history-migration", testing::kSchemaBeforeReasoning);
  for (int open = 0; open < 2; ++open) {
    auto history = History::open(path);
    ASSERT_TRUE(history.ok()) << history.error().message;
    auto view = (*history)->load_run("before");
    ASSERT_TRUE(view.ok()) << view.error().message;
    ASSERT_EQ(view->answers.size(), 1u);
    EXPECT_EQ(view->answers[0].record.text, testing::kOldText);
    EXPECT_EQ(view->answers[0].record.reasoning, "");
    EXPECT_EQ(view->answers[0].record.finish_reason, "");
    EXPECT_EQ(view->results.size(), 1u);
    ASSERT_EQ(view->problems.size(), 1u);
    EXPECT_EQ(view->problems[0].kind, "missing-answer");
  }
  auto history = History::open(path);
  AnswerRecord r1{"r1", "echo_task", "final", 1, 1, "r1"};
  r1.reasoning = "draft", r1.finish_reason = "stop";
  RunMeta after{"after", "2024-05-02T00:00:00.000Z", "y.jsonl", "fp2", "", "0.1.0"};
  ASSERT_TRUE((*history)->begin_run(after, {r1}, {}).ok());
  auto view = (*history)->load_run("after");
  ASSERT_TRUE(view.ok()) << view.error().message;
  ASSERT_EQ(view->answers.size(), 1u);
  EXPECT_EQ(view->answers[0].record.reasoning, "draft");
  EXPECT_EQ(view->answers[0].record.finish_reason, "stop");
}

// Issue 19: a history made by the schema before samples opens; its answers
// and results become sample 0 of the same keys, and a run with three
// samples of one model × task then stores and reads back all three.
TEST(HistoryMigration, AHistoryMadeBeforeSamplesKeepsItsRowsAsSampleZero) {
  fs::path path = old_history("history-migration-samples", testing::kSchemaBeforeSamples);
  for (int open = 0; open < 2; ++open) {
    auto history = History::open(path);
    ASSERT_TRUE(history.ok()) << history.error().message;
    auto view = (*history)->load_run("before");
    ASSERT_TRUE(view.ok()) << view.error().message;
    ASSERT_EQ(view->answers.size(), 1u);
    EXPECT_EQ(view->answers[0].record.reasoning, "draft");
    EXPECT_EQ(view->answers[0].record.sample, 0);
    ASSERT_EQ(view->results.size(), 1u);
    EXPECT_EQ(view->results.begin()->first, (AnswerKey{"old", "echo_task", 0}));
    // The stored problem only: no row was left out as unreadable.
    ASSERT_EQ(view->problems.size(), 1u);
    EXPECT_EQ(view->problems[0].kind, "missing-answer");
  }
  auto history = History::open(path);
  ASSERT_TRUE(history.ok());
  RunMeta after{"after", "2024-05-02T00:00:00.000Z", "y.jsonl", "fp2", "", "0.1.0"};
  std::vector<AnswerRecord> samples;
  for (int n = 0; n < 3; ++n) {
    samples.push_back({"m", "echo_task", "text " + std::to_string(n), 1, 1, "y.jsonl"});
    samples.back().sample = n;
  }
  ASSERT_TRUE((*history)->begin_run(after, samples, {}).ok());
  Report report = testing::old_report("m");  // a stored report must name its row's model
  for (const auto& s : samples)
    ASSERT_TRUE((*history)->record("after", s, "stamp", "pick=first;retry=1", report, false).ok());
  EXPECT_EQ((*history)->graded("after").size(), 3u);
  auto view = (*history)->load_run("after");
  ASSERT_TRUE(view.ok()) << view.error().message;
  ASSERT_EQ(view->answers.size(), 3u);
  ASSERT_EQ(view->results.size(), 3u);
  int n = 0;
  for (const auto& [key, result] : view->results) EXPECT_EQ(key.sample, n++);
}

// A second gradebox starting on a history that another process is writing
// waits for it. The lock is held while the file is not yet in WAL mode: the
// switch to WAL is where SQLite does not wait by itself (before: "database
// is locked" at once, what two `gradebox run` started together met).
TEST(HistoryConcurrency, ASecondProcessWaitsForAHistoryInUse) {
  fs::path dir = fs::path(::testing::TempDir()) / "history-second-process";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path path = dir / "history.sqlite";
  int held[2];
  ASSERT_EQ(::pipe(held), 0);
  // The first process, in the middle of a write. (Forked before this process
  // opens the file: a child must not inherit an open SQLite connection.)
  pid_t first = ::fork();
  ASSERT_GE(first, 0);
  if (first == 0) {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("BEGIN IMMEDIATE");
    if (::write(held[1], "x", 1) != 1) ::_exit(1);
    ::usleep(300 * 1000);  // long enough for the second process to meet the lock
    db.exec("COMMIT");
    ::_exit(0);
  }
  char byte;
  ASSERT_EQ(::read(held[0], &byte, 1), 1);
  auto history = History::open(path);
  ASSERT_TRUE(history.ok()) << history.error().message;
  RunMeta meta{"night", "2024-05-01T00:00:00.000Z", "x", "fp", "", "0.1.0"};
  EXPECT_TRUE((*history)->begin_run(meta, {{"m", "echo_task", "text", 1, 1, "m"}}, {}).ok());
  int status = 0;
  ASSERT_EQ(::waitpid(first, &status, 0), first);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// Past the wait, the error says plainly that the history is busy (the CLI
// gives it its own exit code, not the usage error's 2).
TEST(HistoryConcurrency, AHistoryHeldPastTheWaitIsBusy) {
  fs::path dir = fs::path(::testing::TempDir()) / "history-busy";
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path path = dir / "history.sqlite";
  ASSERT_TRUE(History::open(path).ok());
  SQLite::Database first(path.string(), SQLite::OPEN_READWRITE);
  first.exec("BEGIN IMMEDIATE");
  auto second = History::open(path, std::chrono::milliseconds(200));
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(History::is_busy(second.error())) << second.error().message;
  EXPECT_NE(second.error().message.find("history " + path.string() + " is busy"), std::string::npos)
      << second.error().message;
  first.exec("COMMIT");
}

}  // namespace
}  // namespace gradebox::pipeline
