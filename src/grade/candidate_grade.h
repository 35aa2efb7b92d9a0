// Grading one candidate (or one join of candidates): run the harness, judge,
// rerun the tests whose verdict is noise (rerun_policy.h), and turn it all
// into test results.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gradebox/report.h"
#include "gradebox/sandbox.h"
#include "gradebox/task.h"
#include "grade/box.h"
#include "grade/runtime_profile.h"

namespace gradebox {

/// What one candidate earned.
struct CandidateGrade {
  Verdict verdict = Verdict::kGraderError;
  std::string verdict_detail;
  std::vector<TestResult> tests;
  nlohmann::json load = nlohmann::json::object();
  nlohmann::json extra = nlohmann::json::object();
  nlohmann::json run = nlohmann::json::object();  // limits, cpu, wall, exit of the main run
  std::set<std::string> missing_names;            // NameError/ReferenceError names (join retry)
  double weighted() const;  // 0.4 x core + 0.2 x edge pass rates, for --pick best
};

struct GradeContext {
  const Task& task;
  Sandbox& sandbox;
  const RuntimeProfile& profile;
  const std::map<std::string, double>& time_limits_ms;
  const std::string& answer;   // raw text, for prose-judging checkers
  bool retry_timeouts = true;  // rerun noisy verdicts (false: every test runs once)
  bool keep_box = false;       // grade --keep-box: every harness run leaves its box
};

/// Grades `files` (files[0] is the primary). Never throws: gradebox faults
/// become verdict grader-error with the Error's message.
CandidateGrade grade_files(const GradeContext& context, const std::vector<AnswerFile>& files);

/// An answer without code, for tasks that judge prose too (task.json
/// `"no_code": "check"`): the checker runs with no observations, so prose
/// earns what it earns and every code test fails.
CandidateGrade grade_prose_only(const GradeContext& context);

}  // namespace gradebox
