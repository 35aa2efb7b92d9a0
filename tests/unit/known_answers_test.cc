// The known-answer reader (known/known_answers.h) and the checks selftest
// makes with it (known/known_check.h), on a temporary task folder and
// hand-built reports: no sandbox.
#include <fstream>

#include <gtest/gtest.h>

#include "known/known_answers.h"
#include "known/known_check.h"
#include "../support/file_text.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

class KnownAnswersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    task_.dir = gradebox::testing::fresh_test_dir("known");
    fs::create_directories(task_.dir / "known");
    task_.id = "echo_task";
    task_.categories = {{"basic", "core", "", "value"}, {"empty", "edge", "", "value"}};
  }
  void TearDown() override { fs::remove_all(task_.dir); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(task_.dir / "known" / name) << text;
  }
  std::string load_error() {
    auto answers = load_known_answers(task_);
    return answers.ok() ? "" : answers.error().message;
  }

  Task task_;
};

TEST_F(KnownAnswersTest, ReadsEveryField) {
  write("wrong.md", "def echo(x): return None\n");
  write("wrong.reasoning.txt", "thinking\n");
  write("wrong.json", R"({"verdict": "graded", "categories": {"basic": "fail", "empty": "n/a"},
    "must_fail": ["basic"], "judged": "by hand", "finish_reason": "length",
    "from_reasoning": true, "truncated": true, "joined": [1, 2], "flaky": true})");
  write("honest.md", "x");
  write("honest.json", R"({"twin": "wrong"})");
  auto answers = load_known_answers(task_);
  ASSERT_TRUE(answers.ok()) << answers.error().message;
  ASSERT_EQ(answers->size(), 2u);
  const KnownAnswer& honest = (*answers)[0];
  EXPECT_EQ(honest.name, "honest");
  EXPECT_EQ(honest.verdict, "graded");
  EXPECT_EQ(honest.twin, "wrong");
  EXPECT_TRUE(honest.reasoning.empty());
  EXPECT_FALSE(honest.flaky);
  const KnownAnswer& wrong = (*answers)[1];
  EXPECT_EQ(wrong.answer, task_.dir / "known/wrong.md");
  EXPECT_EQ(wrong.reasoning, task_.dir / "known/wrong.reasoning.txt");
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(wrong.categories, (std::vector<Pair>{{"basic", "fail"}, {"empty", "n/a"}}));
  EXPECT_EQ(wrong.must_fail, std::vector<std::string>{"basic"});
  EXPECT_EQ(wrong.judged, "by hand");
  EXPECT_EQ(wrong.finish_reason, "length");
  EXPECT_TRUE(wrong.from_reasoning && wrong.truncated && wrong.flaky);
  EXPECT_EQ(wrong.joined, (std::vector<int>{1, 2}));
}

TEST_F(KnownAnswersTest, NoFolderMeansNoKnownAnswers) {
  fs::remove_all(task_.dir / "known");
  auto answers = load_known_answers(task_);
  ASSERT_TRUE(answers.ok());
  EXPECT_TRUE(answers->empty());
}

TEST_F(KnownAnswersTest, AnUnknownKeyNamesFileAndKey) {
  write("a.md", "x");
  write("a.json", R"({"verdict": "graded", "must_fial": ["basic"]})");
  std::string error = load_error();
  EXPECT_NE(error.find("known/a.json"), std::string::npos) << error;
  EXPECT_NE(error.find("\"must_fial\""), std::string::npos) << error;
}

TEST_F(KnownAnswersTest, WrongTypesAndUnknownCategoriesAreErrors) {
  write("a.md", "x");
  for (const char* bad : {R"({"flaky": "yes"})", R"({"categories": {"basic": "passed"}})",
                          R"({"categories": {"nope": "pass"}})", R"({"must_fail": ["nope"]})",
                          R"({"must_fail": "basic"})", R"({"joined": ["1"]})", R"({"verdict": 1})",
                          "[]", "{not json"}) {
    write("a.json", bad);
    EXPECT_NE(load_error().find("known/a.json"), std::string::npos) << bad;
  }
}

TEST_F(KnownAnswersTest, AnswerAndExpectationComeInPairs) {
  write("lonely.md", "x");
  EXPECT_NE(load_error().find("no expectation lonely.json"), std::string::npos) << load_error();
  fs::remove(task_.dir / "known/lonely.md");
  write("orphan.json", "{}");
  EXPECT_NE(load_error().find("no answer orphan.md"), std::string::npos) << load_error();
  fs::remove(task_.dir / "known/orphan.json");
  write("notes.txt", "stray");
  EXPECT_NE(load_error().find("notes.txt"), std::string::npos) << load_error();
}

TEST_F(KnownAnswersTest, ATwinMustBeAnotherKnownAnswer) {
  write("hostile.md", "x");
  write("hostile.json", R"({"twin": "missing"})");
  EXPECT_NE(load_error().find("'missing'"), std::string::npos) << load_error();
  write("hostile.json", R"({"twin": "hostile"})");
  EXPECT_NE(load_error().find("\"twin\""), std::string::npos) << load_error();
}

TestResult test(const std::string& category, TestStatus status) {
  TestResult t;
  t.id = category + "-1";
  t.category = category;
  t.status = status;
  return t;
}

KnownAnswer expecting(std::vector<std::pair<std::string, std::string>> categories) {
  KnownAnswer known;
  known.name = "a";
  known.categories = std::move(categories);
  return known;
}

TEST(KnownCheckTest, CategoriesAreAssertedExactlyUnlessFlaky) {
  Report r;
  r.verdict = Verdict::kGraded;
  r.tests = {test("basic", TestStatus::kPass), test("empty", TestStatus::kFail),
             test("large", TestStatus::kNotApplicable)};
  EXPECT_TRUE(
      check_known(expecting({{"basic", "pass"}, {"empty", "fail"}, {"large", "n/a"}}), r).empty());
  KnownAnswer wrong = expecting({{"basic", "fail"}, {"empty", "fail"}});
  auto problems = check_known(wrong, r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("basic pass, wanted fail", 0), 0u) << problems[0];
  wrong.flaky = true;
  EXPECT_TRUE(check_known(wrong, r).empty());
  wrong.must_fail = {"basic"};  // a flaky answer still must fail what it must
  EXPECT_EQ(check_known(wrong, r).size(), 1u);
}

TEST(KnownCheckTest, VerdictAndExtractionFlagsAreAsserted) {
  Report r;
  r.verdict = Verdict::kNoCode;
  KnownAnswer known = expecting({});
  EXPECT_EQ(check_known(known, r).size(), 1u);
  known.verdict = "no-code";
  EXPECT_TRUE(check_known(known, r).empty());
  r.truncated = true;
  r.joined = {1, 2};
  known.joined = std::vector<int>{1};
  EXPECT_EQ(check_known(known, r).size(), 2u);  // truncated, joined
  r.verdict = Verdict::kGraderError;
  EXPECT_EQ(check_known(known, r)[0].rfind("grader-error", 0), 0u);
}

TEST(KnownCheckTest, TheReferenceMustScoreTenOnBoth) {
  Report r;
  r.verdict = Verdict::kGraded;
  r.correctness.score = 10.0;
  r.edge_cases.score = 9.5;
  r.tests = {test("empty", TestStatus::kFail)};
  auto problems = check_reference(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("failing: empty"), std::string::npos) << problems[0];
  r.edge_cases.score = 10.0;
  EXPECT_TRUE(check_reference(r).empty());
}

}  // namespace
}  // namespace gradebox
