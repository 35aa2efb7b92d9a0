// Many samples end to end (issue 19), through the real gradebox: a run
// folder of 3 samples for two models × two tasks gives each cell n, pass@k
// and an interval that a second look at the run prints identically; and
// `run --repeat 3` flags a test of an answer that fails each test with
// probability 1/2 (from os.urandom) as flaky.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/file_text.h"
#include "../support/gradebox_command.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::kSourceRoot;

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

json read_json(const fs::path& path) { return json::parse(testing::file_text(path)); }

const char* kWrongFlatten = "```python\ndef flatten(nested):\n    return []\n```\n";

TEST(PipelineSamples, ThreeSamplesOfTwoModelsAndTwoTasksGivePassAtKAndStableIntervals) {
  fs::path dir = fresh_dir("samples-run");
  fs::path run = dir / "night";
  std::string flatten = testing::file_text(kSourceRoot / "graders/flatten_py/reference.md");
  std::string race = testing::file_text(kSourceRoot / "graders/race_js/reference.md");
  // "steady" solves every sample; "mixed" solves samples 0 and 2 of flatten_py, and race_js once.
  for (int n = 0; n < 3; ++n) {
    std::string name = std::to_string(n) + ".md";
    for (const char* task : {"flatten_py", "race_js"}) {
      fs::create_directories(run / "steady" / task);
      fs::create_directories(run / "mixed" / task);
    }
    std::ofstream(run / "steady/flatten_py" / name) << flatten;
    std::ofstream(run / "steady/race_js" / name) << race;
    std::ofstream(run / "mixed/flatten_py" / name) << (n == 1 ? kWrongFlatten : flatten);
    std::ofstream(run / "mixed/race_js" / name) << (n == 0 ? race : "no code here");
  }
  std::string args = "run " + run.string() + " -q --run-id night --db " +
                     (dir / "h.sqlite").string() + " --reports " + (dir / "reports").string() +
                     " -f json -o ";
  ASSERT_EQ(testing::run_gradebox(args + (dir / "first.json").string(), dir), 0)
      << testing::file_text(dir / "log");
  ASSERT_EQ(testing::run_gradebox(args + (dir / "again.json").string(), dir), 0);
  json first = read_json(dir / "first.json"), again = read_json(dir / "again.json");
  std::map<std::string, json> rows;
  for (const auto& row : first["rows"]) rows[row["model"]] = row;
  const json& mixed = rows["mixed"];
  EXPECT_EQ(mixed["n"], 6);
  EXPECT_EQ(mixed["tasks"]["flatten_py"]["n"], 3);
  EXPECT_NEAR(mixed["tasks"]["flatten_py"]["pass_at"]["1"].get<double>(), 0.667, 1e-9);
  EXPECT_NEAR(mixed["tasks"]["race_js"]["pass_at"]["1"].get<double>(), 0.333, 1e-9);
  EXPECT_TRUE(mixed["tasks"]["flatten_py"]["ci95"].is_array());
  EXPECT_TRUE(mixed["ci95"].is_array());
  EXPECT_EQ(rows["steady"]["pass_at"]["1"], 1.0);
  // The same run looked at again prints the same numbers.
  for (std::size_t i = 0; i < first["rows"].size(); ++i) {
    EXPECT_EQ(first["rows"][i]["ci95"], again["rows"][i]["ci95"]);
    EXPECT_EQ(first["rows"][i]["tasks"], again["rows"][i]["tasks"]);
  }
  // Every sample's report is kept: sample 0 as <task>.json, others beside it.
  EXPECT_TRUE(fs::exists(dir / "reports/night/mixed/flatten_py.json"));
  EXPECT_TRUE(fs::exists(dir / "reports/night/mixed/flatten_py.sample-2.json"));
}

TEST(PipelineSamples, RepeatFlagsATestOfACoinFlippingAnswerAsFlaky) {
  fs::path dir = fresh_dir("samples-repeat");
  // Each call fails with probability 1/2, independently: over flatten_py's
  // tests and 3 gradings the chance that no test flips is below 1e-9.
  std::ofstream(dir / "coin.jsonl")
      << json{{"model", "coin"},
              {"task", "flatten_py"},
              {"text",
               "```python\nimport os\n\ndef flatten(nested):\n    out = []\n    def walk(xs):\n"
               "        for x in xs:\n            if isinstance(x, list):\n                "
               "walk(x)\n"
               "            else:\n                out.append(x)\n    walk(nested)\n"
               "    return out if os.urandom(1)[0] < 128 else out + ['coin']\n```\n"}}
             .dump()
      << "\n";
  ASSERT_EQ(testing::run_gradebox(
                "run " + (dir / "coin.jsonl").string() + " -q --repeat 3 --run-id r --db " +
                    (dir / "h.sqlite").string() + " --reports " + (dir / "reports").string() +
                    " -f json -o " + (dir / "board.json").string(),
                dir),
            0)
      << testing::file_text(dir / "log");
  json report = read_json(dir / "reports/r/coin/flatten_py.json");
  int flaky = 0;
  for (const auto& t : report["tests"])
    if (t.value("flaky", false)) {
      ++flaky;
      EXPECT_EQ(t["status"], "fail");
    }
  EXPECT_GT(flaky, 0);
  json board = read_json(dir / "board.json");
  std::string notes = board["rows"][0]["notes"].dump();
  EXPECT_NE(notes.find("is flaky"), std::string::npos) << notes;
}

}  // namespace
}  // namespace gradebox::pipeline
