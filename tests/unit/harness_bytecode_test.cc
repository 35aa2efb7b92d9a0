// Python harness modules compiled once per host: the box's copies must be
// what Python really loads, and a changed source must never run stale code.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "grade/harness_bytecode.h"
#include "trusted/trusted_process.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

class HarnessBytecode : public ::testing::Test {
 protected:
  void SetUp() override {
    // A folder per test: harness_bytecode remembers what it compiled per task folder.
    root_ = fs::temp_directory_path() /
            ("harness_bytecode_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "task");
    fs::create_directories(root_ / "box/__pycache__");
    ::setenv("XDG_CACHE_HOME", (root_ / "cache").c_str(), 1);  // not the user's cache
    write("task/harness.py", "import helper\n");
    write("task/helper.py", "VALUE = 1\n");
    task_.dir = root_ / "task";
    task_.stamp = "test-stamp";
    task_.harness_files = {"harness.py", "helper.py"};
    task_.harness_argv = {"/usr/bin/python3", "-I", "-S", "/box/harness.py"};
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(root_ / name) << text;
  }

  // Imports helper from the box with `python3 -v`, which names the file
  // each module's code came from.
  TrustedOutput import_helper() {
    TrustedRun run;
    std::string box = (root_ / "box").string();
    run.argv = {
        "/usr/bin/python3",
        "-v",
        "-I",
        "-S",
        "-c",
        "import sys; sys.path.insert(0, '" + box + "'); import helper; print(helper.VALUE)"};
    auto out = run_trusted(run);
    EXPECT_TRUE(out.ok());
    return out.ok() ? *out : TrustedOutput{};
  }

  fs::path root_;
  Task task_;
};

TEST_F(HarnessBytecode, PythonLoadsTheCompiledModuleFromTheBox) {
  auto files = harness_bytecode(task_);
  ASSERT_EQ(files.size(), 2u);
  const BoxExtraFile& helper = files[1];
  EXPECT_EQ(helper.to.rfind("__pycache__/helper.", 0), 0u) << helper.to;
  fs::copy_file(root_ / "task/helper.py", root_ / "box/helper.py");
  fs::copy_file(helper.from, root_ / "box" / helper.to);

  TrustedOutput out = import_helper();
  EXPECT_EQ(out.stdout_data, "1\n");
  EXPECT_NE(out.stderr_data.find("code object from '" + (root_ / "box" / helper.to).string()),
            std::string::npos)
      << out.stderr_data;
}

TEST_F(HarnessBytecode, AStaleCompiledModuleIsNotRun) {
  auto files = harness_bytecode(task_);
  ASSERT_EQ(files.size(), 2u);
  write("box/helper.py", "VALUE = 2\n");  // edited after it was compiled
  fs::copy_file(files[1].from, root_ / "box" / files[1].to);
  EXPECT_EQ(import_helper().stdout_data, "2\n");
}

TEST_F(HarnessBytecode, NothingForAHarnessThatIsNotPython) {
  task_.harness_argv = {"/usr/bin/node", "/box/harness.js"};
  EXPECT_TRUE(harness_bytecode(task_).empty());
}

}  // namespace
}  // namespace gradebox
