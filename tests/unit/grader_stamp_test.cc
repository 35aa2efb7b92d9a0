// The grader stamp covers everything that decides a verdict, and nothing
// that does not (known answers), so no stale report is ever served.
#include <fstream>

#include <gtest/gtest.h>

#include "gradebox/task.h"
#include "tasks/grader_stamp.h"
#include "../support/file_text.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

/// A graders/ folder with echo_task and a shared `_python` library holding
/// its runtime profile, as in the source tree.
class GraderStampTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = gradebox::testing::fresh_test_dir("stamp");
    fs::create_directories(root_ / "graders/_python");
    fs::copy(fs::path(TESTS_DIR) / "unit/data/echo_task", task_dir(), fs::copy_options::recursive);
    write("graders/_python/gblib.py", "LIMIT = 1\n");
    write("graders/_python/profile.json", R"({"name": "python", "env": []})");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path task_dir() const { return root_ / "graders/echo_task"; }
  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  std::string stamp() {
    auto task = load_task(task_dir());
    EXPECT_TRUE(task.ok()) << task.error().message;
    return task.ok() ? task->stamp : "";
  }
  std::string task_json() {
    std::ifstream in(task_dir() / "task.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void add_known_answer() {
    write("graders/echo_task/known/wrong.md", "def echo(x):\n    return None\n");
    write("graders/echo_task/known/wrong.json", R"({"must_fail": ["basic"]})");
  }
  fs::path root_;
};

TEST_F(GraderStampTest, KnownAnswersDoNotChangeIt) {
  std::string before = stamp();
  add_known_answer();
  EXPECT_EQ(stamp(), before);
}

TEST_F(GraderStampTest, TheGradersOwnTestsAndToolsDoNotChangeIt) {
  std::string before = stamp();
  write("graders/echo_task/tests/test_check.py", "import unittest\n");
  write("graders/echo_task/tools/gen_cases.js", "console.log(1)\n");
  EXPECT_EQ(stamp(), before);
  write("graders/echo_task/helpers/gen_cases.js", "console.log(1)\n");
  EXPECT_NE(stamp(), before) << "any other folder of the pack still counts";
}

TEST_F(GraderStampTest, TheRuntimesSharedLibraryChangesIt) {
  std::string before = stamp();
  write("graders/_python/gblib.py", "LIMIT = 2\n");
  EXPECT_NE(stamp(), before);
}

TEST_F(GraderStampTest, TheRuntimeProfileChangesIt) {
  std::string before = stamp();
  write("graders/_python/profile.json", R"({"name": "python", "env": ["X=1"]})");
  EXPECT_NE(stamp(), before);
}

TEST_F(GraderStampTest, AHarnessFileOrATaskKeyChangesIt) {
  std::string before = stamp();
  write("graders/echo_task/harness.py", "# a harness change\n");
  std::string after_harness = stamp();
  EXPECT_NE(after_harness, before);
  std::string text = task_json();
  text.replace(text.find("\"reference_multiple\": 10"), 24, "\"reference_multiple\": 20");
  write("graders/echo_task/task.json", text);
  EXPECT_NE(stamp(), after_harness);
}

TEST_F(GraderStampTest, BytecodeAndOtherTasksDoNotChangeIt) {
  std::string before = stamp();
  write("graders/_python/__pycache__/gblib.cpython-311.pyc", "compiled");
  write("graders/other_task/task.json", "{}");
  write("graders/_node/lib/x.js", "1");  // another runtime's library
  EXPECT_EQ(stamp(), before);
}

TEST_F(GraderStampTest, ScriptTasksAlsoLoadTheTrustedAndPythonLibraries) {
  Task task;
  task.dir = task_dir();
  task.runtime = "node";
  task.harness_files = {"harness.js", "../_node/lib/gb_channel.js"};
  task.checker = "check.py";
  auto libraries = shared_libraries(task);
  ASSERT_EQ(libraries.size(), 3u);
  EXPECT_EQ(libraries[0].filename(), "_node");
  EXPECT_EQ(libraries[1].filename(), "_python");
  EXPECT_EQ(libraries[2].filename(), "_trusted");
  task.checker = "values";
  EXPECT_EQ(shared_libraries(task).size(), 1u);
}

TEST_F(GraderStampTest, TheEngineVersionIsAHash) {
  std::string engine = engine_version();
  EXPECT_EQ(engine.size(), 16u);
  EXPECT_EQ(engine.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(stamp().rfind("1+", 0), 0u);
}

}  // namespace
}  // namespace gradebox
