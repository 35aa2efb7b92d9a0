// Grading each answer in a child gradebox (`gradebox grade --task T -
// --format json`: the answer on stdin, its finish_reason as an option, its
// reasoning in a private temporary file), so that a crash or a hang of
// gradebox's own code on one answer costs that answer a grader-error and
// nothing else: the run goes on with the next answer, and a resume meets
// it as a grader-error to retry, contained again, never as a crash of the
// whole run. The price is one gradebox start per answer (README, "The
// benchmark pipeline").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gradebox/grade.h"

namespace gradebox::pipeline {

class ChildProcessGrader : public Grader {
 public:
  /// `command`: the program and its global options, e.g. {"/proc/self/exe",
  /// "--graders", "/abs/graders"}; `grade`, the task and the options follow.
  /// `backstop`: how long one answer may take (default: hang_backstop).
  explicit ChildProcessGrader(std::vector<std::string> command,
                              std::optional<std::chrono::seconds> backstop = std::nullopt);
  Report grade(const Task& task, const std::string& answer,
               const GradeOptions& options) const override;

 private:
  std::vector<std::string> command_;
  std::optional<std::chrono::seconds> backstop_;
};

/// How long grading one answer of `task` may take before the child counts
/// as hung: far above an honest grading (every candidate's harness run at
/// its wall limit, and a probe at its timeout, for each of --pick best's
/// candidates and the join retry).
std::chrono::seconds hang_backstop(const Task& task);

}  // namespace gradebox::pipeline
