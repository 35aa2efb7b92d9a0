// grade_many's pool (python/parallel_grading.cc): nothing may escape a
// worker thread, or the host interpreter aborts. A grader that throws, a
// std::exception or anything else, gives that answer a grader-error report
// and the other answers their own reports, in input order.
#include "parallel_grading.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace gradebox::python {
namespace {

// Throws on the answers that ask it to; grades the others as 10/10.
class ThrowingGrader : public Grader {
 public:
  ThrowingGrader() : Grader(nullptr) {}
  Report grade(const Task& task, const std::string& answer,
               const GradeOptions& options) const override {
    if (answer == "throw std") throw std::runtime_error("a broken invariant");
    if (answer == "throw int") throw 42;
    Report report;
    report.task = task.id, report.model = options.model, report.verdict = Verdict::kGraded;
    return report;
  }
};

TEST(ParallelGrading, AThrowingGradeIsAGraderErrorAndTheOthersAreGraded) {
  Task task;
  task.id = "t";
  std::vector<GradeRequest> requests;
  for (const char* text : {"throw std", "fine", "throw int", "fine too"}) {
    GradeRequest& r = requests.emplace_back();
    r.task = &task, r.text = text, r.options.model = std::string("m-") + text;
  }
  ParallelGrading pool(std::make_shared<ThrowingGrader>(), requests, 2);
  auto reports = pool.finish();
  ASSERT_EQ(reports.size(), 4u);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    ASSERT_TRUE(reports[i].has_value()) << i;
    EXPECT_EQ(reports[i]->model, requests[i].options.model) << "not in input order";
  }
  EXPECT_EQ(reports[0]->verdict, Verdict::kGraderError);
  EXPECT_EQ(reports[0]->verdict_detail, "internal error: a broken invariant");
  EXPECT_EQ(reports[1]->verdict, Verdict::kGraded);
  EXPECT_EQ(reports[2]->verdict, Verdict::kGraderError);
  EXPECT_EQ(reports[2]->verdict_detail, "internal error: an exception of unknown type");
  EXPECT_EQ(reports[3]->verdict, Verdict::kGraded);
}

}  // namespace
}  // namespace gradebox::python
