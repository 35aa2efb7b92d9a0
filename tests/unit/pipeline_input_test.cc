// The run loader: every answer that cannot be graded is reported by file or
// line, never silently dropped.
#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/run_input.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kTasks{"flatten_py", "race_js", "dijkstra_ts", "review_go",
                                   "users_express"};
const fs::path kRuns = fs::path(TESTS_DIR).parent_path() / "fixtures/runs";

const InputProblem* find(const RunInput& input, const std::string& location) {
  for (const auto& p : input.problems)
    if (p.location == location) return &p;
  return nullptr;
}

fs::path write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

TEST(PipelineInput, BrokenJsonlReportsEachBadLine) {
  auto input = load_run_input(kRuns / "broken.jsonl", kTasks);
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->answers.size(), 2u);
  EXPECT_EQ(input->answers[0].model, "deepseek-v4-flash");
  EXPECT_EQ(input->answers[0].source, "broken.jsonl:1");
  EXPECT_EQ(input->answers[1].model, "hunyuan-turbo");
  EXPECT_EQ(input->answers[1].source, "broken.jsonl:6");
  ASSERT_NE(find(*input, "broken.jsonl:2"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:2")->kind, "unknown-task");
  ASSERT_NE(find(*input, "broken.jsonl:3"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:3")->kind, "duplicate");
  EXPECT_NE(find(*input, "broken.jsonl:3")->message.find("broken.jsonl:1"), std::string::npos);
  ASSERT_NE(find(*input, "broken.jsonl:4"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:4")->kind, "malformed");
  ASSERT_NE(find(*input, "broken.jsonl:5"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:5")->kind, "missing-field");
  EXPECT_NE(find(*input, "broken.jsonl:5")->message.find("text"), std::string::npos);
  EXPECT_EQ(find(*input, "broken.jsonl:1"), nullptr);
  EXPECT_EQ(find(*input, "broken.jsonl:6"), nullptr);
}

TEST(PipelineInput, BrokenJsonlMarksModelsWithMissingAnswers) {
  auto input = load_run_input(kRuns / "broken.jsonl", kTasks);
  ASSERT_TRUE(input.ok());
  std::set<std::pair<std::string, std::string>> missing;
  for (const auto& p : input->problems)
    if (p.kind == "missing-answer") missing.insert({p.model, p.task});
  EXPECT_TRUE(missing.count({"deepseek-v4-flash", "race_js"}));
  EXPECT_TRUE(missing.count({"hunyuan-turbo", "flatten_py"}));
  EXPECT_TRUE(missing.count({"kimi-k2.5", "flatten_py"}));  // its one record had no text
}

TEST(PipelineInput, SampleDirectoryAndJsonlHoldTheSameFiftyAnswers) {
  auto dir = load_run_input(kRuns / "sample", kTasks);
  auto jsonl = load_run_input(kRuns / "sample.jsonl", kTasks);
  ASSERT_TRUE(dir.ok() && jsonl.ok());
  ASSERT_EQ(dir->answers.size(), 50u);
  ASSERT_EQ(jsonl->answers.size(), 50u);
  EXPECT_TRUE(dir->problems.empty()) << dir->problems[0].message;
  EXPECT_TRUE(jsonl->problems.empty());
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(dir->answers[i].model, jsonl->answers[i].model);
    EXPECT_EQ(dir->answers[i].task, jsonl->answers[i].task);
    EXPECT_EQ(dir->answers[i].text, jsonl->answers[i].text) << dir->answers[i].source;
  }
  EXPECT_GT(jsonl->answers[0].tokens, 0);
}

TEST(PipelineInput, UnloadableTaskInDirectoryIsReportedNotGraded) {
  fs::path root = fs::path(::testing::TempDir()) / "run_unknown";
  fs::remove_all(root);
  write(root / "m1/flatten_py.md", "```python\ndef flatten(x): return x\n```\n");
  write(root / "m1/race_js.md", "answer");
  write(root / "m2/flatten_py.md", "answer");
  write(root / "m2/notes.txt", "not an answer");
  auto input = load_run_input(root, {"flatten_py"});
  ASSERT_TRUE(input.ok());
  ASSERT_EQ(input->answers.size(), 2u);
  std::map<std::string, std::string> kinds;
  for (const auto& p : input->problems) kinds[p.location] = p.kind;
  EXPECT_EQ(kinds["run_unknown/m1/race_js.md"], "unknown-task");
  EXPECT_EQ(kinds["run_unknown/m2/notes.txt"], "not-an-answer");
}

TEST(PipelineInput, HostileIdsNeverBecomePaths) {
  fs::path file = write(fs::path(::testing::TempDir()) / "hostile.jsonl",
                        R"({"model": "../../etc", "task": "flatten_py", "text": "x"})"
                        "\n"
                        R"({"model": "ok", "task": "flatten_py", "text": 5})"
                        "\n");
  auto input = load_run_input(file, kTasks);
  ASSERT_TRUE(input.ok());
  EXPECT_TRUE(input->answers.empty());
  ASSERT_EQ(input->problems.size(), 2u);
  EXPECT_EQ(input->problems[0].kind, "bad-id");
  EXPECT_EQ(input->problems[1].kind, "missing-field");
  EXPECT_FALSE(is_safe_id(".."));
  EXPECT_TRUE(is_safe_id("kimi-k2.5"));
}

TEST(PipelineInput, MissingPathIsAnError) {
  auto input = load_run_input("/nonexistent/run", kTasks);
  ASSERT_FALSE(input.ok());
  EXPECT_NE(input.error().message.find("/nonexistent/run"), std::string::npos);
}

}  // namespace
}  // namespace gradebox::pipeline
