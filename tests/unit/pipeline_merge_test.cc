// gradebox merge with hostile shards (issue 16): a shard is a history from
// another machine, so every row is checked. A bad shard is rejected whole
// with one line naming the shard, the table and the row, and the output
// stays exactly as it was; result-cache rows are never imported; tables are
// read by column name; shard names are plain paths, never SQLite URIs.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "fake_sandbox.h"
#include "pipeline/run_pipeline.h"
#include "../support/history_snapshot.h"
#include "../support/run_essence.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::echo_answer;

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = gradebox::testing::fresh_test_dir("merge");
    ::setenv("XDG_CACHE_HOME", dir_.c_str(), 1);
    registry_ = load_tasks(fs::path(TESTS_DIR) / "unit/data");
    sandbox_ = std::make_shared<testing::FakeSandbox>(testing::echo_unless_broken);
    // The output already holds an honest run: a rejected merge must leave it as it was.
    grade_into(out(), "before", {{"m0", echo_answer("0")}});
    grade_into(
        shard(), "night",
        {{"m0", echo_answer("0")}, {"m1", echo_answer("1 BROKEN")}, {"m2", echo_answer("2")}});
    fs::copy_file(shard(), dir_ / "pristine.sqlite");
    before_ = testing::history_snapshot(out());
  }

  fs::path out() const { return dir_ / "out.sqlite"; }
  fs::path shard() const { return dir_ / "shard.sqlite"; }

  // `repeat` > 1: as `gradebox run --repeat R`, which fills the repeats table.
  void grade_into(const fs::path& db, const std::string& run_id,
                  const std::vector<std::pair<std::string, std::string>>& model_texts,
                  int repeat = 1) {
    std::vector<AnswerRecord> records;
    for (const auto& [model, text] : model_texts)
      records.push_back({model, "echo_task", text, 1, 1, model});
    grade_records_into(db, run_id, records, repeat);
  }

  void grade_records_into(const fs::path& db, const std::string& run_id,
                          const std::vector<AnswerRecord>& records, int repeat = 1) {
    RunInput input;
    input.path = "night.jsonl";
    input.answers = records;
    auto history = History::open(db);
    ASSERT_TRUE(history.ok()) << history.error().message;
    RunOptions options;
    options.run_id = run_id;
    options.batch.repeat = repeat;
    auto outcome = grade_run(
        **history, input, registry_, options, [this]() -> Result<std::shared_ptr<const Grader>> {
          return std::shared_ptr<const Grader>(std::make_shared<Grader>(sandbox_));
        });
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  }

  void reset_shard() {
    fs::copy_file(dir_ / "pristine.sqlite", shard(), fs::copy_options::overwrite_existing);
  }

  // What a forger does with the sqlite3 shell.
  void tamper(const std::string& sql) {
    reset_shard();
    SQLite::Database db(shard().string(), SQLite::OPEN_READWRITE);
    db.exec(sql);
  }

  Status merge(const fs::path& shard_path) {
    auto history = History::open(out());
    EXPECT_TRUE(history.ok()) << history.error().message;
    return (*history)->merge_from(shard_path);
  }

  // The merge fails with one line naming the shard, `table` and `why`, and
  // the output is unchanged.
  void expect_rejected(const std::string& table, const std::string& why) {
    auto merged = merge(shard());
    ASSERT_FALSE(merged.ok()) << "a hostile shard was merged";
    const std::string& m = merged.error().message;
    EXPECT_NE(m.find("shard.sqlite"), std::string::npos) << m;
    EXPECT_NE(m.find("table " + table), std::string::npos) << m;
    EXPECT_NE(m.find(why), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    EXPECT_EQ(testing::history_snapshot(out()), before_) << "the output changed";
  }

  // The shard merges, and the run it holds reads back as the untampered
  // shard's run ("pristine.sqlite") does.
  void expect_merged_shard_equals_pristine() {
    auto merged = merge(shard());
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    auto source = History::open(dir_ / "pristine.sqlite");
    auto history = History::open(out());
    auto a = (*source)->load_run("night"), b = (*history)->load_run("night");
    ASSERT_TRUE(a.ok() && b.ok()) << (b.ok() ? "" : b.error().message);
    EXPECT_EQ(testing::run_essence(*a), testing::run_essence(*b));
  }

  fs::path dir_;
  TaskRegistry registry_;
  std::shared_ptr<testing::FakeSandbox> sandbox_;
  std::string before_;
};

TEST_F(MergeTest, AnHonestShardMerges) {
  auto merged = merge(shard());
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  auto history = History::open(out());
  auto night = (*history)->load_run("night");
  ASSERT_TRUE(night.ok());
  EXPECT_EQ(night->results.size(), 3u);
  EXPECT_LT(night->results.at({"m1", "echo_task"}).report.correctness.score, 10);
}

TEST_F(MergeTest, ForgedScoresInColumnsAndReportAreRejected) {
  // m1 fails basic-2; the forger claims 10 everywhere but cannot change what its tests say.
  tamper(
      "UPDATE results SET correctness = 10, report = json_set(report, '$.correctness.score', 10) "
      "WHERE model = 'm1'");
  expect_rejected("results", "not what its tests give");
}

TEST_F(MergeTest, ScoreColumnsThatDisagreeWithTheReportAreRejected) {
  tamper("UPDATE results SET correctness = 10 WHERE model = 'm1'");
  expect_rejected("results", "disagree");
}

TEST_F(MergeTest, AResultForAModelThatWasNeverInTheInputIsRejected) {
  tamper(
      "INSERT INTO results(run_id, model, task, answer_hash, grader_stamp, verdict, "
      "correctness, edge, from_cache, report) SELECT run_id, 'ghost', task, answer_hash, "
      "grader_stamp, verdict, "
      "correctness, edge, from_cache, json_set(report, '$.model', 'ghost') FROM results "
      "WHERE model = 'm0'");
  expect_rejected("results", "no answer");
}

TEST_F(MergeTest, UnsafeIdsAreRejected) {
  for (std::string id : {"../..", "/abs", "a b", "m\xff"}) {
    SCOPED_TRACE(id);
    reset_shard();
    SQLite::Database forge(shard().string(), SQLite::OPEN_READWRITE);
    SQLite::Statement a(forge, "UPDATE answers SET model = ? WHERE model = 'm2'");
    a.bind(1, id);
    a.exec();
    SQLite::Statement r(forge,
                        "UPDATE results SET model = ?1, report = json_set(report, '$.model', ?1) "
                        "WHERE model = 'm2'");
    r.bind(1, id);
    r.exec();
    expect_rejected("answers", "is not a safe name");
  }
}

TEST_F(MergeTest, ARunDatedInTheFutureIsRejected) {
  // It would otherwise be "latest" for good.
  tamper("UPDATE runs SET created = '9999-12-31T00:00:00.000Z'");
  expect_rejected("runs", "in the future");
}

TEST_F(MergeTest, AReportThatIsNotJsonIsRejected) {
  tamper("UPDATE results SET report = 'not json {' WHERE model = 'm0'");
  expect_rejected("results", "not JSON");
}

TEST_F(MergeTest, ScoresOutsideZeroToTenAreRejected) {
  for (const char* score : {"1000", "-5", "1e308"}) {
    SCOPED_TRACE(score);
    tamper(std::string("UPDATE results SET correctness = ") + score +
           ", report = json_set(report, '$.correctness.score', " + score + ") WHERE model = 'm0'");
    expect_rejected("results", "outside 0-10");
  }
}

TEST_F(MergeTest, ResultCacheRowsAreNeverImported) {
  // The forger's cache says the wrong (BROKEN) answer scores 10/10.
  tamper(
      "UPDATE cache SET report = json_set(report, '$.correctness.score', 10, "
      "'$.correctness.passed', json_extract(report, '$.correctness.total')) "
      "WHERE text LIKE '%BROKEN%'");
  ASSERT_TRUE(merge(shard()).ok());
  // A later run on the merged history grades that text honestly, not "(cached)" 10/10.
  grade_into(out(), "later", {{"m9", echo_answer("1 BROKEN")}});
  auto history = History::open(out());
  auto later = (*history)->load_run("later");
  ASSERT_TRUE(later.ok());
  const StoredResult& r = later->results.at({"m9", "echo_task"});
  EXPECT_FALSE(r.from_cache);
  EXPECT_LT(r.report.correctness.score, 10);
  SQLite::Database db(out().string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM cache WHERE text LIKE '%# 2%'").getInt(), 0)
      << "the shard's cache rows were imported";
}

TEST_F(MergeTest, ColumnsAreMatchedByNameNotByPosition) {
  // Same columns, another order: a positional copy would put verdicts in the stamp column.
  tamper(
      "CREATE TABLE shuffled(report TEXT, from_cache INTEGER, edge REAL, correctness REAL, "
      "verdict TEXT, grader_stamp TEXT, answer_hash TEXT, task TEXT, model TEXT, run_id TEXT, "
      "PRIMARY KEY(run_id, model, task));"
      "INSERT INTO shuffled(run_id, model, task, answer_hash, grader_stamp, verdict, "
      "correctness, edge, from_cache, report) SELECT run_id, model, task, answer_hash, "
      "grader_stamp, verdict, correctness, edge, from_cache, report FROM results;"
      "DROP TABLE results; ALTER TABLE shuffled RENAME TO results;");
  expect_merged_shard_equals_pristine();
}

TEST_F(MergeTest, AMissingColumnIsNamed) {
  tamper("ALTER TABLE results DROP COLUMN edge");
  expect_rejected("results", "no column edge");
}

// Issue 17: an answer's reasoning and finish_reason travel with it.
TEST_F(MergeTest, AShardsReasoningAndFinishReasonAreMerged) {
  AnswerRecord r1{"r1", "echo_task", echo_answer("r1"), 1, 1, "r1"};
  r1.reasoning = "a draft", r1.finish_reason = "length";
  grade_records_into(dir_ / "reasoning.sqlite", "thinking", {r1});
  auto merged = merge(dir_ / "reasoning.sqlite");
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  auto history = History::open(out());
  auto view = (*history)->load_run("thinking");
  ASSERT_TRUE(view.ok()) << view.error().message;
  ASSERT_EQ(view->answers.size(), 1u);
  EXPECT_EQ(view->answers[0].record.reasoning, "a draft");
  EXPECT_EQ(view->answers[0].record.finish_reason, "length");
}

// A shard made by a gradebox before issue 17 has no such columns: it merges,
// its answers have neither.
TEST_F(MergeTest, AShardWithoutTheReasoningColumnsMerges) {
  tamper(
      "ALTER TABLE answers DROP COLUMN reasoning; ALTER TABLE answers DROP COLUMN finish_reason;"
      "ALTER TABLE cache DROP COLUMN reasoning; ALTER TABLE cache DROP COLUMN finish_reason;");
  expect_merged_shard_equals_pristine();
  auto history = History::open(out());
  auto view = (*history)->load_run("night");
  ASSERT_TRUE(view.ok()) << view.error().message;
  for (const auto& answer : view->answers) EXPECT_EQ(answer.record.finish_reason, "");
}

TEST_F(MergeTest, AnOverlongFinishReasonIsRejected) {
  tamper("UPDATE answers SET finish_reason = '" + std::string(65, 'l') + "' WHERE model = 'm1'");
  expect_rejected("answers", "finish_reason");
}

// The rule `gradebox grade --finish-reason` applies: a stored reason it would
// refuse would make every later regrade of that answer a usage error.
TEST_F(MergeTest, AFinishReasonTheGraderWouldRefuseIsRejected) {
  tamper("UPDATE answers SET finish_reason = 'stop; rm' WHERE model = 'm1'");
  expect_rejected("answers", "finish_reason");
}

TEST_F(MergeTest, AReasoningThatIsNotTextIsRejected) {
  tamper("UPDATE answers SET reasoning = X'00ff' WHERE model = 'm1'");
  expect_rejected("answers", "reasoning");
}

// A run already here: a shard cannot give its answers another reasoning.
TEST_F(MergeTest, AShardCannotChangeTheReasoningOfAnAnswerAlreadyHere) {
  ASSERT_TRUE(merge(shard()).ok());
  before_ = testing::history_snapshot(out());
  tamper("UPDATE answers SET reasoning = 'rewritten' WHERE model = 'm1'");
  expect_rejected("answers", "is not an answer of run night here");
}

// Issue 19: `run --repeat R` keeps each answer's R reports in the repeats
// table; a shard carries them and merge checks them like results.
class MergeRepeatsTest : public MergeTest {
 protected:
  void SetUp() override {
    MergeTest::SetUp();
    fs::remove(shard());
    grade_into(
        shard(), "night",
        {{"m0", echo_answer("0")}, {"m1", echo_answer("1 BROKEN")}, {"m2", echo_answer("2")}}, 2);
    fs::copy_file(shard(), dir_ / "pristine.sqlite", fs::copy_options::overwrite_existing);
  }

  static std::string repeat_rows(const fs::path& db) {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(d,
                        "SELECT run_id, model, task, sample, repeat, report FROM repeats "
                        "ORDER BY model, repeat");
    std::string rows;
    while (q.executeStep())
      for (int i = 0; i < q.getColumnCount(); ++i) rows += q.getColumn(i).getString() + "|";
    return rows;
  }
};

TEST_F(MergeRepeatsTest, AShardsRepeatsAreMerged) {
  std::string rows = repeat_rows(shard());
  ASSERT_NE(rows.find("night|m1|echo_task|0|1|"), std::string::npos) << "no repeats to merge";
  auto merged = merge(shard());
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(repeat_rows(out()), rows);
}

TEST_F(MergeRepeatsTest, AShardWithoutTheRepeatsTableMerges) {
  tamper("DROP TABLE repeats");
  expect_merged_shard_equals_pristine();
  EXPECT_EQ(repeat_rows(out()), "");
}

TEST_F(MergeRepeatsTest, ARepeatWithForgedScoresIsRejected) {
  tamper(
      "UPDATE repeats SET report = json_set(report, '$.correctness.score', 10) "
      "WHERE model = 'm1' AND repeat = 1");
  expect_rejected("repeats, row ", "not what its tests give");
}

TEST_F(MergeRepeatsTest, ARepeatOfNoAnswerIsRejected) {
  tamper(
      "INSERT INTO repeats SELECT run_id, model, task, 7, repeat, report FROM repeats "
      "WHERE model = 'm0'");
  expect_rejected("repeats", "m0/echo_task#7 has a repeat but no answer");
}

TEST_F(MergeRepeatsTest, ARepeatWhoseReportIsForAnotherAnswerIsRejected) {
  tamper("UPDATE repeats SET report = json_set(report, '$.model', 'm2') WHERE model = 'm0'");
  expect_rejected("repeats", "its report is for another answer (m2/echo_task)");
}

TEST_F(MergeRepeatsTest, BadRepeatRowsAreRejected) {
  const std::pair<const char*, const char*> cases[] = {
      {"UPDATE repeats SET report = 'not json {' WHERE model = 'm2'", "not JSON"},
      // {"model":"m\xff"}: a string that is not UTF-8
      {"UPDATE repeats SET report = CAST(X'7b226d6f64656c223a226dff227d' AS TEXT) "
       "WHERE model = 'm2'",
       "stored report"},
      {"UPDATE repeats SET report = X'00' WHERE model = 'm2'", "column report holds no text"},
      {"UPDATE repeats SET model = CAST(X'6dff' AS TEXT) WHERE model = 'm2'", "not a safe name"},
      {"UPDATE repeats SET model = '../..' WHERE model = 'm2'", "not a safe name"},
      {"UPDATE repeats SET run_id = 'other' WHERE model = 'm2'", "not a run of the shard"},
      {"UPDATE repeats SET repeat = repeat + 20 WHERE model = 'm2'", "no repeat number"},
      {"UPDATE repeats SET repeat = repeat - 2 WHERE model = 'm2'", "no repeat number"},
      {"UPDATE repeats SET report = '[' || report || ']' WHERE model = 'm2'", "stored"},
  };
  for (const auto& [sql, why] : cases) {
    SCOPED_TRACE(sql);
    tamper(sql);
    expect_rejected("repeats", why);
  }
}

TEST_F(MergeRepeatsTest, AnOversizedRepeatReportIsRejected) {
  // Past the stored-report limits: 16 MiB of padding inside the JSON.
  tamper(
      "UPDATE repeats SET report = json_set(report, '$.verdict_detail', "
      "hex(zeroblob(8500000))) WHERE model = 'm2' AND repeat = 0");
  expect_rejected("repeats", "stored report");
}

TEST_F(MergeTest, AShardNamedLikeAnSqliteUriIsAPlainFile) {
  // ./file:x.sqlite holds the shard; ./x.sqlite another history that a URI would name.
  fs::copy_file(shard(), dir_ / "file:x.sqlite");
  grade_into(dir_ / "x.sqlite", "other", {{"m5", echo_answer("5")}});
  fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  auto merged = merge("file:x.sqlite");
  fs::current_path(cwd);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  auto history = History::open(out());
  EXPECT_TRUE((*history)->load_run("night").ok()) << "the file named file:x.sqlite was not merged";
  EXPECT_FALSE((*history)->load_run("other").ok()) << "x.sqlite was merged instead";
}

}  // namespace
}  // namespace gradebox::pipeline
