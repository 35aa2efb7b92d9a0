// The grading flow with a scripted sandbox: verdicts, scores, retries,
// candidate choice, and that expectations never reach the sandbox.
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

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
        {{{"event", "start"}},
         {{"event", "load"}, {"ok", false}, {"compile_error", "line 2: invalid syntax"}}}));
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
  auto script = [](const FakeRun&) {
    return testing::exited(testing::channel({{{"event", "start"}}}));
  };
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
        events.push_back(
            {{"event", "test"}, {"id", "basic-2"}, {"status", "timeout"}, {"reason", "cpu"}});
      else
        events.push_back(
            {{"event", "test"}, {"id", t["id"]}, {"status", "ok"}, {"value", t["input"]}});
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
    for (const auto& t : run.inputs["tests"])
      events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "timeout"}});
    return testing::exited(testing::channel(events));
  };
  Report r = grade(script, kCorrect, {"m", false, false});
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kTimeout);
}

// Near-limit verdicts. The candidate differs from the reference by a comment,
// so the script tells the reference's calibration run from the answer's.
const std::string kTimedAnswer = "```python\ndef echo(x):\n    return x  # timed\n```\n";

// What one run of one test reports: a status and the observer's CPU time as
// a share of the limit the test was given (none: no time reported).
struct Step {
  std::string status;
  std::optional<double> share;
};
using Plan = std::function<Step(const std::string& id, int nth_run)>;

// A harness scripted per test and per run; `runs_of` counts each test's runs.
FakeSandbox::Script timed_harness(std::map<std::string, int>& runs_of, Plan plan) {
  return [&runs_of, plan](const FakeRun& run) {
    if (run.answer_code.find("# timed") == std::string::npos) return echo_all(run);
    std::vector<json> events{{{"event", "start"}}};
    for (const auto& t : run.inputs["tests"]) {
      const std::string id = t["id"];
      Step step = plan(id, runs_of[id]++);
      json event = {{"event", "test"}, {"id", id}, {"status", step.status}};
      if (step.status == "ok") event["value"] = t["input"];
      if (step.status == "timeout") event["reason"] = "cpu";
      if (step.share) event["time_ms"] = *step.share * t["time_limit_ms"].get<double>();
      events.push_back(event);
    }
    return testing::exited(testing::channel(events));
  };
}

// basic-2 follows `steps`, one per run; the other tests pass at half their limit.
Plan basic_2_runs(std::vector<Step> steps) {
  return [steps](const std::string& id, int n) {
    if (id != "basic-2") return Step{"ok", 0.5};
    return steps.at(std::min<std::size_t>(n, steps.size() - 1));
  };
}

const TestResult& test_named(const Report& r, const std::string& id) {
  for (const auto& t : r.tests) {
    if (t.id == id) return t;
  }
  throw std::runtime_error("no test " + id);
}

std::vector<std::string> run_statuses(const TestResult& t) {
  std::vector<std::string> names;
  for (const auto& run : t.runs) names.push_back(to_string(run.status));
  return names;
}

TEST_F(GraderTest, NearLimitPassThatTimesOutInTwoOfThreeRunsIsATimeout) {
  std::map<std::string, int> runs_of;
  Report r = grade(
      timed_harness(runs_of, basic_2_runs({{"ok", 0.95}, {"timeout", 1.02}, {"timeout", 1.01}})),
      kTimedAnswer);
  const TestResult& t = test_named(r, "basic-2");
  EXPECT_EQ(t.status, TestStatus::kTimeout);
  EXPECT_EQ(runs_of["basic-2"], 3);
  EXPECT_EQ(run_statuses(t), (std::vector<std::string>{"pass", "timeout", "timeout"}));
  ASSERT_EQ(t.runs.size(), 3u);
  ASSERT_GT(t.limit_ms, 0);
  EXPECT_DOUBLE_EQ(*t.runs[0].cpu_ms, 0.95 * t.limit_ms);
  EXPECT_DOUBLE_EQ(*t.runs[1].cpu_ms, 1.02 * t.limit_ms);
  EXPECT_DOUBLE_EQ(*t.runs[2].cpu_ms, 1.01 * t.limit_ms);
  EXPECT_EQ(r.correctness.passed, 1);
}

TEST_F(GraderTest, NearLimitTimeoutThatPassesInTwoOfThreeRunsPasses) {
  std::map<std::string, int> runs_of;
  Report r =
      grade(timed_harness(runs_of, basic_2_runs({{"timeout", 1.03}, {"ok", 0.96}, {"ok", 0.97}})),
            kTimedAnswer);
  const TestResult& t = test_named(r, "basic-2");
  EXPECT_EQ(t.status, TestStatus::kPass);
  EXPECT_EQ(run_statuses(t), (std::vector<std::string>{"timeout", "pass", "pass"}));
  EXPECT_EQ(r.correctness.score, 10.0);
}

TEST_F(GraderTest, TwoAgreeingRunsNearTheLimitNeedNoThird) {
  std::map<std::string, int> runs_of;
  Report r =
      grade(timed_harness(runs_of, basic_2_runs({{"ok", 0.95}, {"ok", 0.93}, {"timeout", 1.0}})),
            kTimedAnswer);
  EXPECT_EQ(test_named(r, "basic-2").status, TestStatus::kPass);
  EXPECT_EQ(runs_of["basic-2"], 2);
}

TEST_F(GraderTest, OnlyTestsNearTheirLimitAreRerun) {
  std::map<std::string, int> runs_of;
  // basic-1 at half its limit; empty-1 stopped at its limit without a time
  // reported; basic-2 at 95 %, passing once in three.
  Plan plan = [](const std::string& id, int n) {
    if (id == "basic-1") return Step{"ok", 0.5};
    if (id == "empty-1") return Step{"timeout", std::nullopt};
    return n == 0 ? Step{"ok", 0.95} : Step{"timeout", 1.05};
  };
  Report r = grade(timed_harness(runs_of, plan), kTimedAnswer);
  EXPECT_EQ(runs_of["basic-1"], 1);
  EXPECT_EQ(runs_of["empty-1"], 1);
  EXPECT_EQ(runs_of["basic-2"], 3);
  EXPECT_TRUE(test_named(r, "basic-1").runs.empty());
  EXPECT_FALSE(test_named(r, "basic-1").retried);
  EXPECT_EQ(test_named(r, "basic-2").status, TestStatus::kTimeout);
  // The report shows the runs: in JSON and in the text.
  json reported = to_json(r);
  for (const auto& t : reported["tests"]) {
    if (t["id"] != "basic-2") {
      EXPECT_FALSE(t.contains("times_ms")) << t.dump();
      continue;
    }
    EXPECT_EQ(t["reruns"], 2);
    ASSERT_EQ(t["times_ms"].size(), 3u);
    EXPECT_DOUBLE_EQ(t["times_ms"][0].get<double>(), 0.95 * t["limit_ms"].get<double>());
    EXPECT_EQ(t["run_statuses"], json({"pass", "timeout", "timeout"}));
  }
  const std::string text = to_text(r);
  EXPECT_NE(text.find("basic-2 ran 3 times (CPU limit "), std::string::npos) << text;
  EXPECT_NE(text.find(" ms): pass "), std::string::npos) << text;
  EXPECT_NE(text.find(" -> timeout\n"), std::string::npos) << text;
  auto back = report_from_json(reported);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(run_statuses(test_named(*back, "basic-2")), run_statuses(test_named(r, "basic-2")));
}

TEST_F(GraderTest, AnAnswerThatTimesOutEverywhereIsNotRerun) {
  // Every test stopped at its limit: the answer hangs, no noise does that,
  // and rerunning it all would double the cost of the slowest answers.
  std::map<std::string, int> runs_of;
  Report r = grade(timed_harness(runs_of,
                                 [](const std::string&, int) {
                                   return Step{"timeout", 1.01};
                                 }),
                   kTimedAnswer);
  for (const auto& [id, n] : runs_of) EXPECT_EQ(n, 1) << id;
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kTimeout) << t.id;
}

TEST_F(GraderTest, NoRetryMeansNoRerunNearTheLimit) {
  std::map<std::string, int> runs_of;
  Report r = grade(timed_harness(runs_of, basic_2_runs({{"ok", 0.95}, {"timeout", 1.02}})),
                   kTimedAnswer, {"m", false, false});
  EXPECT_EQ(runs_of["basic-2"], 1);
  EXPECT_EQ(test_named(r, "basic-2").status, TestStatus::kPass);
  EXPECT_TRUE(test_named(r, "basic-2").runs.empty());
}

// Two alternatives: the first returns a wrong value, the second is right.
const std::string kTwoOptions =
    "Option 1:\n\n```python\ndef echo(x):\n    return None\n```\n\nOption 2:\n\n"
    "```python\ndef echo(x):\n    return list(x)\n```\n";

SandboxOutcome none_for_first_option(const FakeRun& run) {
  if (run.answer_code.find("return None") == std::string::npos) return echo_all(run);
  std::vector<json> events{{{"event", "start"}}};
  for (const auto& t : run.inputs["tests"])
    events.push_back({{"event", "test"}, {"id", t["id"]}, {"status", "ok"}, {"value", nullptr}});
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
      events.push_back({{"event", "test"},
                        {"id", t["id"]},
                        {"status", "error"},
                        {"error_type", "NameError"},
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
                             {{"event", "load"},
                              {"ok", "yes"},
                              {"compile_error", nullptr},
                              {"unsupported", 7},
                              {"no_entry", "true"},
                              {"errors", "many"}}};
    for (const auto& t : run.inputs["tests"])
      events.push_back({{"event", "test"},
                        {"id", t["id"]},
                        {"status", "crash"},
                        {"signal", "nine"},
                        {"time_ms", "fast"},
                        {"missing_name", 12}});
    return testing::exited(testing::channel(events));
  };
  Report r = grade(script, kCorrect);
  EXPECT_EQ(r.verdict, Verdict::kGraded) << r.verdict_detail;
  for (const auto& t : r.tests) EXPECT_EQ(t.status, TestStatus::kCrash);
}

}  // namespace
}  // namespace gradebox
