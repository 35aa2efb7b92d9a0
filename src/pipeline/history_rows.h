// What a row read back from a history file may hold. A history is input like
// any other (a shard comes from another machine; any file can be edited), so
// its ids must pass the input id rules, its text must be valid UTF-8, its
// scores must lie within 0-10, its stored reports must be bounded JSON that
// agrees with their columns, and its dates must not lie in the future.
// `merge` rejects a shard holding one bad row; reading a run leaves a bad
// row out and names it as a problem.
#pragma once

#include <chrono>
#include <string>

#include "gradebox/report.h"
#include "gradebox/status.h"
#include "pipeline/history.h"

namespace gradebox::pipeline {

/// One row of the results table, by column name.
struct ResultRow {
  std::string run_id, model, task, answer_hash, grader_stamp, verdict;
  double correctness = 0, edge = 0;
  bool from_cache = false;
  std::string report;  // the stored report's JSON
  int sample = 0;
};

/// One row of the repeats table (run --repeat): one of an answer's R gradings.
struct RepeatRow {
  std::string run_id, model, task;
  int sample = 0;
  int repeat = 0;      // 0 to R - 1
  std::string report;  // that grading's report, as JSON
};

/// The kind of an InputProblem naming a history row that was left out.
inline constexpr const char* kBadHistoryRow = "bad-history-row";

/// Both ids pass is_safe_id (which also makes them valid UTF-8).
Status check_ids(const std::string& model, const std::string& task);

/// An answer row's own fields: safe ids, a finish_reason that
/// finish_reason_problem() accepts (what `gradebox grade` takes). Its text and
/// reasoning are the model's bytes, taken as they are (their SQL type is
/// checked when read).
Status check_answer_fields(const AnswerRecord& answer);

/// Valid UTF-8 and at most `max_bytes` long; the error names `field`.
Status check_text(const std::string& field, const std::string& value, std::size_t max_bytes = 4096);

/// A run row: a safe id, an ISO 8601 UTC date not after `now` (plus a
/// little clock skew between machines), text fields valid UTF-8.
Status check_run(const RunMeta& meta, std::chrono::system_clock::time_point now);

/// A stored report's JSON as a Report, parsed under declared limits.
Result<Report> parse_stored_report(const std::string& json);

/// The row's report: parsed under declared limits, agreeing with the row's
/// model, task, verdict and scores, every score finite and within 0-10.
Result<Report> stored_report(const ResultRow& row);

/// The repeat row's report: parsed under declared limits, for the row's
/// model and task, its scores those its tests give.
Result<Report> stored_repeat_report(const RepeatRow& row);

/// The report's scores are those its tests give (a forged 10 on failing
/// tests is not). Merge and the result cache hold reports to this.
Status check_scores_match_tests(const Report& report);

}  // namespace gradebox::pipeline
