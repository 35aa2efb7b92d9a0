// Grading one answer: extract -> build -> run harness (sandboxed) -> check
// (trusted, outside) -> score. The one entry point the CLI, the pipeline and
// the Python module share.
#pragma once

#include <memory>
#include <string>

#include "gradebox/report.h"
#include "gradebox/sandbox.h"
#include "gradebox/task.h"

namespace gradebox {

struct GradeOptions {
  std::string model;            // recorded in the report
  bool pick_best = false;       // --pick best: grade every candidate, keep the best
  bool retry_timeouts = true;   // noisy verdicts (a starved timeout, a CPU time near the
                                // limit) are run again before they count; false: never
  std::string reasoning{};      // a record's separate reasoning text (JSONL reasoning_content,
                                // --reasoning FILE): read only when the answer has no code
  std::string finish_reason{};  // the API's finish reason; "length" marks the report truncated
  bool keep_box = false;        // leave each harness run's box on disk, with how to re-run it
};

/// Empty when `reason` is a valid finish reason (one short word), else the
/// problem in one line, for the CLI and the Python module to report.
std::string finish_reason_problem(const std::string& reason);

/// True for the finish reasons that mean "cut at the token limit".
bool finish_reason_cut_off(const std::string& reason);

/// Removes the boxes (answer folders) left by gradebox processes that no
/// longer exist; a front end calls it before it starts grading.
void remove_stale_boxes();

/// Grades `answer` (the model's raw text) for `task`. Never throws for
/// anything the answer does; a fault of gradebox or of the environment is a
/// report with verdict grader-error.
class Grader {
 public:
  explicit Grader(std::shared_ptr<Sandbox> sandbox);
  virtual ~Grader() = default;
  virtual Report grade(const Task& task, const std::string& answer,
                       const GradeOptions& options) const;

 protected:
  Grader() = default;  // a Grader that grades elsewhere (a child process)

 private:
  Report grade_or_throw(const Task& task, const std::string& answer,
                        const GradeOptions& options) const;
  std::shared_ptr<Sandbox> sandbox_;
};

}  // namespace gradebox
