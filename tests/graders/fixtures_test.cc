// Data-driven: every fixtures/<task>/<answer>.md is graded in the real
// sandbox and must get the verdict and per-category results that
// fixtures/<task>/expected.json states (DMOJ's testsuite idea).
#include <fstream>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "gradebox/grade.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Fixture {
  std::string task;
  std::string file;
  json expected;
};

void PrintTo(const Fixture& f, std::ostream* os) { *os << "fixtures/" << f.task << "/" << f.file; }

const fs::path kSource = fs::path(TESTS_DIR).parent_path();

std::vector<Fixture> all_fixtures() {
  std::vector<Fixture> fixtures;
  for (const auto& dir : fs::directory_iterator(kSource / "fixtures")) {
    auto expected_file = dir.path() / "expected.json";
    if (!fs::exists(expected_file)) continue;
    json expected = json::parse(std::ifstream(expected_file));
    for (const auto& [file, want] : expected.items()) {
      fixtures.push_back({dir.path().filename().string(), file, want});
    }
  }
  return fixtures;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The category's result as expected.json spells it: pass, fail or n/a.
std::string category_result(const Report& r, const std::string& category) {
  bool any = false, all_pass = true;
  for (const auto& t : r.tests) {
    if (t.category != category || t.status == TestStatus::kNotApplicable) continue;
    any = true;
    all_pass &= t.status == TestStatus::kPass;
  }
  if (!any) return "n/a";
  return all_pass ? "pass" : "fail";
}

std::string failures(const Report& r, const std::string& category) {
  std::string text;
  for (const auto& t : r.tests) {
    if (t.category == category && t.status != TestStatus::kPass)
      text += "\n    " + t.id + ": " + to_string(t.status) + " " + t.detail.substr(0, 200);
  }
  return text;
}

class FixtureTest : public ::testing::TestWithParam<Fixture> {
 protected:
  static void SetUpTestSuite() {
    auto sandbox = make_namespace_sandbox();
    if (!sandbox.ok())
      setup_error_ = new std::string(sandbox.error().message);
    else
      sandbox_ = new std::shared_ptr<Sandbox>(std::move(*sandbox));
    registry_ = new TaskRegistry(load_tasks(kSource / "graders"));
  }
  static std::shared_ptr<Sandbox>* sandbox_;
  static std::string* setup_error_;
  static TaskRegistry* registry_;
};
std::shared_ptr<Sandbox>* FixtureTest::sandbox_ = nullptr;
std::string* FixtureTest::setup_error_ = nullptr;
TaskRegistry* FixtureTest::registry_ = nullptr;

TEST_P(FixtureTest, GetsItsExpectedResults) {
  const Fixture& f = GetParam();
  ASSERT_EQ(setup_error_, nullptr) << *setup_error_;
  auto task = registry_->tasks.find(f.task);
  ASSERT_NE(task, registry_->tasks.end()) << "no task pack for fixtures/" << f.task;
  const fs::path dir = kSource / "fixtures" / f.task;
  GradeOptions options{"fixture"};
  // A record's separate reasoning and finish reason, when the fixture has them.
  if (f.expected.contains("reasoning_file"))
    options.reasoning = read_file(dir / f.expected["reasoning_file"].get<std::string>());
  options.finish_reason = f.expected.value("finish_reason", "");
  Report r = Grader(*sandbox_).grade(task->second, read_file(dir / f.file), options);
  const std::string json_report = to_json(r).dump().substr(0, 3000);
  ASSERT_EQ(to_string(r.verdict), f.expected.value("verdict", "graded")) << r.verdict_detail << "\n"
                                                                         << json_report;
  EXPECT_EQ(r.from_reasoning, f.expected.value("from_reasoning", false)) << r.extraction_reason;
  EXPECT_EQ(r.truncated, f.expected.value("truncated", false));
  if (f.expected.contains("joined")) {
    EXPECT_EQ(r.joined, f.expected["joined"].get<std::vector<int>>()) << r.extraction_reason;
  }
  const json categories = f.expected.value("categories", json::object());
  for (const auto& [category, want] : categories.items()) {
    ASSERT_NE(task->second.category(category), nullptr)
        << "expected.json names unknown category " << category;
    EXPECT_EQ(category_result(r, category), want.get<std::string>())
        << f.file << " category " << category << failures(r, category);
  }
}

std::string test_name(const ::testing::TestParamInfo<Fixture>& info) {
  std::string name = info.param.task + "_" + info.param.file;
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureTest, ::testing::ValuesIn(all_fixtures()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FixtureTest);

}  // namespace
}  // namespace gradebox
