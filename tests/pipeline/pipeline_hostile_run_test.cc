// A hostile run folder graded by the real gradebox: a symlinked answer, an
// oversized one, an answer that returns and floods its pipes with values
// nested 10^6 deep (and its honest twin) beside a correct answer and an
// honest zero. The run completes (exit 0), the deep answer is graded with a
// small report and never scores above its twin, nothing of the link's
// target reaches the history, the leaderboard ranks the answers that were
// not graded at 0, below the honest zero, and the CSV opens safely.
// (A crash and a grader-error injected into one run are in
// tests/unit/pipeline_child_grading_test.cc: no answer can cause them now.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/gradebox_command.h"
#include "pipeline/history.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::kSourceRoot;

TEST(PipelineHostileRun, CompletesStoresNoLinkTargetAndRanksHonestly) {
  fs::path dir = fs::path(::testing::TempDir()) / ("hostile-run-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const fs::path root = dir / "night";
  for (const char* model : {"good", "-zero", "deep", "twin", "linker", "big"})
    fs::create_directories(root / model);
  const fs::path known = kSourceRoot / "graders/flatten_py/known";
  std::ofstream(root / "good/flatten_py.md")
      << testing::file_text(kSourceRoot / "graders/flatten_py/reference.md");
  std::ofstream(root / "-zero/flatten_py.md")
      << "```python\ndef flatten(nested):\n    raise NotImplementedError\n```\n";
  std::ofstream(root / "deep/flatten_py.md")
      << testing::file_text(known / "hostile_deep_nesting.md");
  std::ofstream(root / "twin/flatten_py.md")
      << testing::file_text(known / "hostile_deep_nesting_twin.md");
  std::ofstream(root / "big/flatten_py.md") << "```python\ndef flatten(x):\n    return x\n```\n"
                                            << std::string(2 << 20, '#');
  std::ofstream(dir / "secret.md") << "```python\ndef flatten(x):\n    return 'SECRET-TEXT'\n```\n";
  fs::create_symlink(dir / "secret.md", root / "linker/flatten_py.md");

  const std::string db = (dir / "h.sqlite").string();
  int rc = testing::run_gradebox("run " + root.string() + " -q --no-cache --run-id night --db " +
                                     db + " --reports " + (dir / "reports").string(),
                                 dir);
  EXPECT_EQ(rc, 0) << testing::file_text(dir / "log");

  auto history = History::open(dir / "h.sqlite");
  ASSERT_TRUE(history.ok()) << history.error().message;
  auto run = (*history)->load_run("night");
  ASSERT_TRUE(run.ok()) << run.error().message;
  const Report& deep = run->results.at({"deep", "flatten_py"}).report;
  const Report& twin = run->results.at({"twin", "flatten_py"}).report;
  EXPECT_EQ(deep.verdict, Verdict::kGraded) << deep.verdict_detail;
  EXPECT_LE(deep.correctness.score + deep.edge_cases.score,
            twin.correctness.score + twin.edge_cases.score);
  EXPECT_LT(fs::file_size(dir / "reports/night/deep/flatten_py.json"), 1u << 20);
  EXPECT_EQ(run->results.count({"linker", "flatten_py"}), 0u);
  EXPECT_EQ(run->results.count({"big", "flatten_py"}), 0u);
  EXPECT_EQ(testing::file_text(dir / "h.sqlite").find("SECRET-TEXT"), std::string::npos)
      << "the link's target was stored";

  // Starting the finished run again grades nothing and prints its board.
  auto board_as = [&](const std::string& format) {
    const fs::path out = dir / ("board." + format);
    EXPECT_EQ(testing::run_gradebox("run " + root.string() + " -q --run-id night --db " + db +
                                        " -f " + format + " -o " + out.string(),
                                    dir),
              0)
        << testing::file_text(dir / "log");
    return testing::file_text(out);
  };
  auto board = nlohmann::json::parse(board_as("json"), nullptr, false);
  ASSERT_TRUE(board.is_object()) << testing::file_text(dir / "board.json");
  std::vector<std::string> order;
  std::map<std::string, double> automated;
  for (const auto& row : board.at("rows")) {
    order.push_back(row.at("model").get<std::string>());
    automated[order.back()] =
        row.at("automated").is_number() ? row.at("automated").get<double>() : -1;
  }
  ASSERT_GE(order.size(), 5u) << board.dump(1);
  EXPECT_EQ(order.front(), "good");
  EXPECT_EQ(automated.at("big"), 0.0) << "too-large counts 0";
  auto rank = [&](const std::string& model) {
    return std::find(order.begin(), order.end(), model) - order.begin();
  };
  EXPECT_LT(rank("-zero"), rank("big")) << "an honest zero ranks above an answer not graded";

  const std::string csv = board_as("csv");
  EXPECT_NE(csv.find("\n'-zero,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\n-zero"), std::string::npos) << csv;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gradebox::pipeline
