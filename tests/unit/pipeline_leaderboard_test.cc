// Leaderboard math: the rubric's weights, hand scores merged, value = score
// / price, grader-errors as 0 until regraded, missing answers marked, sorting.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pipeline/leaderboard.h"
#include "report/leaderboard_format.h"
#include "../support/xml_check.h"
#include "pipeline/sample_stats.h"

#include <fmt/format.h>

#include <sstream>

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

// Issue 19: n samples of one model × task. A sample passes when every core
// test passes; pass@k for k <= n; intervals only when n > 1, the same on
// every build of the board.
Report sample_report(const std::string& model, const std::string& task, int core_passed,
                     double edge) {
  Report r = report(model, task, 10.0 * core_passed / 4, edge);
  r.correctness.passed = core_passed, r.correctness.total = 4;
  return r;
}

void add_sample(RunView& run, const Report& r, int sample) {
  AnswerRecord record{r.model, r.task, "text", 0, 0, ""};
  record.sample = sample;
  run.answers.push_back({record, "h"});
  run.results[{r.model, r.task, sample}] = {"h", "stamp", false, r};
}

TEST(LeaderboardSamples, ThreeSamplesGiveMeansPassAtKAndAStableInterval) {
  RunView run;
  run.meta.id = "samples";
  add_sample(run, sample_report("m", "t1", 4, 10), 0);  // passes: automated 6
  add_sample(run, sample_report("m", "t1", 2, 10), 1);  // 0.4*5 + 2 = 4
  add_sample(run, sample_report("m", "t1", 4, 5), 2);   // passes: 4 + 1 = 5
  add_sample(run, sample_report("m", "t2", 0, 0), 0);
  add_sample(run, sample_report("m", "t2", 0, 0), 1);
  add_sample(run, sample_report("m", "t2", 4, 10), 2);  // passes
  Leaderboard b = build_leaderboard(run, {}, std::nullopt);
  ASSERT_EQ(b.rows.size(), 1u);
  const auto& row = b.rows[0];
  const auto& t1 = row.tasks.at("t1");
  EXPECT_EQ(t1.n, 3);
  EXPECT_EQ(t1.passed, 2);
  EXPECT_NEAR(t1.correctness, (10 + 5 + 10) / 3.0, 0.005);
  EXPECT_NEAR(t1.pass_at.at(1), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(t1.pass_at.count(5), 0u);  // k > n: not estimated
  ASSERT_TRUE(t1.ci95.has_value());
  EXPECT_GE(t1.ci95->low, 4.0);
  EXPECT_LE(t1.ci95->high, 6.0);
  EXPECT_EQ(row.n, 6);
  EXPECT_NEAR(row.pass_at.at(1), (2.0 / 3.0 + 1.0 / 3.0) / 2, 1e-12);
  ASSERT_TRUE(row.ci95.has_value());
  EXPECT_LE(row.ci95->low, row.automated);
  EXPECT_GE(row.ci95->high, row.automated);
  // Built again: the same numbers.
  Leaderboard again = build_leaderboard(run, {}, std::nullopt);
  EXPECT_EQ(again.rows[0].ci95->low, row.ci95->low);
  EXPECT_EQ(again.rows[0].ci95->high, row.ci95->high);
  EXPECT_EQ(again.rows[0].tasks.at("t1").ci95->low, t1.ci95->low);
}

TEST(LeaderboardSamples, TheJsonBoardHasNPassAtAndCi95ForEveryN) {
  RunView run;
  run.meta.id = "json";
  add_sample(run, sample_report("one", "t1", 4, 10), 0);
  add_sample(run, sample_report("two", "t1", 4, 10), 0);
  add_sample(run, sample_report("two", "t1", 0, 0), 1);
  auto j = leaderboard_json(build_leaderboard(run, {}, std::nullopt));
  for (const auto& row : j["rows"]) {
    const auto& cell = row["tasks"]["t1"];
    if (row["model"] == "one") {
      EXPECT_EQ(cell["n"], 1);
      EXPECT_EQ(cell["pass_at"], nlohmann::json({{"1", 1.0}}));
      EXPECT_TRUE(cell["ci95"].is_null());
      EXPECT_TRUE(row["ci95"].is_null());
      EXPECT_EQ(row["n"], 1);
    } else {
      EXPECT_EQ(cell["n"], 2);
      EXPECT_EQ(cell["pass_at"], nlohmann::json({{"1", 0.5}}));
      ASSERT_TRUE(cell["ci95"].is_array());
      EXPECT_EQ(cell["ci95"].size(), 2u);
      EXPECT_EQ(row["pass_at"], nlohmann::json({{"1", 0.5}}));
    }
  }
}

TEST(LeaderboardSamples, OverlappingIntervalsAreMarkedTiedAndTheTableShowsThem) {
  RunView run;
  run.meta.id = "ties";
  // "a" and "b" overlap (noisy, close means); "c" is far below both.
  int a[] = {4, 2, 4, 3}, b[] = {3, 4, 2, 2}, c[] = {0, 0, 0, 1};
  for (int i = 0; i < 4; ++i) {
    add_sample(run, sample_report("a", "t1", a[i], 10), i);
    add_sample(run, sample_report("b", "t1", b[i], 10), i);
    add_sample(run, sample_report("c", "t1", c[i], 0), i);
  }
  Leaderboard board = build_leaderboard(run, {}, std::nullopt);
  std::map<std::string, bool> tied;
  for (const auto& row : board.rows) tied[row.model] = row.tied_with_leader;
  EXPECT_FALSE(tied["a"]);  // the leader
  EXPECT_TRUE(tied["b"]);
  EXPECT_FALSE(tied["c"]);
  std::string text = leaderboard_text(board);
  EXPECT_NE(text.find("95% CI"), std::string::npos) << text;
  EXPECT_NE(text.find("pass@1"), std::string::npos) << text;
  EXPECT_NE(text.find("b ~"), std::string::npos) << text;
  EXPECT_NE(text.find("×4"), std::string::npos) << text;
  EXPECT_NE(leaderboard_markdown(board).find("tied with the leader"), std::string::npos);
}

TEST_F(LeaderboardTest, OneSampleEachLooksAsItAlwaysDid) {
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  EXPECT_FALSE(b.many_samples);
  std::string text = leaderboard_text(b);
  EXPECT_EQ(text.find("95% CI"), std::string::npos);
  EXPECT_EQ(text.find("pass@"), std::string::npos);
  EXPECT_EQ(text.find(" ~"), std::string::npos);
}

TEST(LeaderboardCost, TokensTimesPricePerModelInTotalAndPerSolvedTask) {
  RunView run;
  run.meta.id = "cost";
  add_sample(run, sample_report("m", "t1", 4, 10), 0);  // solved
  add_sample(run, sample_report("m", "t2", 1, 10), 0);
  for (auto& a : run.answers) a.record.tokens = 500000;  // 1M tokens for m
  Prices prices;
  prices["m"] = {"m", "M", "", "", 2.0, ""};  // $2 per million output tokens
  Leaderboard board = build_leaderboard(run, prices, std::nullopt);
  ASSERT_TRUE(board.rows[0].cost.has_value());
  EXPECT_DOUBLE_EQ(*board.rows[0].cost, 2.0);
  EXPECT_EQ(board.rows[0].solved, 1);
  EXPECT_DOUBLE_EQ(*board.rows[0].cost_per_solved, 2.0);
  EXPECT_DOUBLE_EQ(*board.total_cost, 2.0);
  EXPECT_NE(leaderboard_text(board).find("cost: $2.00 in total"), std::string::npos);
  for (auto& a : run.answers) a.record.tokens = 0;
  Leaderboard unknown = build_leaderboard(run, prices, std::nullopt);
  EXPECT_FALSE(unknown.total_cost.has_value());
  EXPECT_FALSE(unknown.rows[0].cost.has_value());
  EXPECT_NE(leaderboard_text(unknown).find("no token counts"), std::string::npos);
  EXPECT_TRUE(leaderboard_json(unknown)["total_cost_usd"].is_null());
}

// A board of many samples: "a" and "b" tied (noisy, close), "c" far below,
// each priced so the chart draws them.
Leaderboard three_sample_board(RunView& run, Prices& prices) {
  run.meta.id = "samples";
  int a[] = {4, 2, 4}, b[] = {3, 4, 2}, c[] = {0, 0, 1};
  for (int i = 0; i < 3; ++i) {
    add_sample(run, sample_report("a", "t1", a[i], 10), i);
    add_sample(run, sample_report("b", "t1", b[i], 10), i);
    add_sample(run, sample_report("c", "t1", c[i], 0), i);
  }
  prices["a"] = {"a", "A", "", "", 1.0, ""};
  prices["b"] = {"b", "B", "", "", 0.5, ""};
  prices["c"] = {"c", "C", "", "", 0.2, ""};
  return build_leaderboard(run, prices, std::nullopt);
}

std::vector<std::string> csv_lines(const std::string& csv) {
  std::vector<std::string> lines;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LeaderboardSamplesCsv, ManySamplesAddNPassAtKAndTheInterval) {
  RunView run;
  Prices prices;
  Leaderboard board = three_sample_board(run, prices);
  auto lines = csv_lines(leaderboard_csv(board));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "model,price,correctness,edge,automated,quality,documentation,overall,value,"
            "scored_tasks,total_tasks,complete,n,pass@1,ci95_low,ci95_high,t1");
  const LeaderboardRow& a = board.rows[0];
  ASSERT_EQ(a.model, "a");
  ASSERT_TRUE(a.ci95.has_value());
  // a: 2 of 3 samples pass every core test.
  EXPECT_NE(lines[1].find(fmt::format(",yes,3,0.667,{:.2f},{:.2f},", a.ci95->low, a.ci95->high)),
            std::string::npos)
      << lines[1];
}

TEST(LeaderboardSamplesCsv, AFieldThatCouldBeAFormulaStaysInert) {
  RunView run;
  add_sample(run, sample_report("=HYPERLINK(x)", "t1", 4, 10), 0);
  add_sample(run, sample_report("=HYPERLINK(x)", "t1", 0, 10), 1);
  auto lines = csv_lines(leaderboard_csv(build_leaderboard(run, {}, std::nullopt)));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].rfind("'=HYPERLINK(x),", 0), 0u) << lines[1];
  // header, then n, pass@1 and both interval bounds: 12 + 4 + 1 task fields.
  EXPECT_EQ(std::count(lines[1].begin(), lines[1].end(), ','), 16) << lines[1];
}

// The n = 1 leaderboard in every format but JSON, as it was before many
// samples existed (tests/unit/data/leaderboard/, made by main at d01be77).
TEST_F(LeaderboardTest, OneSampleEachIsByteIdenticalToBeforeSamples) {
  run_.problems.push_back({"too-large", "run/big/t2.md", "big", "t2", "over the limit"});
  add(run_, report("big", "t1", 10, 10));
  Leaderboard b = build_leaderboard(run_, prices_, std::nullopt);
  HandScores hand{{{"cheap", "t1"}, {8, 6}}, {{"cheap", "t2"}, {10, 10}}};
  Leaderboard h = build_leaderboard(run_, prices_, hand);
  const std::pair<const char*, std::string> outputs[] = {
      {"one_sample.txt", leaderboard_text(b)},
      {"one_sample.md", leaderboard_markdown(b)},
      {"one_sample.csv", leaderboard_csv(b)},
      {"one_sample.html", leaderboard_html(b, run_)},
      {"hand_scored.html", leaderboard_html(h, run_)}};
  namespace fs = std::filesystem;
  fs::path dir = fs::path(TESTS_DIR) / "unit/data/leaderboard";
  for (const auto& [name, text] : outputs) {
    std::ifstream in(dir / name, std::ios::binary);
    std::string expected(std::istreambuf_iterator<char>(in), {});
    if (expected.empty()) {  // no golden file: say where this output is, to look at
      fs::path out = fs::path(::testing::TempDir()) / name;
      std::ofstream(out, std::ios::binary) << text;
      ADD_FAILURE() << "no " << (dir / name) << "; this build's output is in " << out;
      continue;
    }
    EXPECT_EQ(text, expected) << name;
  }
}

TEST(LeaderboardSamplesHtml, TheChartDrawsEachIntervalAndTheTableShowsNAndPassAtK) {
  RunView run;
  Prices prices;
  Leaderboard board = three_sample_board(run, prices);
  std::string html = leaderboard_html(board, run);
  EXPECT_NE(html.find("<th>auto/6</th><th>95% CI</th><th>n</th><th>pass@1</th>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>3</td><td>0.667</td>"), std::string::npos);  // a: n, pass@1
  EXPECT_NE(html.find("b ~"), std::string::npos);                       // tied with a
  EXPECT_NE(html.find("×3"), std::string::npos);
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<path class='ci'"), 3u);  // one whisker per priced model
  EXPECT_NE(html.find("a: 95% interval " + interval_text(board.rows[0].ci95)), std::string::npos);
  // The chart and the table parse as XML; every sample's report has its own anchor.
  auto chart = html.substr(html.find("<svg class='chart' id='score-price'"));
  chart = chart.substr(0, chart.find("</svg>") + 6);
  auto table = html.substr(html.find("<table"));
  table = table.substr(0, table.find("</table>") + 8);
  auto dir = std::filesystem::path(::testing::TempDir()) / "samples-html";
  EXPECT_EQ(gradebox::testing::xml_parse_error(chart, dir), "") << chart;
  EXPECT_EQ(gradebox::testing::xml_parse_error(table, dir), "") << table;
  EXPECT_EQ(gradebox::testing::xml_forbidden_at(html), std::string::npos);
  EXPECT_EQ(count("id='report-a--t1'"), 1u);
  EXPECT_EQ(count("id='report-a--t1--2'"), 1u);
}

TEST(LeaderboardSamplesHtml, HandScoresHaveNoIntervalSoNoWhisker) {
  RunView run;
  Prices prices;
  three_sample_board(run, prices);
  HandScores hand{{{"a", "t1"}, {8, 6}}};
  std::string html = leaderboard_html(build_leaderboard(run, prices, hand), run);
  EXPECT_EQ(html.find("class='ci'"), std::string::npos);
  EXPECT_NE(html.find("<th>n</th>"), std::string::npos);
}

// The tie note says what ~ means only when some row carries it.
TEST(LeaderboardSamples, TheTieNoteIsPrintedOnlyWhenARowIsTied) {
  RunView run;
  run.meta.id = "apart";
  for (int i = 0; i < 3; ++i) {
    add_sample(run, sample_report("high", "t1", 4, 10), i);
    add_sample(run, sample_report("low", "t1", 0, 0), i);
  }
  Leaderboard board = build_leaderboard(run, {}, std::nullopt);
  for (const auto& row : board.rows) EXPECT_FALSE(row.tied_with_leader) << row.model;
  for (const std::string& out : {leaderboard_text(board), leaderboard_markdown(board)}) {
    EXPECT_EQ(out.find("tied with the leader"), std::string::npos) << out;
    EXPECT_NE(out.find("pass@k: the chance"), std::string::npos) << out;
  }
  RunView tied_run;
  Prices prices;
  Leaderboard tied = three_sample_board(tied_run, prices);
  EXPECT_NE(leaderboard_text(tied).find("~ = tied with the leader"), std::string::npos);
}

// A sample too large to grade is that sample's 0, not sample 0's.
TEST(LeaderboardSamples, ATooLargeSampleIsKeyedByItsOwnNumber) {
  RunView run;
  run.meta.id = "big-sample";
  add_sample(run, sample_report("m", "t1", 4, 10), 0);
  add_sample(run, sample_report("m", "t1", 4, 10), 1);
  InputProblem big{"too-large", "run/m/t1/2.md", "m", "t1", "over the limit"};
  big.sample = 2;
  run.problems.push_back(big);
  Leaderboard board = build_leaderboard(run, {}, std::nullopt);
  const TaskCell& cell = board.rows.at(0).tasks.at("t1");
  EXPECT_EQ(cell.n, 3);
  EXPECT_EQ(cell.passed, 2);
  EXPECT_EQ(cell.too_large, std::vector<int>{2});
  EXPECT_EQ(cell.state, TaskCell::State::kTooLarge);
  EXPECT_NEAR(cell.correctness, 20.0 / 3, 0.005);  // (10 + 10 + 0) / 3
  EXPECT_NEAR(cell.pass_at.at(1), 2.0 / 3, 1e-12);
  const auto& notes = board.rows.at(0).notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(), "t1#2: answer too large to grade, counted as 0"),
            notes.end());
  EXPECT_EQ(leaderboard_json(board)["problems"][0]["sample"], 2);
}

}  // namespace
}  // namespace gradebox::pipeline
