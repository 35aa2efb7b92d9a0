// The box's path hygiene, what a box holds, and the derivation of time limits.
#include <gtest/gtest.h>

#include <set>

#include "grade/box.h"
#include "grade/time_limits.h"

namespace gradebox {
namespace {

TEST(SafeRelativePath, KeepsRelativeNamesAndDropsEscapes) {
  EXPECT_EQ(safe_relative_path("routes/users.js"), "routes/users.js");
  EXPECT_EQ(safe_relative_path("/etc/passwd"), "etc/passwd");
  EXPECT_EQ(safe_relative_path("../../x.js"), "x.js");
  EXPECT_EQ(safe_relative_path("a/../../b.js"), "a/b.js");
  EXPECT_EQ(safe_relative_path(""), "");
  EXPECT_EQ(safe_relative_path(".."), "");
}

TEST(StripExpectations, RemovesEveryExpectAndKeepsInputs) {
  nlohmann::json tests = {{{"id", "a"}, {"input", 1}, {"expect", {{"value", 1}}}},
                          {{"id", "b"}, {"input", 2}}};
  auto stripped = strip_expectations(tests);
  EXPECT_EQ(stripped.dump().find("expect"), std::string::npos);
  EXPECT_EQ(stripped[1]["input"], 2);
}

TEST(BoxFiles, AreRemovedWithTheBox) {
  std::filesystem::path where;
  {
    auto box = Box::create();
    ASSERT_TRUE(box.ok()) << box.error().message;
    where = box->path();
    EXPECT_TRUE(std::filesystem::exists(where));
  }
  EXPECT_FALSE(std::filesystem::exists(where));
}

// The names of every file in graders/_trusted (checkers' and probers' helpers).
std::set<std::string> trusted_file_names() {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(GRADEBOX_SOURCE_DIR) / "graders" / kTrustedFolder)) {
    if (entry.is_regular_file()) names.insert(entry.path().filename().string());
  }
  return names;
}

TEST(BoxLayout, NoTaskPutsATrustedHelperInItsBox) {
  const auto trusted = trusted_file_names();
  ASSERT_TRUE(trusted.count("gb_trusted.py"));
  ASSERT_TRUE(trusted.count("gb_script_server.py"));
  TaskRegistry registry = load_tasks(std::filesystem::path(GRADEBOX_SOURCE_DIR) / "graders");
  ASSERT_FALSE(registry.tasks.empty());
  for (const auto& [id, task] : registry.tasks) {
    auto box = Box::create();
    ASSERT_TRUE(box.ok()) << box.error().message;
    auto filled = box->fill(task, {{"app.py", "x = 1\n"}}, nlohmann::json::object());
    ASSERT_TRUE(filled.ok()) << id << ": " << filled.error().message;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(box->path())) {
      EXPECT_FALSE(trusted.count(entry.path().filename().string()))
          << id << " put " << entry.path() << " in its box";
    }
  }
}

TEST(BoxLayout, AHarnessFileUnderTheTrustedFolderIsAnErrorNamingIt) {
  Task task;
  task.dir = std::filesystem::path(GRADEBOX_SOURCE_DIR) / "graders" / "flatten_py";
  task.harness_files = {"harness.py", "../_trusted/gb_trusted.py"};
  auto box = Box::create();
  ASSERT_TRUE(box.ok()) << box.error().message;
  auto filled = box->fill(task, {}, nlohmann::json::object());
  ASSERT_FALSE(filled.ok());
  EXPECT_NE(filled.error().message.find("../_trusted/gb_trusted.py"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(box->path() / "gb_trusted.py"));
}

TEST(DeriveLimits, ScalesTheReferenceWithAFloorAndKeepsContractLimits) {
  Task task;
  task.limits.test_cpu_floor_ms = 100;
  task.limits.reference_multiple = 10;
  task.tests = std::make_shared<const nlohmann::json>(
      nlohmann::json::array({{{"id", "fast"}},
                             {{"id", "slow"}},
                             {{"id", "fixed"}, {"time_limit_ms", 2000}},
                             {{"id", "unmeasured"}}}));
  auto limits = derive_limits(task, {{"fast", 1.0}, {"slow", 50.0}, {"fixed", 900.0}});
  EXPECT_DOUBLE_EQ(limits["fast"], 100);    // the floor
  EXPECT_DOUBLE_EQ(limits["slow"], 500);    // 10 x 50 ms
  EXPECT_DOUBLE_EQ(limits["fixed"], 2000);  // the contract's own
  EXPECT_DOUBLE_EQ(limits["unmeasured"], 100);
}

}  // namespace
}  // namespace gradebox
