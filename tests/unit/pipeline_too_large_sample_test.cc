// A sample too large to grade keeps its own number (issue 19): from the run
// folder (<model>/<task>/<N>.md) or a JSONL record's "sample", through the
// history and a merge, to the leaderboard; an older history's problems,
// made before problems had a sample, read as sample 0.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>

#include "pipeline/history.h"
#include "pipeline/leaderboard.h"
#include "pipeline/run_input.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kTasks{"flatten_py"};
constexpr InputLimits kSmall{16, 4 << 20};  // answers over 16 bytes are too large

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

const InputProblem* too_large(const std::vector<InputProblem>& problems) {
  for (const auto& p : problems)
    if (p.kind == "too-large") return &p;
  return nullptr;
}

TEST(TooLargeSample, AFolderSampleAndAJsonlSampleKeepTheirNumbers) {
  fs::path dir = fresh_dir("too-large-input");
  write(dir / "run/m/flatten_py/0.md", "short");
  write(dir / "run/m/flatten_py/2.md", std::string(64, 'x'));
  write(dir / "run.jsonl", R"({"model": "m", "task": "flatten_py", "text": "short"})"
                           "\n"
                           R"({"model": "m", "task": "flatten_py", "sample": 3, "text": ")" +
                               std::string(64, 'x') + "\"}\n");
  for (auto [path, sample] : {std::pair{dir / "run", 2}, std::pair{dir / "run.jsonl", 3}}) {
    auto input = load_run_input(path, kTasks, kSmall);
    ASSERT_TRUE(input.ok()) << input.error().message;
    ASSERT_EQ(input->answers.size(), 1u) << path;
    const InputProblem* big = too_large(input->problems);
    ASSERT_NE(big, nullptr) << path;
    EXPECT_EQ(big->sample, sample) << path;
  }
}

TEST(TooLargeSample, TheHistoryAndAMergeKeepTheNumberAndTheLeaderboardUsesIt) {
  fs::path dir = fresh_dir("too-large-history");
  write(dir / "run/m/flatten_py/0.md", "short");
  write(dir / "run/m/flatten_py/2.md", std::string(64, 'x'));
  auto input = load_run_input(dir / "run", kTasks, kSmall);
  ASSERT_TRUE(input.ok());
  RunMeta meta{"r", "2024-05-01T00:00:00.000Z", "run", "fp", "", "0.1.0"};
  {
    auto shard = History::open(dir / "shard.sqlite");
    ASSERT_TRUE(shard.ok());
    ASSERT_TRUE((*shard)->begin_run(meta, input->answers, input->problems).ok());
  }
  auto merged = History::open(dir / "merged.sqlite");
  ASSERT_TRUE(merged.ok());
  ASSERT_TRUE((*merged)->merge_from(dir / "shard.sqlite").ok());
  auto view = (*merged)->load_run("r");
  ASSERT_TRUE(view.ok()) << view.error().message;
  const InputProblem* big = too_large(view->problems);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->sample, 2);
  // Sample 0 is not graded yet: the cell is sample 2's zero alone, not sample 0's.
  Leaderboard board = build_leaderboard(*view, {}, std::nullopt);
  EXPECT_EQ(board.rows.at(0).tasks.at("flatten_py").too_large, std::vector<int>{2});
}

TEST(TooLargeSample, AnOlderHistorysProblemsReadAsSampleZero) {
  fs::path dir = fresh_dir("too-large-migration");
  fs::path path = dir / "history.sqlite";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(
        "CREATE TABLE runs(id TEXT PRIMARY KEY, created TEXT NOT NULL, input TEXT, "
        "fingerprint TEXT, shard TEXT, gradebox_version TEXT);"
        "CREATE TABLE problems(run_id TEXT, kind TEXT, location TEXT, model TEXT, task TEXT, "
        "message TEXT, PRIMARY KEY(run_id, kind, location, model, task));"
        "INSERT INTO runs VALUES('old', '2024-05-01T00:00:00.000Z', 'run', 'fp', '', '0.1.0');"
        "INSERT INTO problems VALUES('old', 'too-large', 'run/m/flatten_py.md', 'm', "
        "'flatten_py', 'over the limit');");
  }
  for (int open = 0; open < 2; ++open) {
    auto history = History::open(path);
    ASSERT_TRUE(history.ok()) << history.error().message;
    auto view = (*history)->load_run("old");
    ASSERT_TRUE(view.ok()) << view.error().message;
    ASSERT_EQ(view->problems.size(), 1u);
    EXPECT_EQ(view->problems[0].kind, "too-large") << view->problems[0].message;
    EXPECT_EQ(view->problems[0].sample, 0);
  }
}

}  // namespace
}  // namespace gradebox::pipeline
