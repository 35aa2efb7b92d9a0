// Grading a whole run, as an ordered checklist: name the run (so a second
// start finds it and resumes), store its answers and problems, pick the
// answers of this shard that have no result yet, grade them, write reports.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "gradebox/task.h"
#include "pipeline/batch.h"
#include "pipeline/history.h"
#include "pipeline/run_input.h"
#include "pipeline/shard.h"

namespace gradebox::pipeline {

struct RunOptions {
  std::string run_id;                 // empty: <input name>-<fingerprint>
  std::optional<Shard> shard;         // grade only this slice
  std::filesystem::path reports_dir;  // every report also as <dir>/<run>/<model>/<task>.json
  BatchOptions batch;
};

struct RunOutcome {
  RunMeta meta;
  int answers = 0;              // in the whole input
  int in_slice = 0;             // answers of this shard (all, without --shard)
  int already_done = 0;         // had a result before this start (resume)
  int reports_not_written = 0;  // report files that failed (the error is in summary.errors)
  BatchSummary summary;
};

/// Identifies a run by what determines its results: the answers (text,
/// reasoning, finish_reason), the grader stamps of their tasks and the
/// grading options. Same input + same graders
/// = same run, so an interrupted start resumes it and shards agree on it.
std::string run_fingerprint(const RunInput& input, const TaskRegistry& registry,
                            const GradeOptions& options);

/// The run's default id: the input's file or folder name + the fingerprint.
std::string default_run_id(const RunInput& input, const std::string& fingerprint);

Result<RunOutcome> grade_run(History& history, const RunInput& input, const TaskRegistry& registry,
                             const RunOptions& options, const GraderFactory& make_grader);

/// A stored run's answers as input again: re-grading them with the current
/// graders (nightly --regrade) separates grader changes from model changes.
RunInput input_from_run(const RunView& run);

/// Writes <dir>/<run>/<model>/<task>.json atomically (temp file + rename);
/// a sample other than 0 writes <task>.sample-<N>.json beside it. The ids
/// must pass is_safe_id; no link below `dir` is followed.
Status write_report_file(const std::filesystem::path& dir, const std::string& run_id,
                         const Report& report, int sample = 0);

}  // namespace gradebox::pipeline
