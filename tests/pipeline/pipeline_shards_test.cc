// Past one machine: a slice of the bundled sample run graded in 3 shards (as
// 3 machines would, each with its own history), merged, equals a
// single-machine run. The slice is every task of one model, glm-5, whose
// five answers fall into all three shards (2, 1 and 2 of them) and fail
// tests in every task while passing most, so each task's grader and both
// kinds of result go through shard and merge; the merge's rules themselves
// are unit tests (tests/unit/pipeline_shard_test.cc, pipeline_merge_test.cc).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "pipeline/history.h"
#include "../support/gradebox_command.h"
#include "../support/run_essence.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
const fs::path kSample = fs::path(TESTS_DIR).parent_path() / "fixtures/runs/sample";
const std::vector<std::string> kModels = {"glm-5"};

// The sample run's folder with only kModels (and its README, which a run skips).
void copy_slice(const fs::path& to) {
  fs::create_directories(to);
  fs::copy_file(kSample / "README.md", to / "README.md");
  for (const auto& model : kModels) fs::copy(kSample / model, to / model);
}

TEST(PipelineShards, SampleRunInThreeShardsMergedEqualsOneMachine) {
  fs::path dir = fs::path(::testing::TempDir()) / ("shards-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  copy_slice(dir / "sample");
  std::string sample = (dir / "sample").string() + " -q -j2 --run-id sample ";
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
    auto shard = History::open(db);
    ASSERT_TRUE(shard.ok());
    auto run = (*shard)->load_run("sample");
    ASSERT_TRUE(run.ok());
    EXPECT_FALSE(run->results.empty()) << "shard " << k << " graded nothing: a merge of two";
    shards += " " + db.string();
  }
  ASSERT_EQ(testing::run_gradebox("merge " + (dir / "merged.sqlite").string() + shards, dir), 0);
  auto a = History::open(dir / "single.sqlite");
  auto b = History::open(dir / "merged.sqlite");
  ASSERT_TRUE(a.ok() && b.ok());
  auto run_a = (*a)->load_run("sample");
  auto run_b = (*b)->load_run("sample");
  ASSERT_TRUE(run_a.ok() && run_b.ok());
  std::set<std::string> statuses;  // both kinds of result go through the merge
  for (const auto& [key, result] : run_a->results)
    for (const auto& test : result.report.tests) statuses.insert(to_string(test.status));
  EXPECT_TRUE(statuses.count("pass") && statuses.count("fail")) << statuses.size();
  EXPECT_EQ(run_a->answers.size(), 5 * kModels.size());
  EXPECT_EQ(run_b->results.size(), 5 * kModels.size());
  EXPECT_EQ(testing::run_essence(*run_a), testing::run_essence(*run_b));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gradebox::pipeline
