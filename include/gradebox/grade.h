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
  std::string reasoning{};      // the record's separate reasoning text (JSONL
                                // reasoning_content, `grade --reasoning FILE`)
  std::string finish_reason{};  // why the model stopped, e.g. "length" (cut at the limit)
};

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
  Report grade_or_throw(const Task& task, const std::string& answer, const GradeOptions& options) const;
  std::shared_ptr<Sandbox> sandbox_;
};

}  // namespace gradebox
