// A report stays small and valid whatever the answer sent: tests with 1 MB
// details, a load and an extra nested 20,000 or 10^6 deep, a wide list,
// thousands of code blocks. The verdict, statuses and scores survive.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "deep_json.h"
#include "../support/in_child.h"
#include "gradebox/report.h"

namespace gradebox {
namespace {

using nlohmann::json;

constexpr std::size_t kMegabyte = 1 << 20;

using testing::nested;

TestResult result(int i, TestStatus status) {
  TestResult t;
  t.id = "t-" + std::to_string(i);
  t.kind = i % 2 ? "edge" : "core";
  t.category = "c";
  t.status = status;
  t.detail = std::string(kMegabyte, 'd') + t.id;
  return t;
}

// Built by moving values in: copying a 10^6-deep json would itself recurse.
Report hostile_report(int depth) {
  Report r;
  r.task = "flatten_py";
  r.model = "m";
  r.verdict = Verdict::kGraded;
  for (int i = 0; i < 50; ++i)
    r.tests.push_back(result(i, i < 3 ? TestStatus::kPass : TestStatus::kFail));
  compute_scores(r);
  r.verdict_detail = std::string(kMegabyte, 'v');
  r.candidates.resize(20000);
  for (auto& c : r.candidates) c.filename = std::string(200, 'f');
  for (int i = 0; i < 20000; ++i) r.graded.push_back(i);
  r.kept = 0;
  r.load = json::object();
  (*r.load)["errors"] = json::array();
  (*r.load)["errors"].push_back(nested(depth));
  (*r.load)["message"] = std::string(kMegabyte, 'e');
  r.extra = json::object();
  (*r.extra)["deep"] = nested(depth);
  (*r.extra)["wide"] = json::array();
  for (int i = 0; i < 300000; ++i) (*r.extra)["wide"].push_back(i);
  (*r.extra)["run"] = json::object();
  (*r.extra)["run"]["stdout"] = "what the answer printed";
  return r;
}

void expect_small_valid_and_intact(const Report& r) {
  const std::string text = to_json(r).dump(2);
  EXPECT_LT(text.size(), kMegabyte);
  json back = json::parse(text, nullptr, false);
  ASSERT_FALSE(back.is_discarded());
  EXPECT_EQ(back["verdict"], "graded");
  EXPECT_EQ(back["correctness"]["passed"], r.correctness.passed);
  EXPECT_EQ(back["correctness"]["score"], r.correctness.score);
  EXPECT_EQ(back["edge_cases"]["score"], r.edge_cases.score);
  EXPECT_EQ(back["extraction"]["candidates"], 20000);
  ASSERT_EQ(back["tests"].size(), r.tests.size());
  for (std::size_t i = 0; i < r.tests.size(); ++i) {
    EXPECT_EQ(back["tests"][i]["id"], r.tests[i].id);
    EXPECT_EQ(back["tests"][i]["status"], to_string(r.tests[i].status));
  }
  EXPECT_EQ(back["extra"]["run"]["stdout"], "what the answer printed");
  auto parsed = report_from_json(back);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->verdict, Verdict::kGraded);
}

TEST(ReportLimits, AHostileReportStaysUnderAMegabyteValidWithItsVerdict) {
  expect_small_valid_and_intact(hostile_report(20000));
}

TEST(ReportLimits, AMillionLevelsInLoadAndExtraNeitherCrashNorGrow) {
  const Report r = hostile_report(1000000);
  EXPECT_EQ(testing::fate_in_child([&] { to_json(r).dump(2); }), "exited 0");
  if (HasFailure()) return;  // it would end this process too
  expect_small_valid_and_intact(r);
}

TEST(ReportLimits, TheTextSummaryShowsADeepLoadErrorsHead) {
  Report r;
  r.task = "flatten_py";
  r.load = json::object();
  (*r.load)["errors"] = json::array();
  (*r.load)["errors"].push_back(nested(1000000));
  EXPECT_EQ(testing::fate_in_child([&] { to_text(r); }), "exited 0");
  if (HasFailure()) return;
  std::string text = to_text(r);
  EXPECT_NE(text.find("1 module-level error(s), first: [[[["), std::string::npos) << text;
  EXPECT_LT(text.size(), 1000u);
}

// A history file is input too: a stored report nested 10^6 deep is read
// without a recursive copy, and what is read is bounded again.
TEST(ReportLimits, AReportReadBackMayBeNestedAMillionDeep) {
  Report r;
  r.task = "flatten_py";
  r.verdict = Verdict::kGraded;
  json stored = to_json(r);
  stored["load"] = nested(1000000);
  stored["extra"] = json::object();
  stored["extra"]["deep"] = nested(1000000);
  stored["extraction"]["blocks"] = nested(1000000);
  EXPECT_EQ(testing::fate_in_child([&] { report_from_json(stored); }), "exited 0");
  if (HasFailure()) return;
  stored["extraction"]["blocks"] = json::array();
  auto back = report_from_json(stored);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_LT(to_json(*back).dump(2).size(), 100000u);
}

TEST(ReportLimits, AnOrdinaryReportIsShownWhole) {
  Report r;
  r.task = "flatten_py";
  r.verdict = Verdict::kGraded;
  r.load =
      json::parse(R"({"event": "load", "ok": true, "errors": [{"type": "EOFError", "line": 3}]})");
  r.extra = json::parse(
      R"({"run": {"stdout": "hi", "problems": []}, "discovery": {"routes": [[1, [2, [3]]]]}})");
  r.tests.push_back(result(0, TestStatus::kFail));
  r.tests[0].detail = "expected [1], got [2]";
  json j = to_json(r);
  EXPECT_EQ(j["load"], *r.load);
  EXPECT_EQ(j["extra"], *r.extra);
  EXPECT_EQ(j["tests"][0]["detail"], "expected [1], got [2]");
  EXPECT_FALSE(j.contains("shrunk"));
}

}  // namespace
}  // namespace gradebox
