// Past one machine: the bundled sample run graded in 3 shards (as 3 machines
// would, each with its own history), merged, equals a single-machine run.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>

#include "pipeline/history.h"
#include "../support/run_essence.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
const std::string kGradebox = std::string(GRADEBOX_BUILD_DIR) + "/gradebox";
const fs::path kSource = fs::path(TESTS_DIR).parent_path();

int gradebox(const std::string& args, const fs::path& dir) {
  std::string command = "XDG_CACHE_HOME=" + (dir / "cache").string() + " " + kGradebox + " " +
                        args + " >>" + (dir / "log").string() + " 2>&1 </dev/null";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(PipelineShards, SampleRunInThreeShardsMergedEqualsOneMachine) {
  fs::path dir = fs::path(::testing::TempDir()) / ("shards-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string sample = (kSource / "fixtures/runs/sample").string() + " -q -j2 --run-id sample ";
  // Exit 0: every answer graded, none a grader-error (exit 3).
  ASSERT_EQ(gradebox("run " + sample + "--db " + (dir / "single.sqlite").string(), dir), 0)
      << "see " << (dir / "log");
  std::string shards;
  for (int k = 1; k <= 3; ++k) {
    fs::path db = dir / ("shard" + std::to_string(k) + ".sqlite");
    int rc =
        gradebox("run " + sample + "--shard " + std::to_string(k) + "/3 --db " + db.string(), dir);
    ASSERT_EQ(rc, 0) << "see " << (dir / "log");
    shards += " " + db.string();
  }
  ASSERT_EQ(gradebox("merge " + (dir / "merged.sqlite").string() + shards, dir), 0);
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
