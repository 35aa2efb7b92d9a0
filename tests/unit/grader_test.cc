// The grading flow with a scripted sandbox: verdicts, scores, retries,
// candidate choice, and that expectations never reach the sandbox.
#include <cstdlib>

#include <gtest/gtest.h>

#include "fake_sandbox.h"
#include "gradebox/grade.h"

namespace gradebox {
namespace {

using nlohmann::json;
using testing::FakeRun;
using testing::FakeSandbox;

const std::string kCorrect = "Here:\n\n```python\ndef echo(x):\n    return x\n```\n";

class GraderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("XDG_CACHE_HOME", ::testing::TempDir().c_str(), 1);
    auto loaded = load_task(std::filesystem::path(TESTS_DIR) / "unit/data/echo_task");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    task_ = std::make_unique<Task>(std::move(*loaded));
  }
  Report grade(FakeSandbox::Script script, const std::string& answer, GradeOptions options = {}) {
    sandbox_ = std::make_shared<FakeSandbox>(std::move(script));
    return Grader(sandbox_).grade(*task_, answer, options);
  }
  std::unique_ptr<Task> task_;
  std::shared_ptr<FakeSandbox> sandbox_;
};

// What a correct answer produces.
SandboxOutcome echo_all(const FakeRun& run) { return testing::echo_inputs(run); }

TEST_F(GraderTest, CorrectAnswerScoresTen) {
  Report r = grade(echo_all, kCorrect);
  EXPECT_EQ(r.verdict, Verdict::kGraded);
  EXPECT_EQ(r.correctness.score, 10.0);
  EXPECT_EQ(r.edge_cases.score, 10.0);
  EXPECT_EQ(r.correctness.total, 2);
  ASSERT_TRUE(r.kept.has_value());
  EXPECT_EQ(*r.kept, 0);
}

TEST_F(GraderTest, ExpectationsNeverEnterTheSandbox) {
  grade(echo_all, kCorrect);
  ASSERT_FALSE(sandbox_->runs().empty());
  for (const auto& run : sandbox_->runs()) {
    EXPECT_EQ(run.inputs.dump().find("expect"), std::string::npos) << run.inputs.dump();
    EXPECT_EQ(run.spec.env.size() > 0, true);
    EXPECT_EQ(run.spec.argv[0], "/usr/bin/python3");
  }
}

TEST_F(GraderTest, ProseWithoutCodeIsNoCode) {
  Report r = grade(echo_all, "I would write a function that returns its argument.");
  EXPECT_EQ(r.verdict, Verdict::kNoCode);
  EXPECT_EQ(r.correctness.score, 0.0);
}

TEST_F(GraderTest, WrongLanguageIsNoCode) {
  Report r = grade(echo_all, "```javascript\nfunction echo(x) { return x; }\n```\n");
  EXPECT_EQ(r.verdict, Verdict::kNoCode);
}

TEST_F(GraderTest, CompileErrorFromTheLoadEvent) {
  auto script = [](const FakeRun&) {
    return testing::exited(testing::channel(
        {{{"event", "start"}}, {{"event", "load"}, {"ok", false}, {"compile_error", "line 2: invalid syntax"}}}));
  };
  Report r = grade(script, "```python\ndef echo(x):\n  return (\n```\n");
  EXPECT_EQ(r.verdict, Verdict::kCompileError);
  EXPECT_NE(r.verdict_detail.find("invalid syntax"), std::string::npos);
  EXPECT_EQ(r.correctness.score, 0.0);
}

TEST_F(GraderTest, NoStartEventIsGraderErrorNotTheAnswersFault) {
  auto script = [](const FakeRun&) {
    SandboxOutcome o = testing::exited("");
    o.exit_code = 127;
    o.stderr_data = "python3: not found";
    return o;
  };
  Report r = grade(script, kCorrect);
  EXPECT_EQ(r.verdict, Verdict::kGraderError);
  EXPECT_NE(r.verdict_detail.find("not found"), std::string::npos);
}

TEST_F(GraderTest, AnswerThatExitsAtImportFailsEveryTest) {
  auto script = [](const FakeRun&) { return testing::exited(testing::channel({{{"event", "start"}}})); };
  Report r = grade(script, kCorrect);
  EXPECT_EQ(r.verdict, Verdict::kGraded);
  EXPECT_EQ(r.correctness.passed, 0);
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kFail);
}

TEST_F(GraderTest, MemoryLimitWithoutObservationsIsMemoryStatus) {
  auto script = [](const FakeRun&) {
    SandboxOutcome o = testing::exited(testing::channel({{{"event", "start"}}}));
    o.exited = false;
    o.term_signal = 9;
    o.limit = LimitHit::kMemory;
    return o;
  };
  Report r = grade(script, kCorrect);
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kMemory);
}

TEST_F(GraderTest, TimedOutTestIsRetriedOnceAndTheRetryCounts) {
  int runs = 0;
  auto script = [&runs](const FakeRun& run) {
    ++runs;
    if (run.inputs["tests"].size() == 3) {  // the first run: basic-2 is starved
      return testing::exited(testing::channel(
          {{{"event", "start"}},
           {{"event", "test"}, {"id", "basic-1"}, {"status", "ok"}, {"value", {1, 2}}},
           {{"event", "test"}, {"id", "basic-2"}, {"status", "timeout"}},
           {{"event", "test"}, {"id", "empty-1"}, {"status", "ok"}, {"value", json::array()}}}));
    }
    return echo_all(run);
  };
  Report r = grade(script, kCorrect);
  EXPECT_EQ(r.correctness.score, 10.0);
  bool retried = false;
  for (const auto& t : r.tests) retried |= t.retried;
  EXPECT_TRUE(retried);
}

TEST_F(GraderTest, ATestThatUsedItsWholeCpuBudgetIsNotRetried) {
  auto script = [](const FakeRun& run) {
    std::vector<json> events{{{"event", "start"}}};
    for (const auto& t : run.inputs["tests"]) {
      if (t["id"] == "basic-2")
        events.push_back({{"event", "test"}, {"id", "basic-2"}, {"status", "timeout"}, {"reason", "cpu"}});
      else
        events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "ok"}, {"value", t["input"]}});
    }
    return testing::exited(testing::channel(events));
  };
  Report r = grade(script, kCorrect);
  for (const auto& t : r.tests) EXPECT_FALSE(t.retried) << t.id;
  EXPECT_EQ(r.correctness.passed, 1);
  for (const auto& run : sandbox_->runs()) EXPECT_EQ(run.inputs["tests"].size(), 3u);
}

TEST_F(GraderTest, NoRetryCountsTheTimeout) {
  auto script = [](const FakeRun& run) {
    std::vector<json> events{{{"event", "start"}}};
    for (const auto& t : run.inputs["tests"]) events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "timeout"}});
    return testing::exited(testing::channel(events));
  };
  Report r = grade(script, kCorrect, {"m", false, false});
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kTimeout);
}

// Two alternatives: the first returns a wrong value, the second is right.
const std::string kTwoOptions =
    "Option 1:\n\n```python\ndef echo(x):\n    return None\n```\n\nOption 2:\n\n"
    "```python\ndef echo(x):\n    return list(x)\n```\n";

SandboxOutcome none_for_first_option(const FakeRun& run) {
  if (run.answer_code.find("return None") == std::string::npos) return echo_all(run);
  std::vector<json> events{{{"event", "start"}}};
  for (const auto& t : run.inputs["tests"]) events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "ok"}, {"value", nullptr}});
  return testing::exited(testing::channel(events));
}

TEST_F(GraderTest, PickFirstGradesThePrimaryAndFlagsSensitivity) {
  Report r = grade(none_for_first_option, kTwoOptions);
  EXPECT_EQ(r.correctness.score, 0.0);
  EXPECT_TRUE(r.extraction_sensitive);
  EXPECT_EQ(r.graded.size(), 2u);
}

TEST_F(GraderTest, PickBestKeepsTheBetterCandidate) {
  Report r = grade(none_for_first_option, kTwoOptions, {"m", true, true});
  EXPECT_EQ(r.correctness.score, 10.0);
  ASSERT_TRUE(r.kept.has_value());
  EXPECT_EQ(*r.kept, 1);
}

TEST_F(GraderTest, JoinRetryUsesTheBlockThatDefinesTheMissingName) {
  const std::string split =
      "```python\ndef echo(x):\n    return helper(x)\n```\n\nThe helper:\n\n"
      "```python\ndef helper(x):\n    return x\n```\n";
  auto script = [](const FakeRun& run) {
    if (run.answer_code.find("def helper") != std::string::npos) return echo_all(run);
    std::vector<json> events{{{"event", "start"}}};
    for (const auto& t : run.inputs["tests"])
      events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "error"}, {"error_type", "NameError"},
                        {"missing_name", "helper"}});
    return testing::exited(testing::channel(events));
  };
  Report r = grade(script, split);
  EXPECT_EQ(r.correctness.score, 10.0);
  EXPECT_EQ(r.joined, (std::vector<int>{0, 1}));
}

TEST_F(GraderTest, IllTypedEventsFromTheAnswerNeverBreakTheGrader) {
  auto script = [](const FakeRun& run) {
    std::vector<json> events{{{"event", "start"}},
                             {{"event", "load"}, {"ok", "yes"}, {"compile_error", nullptr}, {"unsupported", 7},
                              {"no_entry", "true"}, {"errors", "many"}}};
    for (const auto& t : run.inputs["tests"])
      events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "crash"}, {"signal", "nine"},
                        {"time_ms", "fast"}, {"missing_name", 12}});
    return testing::exited(testing::channel(events));
  };
  Report r = grade(script, kCorrect);
  EXPECT_EQ(r.verdict, Verdict::kGraded) << r.verdict_detail;
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kCrash);
}

}  // namespace
}  // namespace gradebox
