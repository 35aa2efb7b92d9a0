// Past one machine: the bundled sample run graded in 3 shards (as 3 machines
// would, each with its own history), merged, equals a single-machine run.
#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/history.h"
#include "../support/gradebox_command.h"
#include "../support/run_essence.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = fs::path(TESTS_DIR).parent_path();

TEST(PipelineShards, SampleRunInThreeShardsMergedEqualsOneMachine) {
  fs::path dir = fs::path(::testing::TempDir()) / ("shards-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string sample = (kSource / "fixtures/runs/sample").string() + " -q -j2 --run-id sample ";
  // Exit 0: every answer graded, none a grader-error (exit 3).
  ASSERT_EQ(
      testing::run_gradebox("run " + sample + "--db " + (dir / "single.sqlite").string(), dir), 0)
      << "see " << (dir / "log");
  std::string shards;
  for (int k = 1; k <= 3; ++k) {
    fs::path db = dir / ("shard" + std::to_string(k) + ".sqlite");
    int rc = testing::run_gradebox(
        "run " + sample + "--shard " + std::to_string(k) + "/3 --db " + db.string(), dir);
    ASSERT_EQ(rc, 0) << "see " << (dir / "log");
    shards += " " + db.string();
  }
  ASSERT_EQ(testing::run_gradebox("merge " + (dir / "merged.sqlite").string() + shards, dir), 0);
  auto a = History::open(dir / "single.sqlite");
  auto b = History::open(dir / "merged.sqlite");
  ASSERT_TRUE(a.ok() && b.ok());
  auto run_a = (*a)->load_run("sample");
  auto run_b = (*b)->load_run("sample");
  ASSERT_TRUE(run_a.ok() && run_b.ok());
  EXPECT_EQ(run_a->answers.size(), 50u);
  EXPECT_EQ(run_b->results.size(), 50u);
  EXPECT_EQ(testing::run_essence(*run_a), testing::run_essence(*run_b));
}

}  // namespace
}  // namespace gradebox::pipeline
