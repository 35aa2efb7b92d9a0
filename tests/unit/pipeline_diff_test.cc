// Regression between runs: what moved, why (answer, grader, environment),
// and how sure we are (McNemar, bootstrap), so one flaky test is no regression.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pipeline/diff.h"
#include "report/diff_format.h"
#include "../support/xml_check.h"

namespace gradebox::pipeline {
namespace {

// A report whose tests pass unless their id is in `failing`.
Report report(const std::vector<std::string>& failing,
              const std::string& toolchain = "Python 3.11.2", Verdict verdict = Verdict::kGraded) {
  Report r;
  r.model = "m", r.task = "t", r.verdict = verdict;
  for (int i = 0; i < 6; ++i) {
    for (const char* kind : {"core", "edge"}) {
      std::string category = std::string(kind) + "-cat" + std::to_string(i / 3);
      std::string id = category + "-" + std::to_string(i);
      bool fails = std::count(failing.begin(), failing.end(), id) > 0;
      TestResult test;
      test.id = id;
      test.kind = kind;
      test.category = category;
      test.status = fails ? TestStatus::kFail : TestStatus::kPass;
      test.time_ms = 1;
      r.tests.push_back(test);
    }
  }
  r.environment = {{"gradebox_version", "0.1.0"}, {"toolchain", toolchain}};
  compute_scores(r);
  return r;
}

RunView run(const std::string& id, const Report& r, const std::string& answer = "h1",
            const std::string& stamp = "1+aaa") {
  RunView v;
  v.meta.id = id;
  v.results[{r.model, r.task}] = {answer, stamp, false, r};
  return v;
}

TEST(PipelineStats, McNemarExact) {
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(4, 0), 0.125);  // 2 * 0.5^4
  EXPECT_NEAR(mcnemar_exact_p(6, 0), 0.03125, 1e-12);
  EXPECT_NEAR(mcnemar_exact_p(8, 2), 2 * (1 + 10 + 45) / 1024.0, 1e-12);
  EXPECT_DOUBLE_EQ(mcnemar_exact_p(3, 5), mcnemar_exact_p(5, 3));
}

TEST(PipelineStats, BootstrapIsDeterministicAndBracketsTheChange) {
  std::vector<PairedTest> tests;
  for (int i = 0; i < 20; ++i) tests.push_back({i % 2 == 0, true, i >= 6});  // 6 tests broke
  double change = automated_score(tests, true) - automated_score(tests, false);
  Interval a = bootstrap_automated_delta(tests, 42), b = bootstrap_automated_delta(tests, 42);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_LE(a.low, change);
  EXPECT_GE(a.high, change);
  EXPECT_LT(a.high, 0.0);  // a clear drop: the interval excludes zero
  std::vector<PairedTest> same(10, PairedTest{true, true, true});
  Interval none = bootstrap_automated_delta(same, 1);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 0.0);
}

TEST(PipelineDiff, IdenticalRunsHaveNoChanges) {
  RunDiff d = diff_runs(run("a", report({})), run("b", report({})), {});
  EXPECT_EQ(d.compared, 1);
  EXPECT_TRUE(d.changed.empty());
  EXPECT_EQ(d.regressions, 0);
}

TEST(PipelineDiff, ANewAnswerThatBreaksACategoryIsARegressionOfTheModel) {
  RunDiff d = diff_runs(run("a", report({})),
                        run("b", report({"core-cat0-0", "core-cat0-2", "edge-cat0-1"}), "h2"), {});
  ASSERT_EQ(d.changed.size(), 1u);
  const AnswerDiff& c = d.changed[0];
  EXPECT_EQ(c.causes, std::vector<std::string>{"answer"});
  EXPECT_EQ(c.worse, 3);
  EXPECT_EQ(c.better, 0);
  EXPECT_TRUE(c.regression);
  EXPECT_EQ(d.regressions, 1);
  ASSERT_EQ(c.categories.size(), 2u);
  EXPECT_EQ(c.categories[0].category, "core-cat0");
  EXPECT_EQ(c.categories[0].before, "pass");
  EXPECT_EQ(c.categories[0].after, "fail");
}

TEST(PipelineDiff, GraderAndEnvironmentChangesAreToldApart) {
  RunDiff grader =
      diff_runs(run("a", report({})), run("b", report({"core-cat1-3"}), "h1", "1+bbb"), {});
  ASSERT_EQ(grader.changed.size(), 1u);
  EXPECT_EQ(grader.changed[0].causes, std::vector<std::string>{"grader"});
  RunDiff env =
      diff_runs(run("a", report({})), run("b", report({"core-cat1-3"}, "Python 3.12.0")), {});
  ASSERT_EQ(env.changed.size(), 1u);
  EXPECT_EQ(env.changed[0].causes, std::vector<std::string>{"environment"});
  EXPECT_NE(env.changed[0].cause_details[0].find("3.12.0"), std::string::npos);
}

TEST(PipelineDiff, OneFlakyTestIsNotARegression) {
  RunDiff d = diff_runs(run("a", report({})), run("b", report({"core-cat1-4"})), {});
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_TRUE(d.changed[0].causes.empty());  // same answer, grader, environment
  EXPECT_TRUE(d.changed[0].drop);
  EXPECT_TRUE(d.changed[0].flake);
  EXPECT_FALSE(d.changed[0].regression);
  EXPECT_EQ(d.regressions, 0);
}

TEST(PipelineDiff, AlphaGatesOnSignificance) {
  RunView a = run("a", report({})), b = run("b", report({"core-cat0-0", "core-cat0-2"}), "h2");
  EXPECT_EQ(diff_runs(a, b, {}).regressions, 1);
  EXPECT_EQ(diff_runs(a, b, {0.5, 0.05}).regressions, 0);  // p = 0.5 for two flips
}

TEST(PipelineDiff, GraderErrorsAreListedApart) {
  RunDiff d = diff_runs(run("a", report({})),
                        run("b", report({}, "Python 3.11.2", Verdict::kGraderError)), {});
  EXPECT_TRUE(d.changed.empty());
  ASSERT_EQ(d.grader_errors.size(), 1u);
  EXPECT_EQ(d.regressions, 0);
  EXPECT_NE(diff_junit(d).find("<skipped"), std::string::npos);
}

TEST(PipelineDiff, VerdictDropIsARegressionAndShowsInEveryFormat) {
  Report broken = report({});
  broken.verdict = Verdict::kCompileError;
  broken.tests.clear();
  compute_scores(broken);
  RunDiff d = diff_runs(run("a", report({})), run("b", broken, "h2"), {});
  ASSERT_EQ(d.regressions, 1);
  EXPECT_NE(diff_text(d).find("REGRESSION"), std::string::npos);
  auto j = nlohmann::json::parse(diff_json(d));
  EXPECT_EQ(j["changed"][0]["verdict"]["after"], "compile-error");
  EXPECT_NE(diff_junit(d).find("<failure"), std::string::npos);
}

TEST(PipelineDiff, AnswersOnOneSideOnlyAreListed) {
  RunView a = run("a", report({}));
  RunView b;
  b.meta.id = "b";
  RunDiff d = diff_runs(a, b, {});
  EXPECT_EQ(d.only_in_a, std::vector<std::string>{"m/t"});
}

// Ids and stamps come from benchmark input and the history: the JUnit file
// must still parse, whatever bytes they hold (issue 16).
TEST(PipelineDiff, JunitIsWellFormedWhateverTheIdsAndStampsHold) {
  using gradebox::testing::kXmlHostile;
  Report before = report({}), after = report({"core-cat0-0", "core-cat0-2", "edge-cat0-1"});
  before.model = after.model = "model-" + kXmlHostile;
  before.task = after.task = "task-" + kXmlHostile;
  RunView a = run("run-a-" + kXmlHostile, before, "h1", "1+" + kXmlHostile);
  RunView b = run("run-b-" + kXmlHostile, after, "h2", "2+" + kXmlHostile);
  Report broken = report({}, "Python 3.11.2", Verdict::kGraderError);
  broken.model = "error-" + kXmlHostile;
  a.results[{broken.model, broken.task}] = {"h", "s", false, report({})};
  b.results[{broken.model, broken.task}] = {"h", "s", false, broken};
  RunDiff d = diff_runs(a, b, {});
  ASSERT_EQ(d.regressions, 1);
  ASSERT_EQ(d.grader_errors.size(), 1u);
  std::string junit = diff_junit(d);
  EXPECT_EQ(gradebox::testing::xml_parse_error(
                junit, std::filesystem::path(::testing::TempDir()) / "junit-hostile"),
            "")
      << junit;
  EXPECT_EQ(gradebox::testing::xml_forbidden_at(junit), std::string::npos);
  EXPECT_NE(junit.find("model-ctl"), std::string::npos);  // the rest of the id is kept
}

// `gradebox diff` prints ids and stamps from the history on a terminal: a
// newline would fake a line, ESC start an escape sequence.
TEST(PipelineDiff, TextNeverPassesControlCharactersToTheTerminal) {
  Report before = report({}), after = report({"core-cat0-0", "core-cat0-2", "edge-cat0-1"});
  before.model = after.model = "m\n1 fake\x1b[2J";
  RunView a = run("a\x1b]0;t\x07", before, "h1", "1+\x1b[31m");
  RunView b = run("b", after, "h2", "2+x");
  b.results[{"only\nb", "t"}] = {"h", "s", false, report({})};
  std::string text = diff_text(diff_runs(a, b, {}));
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_EQ(text.find("\n1 fake"), std::string::npos) << text;
  EXPECT_NE(text.find("m?1 fake?[2J/t"), std::string::npos) << text;
}

// Issue 19: with n > 1 samples on both nights, the means are compared; a
// change whose interval holds 0 is noise, not a regression.
RunView samples_run(const std::string& id, const std::vector<std::vector<std::string>>& failing) {
  RunView v;
  v.meta.id = id;
  for (std::size_t n = 0; n < failing.size(); ++n)
    v.results[{"m", "t", static_cast<int>(n)}] = {"h" + std::to_string(n), "1+aaa", false,
                                                  report(failing[n])};
  return v;
}

TEST(PipelineDiff, ManySamplesCompareMeansAndANoisyChangeIsNoRegression) {
  std::vector<std::string> none, two{"core-cat0-0", "core-cat1-3"};
  RunView night1 = samples_run("n1", {none, two, none, two});
  RunView noisy = samples_run("n2", {two, none, two, two});
  RunDiff same = diff_runs(night1, noisy, {});
  ASSERT_EQ(same.means.size(), 1u);
  EXPECT_TRUE(same.means[0].noise);
  EXPECT_FALSE(same.means[0].regression);
  EXPECT_EQ(same.regressions, 0);
  EXPECT_TRUE(same.changed.empty());  // sample N of one night is no pair for sample N
  std::vector<std::string> all_core{"core-cat0-0", "core-cat0-1", "core-cat0-2",
                                    "core-cat1-3", "core-cat1-4", "core-cat1-5"};
  RunView broken = samples_run("n3", {all_core, all_core, all_core, all_core});
  RunDiff worse = diff_runs(night1, broken, {});
  ASSERT_EQ(worse.means.size(), 1u);
  EXPECT_TRUE(worse.means[0].regression);
  EXPECT_EQ(worse.regressions, 1);
  EXPECT_NE(diff_text(worse).find("REGRESSION"), std::string::npos) << diff_text(worse);
  std::string junit = diff_junit(worse);
  EXPECT_EQ(gradebox::testing::xml_parse_error(
                junit, std::filesystem::path(::testing::TempDir()) / "junit-means"),
            "")
      << junit;
  EXPECT_NE(junit.find("mean regression"), std::string::npos) << junit;
}

}  // namespace
}  // namespace gradebox::pipeline
