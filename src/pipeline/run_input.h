// A benchmark run as input: answers from a run directory
// (<run>/<model-id>/<task-id>.md) or from the harness's JSONL records. Every
// answer that cannot be graded is a problem with its file or line, never
// silently dropped.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "gradebox/status.h"

namespace gradebox::pipeline {

/// One model's answer to one task, as the benchmark harness produced it.
struct AnswerRecord {
  std::string model;
  std::string task;
  std::string text;
  double latency_s = 0;
  long long tokens = 0;
  std::string source;  // "run.jsonl:12" or "run/glm-5/flatten_py.md"
};

/// Why an answer (or a line) was not graded. `kind` is one of unknown-task,
/// missing-answer, duplicate, malformed, missing-field, bad-id, not-an-answer.
struct InputProblem {
  std::string kind;
  std::string location;  // file or file:line
  std::string model;     // when known
  std::string task;      // when known
  std::string message;
};

struct RunInput {
  std::filesystem::path path;
  std::vector<AnswerRecord> answers;  // sorted by (model, task)
  std::vector<InputProblem> problems;
};

/// Loads a run directory or a .jsonl file. `known_tasks` are the task packs
/// that loaded; answers to other tasks become unknown-task problems. Error
/// only when the path itself cannot be read.
Result<RunInput> load_run_input(const std::filesystem::path& path,
                                const std::set<std::string>& known_tasks);

/// Model and task ids become file names: letters, digits, '.', '_', '-'.
bool is_safe_id(const std::string& id);

}  // namespace gradebox::pipeline
