// --shard K/N and merge: slices are deterministic, disjoint and cover the
// run; three shard histories merged equal one single-machine history.
#include <gtest/gtest.h>

#include "fake_sandbox.h"
#include "pipeline/run_pipeline.h"
#include "../support/run_essence.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Echoes inputs, except that an answer holding "BROKEN" gets the "empty" tests wrong.
SandboxOutcome echo_breaking_empty(const testing::FakeRun& run) {
  bool broken = run.answer_code.find("BROKEN") != std::string::npos;
  return testing::echo_inputs(run,
                              [&](const json& t) { return broken && t["category"] == "empty"; });
}

TEST(PipelineShard, ParsesKOfN) {
  ASSERT_TRUE(parse_shard("2/3").has_value());
  EXPECT_EQ(parse_shard("2/3")->index, 2);
  EXPECT_EQ(parse_shard("2/3")->count, 3);
  EXPECT_FALSE(parse_shard("0/3"));
  EXPECT_FALSE(parse_shard("4/3"));
  EXPECT_FALSE(parse_shard("1/0"));
  EXPECT_FALSE(parse_shard("a/b"));
  EXPECT_FALSE(parse_shard("1/3/5"));
}

TEST(PipelineShard, SlicesAreDeterministicDisjointAndCover) {
  std::map<std::string, int> owner;
  for (int m = 0; m < 10; ++m) {
    for (const char* task :
         {"flatten_py", "race_js", "dijkstra_ts", "review_go", "users_express"}) {
      std::string model = "model-" + std::to_string(m);
      int owners = 0;
      for (int k = 1; k <= 3; ++k) {
        bool in = in_shard(model, task, {k, 3});
        EXPECT_EQ(in, in_shard(model, task, {k, 3}));  // same answer, same slice
        owners += in;
        if (in) owner[model + task] = k;
      }
      EXPECT_EQ(owners, 1) << model << "/" << task;
    }
  }
  std::set<int> used;
  for (const auto& [key, k] : owner) used.insert(k);
  EXPECT_EQ(used.size(), 3u);  // 50 answers spread over all three shards
}

TEST(PipelineShard, ThreeMergedShardsEqualOneMachine) {
  fs::path dir = fs::path(::testing::TempDir()) / "shard_merge";
  fs::remove_all(dir);
  ::setenv("XDG_CACHE_HOME", dir.c_str(), 1);
  TaskRegistry registry = load_tasks(fs::path(TESTS_DIR) / "unit/data");
  RunInput input;
  input.path = "night.jsonl";
  for (int i = 0; i < 15; ++i) {
    std::string tag = std::to_string(i) + (i % 4 == 0 ? " BROKEN" : "");
    input.answers.push_back({"m" + std::to_string(i), "echo_task",
                             "```python\ndef echo(x):\n    return x  # " + tag + "\n```\n", 0, 0,
                             ""});
  }
  input.problems.push_back({"unknown-task", "night.jsonl:16", "m1", "fizzbuzz_rs", "unknown task"});
  auto sandbox = std::make_shared<testing::FakeSandbox>(echo_breaking_empty);
  auto factory = [&]() -> Result<std::shared_ptr<const Grader>> {
    return std::shared_ptr<const Grader>(std::make_shared<Grader>(sandbox));
  };
  auto grade_into = [&](const fs::path& db, std::optional<Shard> shard) {
    auto history = History::open(db);
    EXPECT_TRUE(history.ok());
    RunOptions options;
    options.shard = shard;
    auto outcome = grade_run(**history, input, registry, options, factory);
    EXPECT_TRUE(outcome.ok());
    return outcome->meta.id;
  };
  std::string single_id = grade_into(dir / "single.sqlite", std::nullopt);
  for (int k = 1; k <= 3; ++k)
    grade_into(dir / ("shard" + std::to_string(k) + ".sqlite"), Shard{k, 3});
  auto merged = History::open(dir / "merged.sqlite");
  ASSERT_TRUE(merged.ok());
  for (int k = 1; k <= 3; ++k)
    ASSERT_TRUE((*merged)->merge_from(dir / ("shard" + std::to_string(k) + ".sqlite")).ok());
  auto single = History::open(dir / "single.sqlite");
  auto a = (*single)->load_run(single_id), b = (*merged)->load_run(single_id);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->results.size(), 15u);
  EXPECT_EQ(testing::run_essence(*a), testing::run_essence(*b));
  EXPECT_EQ(b->meta.shard, "merged");
  EXPECT_EQ((*merged)->runs().size(), 1u);
}

TEST(PipelineShard, MergeRefusesARunWithOtherAnswersUnderTheSameId) {
  fs::path dir = fs::path(::testing::TempDir()) / "merge_clash";
  fs::remove_all(dir);
  auto a = History::open(dir / "a.sqlite");
  auto b = History::open(dir / "b.sqlite");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->begin_run({"night", "2024-01-01", "x", "fp-one", "", "0.1.0"}, {}, {}).ok());
  ASSERT_TRUE((*b)->begin_run({"night", "2024-01-01", "x", "fp-two", "", "0.1.0"}, {}, {}).ok());
  auto merged = (*a)->merge_from(dir / "b.sqlite");
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message.find("night"), std::string::npos);
}

}  // namespace
}  // namespace gradebox::pipeline
