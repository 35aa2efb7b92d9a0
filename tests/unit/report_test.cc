// Scores, JSON round trip and the text summary.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gradebox/report.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

TestResult result(const std::string& id, const std::string& kind, const std::string& category,
                  TestStatus status, const std::string& detail = "") {
  TestResult t;
  t.id = id;
  t.kind = kind;
  t.category = category;
  t.status = status;
  t.detail = detail;
  return t;
}

Report sample() {
  Report r;
  r.task = "flatten_py";
  r.model = "m";
  r.verdict = Verdict::kGraded;
  r.tests = {result("a-1", "core", "a", TestStatus::kPass),
             result("a-2", "core", "a", TestStatus::kPass),
             result("b-1", "core", "b", TestStatus::kFail, "expected [1], got [2]"),
             result("c-1", "edge", "c", TestStatus::kNotApplicable),
             result("d-1", "edge", "d", TestStatus::kTimeout),
             result("d-2", "edge", "d", TestStatus::kPass)};
  compute_scores(r);
  return r;
}

TEST(Scores, NotApplicableIsLeftOutAndScoresHaveOneDecimal) {
  Report r = sample();
  EXPECT_EQ(r.correctness.passed, 2);
  EXPECT_EQ(r.correctness.total, 3);
  EXPECT_DOUBLE_EQ(r.correctness.score, 6.7);
  EXPECT_EQ(r.edge_cases.total, 2);
  EXPECT_DOUBLE_EQ(r.edge_cases.score, 5.0);
}

TEST(Scores, AVerdictOtherThanGradedScoresZeroButKeepsTotals) {
  Report r = sample();
  r.verdict = Verdict::kCompileError;
  compute_scores(r);
  EXPECT_EQ(r.correctness.score, 0.0);
  EXPECT_EQ(r.correctness.passed, 0);
  EXPECT_EQ(r.correctness.total, 3);
}

TEST(Scores, NoApplicableTestIsZeroNotTen) {
  Report r;
  r.verdict = Verdict::kGraded;
  r.tests = {result("c-1", "edge", "c", TestStatus::kNotApplicable)};
  compute_scores(r);
  EXPECT_EQ(r.edge_cases.score, 0.0);
  EXPECT_EQ(r.edge_cases.total, 0);
}

TEST(ReportJson, HasTheContractFieldsAndRoundTrips) {
  Report r = sample();
  r.candidates.resize(2);
  r.candidates[1].index = 1;
  r.graded = {0, 1};
  r.kept = 0;
  auto j = to_json(r);
  for (const char* key :
       {"task", "model", "verdict", "extraction", "correctness", "edge_cases", "tests"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["extraction"]["candidates"], 2);
  EXPECT_EQ(j["extraction"]["graded"], nlohmann::json({0, 1}));
  EXPECT_EQ(j["tests"][2]["status"], "fail");
  EXPECT_EQ(j["tests"][3]["status"], "n/a");
  auto back = report_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_json(*back), j);
}

TEST(ReportJson, RejectsUnknownStatusWithAnError) {
  auto j = to_json(sample());
  j["tests"][0]["status"] = "passed-ish";
  auto back = report_from_json(j);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().message.find("passed-ish"), std::string::npos);
}

TEST(ReportText, ListsCategoriesAndTheFirstFailure) {
  std::string text = to_text(sample());
  EXPECT_NE(text.find("correctness   6.7 / 10"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL 0/1"), std::string::npos) << text;
  EXPECT_NE(text.find("expected [1], got [2]"), std::string::npos) << text;
  EXPECT_NE(text.find("n/a"), std::string::npos) << text;
}

TEST(Statuses, NamesAreTheContractsWords) {
  EXPECT_STREQ(to_string(TestStatus::kOutputLimit), "output-limit");
  EXPECT_EQ(test_status_from("n/a"), TestStatus::kNotApplicable);
  EXPECT_EQ(verdict_from("grader-error"), Verdict::kGraderError);
  EXPECT_FALSE(verdict_from("graded ").has_value());
}

TEST(Utf8Clean, ReplacesInvalidBytesAndNeverSplitsACharacter) {
  EXPECT_EQ(utf8_clean("plain"), "plain");
  const std::string bad = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_EQ(utf8_clean("a\xed\xa0\x80"
                       "b"),
            "a" + bad + bad + bad + "b");                    // a UTF-16 surrogate
  EXPECT_EQ(utf8_clean("\xc3\xa9\xc3\xa9", 3), "\xc3\xa9");  // cut before the second é
  EXPECT_EQ(utf8_clean("x\xff"), "x" + bad);
}

TEST(ReportJson, BytesAnAnswerPrintedNeverBreakTheDump) {
  Report r = sample();
  r.verdict_detail = "compiler said \xff\xfe";
  r.tests[2].detail = "got \xed\xa0\x80";
  EXPECT_NO_THROW(to_json(r).dump());
}

}  // namespace
}  // namespace gradebox
