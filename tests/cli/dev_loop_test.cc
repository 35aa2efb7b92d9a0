// The grader author's loop through the real binary: `grade --keep-box`
// keeps the box and prints a re-run command that works and sees what the
// grade saw; `--verbose` shows the observation lines and the trusted calls;
// neither changes the report.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/file_text.h"
#include "../support/gradebox_command.h"

namespace {

namespace fs = std::filesystem;
using gradebox::testing::file_text;
using nlohmann::json;

using gradebox::testing::CliRun;
using gradebox::testing::kGradeboxBinary;
const std::string kGraders = std::string(TESTS_DIR) + "/../graders";

CliRun run(const std::string& command_line) { return gradebox::testing::run_command(command_line); }

CliRun grade(const std::string& task, const std::string& flags) {
  return run(kGradeboxBinary + " grade --task " + task + " --format json --no-retry " + flags +
             " " + kGraders + "/" + task + "/reference.md");
}

// The text after `prefix` on each stderr line that starts with it.
std::vector<std::string> lines_after(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) found.push_back(line.substr(prefix.size()));
  }
  return found;
}

// What an observation says, without its timings: event, test id, status.
std::vector<std::string> essence(const std::vector<std::string>& channel_lines) {
  std::vector<std::string> out;
  for (const auto& line : channel_lines) {
    json event = json::parse(line, nullptr, false);
    if (event.is_discarded() || !event.is_object()) {
      out.push_back("unparsed");
      continue;
    }
    out.push_back(event.value("event", "") + " " + event.value("id", "") + " " +
                  event.value("status", ""));
  }
  return out;
}

// The report's verdict and per-test statuses: what no dev flag may change.
json verdict_and_tests(const std::string& report_text) {
  json report = json::parse(report_text);
  json tests = json::array();
  for (const auto& t : report["tests"]) tests.push_back({t["id"], t["status"]});
  return {report["verdict"], report["correctness"]["score"], report["edge_cases"]["score"], tests};
}

class DevLoop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plain_ = new CliRun(grade("flatten_py", ""));
    dev_ = new CliRun(grade("flatten_py", "--keep-box --verbose"));
  }
  static void TearDownTestSuite() {
    for (const auto& folder : lines_after(dev_->err, "gradebox: kept box: ")) {
      std::error_code ec;
      fs::remove_all(fs::path(folder).parent_path(), ec);
    }
    delete plain_;
    delete dev_;
  }
  static CliRun* plain_;
  static CliRun* dev_;
};

CliRun* DevLoop::plain_ = nullptr;
CliRun* DevLoop::dev_ = nullptr;

TEST_F(DevLoop, NeitherFlagChangesTheReport) {
  ASSERT_EQ(plain_->exit_code, 0) << plain_->err;
  ASSERT_EQ(dev_->exit_code, 0) << dev_->err;
  EXPECT_EQ(verdict_and_tests(dev_->out), verdict_and_tests(plain_->out));
  EXPECT_EQ(json::parse(dev_->out)["verdict"], "graded");
  EXPECT_TRUE(lines_after(plain_->err, "gradebox: ").empty()) << plain_->err;
}

TEST_F(DevLoop, VerboseShowsEveryObservationLine) {
  auto channel = essence(lines_after(dev_->err, "gradebox: channel: "));
  ASSERT_FALSE(channel.empty()) << dev_->err;
  EXPECT_EQ(channel.front(), "start  ");
  EXPECT_EQ(channel.back(), "done  ");
  const auto tests = json::parse(dev_->out)["tests"].size();
  EXPECT_EQ(std::count_if(channel.begin(), channel.end(),
                          [](const auto& e) { return e.rfind("test ", 0) == 0; }),
            static_cast<long>(tests));
  EXPECT_EQ(lines_after(dev_->err, "gradebox: harness: run ").size(), 1u) << dev_->err;
}

TEST_F(DevLoop, KeepBoxLeavesTheBoxAsTheHarnessSawIt) {
  auto kept = lines_after(dev_->err, "gradebox: kept box: ");
  ASSERT_EQ(kept.size(), 1u) << dev_->err;
  const fs::path box = kept[0];
  EXPECT_TRUE(fs::is_regular_file(box / "inputs.json"));
  EXPECT_TRUE(fs::is_regular_file(box / "harness.py"));
  EXPECT_TRUE(fs::is_directory(box / "answer"));
  EXPECT_EQ(file_text(box / "inputs.json").find("\"expect\""), std::string::npos)
      << "the box holds no expectation";
  EXPECT_TRUE(fs::is_regular_file(box.parent_path() / "rerun.json"));
}

TEST_F(DevLoop, ThePrintedRerunCommandSeesWhatTheGradeSaw) {
  auto commands = lines_after(dev_->err, "gradebox: re-run it: ");
  ASSERT_EQ(commands.size(), 1u) << dev_->err;
  CliRun again = run(commands[0]);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::vector<std::string> out_lines;
  std::istringstream in(again.out);
  for (std::string line; std::getline(in, line);) out_lines.push_back(line);
  EXPECT_EQ(essence(out_lines), essence(lines_after(dev_->err, "gradebox: channel: ")));
  EXPECT_NE(again.err.find("gradebox: harness: exit 0"), std::string::npos) << again.err;
}

TEST(DevLoopTrusted, VerboseShowsTheCheckersCallAndItsExitCode) {
  CliRun r = grade("dijkstra_ts", "--verbose");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto calls = lines_after(r.err, "gradebox: trusted: ");
  ASSERT_FALSE(calls.empty()) << r.err;
  EXPECT_NE(calls.back().find("/usr/bin/python3 -I -S "), std::string::npos) << calls.back();
  EXPECT_NE(calls.back().find("dijkstra_ts/check.py"), std::string::npos) << calls.back();
  EXPECT_NE(calls.back().find("-> exit 0"), std::string::npos) << calls.back();
}

TEST(DevLoopErrors, RerunBoxOfAFolderGradeDidNotKeepIsAOneLineUsageError) {
  CliRun r = run(kGradeboxBinary + " rerun-box " + ::testing::TempDir());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("rerun.json"), std::string::npos) << r.err;
}

}  // namespace
