// The HTML report in a real browser: Debian's headless Chromium opens it,
// lays it out, and the charts have drawn size and marks (the page records
// each chart's bounding box after load); a screenshot is taken too.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "../support/file_text.h"
#include "report/leaderboard_format.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::kSourceRoot;

// A run like the sample's: ten models, five tasks, one grader-error.
RunView sample_like_run() {
  RunView run;
  run.meta.id = "html-test";
  const char* tasks[] = {"flatten_py", "race_js", "dijkstra_ts", "review_go", "users_express"};
  auto prices = load_prices(kSourceRoot / "fixtures/prices.json");
  int i = 0;
  for (const auto& [model, info] : *prices) {
    for (const char* task : tasks) {
      Report r;
      r.model = model, r.task = task;
      r.verdict = (++i == 7) ? Verdict::kGraderError : Verdict::kGraded;
      r.correctness.score = 10.0 - (i % 4), r.edge_cases.score = 10.0 - (i % 7);
      run.answers.push_back({{model, task, "text", 0, 0, ""}, "h"});
      run.results[{model, task}] = {"h", "stamp", false, r};
    }
  }
  return run;
}

std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

TEST(PipelineHtml, ChromiumRendersTheChartsAndTheReports) {
  ASSERT_TRUE(fs::exists("/usr/bin/chromium"))
      << "apt-get install chromium (Makefile APT_PACKAGES)";
  RunView run = sample_like_run();
  auto prices = load_prices(kSourceRoot / "fixtures/prices.json");
  auto hand = load_hand_scores(kSourceRoot / "fixtures/hand_scores.csv");
  ASSERT_TRUE(prices.ok() && hand.ok());
  Leaderboard board = build_leaderboard(run, *prices, *hand);
  fs::path dir = fs::path(::testing::TempDir()) / "html-test";
  fs::create_directories(dir);
  std::ofstream(dir / "report.html") << leaderboard_html(board, run);
  std::string chromium =
      "timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
      "--user-data-dir=" +
      (dir / "profile").string() + " ";
  std::string dom = run_command(chromium + "--dump-dom file://" + (dir / "report.html").string() +
                                " 2>/dev/null");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      dom, m,
      std::regex(R"(data-rendered="score-price:(\d+)x(\d+):(\d+) heat-map:(\d+)x(\d+):(\d+)\")")))
      << "the charts did not lay out; DOM starts: " << dom.substr(0, 400);
  EXPECT_GT(std::stoi(m[1]), 300);  // the scatter spans the plot
  EXPECT_GT(std::stoi(m[2]), 200);
  EXPECT_EQ(std::stoi(m[3]), 10);  // one point per model
  EXPECT_GT(std::stoi(m[4]), 500);
  EXPECT_EQ(std::stoi(m[6]), 50);  // one cell per model x task
  EXPECT_NE(dom.find("id=\"report-deepseek-r1--flatten_py\""), std::string::npos);
  EXPECT_NE(dom.find("class=\"frontier\""), std::string::npos);
  // The README's screenshot step, kept working by this test.
  fs::remove(dir / "shot.png");
  run_command(chromium + "--window-size=1280,1800 --screenshot=" + (dir / "shot.png").string() +
              " file://" + (dir / "report.html").string() + " 2>/dev/null");
  ASSERT_TRUE(fs::exists(dir / "shot.png"));
  EXPECT_GT(fs::file_size(dir / "shot.png"), 20000u);  // more than a blank page
}

}  // namespace
}  // namespace gradebox::pipeline
