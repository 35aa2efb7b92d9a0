// Every hostile known answer against its honest twin, in the real sandbox:
// the exploit must gain nothing (twin_compare.h), and the hostile answer
// must still fail what its selftest entry says it fails.
#include <fstream>
#include <memory>

#include <gtest/gtest.h>

#include "gradebox/grade.h"
#include "report/twin_compare.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;

const fs::path kGraders = fs::path(TESTS_DIR).parent_path() / "graders";

struct Pair {
  std::string task;
  SelftestCase known;
};

void PrintTo(const Pair& p, std::ostream* os) { *os << p.task << "/" << p.known.answer; }

std::vector<Pair> all_pairs() {
  std::vector<Pair> pairs;
  for (const auto& [id, task] : load_tasks(kGraders).tasks) {
    for (const auto& known : task.selftest) {
      if (!known.twin.empty()) pairs.push_back({id, known});
    }
  }
  return pairs;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class TwinTest : public ::testing::TestWithParam<Pair> {
 protected:
  static void SetUpTestSuite() {
    auto sandbox = make_namespace_sandbox();
    if (sandbox.ok()) sandbox_ = new std::shared_ptr<Sandbox>(std::move(*sandbox));
    registry_ = new TaskRegistry(load_tasks(kGraders));
  }
  static std::shared_ptr<Sandbox>* sandbox_;
  static TaskRegistry* registry_;
};
std::shared_ptr<Sandbox>* TwinTest::sandbox_ = nullptr;
TaskRegistry* TwinTest::registry_ = nullptr;

TEST_P(TwinTest, HostileScoresNoMoreThanItsTwin) {
  const Pair& p = GetParam();
  ASSERT_NE(sandbox_, nullptr) << "no sandbox";
  const Task& task = registry_->tasks.at(p.task);
  Grader grader(*sandbox_);
  Report hostile = grader.grade(task, read_file(task.dir / p.known.answer), {"hostile"});
  Report twin = grader.grade(task, read_file(task.dir / p.known.twin), {"twin"});
  ASSERT_NE(twin.verdict, Verdict::kGraderError) << twin.verdict_detail;
  std::string gains;
  for (const auto& gain : gains_over_twin(hostile, twin)) gains += "\n  " + gain;
  EXPECT_TRUE(gains.empty()) << p.known.answer << " gained over " << p.known.twin << ":" << gains;
  for (const auto& category : p.known.must_fail) {
    bool failed = false;
    for (const auto& t : hostile.tests) {
      failed |= t.category == category && t.status != TestStatus::kPass &&
                t.status != TestStatus::kNotApplicable;
    }
    EXPECT_TRUE(failed || hostile.verdict != Verdict::kGraded) << category << " must fail";
  }
}

std::string test_name(const ::testing::TestParamInfo<Pair>& info) {
  std::string name = info.param.task + "_" + fs::path(info.param.known.answer).stem().string();
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Twins, TwinTest, ::testing::ValuesIn(all_pairs()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TwinTest);

}  // namespace
}  // namespace gradebox
