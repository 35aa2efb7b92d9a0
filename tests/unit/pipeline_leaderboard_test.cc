// Leaderboard math: the rubric's weights, hand scores merged, value = score
// / price, grader-errors as 0 until regraded, missing answers marked, sorting.
#include <gtest/gtest.h>

#include "pipeline/leaderboard.h"
#include "report/leaderboard_format.h"
#include "../support/xml_check.h"

namespace gradebox::pipeline {
namespace {

Report report(const std::string& model, const std::string& task, double c, double e,
              Verdict verdict = Verdict::kGraded) {
  Report r;
  r.model = model, r.task = task, r.verdict = verdict;
  r.correctness.score = c, r.edge_cases.score = e;
  return r;
}

void add(RunView& run, const Report& r) {
  run.answers.push_back({{r.model, r.task, "text", 0, 0, ""}, "h"});
  run.results[{r.model, r.task}] = {"h", "stamp", false, r};
}

class LeaderboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_.meta.id = "r1";
    add(run_, report("cheap", "t1", 10, 5));  // automated 5.0
    add(run_, report("cheap", "t2", 5, 10));  // automated 4.0
    add(run_, report("dear", "t1", 10, 10));  // 6.0
    add(run_, report("dear", "t2", 10, 10, Verdict::kGraderError));
    add(run_, report("gappy", "t1", 0, 0));
    run_.problems.push_back({"missing-answer", "run", "gappy", "t2", "no answer"});
    prices_["cheap"] = {"cheap", "Cheap", "", "", 0.25, ""};
    prices_["dear"] = {"dear", "Dear", "", "", 3.0, ""};
    prices_["gappy"] = {"gappy", "Gappy", "", "", 1.0, ""};
  }
  const LeaderboardRow& row(const Leaderboard& b, const std::string& model) {
    for (const auto& r : b.rows)
      if (r.model == model) return r;
    throw std::runtime_error("no row " + model);
  }
  RunView run_;
  Prices prices_;
};

TEST_F(LeaderboardTest, AutomatedPartIsFortyAndTwentyPercent) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  const auto& cheap = row(b, "cheap");
  EXPECT_DOUBLE_EQ(cheap.correctness, 7.5);
  EXPECT_DOUBLE_EQ(cheap.edge, 7.5);
  EXPECT_DOUBLE_EQ(cheap.automated, 4.5);  // 0.4*7.5 + 0.2*7.5
  EXPECT_DOUBLE_EQ(*cheap.value, 18.0);    // 4.5 / 0.25
  EXPECT_FALSE(cheap.overall.has_value());
  EXPECT_TRUE(cheap.complete);
  EXPECT_NE(leaderboard_text(b).find("40% of the rubric is missing"), std::string::npos);
}

TEST_F(LeaderboardTest, GraderErrorsAreListedApartAndCountAsZeroUntilRegraded) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  const auto& dear = row(b, "dear");
  EXPECT_EQ(dear.scored, 1);
  EXPECT_EQ(dear.counted, 2);
  EXPECT_DOUBLE_EQ(dear.automated, 3.0);  // (6.0 + 0) / 2: a forced grader-error gains nothing
  EXPECT_FALSE(dear.complete);
  EXPECT_NE(leaderboard_text(b).find("dear *"), std::string::npos);
  ASSERT_EQ(b.grader_errors.size(), 1u);
  EXPECT_EQ(b.grader_errors[0]->report.model, "dear");
  EXPECT_EQ(dear.tasks.at("t2").state, TaskCell::State::kGraderError);
}

TEST_F(LeaderboardTest, MissingAnswersAreMarkedNotHidden) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  const auto& gappy = row(b, "gappy");
  EXPECT_FALSE(gappy.complete);
  EXPECT_EQ(gappy.tasks.at("t2").state, TaskCell::State::kMissing);
  ASSERT_FALSE(gappy.notes.empty());
  EXPECT_NE(gappy.notes[0].find("missing answer"), std::string::npos);
  EXPECT_NE(leaderboard_text(b).find("gappy *"), std::string::npos);
  EXPECT_NE(leaderboard_csv(b).find("gappy,1.00,0.00,0.00,0.00,,,,0.00,1,2,no,0.00,missing"),
            std::string::npos)
      << leaderboard_csv(b);
}

TEST_F(LeaderboardTest, HandScoresMakeTheWholeRubric) {
  HandScores hand{{{"cheap", "t1"}, {8, 6}}, {{"cheap", "t2"}, {10, 10}}};
  Leaderboard b = build_leaderboard(run_, prices_, hand);
  const auto& cheap = row(b, "cheap");
  // t1: 0.4*10 + 0.2*5 + 0.25*8 + 0.15*6 = 7.9; t2: 0.4*5 + 0.2*10 + 2.5 + 1.5 = 8.0
  EXPECT_DOUBLE_EQ(*cheap.tasks.at("t1").overall, 7.9);
  EXPECT_DOUBLE_EQ(*cheap.overall, 7.95);
  EXPECT_DOUBLE_EQ(*cheap.quality, 9.0);
  EXPECT_DOUBLE_EQ(*cheap.value, 31.8);  // 7.95 / 0.25
  EXPECT_EQ(b.sorted_by, "overall");
  EXPECT_FALSE(row(b, "dear").overall.has_value());  // no hand score for dear
  EXPECT_EQ(b.rows.front().model, "cheap");          // rows without overall go last
}

TEST_F(LeaderboardTest, SortsByAnyColumn) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  ASSERT_TRUE(sort_leaderboard(b, "price", true).ok());
  EXPECT_EQ(b.rows[0].model, "cheap");
  EXPECT_EQ(b.rows[2].model, "dear");
  ASSERT_TRUE(sort_leaderboard(b, "value", false).ok());
  EXPECT_EQ(b.rows[0].model, "cheap");
  ASSERT_TRUE(sort_leaderboard(b, "t1", false).ok());
  EXPECT_EQ(b.rows[0].model, "dear");
  EXPECT_EQ(b.rows[2].model, "gappy");
  ASSERT_TRUE(sort_leaderboard(b, "model", true).ok());
  EXPECT_EQ(b.rows[0].model, "cheap");
  EXPECT_FALSE(sort_leaderboard(b, "nonsense", false).ok());
}

TEST_F(LeaderboardTest, ValueFrontierHoldsTheUndominated) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  auto frontier = value_frontier(b);
  // cheap (4.5 at 0.25) is undominated; dear (3.0 at 3.0, its grader-error
  // counted as 0) and gappy (0 at 1.0) are not.
  ASSERT_EQ(frontier.size(), 1u);
  EXPECT_EQ(frontier[0], "cheap");
}

TEST_F(LeaderboardTest, FormatsCarryTheSameNumbers) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  auto j = leaderboard_json(b);
  EXPECT_EQ(j["rows"].size(), 3u);
  EXPECT_EQ(j["hand_scored"], false);
  EXPECT_EQ(j["grader_errors"].size(), 1u);
  std::string md = leaderboard_markdown(b);
  EXPECT_NE(md.find("| 4.50 |"), std::string::npos) << md;
  std::string html = leaderboard_html(b, run_);
  EXPECT_NE(html.find("id='score-price'"), std::string::npos);
  EXPECT_NE(html.find("id='heat-map'"), std::string::npos);
  EXPECT_NE(html.find("id='report-cheap--t1'"), std::string::npos);
}

TEST_F(LeaderboardTest, HtmlEscapesWhatAnswersSay) {
  Report r = report("cheap", "t1", 10, 5);
  r.verdict_detail = "<script>alert(1)</script>";
  run_.results[{"cheap", "t1"}].report = r;
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  std::string html = leaderboard_html(b, run_);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)"), std::string::npos);
}

// A model id is benchmark input: in the HTML report it stays escaped text
// (no script runs) and holds only characters XML 1.0 allows (issue 16).
TEST_F(LeaderboardTest, HtmlKeepsHostileModelIdsEscapedAndXmlSafe) {
  std::string hostile = "<script>alert(1)</script>" + gradebox::testing::kXmlHostile;
  add(run_, report(hostile, "t1", 5, 5));
  prices_[hostile] = {hostile, hostile, "", "", 1.0, ""};
  run_.problems.push_back({"bad-id", "run/" + hostile, "", "", "stamp " + hostile});
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  std::string html = leaderboard_html(b, run_);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;ctl"), std::string::npos);
  std::size_t bad = gradebox::testing::xml_forbidden_at(html);
  EXPECT_EQ(bad, std::string::npos) << html.substr(bad == std::string::npos ? 0 : bad, 40);
}

// A leaderboard of these reports, without prices or hand scores.
Leaderboard board_of(RunView& run, const std::vector<Report>& reports) {
  for (const auto& r : reports) add(run, r);
  return build_leaderboard(run, Prices{}, std::nullopt);
}

// Issue 16's two-model run: an answer that forced a grader-error must not
// rank above an honest zero.
TEST(LeaderboardRanking, AForcedGraderErrorNeverOutranksAnHonestZero) {
  RunView run;
  Leaderboard b = board_of(
      run, {report("forcer", "t1", 10, 10), report("forcer", "t2", 10, 10, Verdict::kGraderError),
            report("honest", "t1", 10, 10), report("honest", "t2", 0, 0)});
  ASSERT_EQ(b.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(b.rows[0].automated, b.rows[1].automated);
  EXPECT_EQ(b.rows[0].model, "honest");  // a tie, and a gap never wins one
  EXPECT_EQ(b.rows[1].model, "forcer");
  EXPECT_FALSE(b.rows[1].complete);
}

// An answer too large to grade scores 0 like a grader-error: an input
// problem is no way out of a zero (issue 16). Without it, "big" would rank
// first on its one graded task (6.00 against 3.60).
TEST(LeaderboardRanking, ATooLargeAnswerCountsAsZero) {
  RunView run;
  run.problems.push_back({"too-large", "run/big/t2.md", "big", "t2", "over the limit"});
  Leaderboard b = board_of(run, {report("big", "t1", 10, 10), report("honest", "t1", 8, 8),
                                 report("honest", "t2", 4, 4)});
  ASSERT_EQ(b.rows.size(), 2u);
  EXPECT_EQ(b.rows[0].model, "honest");
  EXPECT_DOUBLE_EQ(b.rows[0].automated, 3.6);  // 0.6 * (8 + 4) / 2
  const auto& big = b.rows[1];
  EXPECT_EQ(big.model, "big");
  EXPECT_EQ(big.counted, 2);
  EXPECT_DOUBLE_EQ(big.automated, 3.0);  // (6.0 + 0) / 2
  EXPECT_FALSE(big.complete);
  ASSERT_TRUE(big.tasks.count("t2"));
  EXPECT_EQ(big.tasks.at("t2").verdict, "too-large");
  EXPECT_NE(leaderboard_text(b).find("big *"), std::string::npos);
  EXPECT_NE(leaderboard_csv(b).find(",too-large"), std::string::npos) << leaderboard_csv(b);
}

// Ids come from benchmark input: a CSV export must stay one row per model and
// never hand a spreadsheet a formula (issue 16).
TEST(LeaderboardCsv, HostileIdsAreQuotedAndInert) {
  RunView run;
  std::string csv = leaderboard_csv(board_of(run, {report("=cmd|' /C calc'!A0", "t1", 10, 10),
                                                   report("two\nlines,\"quoted\"", "t1", 0, 0)}));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4) << csv;  // header, 2 rows, 1 embedded
  EXPECT_NE(csv.find("\n'=cmd|' /C calc'!A0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n\"two\nlines,\"\"quoted\"\"\","), std::string::npos) << csv;
}

TEST(LeaderboardText, ControlCharactersInIdsNeverReachTheTerminal) {
  RunView run;
  Leaderboard b = board_of(run, {report("evil\n1  fake-model  9.99\x1b[2J\xc2\x9b", "t1", 0, 0)});
  for (const std::string& out : {leaderboard_text(b), leaderboard_markdown(b)}) {
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
    EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << out;
    EXPECT_EQ(out.find("\n1  fake-model"), std::string::npos) << out;
    EXPECT_NE(out.find("evil?1  fake-model  9.99?[2J?"), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace gradebox::pipeline
