// The history as a user meets it through the gradebox command (issue 16): a
// merge with one bad shard is refused whole in one line and changes
// nothing; a history holding a bad row still merges and diffs; two `run`s
// started at once on one history both finish.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "pipeline/history.h"
#include "../support/gradebox_command.h"
#include "../support/history_snapshot.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::kSourceRoot;

class HistoryCliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = gradebox::testing::fresh_test_dir("history-cli"); }
  // A run of models a and b on echo_task, each with one passing core test.
  void make_run(const fs::path& db, const std::string& id, const std::string& created) {
    auto history = History::open(db);
    ASSERT_TRUE(history.ok()) << history.error().message;
    std::vector<AnswerRecord> answers;
    for (const char* m : {"a", "b"}) answers.push_back({m, "echo_task", "text", 1, 1, m});
    RunMeta meta{id, created, "x", "fp-" + id, "", "0.1.0"};
    ASSERT_TRUE((*history)->begin_run(meta, answers, {}).ok());
    for (const auto& answer : answers) {
      Report r;
      r.model = answer.model, r.task = "echo_task", r.verdict = Verdict::kGraded;
      TestResult& test = r.tests.emplace_back();
      test.id = "basic-1", test.kind = "core", test.category = "basic";
      test.status = TestStatus::kPass;
      compute_scores(r);
      ASSERT_TRUE((*history)->record(id, answer, "stamp", "o", r, false).ok());
    }
  }
  void sql(const fs::path& db, const std::string& statement) {
    SQLite::Database d(db.string(), SQLite::OPEN_READWRITE);
    d.exec(statement);
  }
  int gradebox(const std::string& args) {
    fs::remove(dir_ / "log");
    return testing::run_gradebox(args, dir_);
  }
  std::string log() { return testing::file_text(dir_ / "log"); }
  fs::path dir_;
};

TEST_F(HistoryCliTest, AMergeWithOneBadShardIsRefusedWholeAndChangesNothing) {
  make_run(dir_ / "out.sqlite", "before", "2024-05-01T00:00:00.000Z");
  make_run(dir_ / "good.sqlite", "good", "2024-05-02T00:00:00.000Z");
  make_run(dir_ / "bad.sqlite", "bad", "2024-05-03T00:00:00.000Z");
  sql(dir_ / "bad.sqlite", "UPDATE runs SET created = '9999-01-01T00:00:00.000Z'");
  std::string before = testing::history_snapshot(dir_ / "out.sqlite");
  int rc = gradebox("merge " + (dir_ / "out.sqlite").string() + " " +
                    (dir_ / "good.sqlite").string() + " " + (dir_ / "bad.sqlite").string());
  std::string err = log();
  EXPECT_EQ(rc, 2) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find("bad.sqlite, table runs, row 1"), std::string::npos) << err;
  EXPECT_EQ(testing::history_snapshot(dir_ / "out.sqlite"), before)
      << "the good shard was merged without the bad one";
}

TEST_F(HistoryCliTest, AHistoryHoldingABadReportStillMergesAndDiffs) {
  fs::path out = dir_ / "out.sqlite";
  make_run(out, "r1", "2024-05-01T00:00:00.000Z");
  make_run(out, "r2", "2024-05-02T00:00:00.000Z");
  sql(out, "UPDATE results SET report = 'not json {' WHERE run_id = 'r2' AND model = 'a'");
  make_run(dir_ / "shard.sqlite", "r0", "2024-04-30T00:00:00.000Z");
  EXPECT_EQ(gradebox("merge " + out.string() + " " + (dir_ / "shard.sqlite").string()), 0) << log();
  int rc = gradebox("diff previous latest --db " + out.string());
  EXPECT_EQ(rc, 0) << log();
  EXPECT_NE(log().find("history run r2, table results, row 1"), std::string::npos) << log();
}

// Two `gradebox run` on one history started at the same moment: the second
// waits for the first instead of failing "database is locked" (exit 2).
TEST_F(HistoryCliTest, TwoRunsStartedTogetherOnOneHistoryBothFinish) {
  fs::create_directories(dir_ / "run/m1");
  fs::copy_file(kSourceRoot / "graders/flatten_py/reference.md", dir_ / "run/m1/flatten_py.md");
  std::string run = testing::kGradeboxBinary + " run " + (dir_ / "run").string() + " -q -j1";
  for (int trial = 0; trial < 3; ++trial) {
    std::string db = " --db " + (dir_ / ("h" + std::to_string(trial) + ".sqlite")).string();
    std::string log = " >>" + (dir_ / "log").string() + " 2>&1 </dev/null";
    std::string both = "XDG_CACHE_HOME=" + (dir_ / "cache").string() + "; export XDG_CACHE_HOME; " +
                       run + db + log + " & a=$!; " + run + db + log +
                       " & b=$!; wait $a; ra=$?; wait $b; exit $((ra * 16 + $?))";
    int status = std::system(("sh -c '" + both + "'").c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "exit codes (16 a + b) in trial " << trial << ": " << testing::file_text(dir_ / "log");
  }
}

}  // namespace
}  // namespace gradebox::pipeline
