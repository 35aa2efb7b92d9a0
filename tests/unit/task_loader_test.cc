// Task packs: loading, validation errors that name the problem, stamps.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gradebox/task.h"
#include "../support/file_text.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

class TaskLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = gradebox::testing::fresh_test_dir("tasks");
    fs::copy(fs::path(TESTS_DIR) / "unit/data/echo_task", root_ / "echo_task",
             fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& file, const std::string& text) {
    std::ofstream(root_ / "echo_task" / file) << text;
  }
  std::string task_json() {
    std::ifstream in(root_ / "echo_task/task.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void replace_in_task(const std::string& from, const std::string& to) {
    std::string text = task_json();
    text.replace(text.find(from), from.size(), to);
    write("task.json", text);
  }
  fs::path root_;
};

TEST_F(TaskLoaderTest, LoadsAValidPack) {
  auto task = load_task(root_ / "echo_task");
  ASSERT_TRUE(task.ok()) << task.error().message;
  EXPECT_EQ(task->id, "echo_task");
  EXPECT_EQ(task->categories.size(), 2u);
  EXPECT_EQ(task->category("empty")->kind, "edge");
  EXPECT_EQ(task->test_count(), 3u);
  EXPECT_EQ(task->stamp.rfind("1+", 0), 0u);
}

TEST_F(TaskLoaderTest, StampChangesWhenATestChanges) {
  auto before = load_task(root_ / "echo_task");
  write(
      "tests.json",
      R"({"tests": [{"id": "basic-1", "category": "basic", "input": [9], "expect": {"value": [9]}}]})");
  auto after = load_task(root_ / "echo_task");
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_NE(before->stamp, after->stamp);
}

TEST_F(TaskLoaderTest, MalformedJsonNamesTheFile) {
  write("task.json", "{ not json");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("task.json"), std::string::npos);
  EXPECT_NE(task.error().message.find("malformed"), std::string::npos);
}

TEST_F(TaskLoaderTest, ReadsWhatEachCategoryJudges) {
  replace_in_task(R"("id": "empty", "kind": "edge", "judges": "value")",
                  R"("id": "empty", "kind": "edge", "judges": "behaviour")");
  auto task = load_task(root_ / "echo_task");
  ASSERT_TRUE(task.ok()) << task.error().message;
  EXPECT_EQ(task->category("basic")->judges, "value");
  EXPECT_EQ(task->category("empty")->judges, "behaviour");
}

TEST_F(TaskLoaderTest, MissingJudgesNamesFileCategoryAndKey) {
  replace_in_task(R"("kind": "edge", "judges": "value",)", R"("kind": "edge",)");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  const std::string& m = task.error().message;
  EXPECT_NE(m.find("task.json: \"categories[empty].judges\" is required"), std::string::npos) << m;
}

TEST_F(TaskLoaderTest, UnknownJudgesValueIsNamed) {
  replace_in_task(R"("kind": "core", "judges": "value")", R"("kind": "core", "judges": "values")");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("\"categories[basic].judges\" must be one of \"value\", "
                                      "\"behaviour\", \"prose\", not \"values\""),
            std::string::npos)
      << task.error().message;
}

TEST_F(TaskLoaderTest, NonStringJudgesIsAnErrorNotAThrow) {
  replace_in_task(R"("kind": "core", "judges": "value")", R"("kind": "core", "judges": 1)");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("\"categories[basic].judges\" must be a string, not number"),
            std::string::npos)
      << task.error().message;
}

TEST_F(TaskLoaderTest, UnknownCategoryInTestsIsAnError) {
  write("tests.json",
        R"({"tests": [{"id": "x-1", "category": "nope", "input": 1, "expect": {}}]})");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("unknown category 'nope'"), std::string::npos);
}

TEST_F(TaskLoaderTest, DuplicateTestIdIsAnError) {
  write("tests.json", R"({"tests": [{"id": "a", "category": "basic", "input": 1, "expect": {}},
                                    {"id": "a", "category": "basic", "input": 2, "expect": {}}]})");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("duplicate test id a"), std::string::npos);
}

TEST_F(TaskLoaderTest, BadEntryRegexIsAnError) {
  replace_in_task(R"("(^|\\n)def\\s+echo\\s*\\(")", R"("def (unclosed")");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("entry_point regex"), std::string::npos);
}

TEST_F(TaskLoaderTest, MissingHarnessFileIsAnError) {
  fs::remove(root_ / "echo_task/harness.py");
  auto task = load_task(root_ / "echo_task");
  ASSERT_FALSE(task.ok());
  EXPECT_NE(task.error().message.find("harness file missing"), std::string::npos);
}

// The schema: every key is typed and known; a typo is an error, not ignored.
void expect_error(const Result<Task>& task, const std::string& wanted) {
  ASSERT_FALSE(task.ok()) << "loaded, but expected: " << wanted;
  const std::string& m = task.error().message;
  EXPECT_NE(m.find("echo_task/task.json: " + wanted), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << "not one line: " << m;
}

TEST_F(TaskLoaderTest, ATypoedKeyIsNamed) {
  replace_in_task(R"("checker": "values",)", R"("checker": "values", "mutli_file": true,)");
  expect_error(load_task(root_ / "echo_task"), "unknown key \"mutli_file\"");
}

TEST_F(TaskLoaderTest, ATypoedNestedKeyIsNamedWithItsPath) {
  replace_in_task(R"("reference_multiple": 10)", R"("reference_multiple": 10, "memory": 9)");
  expect_error(load_task(root_ / "echo_task"), "unknown key \"limits.memory\"");
}

TEST_F(TaskLoaderTest, AWrongTypeIsNamed) {
  replace_in_task(R"("checker": "values",)", R"("checker": "values", "multi_file": "yes",)");
  expect_error(load_task(root_ / "echo_task"), "\"multi_file\" must be a boolean, not string");
}

TEST_F(TaskLoaderTest, ANegativeLimitIsAWrongType) {
  replace_in_task(R"("reference_multiple": 10)", R"("reference_multiple": 10, "memory_mb": -1)");
  expect_error(load_task(root_ / "echo_task"),
               "\"limits.memory_mb\" must be a non-negative integer, not number");
}

TEST_F(TaskLoaderTest, ABadEnumValueIsNamedWithTheAllowedOnes) {
  replace_in_task(R"("checker": "values",)", R"("checker": "values", "no_code": "chek",)");
  expect_error(load_task(root_ / "echo_task"), "\"no_code\" must be \"check\", not \"chek\"");
  replace_in_task(R"("no_code": "chek",)", "");
  replace_in_task(R"("choose": "first")", R"("choose": "middle")");
  expect_error(load_task(root_ / "echo_task"),
               "\"entry_point.choose\" must be one of \"first\", \"last\", not \"middle\"");
}

TEST_F(TaskLoaderTest, AMissingRequiredKeyIsNamed) {
  replace_in_task(R"("answer_file": "answer.py",)", "");
  expect_error(load_task(root_ / "echo_task"), "\"answer_file\" is required");
}

TEST_F(TaskLoaderTest, AMissingProbeScriptIsAnError) {
  replace_in_task(R"("checker": "values",)", R"("checker": "values", "probe": "probe.py",)");
  expect_error(load_task(root_ / "echo_task"), "trusted script missing: probe.py");
}

TEST_F(TaskLoaderTest, OptionalKeysBecomeTypedFields) {
  auto defaults = load_task(root_ / "echo_task");
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_FALSE(defaults->multi_file);
  EXPECT_FALSE(defaults->check_without_code);
  EXPECT_TRUE(defaults->probe.empty());
  EXPECT_DOUBLE_EQ(defaults->startup_cpu_seconds, 5);
  EXPECT_TRUE(defaults->options && defaults->options->empty());
  write("probe.py", "");
  replace_in_task(R"("checker": "values",)", R"("checker": "values", "multi_file": true,
      "also_languages": ["typescript"], "no_code": "check", "probe": "probe.py",
      "probe_timeout_seconds": 7, "startup_cpu_seconds": 2.5, "options": {"port": 3000},)");
  auto task = load_task(root_ / "echo_task");
  ASSERT_TRUE(task.ok()) << task.error().message;
  EXPECT_TRUE(task->multi_file);
  EXPECT_EQ(task->also_languages, std::vector<std::string>{"typescript"});
  EXPECT_TRUE(task->check_without_code);
  EXPECT_EQ(task->probe, "probe.py");
  EXPECT_DOUBLE_EQ(task->probe_timeout_seconds, 7);
  EXPECT_DOUBLE_EQ(task->startup_cpu_seconds, 2.5);
  EXPECT_EQ(task->options->at("port"), 3000);
  EXPECT_NE(task->stamp, defaults->stamp);  // every key counts in the stamp
}

// tests.json: each test's keys are typed when the task loads, not read
// unchecked mid-grade; one line names the file, the test and the key.
class TestsJsonTest : public TaskLoaderTest {
 protected:
  // echo_task's basic-1 with `fields` added ("" for none) after its category.
  void write_basic_1(const std::string& fields) {
    write("tests.json", R"({"tests": [{"id": "basic-1", "category": "basic")" + fields +
                            R"(, "input": [1], "expect": {"value": [1]}}]})");
  }
  void expect_tests_error(const std::string& wanted) {
    auto task = load_task(root_ / "echo_task");
    ASSERT_FALSE(task.ok()) << "loaded, but expected: " << wanted;
    const std::string& m = task.error().message;
    EXPECT_NE(m.find("echo_task/tests.json: " + wanted), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << "not one line: " << m;
  }
};

TEST_F(TestsJsonTest, ATimeLimitIsAPositiveNumber) {
  write_basic_1(R"(, "time_limit_ms": 2500)");
  auto task = load_task(root_ / "echo_task");
  ASSERT_TRUE(task.ok()) << task.error().message;
  write_basic_1(R"(, "time_limit_ms": "fast")");
  expect_tests_error("\"tests[basic-1].time_limit_ms\" must be a number, not string");
  for (const char* bad : {"0", "-5", "1e12"}) {
    write_basic_1(std::string(R"(, "time_limit_ms": )") + bad);
    expect_tests_error("\"tests[basic-1].time_limit_ms\" must be a number of milliseconds above 0");
  }
}

TEST_F(TestsJsonTest, ATypoedTestKeyIsNamed) {
  write_basic_1(R"(, "time_limit": 2500)");
  expect_tests_error("unknown key \"tests[basic-1].time_limit\"");
}

TEST_F(TestsJsonTest, EachKeyHasItsType) {
  write("tests.json", R"({"tests": [{"id": 7, "category": "basic", "expect": {}}]})");
  expect_tests_error("\"tests[0].id\" must be a string, not number");
  write("tests.json", R"({"tests": [{"id": "basic-1", "category": ["basic"], "expect": {}}]})");
  expect_tests_error("\"tests[basic-1].category\" must be a string, not array");
  write("tests.json", R"({"tests": [{"id": "basic-1", "category": "basic", "expect": [1]}]})");
  expect_tests_error("\"tests[basic-1].expect\" must be an object, not array");
  write("tests.json", R"({"tests": [{"id": "basic-1", "expect": {}}]})");
  expect_tests_error("\"tests[basic-1].category\" is required");
  write("tests.json", R"({"tests": ["basic-1"]})");
  expect_tests_error("\"tests[0]\" must be an object");
}

// The values checker compares against "expect": a test without one could
// only fail mid-grade.
TEST_F(TestsJsonTest, TheValuesCheckerNeedsAnExpectation) {
  write("tests.json", R"({"tests": [{"id": "basic-1", "category": "basic", "input": [1]}]})");
  expect_tests_error("\"tests[basic-1].expect\" is required");
}

TEST(RealTaskPacks, AllFiveLoad) {
  TaskRegistry registry = load_tasks(fs::path(TESTS_DIR) / "../graders");
  for (const auto& problem : registry.problems) ADD_FAILURE() << problem.message;
  for (const char* id : {"flatten_py", "dijkstra_ts", "race_js", "users_express", "review_go"})
    EXPECT_TRUE(registry.tasks.count(id)) << id;
}

TEST_F(TaskLoaderTest, RegistrySkipsSharedFoldersAndReportsBrokenPacks) {
  fs::create_directories(root_ / "_python");
  fs::create_directories(root_ / "broken");
  std::ofstream(root_ / "broken/task.json") << "[]";
  TaskRegistry registry = load_tasks(root_);
  EXPECT_EQ(registry.tasks.size(), 1u);
  EXPECT_TRUE(registry.tasks.count("echo_task"));
  ASSERT_EQ(registry.problems.size(), 1u);
  EXPECT_NE(registry.problems[0].message.find("broken"), std::string::npos);
}

TEST_F(TaskLoaderTest, MissingGradersFolderIsAProblemNotACrash) {
  TaskRegistry registry = load_tasks(root_ / "does-not-exist");
  EXPECT_TRUE(registry.tasks.empty());
  ASSERT_EQ(registry.problems.size(), 1u);
}

}  // namespace
}  // namespace gradebox
