// The report of one graded answer (docs/README.md, "The report at a glance").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "gradebox/extract.h"
#include "gradebox/json_field.h"
#include "gradebox/status.h"

namespace gradebox {

/// Per-test status, exactly the contract's words.
enum class TestStatus {
  kPass,
  kFail,
  kError,
  kTimeout,
  kMemory,
  kCrash,
  kViolation,
  kOutputLimit,
  kNotApplicable
};
const char* to_string(TestStatus status);
std::optional<TestStatus> test_status_from(const std::string& text);

/// The answer-level verdict.
enum class Verdict { kGraded, kNoCode, kCompileError, kUnsupported, kGraderError };
const char* to_string(Verdict verdict);
std::optional<Verdict> verdict_from(const std::string& text);

/// One run of a test that was run more than once: what it got and the CPU
/// time the harness's observer measured (none when it reported no time).
struct TestRun {
  TestStatus status = TestStatus::kFail;
  std::optional<double> cpu_ms;
};

struct TestResult {
  std::string id;
  std::string kind;  // core | edge
  std::string category;
  TestStatus status = TestStatus::kFail;
  double time_ms = 0;
  std::string detail;    // expected vs actual, the error message, the limit hit
  bool retried = false;  // run again: a starved timeout, or a CPU time near the limit
  bool flaky = false;    // its status differed across `run --repeat` gradings (then it is a fail)
  std::vector<TestRun> runs;  // every run, in order, when it ran more than once
  double limit_ms = 0;        // the CPU limit those runs were held against
};

struct Score {
  double score = 0;  // 10 x passed / total, one decimal
  int passed = 0;
  int total = 0;
};

struct Report {
  std::string task;
  std::string model;
  Verdict verdict = Verdict::kGraderError;
  std::string verdict_detail;  // compiler message, missing entry, grader fault
  // extraction
  std::vector<Candidate> candidates;
  std::vector<int> graded;  // candidate indices that were graded
  std::optional<int> kept;  // the one whose results are reported
  std::vector<int> joined;  // blocks joined for the join retry
  std::string pick;         // first | best
  std::string extraction_reason;
  bool extraction_sensitive = false;
  std::string language;
  bool from_reasoning = false;  // the graded code came from the model's reasoning
  bool truncated = false;       // cut at the token limit (finish reason, unclosed fence)
  // results
  Score correctness;
  Score edge_cases;
  std::vector<TestResult> tests;
  JsonField load;         // what the harness saw while loading (errors, output)
  JsonField environment;  // versions, stamps, limits
  JsonField extra;        // task-specific fields (probe logs, diagnostics)
  double grade_seconds = 0;
};

/// Scores from test results: n/a left out of both counts.
void compute_scores(Report& report);

/// The JSON functions need <nlohmann/json.hpp> where they are called.
nlohmann::json to_json(const Report& report);
/// Parses a report written by to_json (history, diff); Error on bad input.
Result<Report> report_from_json(const nlohmann::json& json);
/// Text summary for people: per category counts, first failure.
std::string to_text(const Report& report);

}  // namespace gradebox
