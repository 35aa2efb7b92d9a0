// Issue 19: `nightly` lists flaky tests apart from regressions, and they
// alone do not make it fail. Two nights are built in a history directly (no
// sandbox grading): the second graded with --repeat as run_pipeline stores
// it (the repeats kept, the merged report with its flaky test), then
// `gradebox diff previous latest` — the comparison nightly makes after
// grading, with the same exit code — is run as a user would.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

#include "pipeline/history.h"
#include "pipeline/repeats.h"
#include "../support/file_text.h"
#include "../support/gradebox_command.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

// A report of six core tests and two edge tests, failing those in `failing`.
Report report(const std::string& model, const std::set<std::string>& failing) {
  Report r;
  r.model = model, r.task = "echo_task", r.verdict = Verdict::kGraded;
  for (int i = 1; i <= 8; ++i) {
    TestResult& t = r.tests.emplace_back();
    bool core = i <= 6;
    t.category = core ? "basic" : "empty";
    t.kind = core ? "core" : "edge";
    t.id = t.category + "-" + std::to_string(i);
    t.status = failing.count(t.id) ? TestStatus::kFail : TestStatus::kPass;
  }
  r.environment = nlohmann::json{{"gradebox_version", "0.1.0"}, {"toolchain", "Python 3.11.2"}};
  compute_scores(r);
  return r;
}

class NightlyFlakyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = gradebox::testing::fresh_test_dir("nightly-flaky");
    auto history = History::open(db());
    ASSERT_TRUE(history.ok()) << history.error().message;
    history_ = std::move(*history);
  }
  fs::path db() const { return dir_ / "history.sqlite"; }

  // One night of models a and b, each with the same answer every night;
  // each model's report is merged from its `repeats` as `run --repeat` does.
  void night(const std::string& id, const std::string& created,
             const std::vector<std::vector<Report>>& repeats) {
    std::vector<AnswerRecord> answers;
    for (const auto& r : repeats)
      answers.push_back({r.front().model, "echo_task", "answer of " + r.front().model, 1, 1, "x"});
    ASSERT_TRUE(
        history_->begin_run({id, created, "night.jsonl", "fp-" + id, "", "0.1.0"}, answers, {})
            .ok());
    for (std::size_t i = 0; i < answers.size(); ++i) {
      const auto& graded = repeats[i];
      Report merged = graded.front();
      if (graded.size() > 1) {
        ASSERT_TRUE(history_->record_repeats(id, answers[i], graded).ok());
        merged = merge_repeats(graded);
      }
      ASSERT_TRUE(history_->record(id, answers[i], "1+stamp", "o", merged, false).ok());
    }
  }

  // Night 1 graded once, all passing; night 2 graded three times, a's
  // basic-2 and empty-8 each failing once: two flaky tests (two tests that
  // failed for good would be a regression). `b_fails` fail in each of b's
  // gradings.
  void two_nights(const std::set<std::string>& b_fails) {
    night("night-1", "2024-05-01T00:00:00.000Z", {{report("a", {})}, {report("b", {})}});
    night("night-2", "2024-05-02T00:00:00.000Z",
          {{report("a", {}), report("a", {"basic-2"}), report("a", {"empty-8"})},
           {report("b", b_fails), report("b", b_fails), report("b", b_fails)}});
  }

  int diff() {
    fs::remove(dir_ / "log");
    return testing::run_gradebox("diff previous latest --db " + db().string(), dir_);
  }
  std::string log() { return testing::file_text(dir_ / "log"); }

  fs::path dir_;
  std::unique_ptr<History> history_;
};

TEST_F(NightlyFlakyTest, AFlakyTestAloneIsListedApartAndDoesNotFail) {
  two_nights({});
  EXPECT_EQ(diff(), 0) << log();
  EXPECT_NE(log().find("0 regressions"), std::string::npos) << log();
  EXPECT_NE(log().find("flaky tests (listed apart, not regressions): a/echo_task: basic-2, "
                       "a/echo_task: empty-8\n"),
            std::string::npos)
      << log();
  EXPECT_EQ(log().find("REGRESSION"), std::string::npos) << log();
}

TEST_F(NightlyFlakyTest, ARealRegressionBesideAFlakyTestFails) {
  two_nights({"basic-4", "basic-5"});  // b broke two core tests, in every grading
  EXPECT_EQ(diff(), 1) << log();
  EXPECT_NE(log().find("1 regressions"), std::string::npos) << log();
  EXPECT_NE(log().find("b/echo_task"), std::string::npos) << log();
  EXPECT_NE(log().find("flaky tests (listed apart, not regressions): a/echo_task: basic-2, "
                       "a/echo_task: empty-8\n"),
            std::string::npos)
      << log();
}

}  // namespace
}  // namespace gradebox::pipeline
