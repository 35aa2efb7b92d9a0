// gradebox run / diff / nightly end to end, with the real sandbox, on the
// sample run's flatten_py answers (the task pack that is complete today).
// The graders come from a private copy, so a test can break a canary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/file_text.h"

namespace {

using gradebox::testing::file_text;

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kGradebox = std::string(GRADEBOX_BUILD_DIR) + "/gradebox";
using gradebox::testing::kSourceRoot;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
  double seconds = 0;
};

// The story tests how nightly reacts to its selftest canary, not the known
// answers themselves (`gradebox selftest`, run per task by ctest, grades those):
// the private pack keeps its reference alone, so each canary is one grading.
void keep_only_the_reference(const fs::path& pack) { fs::remove_all(pack / "known"); }

class PipelineCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::path(::testing::TempDir()) / ("pipeline-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "graders");
    for (const char* d : {"flatten_py", "_python"})
      fs::copy(kSourceRoot / "graders" / d, dir_ / "graders" / d, fs::copy_options::recursive);
    keep_only_the_reference(dir_ / "graders/flatten_py");
    // The night's answers: the ten flatten_py answers and one unknown task.
    std::ofstream out(dir_ / "night.jsonl");
    for (const auto& model : fs::directory_iterator(kSourceRoot / "fixtures/runs/sample")) {
      if (!model.is_directory()) continue;
      out << json{{"model", model.path().filename()},
                  {"task", "flatten_py"},
                  {"text", file_text(model.path() / "flatten_py.md")}}
                 .dump()
          << "\n";
    }
    out << R"({"model": "glm-5", "task": "fizzbuzz_rs", "text": "fn main() {}"})"
        << "\n";
  }
  CliRun gradebox(const std::string& args) {
    std::string base = (dir_ / "cmd").string();
    std::string command = "XDG_CACHE_HOME=" + (dir_ / "cache").string() + " " + kGradebox +
                          " --graders " + (dir_ / "graders").string() + " " + args + " >" + base +
                          ".out 2>" + base + ".err </dev/null";
    auto start = std::chrono::steady_clock::now();
    int status = std::system(command.c_str());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, file_text(base + ".out"),
            file_text(base + ".err"), seconds};
  }
  std::string db() const { return " --db " + (dir_ / "history.sqlite").string() + " "; }
  static fs::path dir_;
};
fs::path PipelineCli::dir_;

const json* row(const json& board, const std::string& model) {
  for (const auto& r : board["rows"])
    if (r["model"] == model) return &r;
  return nullptr;
}

// The tests run in order, in one process (the file is a *_story_test): each
// builds on the history the one before left.
TEST_F(PipelineCli, RunGradesTheAnswersAndPrintsTheLeaderboard) {
  CliRun r =
      gradebox("run " + (dir_ / "night.jsonl").string() + db() + "--run-id first -j2 -f json " +
               "--prices " + (kSourceRoot / "fixtures/prices.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("night.jsonl:11: unknown-task"), std::string::npos) << r.err;
  json board = json::parse(r.out);
  ASSERT_EQ(board["rows"].size(), 10u);
  EXPECT_EQ(board["hand_scored"], false);
  const json* flash = row(board, "deepseek-v4-flash");
  ASSERT_NE(flash, nullptr);
  EXPECT_EQ((*flash)["tasks"]["flatten_py"]["correctness"], 10.0);
  EXPECT_EQ((*flash)["tasks"]["flatten_py"]["edge_cases"], 10.0);
  EXPECT_DOUBLE_EQ((*flash)["value"].get<double>(), 24.0);  // 6.0 / 0.25
  // The intended bugs of the sample (fixtures/runs/sample/README.md) cost edge points.
  for (const char* buggy : {"glm-5", "hunyuan-turbo", "qwen3-32b"})
    EXPECT_LT((*row(board, buggy))["tasks"]["flatten_py"]["edge_cases"].get<double>(), 10.0)
        << buggy;
  EXPECT_TRUE(fs::exists(dir_ / "reports/first/glm-5/flatten_py.json"));
}

TEST_F(PipelineCli, ASecondStartRegradesNothing) {
  CliRun r = gradebox("run " + (dir_ / "night.jsonl").string() + db() + "--run-id first");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("10 done before, 0 graded, 0 from cache"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("40% of the rubric is missing"), std::string::npos);
}

TEST_F(PipelineCli, ANewRunOfTheSameAnswersComesFromTheCache) {
  CliRun r = gradebox("run " + (dir_ / "night.jsonl").string() + db() +
                      "--run-id second -f csv --sort model --asc --hand-scores " +
                      (kSourceRoot / "fixtures/hand_scores.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("0 graded, 10 from cache"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("model,price"), 0u);
  EXPECT_NE(r.out.find("\ndeepseek-coder,"), std::string::npos);
  EXPECT_LT(r.out.find("deepseek-coder"), r.out.find("kimi-k2.5"));
}

TEST_F(PipelineCli, DiffOfIdenticalRunsFindsNothing) {
  CliRun r = gradebox("diff first second" + db() + "-f json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json diff = json::parse(r.out);
  EXPECT_EQ(diff["compared"], 10);
  EXPECT_EQ(diff["changed"].size(), 0u);
  CliRun junit = gradebox("diff previous latest" + db() + "-f junit");
  EXPECT_EQ(junit.exit_code, 0);
  EXPECT_NE(junit.out.find("<testsuite"), std::string::npos);
}

TEST_F(PipelineCli, NightlyFailsWhenAModelsAnswerGotWorse) {
  // Tonight deepseek-v4-flash answers with glm-5's buggy flatten.
  std::ifstream in(dir_ / "night.jsonl");
  std::ofstream out(dir_ / "worse.jsonl");
  std::string glm;
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j["model"] == "glm-5" && j["task"] == "flatten_py") glm = j["text"];
  }
  in.clear(), in.seekg(0);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j["model"] == "deepseek-v4-flash") j["text"] = glm;
    out << j.dump() << "\n";
  }
  out.close();
  CliRun r = gradebox("nightly " + (dir_ / "worse.jsonl").string() + db() +
                      "--run-id night2 -q --junit " + (dir_ / "night.xml").string());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("REGRESSION deepseek-v4-flash/flatten_py"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cause: answer"), std::string::npos) << r.out;
  EXPECT_NE(file_text(dir_ / "night.xml").find("<failure"), std::string::npos);
}

TEST_F(PipelineCli, NightlyRegradeOfStoredAnswersFindsNoGraderChange) {
  CliRun r = gradebox("nightly --regrade --skip-selftest" + db() + "-q");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 changed"), std::string::npos) << r.out;
}

TEST_F(PipelineCli, AFailingCanaryStopsTheNightWithItsOwnExitCode) {
  // A reference that is wrong makes selftest fail: the graders cannot be trusted.
  fs::path reference = dir_ / "graders/flatten_py/reference.md";
  std::string good = file_text(reference);
  std::ofstream(reference) << "```python\ndef flatten(x):\n    return []\n```\n";
  CliRun r = gradebox("nightly " + (dir_ / "night.jsonl").string() + db() + "--run-id canary -q");
  std::ofstream(reference) << good;
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.err.find("selftest failed"), std::string::npos);
  CliRun diff = gradebox("diff first canary" + db());
  EXPECT_EQ(diff.exit_code, 2);  // nothing was graded under a failed canary
}

TEST_F(PipelineCli, UsageErrorsAreOneLine) {
  CliRun r = gradebox("run /nonexistent/run" + db());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/run"), std::string::npos);
  CliRun shard = gradebox("run " + (dir_ / "night.jsonl").string() + db() + "--shard 4/3");
  EXPECT_EQ(shard.exit_code, 2);
  EXPECT_NE(shard.err.find("--shard"), std::string::npos);
}

// A grader-error left in the night (a task pack whose runtime is missing:
// gradebox's fault, retried once, still failing) outranks a regression in
// nightly's exit code; both are reported.
TEST_F(PipelineCli, NightlyExitsThreeWhileGraderErrorsRemainEvenWithARegression) {
  fs::path broken = dir_ / "graders/broken_py";
  fs::copy(dir_ / "graders/flatten_py", broken, fs::copy_options::recursive);
  json task = json::parse(file_text(broken / "task.json"));
  task["id"] = "broken_py";
  task["runtime"] = "no_such_runtime";
  std::ofstream(broken / "task.json") << task.dump(2);
  auto night = [&](const std::string& name, const std::string& flash_text) {
    std::ifstream in(dir_ / "night.jsonl");
    std::ofstream out(dir_ / name);
    for (std::string line; std::getline(in, line);) {
      json j = json::parse(line);
      if (j["model"] == "deepseek-v4-flash" && !flash_text.empty()) j["text"] = flash_text;
      out << j.dump() << "\n";
    }
    out << json{{"model", "glm-5"},
                {"task", "broken_py"},
                {"text", "```python\ndef flatten(x):\n    return x\n```\n"}}
               .dump()
        << "\n";
    return (dir_ / name).string();
  };
  // The night before: the usual answers (from the cache).
  CliRun base = gradebox("nightly --skip-selftest " + night("base.jsonl", "") + db() +
                         "--run-id night-base -q");
  EXPECT_EQ(base.exit_code, 3) << base.out << base.err;
  // Tonight deepseek-v4-flash returns [] for everything: a regression.
  CliRun worse = gradebox("nightly --skip-selftest " +
                          night("empty.jsonl", "```python\ndef flatten(x):\n    return []\n```\n") +
                          db() + "--run-id night3 -q");
  EXPECT_EQ(worse.exit_code, 3) << worse.out << worse.err;
  EXPECT_NE(worse.out.find("REGRESSION deepseek-v4-flash/flatten_py"), std::string::npos)
      << worse.out;
  EXPECT_NE(worse.err.find("1 grader errors"), std::string::npos) << worse.err;
  EXPECT_NE(worse.err.find("regression"), std::string::npos) << worse.err;
  // The next night is better again: no regression, but the grader-error stays.
  CliRun better = gradebox("nightly --skip-selftest " + night("better.jsonl", "") + db() +
                           "--run-id night4 -q");
  EXPECT_EQ(better.exit_code, 3) << better.out << better.err;
  EXPECT_EQ(better.out.find("REGRESSION"), std::string::npos) << better.out;
  fs::remove_all(broken);
}

}  // namespace
