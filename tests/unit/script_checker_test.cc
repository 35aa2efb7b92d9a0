// The generic verdict rules of a script-checked task (check/script_checker.cc):
// with a harness, C++ judges every test that did not return normally (error,
// timeout, crash, a limit, reported twice, not reported) and the task's
// check.py sees only the tests that returned and their events; a prober's
// check.py sees everything, as before.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "../support/script_folder.h"
#include "check/checker.h"

namespace gradebox {
namespace {

using nlohmann::json;

// Passes every test it is given and says in `extra` what it was shown.
constexpr const char* kEchoChecker = R"(import json, sys
data = json.load(sys.stdin)
tests = [t["id"] for t in data["tests"]]
events = [e.get("id", e.get("event")) for e in data["observations"]]
json.dump({"results": [{"id": i, "status": "pass", "detail": "judged by check.py"} for i in tests],
           "extra": {"tests": tests, "events": events, "untrusted": data["untrusted"],
                     "unreported": data["unreported"]}}, sys.stdout)
)";

class ScriptCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_.write("task/check.py", kEchoChecker);
    task_.id = "echo";
    task_.dir = folder_.path("task");
    task_.checker = "check.py";
    outcome_.exited = true;
    outcome_.exit_code = 0;
  }

  // One test per id, with an optional expectation.
  static json tests(const std::set<std::string>& ids, const json& expect = json()) {
    json list = json::array();
    for (const auto& id : ids) {
      json test = {{"id", id}, {"category", "c"}};
      if (!expect.is_null()) test["expect"] = expect;
      list.push_back(test);
    }
    return list;
  }

  CheckResult check(const std::string& channel, const json& test_list, bool harness = true) {
    std::set<std::string> ids;
    for (const auto& t : test_list) ids.insert(t.at("id").get<std::string>());
    obs_ = parse_observations(channel, ids);
    CheckInput input{task_, test_list, obs_, outcome_, answer_, probe_};
    input.harness_reported = harness;
    auto result = check_with_script(input);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : CheckResult{};
  }

  testing::ScriptFolder folder_{"script_checker_test"};
  Task task_;
  SandboxOutcome outcome_;
  Observations obs_;
  std::string answer_;
  json probe_;
};

constexpr const char* kMixedChannel =
    "{\"event\": \"start\"}\n"
    "{\"event\": \"test\", \"id\": \"ok\", \"status\": \"ok\", \"value\": 1}\n"
    "{\"event\": \"test\", \"id\": \"raised\", \"status\": \"error\", \"error_type\": \"E\"}\n"
    "{\"event\": \"test\", \"id\": \"hung\", \"status\": \"timeout\"}\n"
    "{\"event\": \"test\", \"id\": \"twice\", \"status\": \"ok\", \"value\": 1}\n"
    "{\"event\": \"test\", \"id\": \"twice\", \"status\": \"ok\", \"value\": 2}\n"
    "{\"event\": \"done\"}\n";

TEST_F(ScriptCheckerTest, AHarnessTasksScriptSeesOnlyTheTestsThatReturned) {
  auto result = check(kMixedChannel, tests({"ok", "raised", "hung", "twice", "silent"}));
  EXPECT_EQ(result.extra["tests"], json({"ok"}));
  EXPECT_EQ(result.extra["events"], json({"start", "ok", "done"}));
  EXPECT_EQ(result.extra["untrusted"], json::array());
  EXPECT_EQ(result.results.at("ok").status, TestStatus::kPass);
  EXPECT_EQ(result.results.at("raised").status, TestStatus::kError);
  EXPECT_EQ(result.results.at("hung").status, TestStatus::kTimeout);
  EXPECT_EQ(result.results.size(), 5u);
}

// Was graders/race_js/tests/test_check.py's test_duplicate_observation_fails.
TEST_F(ScriptCheckerTest, ATestReportedTwiceFailsWhateverTheScriptSays) {
  auto result = check(kMixedChannel, tests({"twice"}));
  EXPECT_EQ(result.extra["tests"], json::array());
  EXPECT_EQ(result.results.at("twice").status, TestStatus::kFail);
  EXPECT_EQ(result.results.at("twice").detail, "result reported more than once");
}

// Was graders/race_js/tests/test_check.py's test_missing_observation_takes_the_limit.
TEST_F(ScriptCheckerTest, ATestNeverReportedTakesTheRunsLimit) {
  outcome_.limit = LimitHit::kMemory;
  EXPECT_EQ(check("", tests({"silent"})).results.at("silent").status, TestStatus::kMemory);
  outcome_.limit = LimitHit::kWall;
  EXPECT_EQ(check("", tests({"silent"})).results.at("silent").status, TestStatus::kTimeout);
  outcome_.limit = LimitHit::kNone;
  auto result = check("", tests({"silent"}));
  EXPECT_EQ(result.results.at("silent").status, TestStatus::kFail);
  EXPECT_NE(result.results.at("silent").detail.find("no result reported"), std::string::npos);
}

// Was graders/dijkstra_ts/tests/test_check_limits.py's status="weird" case.
TEST_F(ScriptCheckerTest, AnUnknownStatusFailsBeforeTheScript) {
  const std::string weird = "{\"event\": \"test\", \"id\": \"w\", \"status\": \"weird\"}\n";
  auto result = check(weird, tests({"w"}));
  EXPECT_EQ(result.extra["tests"], json::array());
  EXPECT_EQ(result.results.at("w").status, TestStatus::kFail);
  EXPECT_EQ(result.results.at("w").detail, "unknown observation status 'weird'");
}

// A script that voids an unclean run's reports gives them this status.
TEST_F(ScriptCheckerTest, TheScriptIsToldTheStatusOfAnUnreportedTest) {
  outcome_.limit = LimitHit::kWall;
  EXPECT_EQ(check(kMixedChannel, tests({"ok"})).extra["unreported"]["status"], "timeout");
  outcome_.limit = LimitHit::kNone;
  outcome_.exited = false;
  outcome_.term_signal = 9;
  EXPECT_EQ(check(kMixedChannel, tests({"ok"})).extra["unreported"]["status"], "crash");
}

TEST_F(ScriptCheckerTest, RaisingPassesOnlyWhereTheExpectationAllowsIt) {
  const std::string raised =
      "{\"event\": \"test\", \"id\": \"raised\", \"status\": \"error\", \"error_type\": \"E\"}\n";
  EXPECT_EQ(check(raised, tests({"raised"})).results.at("raised").status, TestStatus::kError);
  EXPECT_EQ(check(raised, tests({"raised"}, {{"raises", "allowed"}})).results.at("raised").status,
            TestStatus::kPass);
  EXPECT_EQ(check(raised, tests({"raised"}, {{"raises", true}})).results.at("raised").status,
            TestStatus::kPass);
  EXPECT_EQ(check(raised, tests({"raised"}, {{"raises", false}})).results.at("raised").status,
            TestStatus::kError);
  const std::string hung = "{\"event\": \"test\", \"id\": \"raised\", \"status\": \"timeout\"}\n";
  EXPECT_EQ(check(hung, tests({"raised"}, {{"raises", "allowed"}})).results.at("raised").status,
            TestStatus::kTimeout);
}

TEST_F(ScriptCheckerTest, AProbersScriptStillSeesEveryTestAndEvent) {
  auto result = check(kMixedChannel, tests({"ok", "raised", "twice"}), /*harness=*/false);
  EXPECT_EQ(result.extra["tests"], json({"ok", "raised", "twice"}));
  EXPECT_EQ(result.extra["events"],
            json({"start", "ok", "raised", "hung", "twice", "twice", "done"}));
  EXPECT_EQ(result.extra["untrusted"], json({"twice"}));
  for (const auto& [id, r] : result.results) EXPECT_EQ(r.status, TestStatus::kPass) << id;
}

}  // namespace
}  // namespace gradebox
