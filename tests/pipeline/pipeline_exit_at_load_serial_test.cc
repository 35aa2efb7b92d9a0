// An app that exits at load is the answer's fault at any -j: the trusted
// prober must find the box's network (held open by the sandbox while the
// run lives), not race the app's exit into a grader-error. 16 copies are
// graded at -j 32 (capped to 4 per core, with a notice: 8 at once on 2
// cores, two rounds). The sandbox's part, a box network that outlives its
// program, is tests/sandbox/cleanup_test.cc's, without a race. Runs alone
// (RUN_SERIAL): it sets the machine's load itself.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/gradebox_command.h"
#include "pipeline/history.h"
#include "../support/file_text.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using testing::kSourceRoot;

TEST(PipelineExitAtLoad, AnAppThatExitsAtLoadFailsInEveryOneOf16ParallelGradings) {
  fs::path dir = testing::fresh_test_dir("exit-at-load");
  const std::string text =
      testing::file_text(kSourceRoot / "graders/users_express/known/hostile_exit_at_load.md");
  {
    std::ofstream out(dir / "night.jsonl");
    for (int i = 0; i < 16; ++i)
      out << nlohmann::json{{"model", "m" + std::to_string(i)},
                            {"task", "users_express"},
                            {"text", text}}
                 .dump()
          << "\n";
  }
  int rc = testing::run_gradebox("run " + (dir / "night.jsonl").string() + " -q -j 32 --no-cache " +
                                     "--run-id exit --db " + (dir / "h.sqlite").string(),
                                 dir);
  std::string log = testing::file_text(dir / "log");
  EXPECT_EQ(rc, 0) << log;
  EXPECT_NE(log.find("-j 32 is more than"), std::string::npos) << log;  // the cap's notice
  EXPECT_EQ(log.find("retried"), std::string::npos) << log;  // no grader-error, not even once
  auto history = History::open(dir / "h.sqlite");
  ASSERT_TRUE(history.ok());
  auto run = (*history)->load_run("exit");
  ASSERT_TRUE(run.ok()) << run.error().message;
  ASSERT_EQ(run->results.size(), 16u);
  for (const auto& [key, result] : run->results) {
    const Report& report = result.report;
    EXPECT_EQ(report.verdict, Verdict::kGraded) << key.model << ": " << report.verdict_detail;
    for (const auto& test : report.tests)
      EXPECT_EQ(to_string(test.status), std::string("fail")) << key.model << " " << test.id;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gradebox::pipeline
