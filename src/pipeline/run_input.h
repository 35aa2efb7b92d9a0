// A benchmark run as input: answers from a run directory
// (<run>/<model-id>/<task-id>.md, its reasoning optionally beside it in
// <task-id>.reasoning.md; or many samples as <run>/<model-id>/<task-id>/<N>.md
// with <N>.reasoning.md) or from the harness's JSONL records (`"sample": N`
// optional, 0 when absent). Every
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
  std::string source;           // "run.jsonl:12" or "run/glm-5/flatten_py.md"
  std::string reasoning{};      // JSONL reasoning_content, or <task>.reasoning.md
  std::string finish_reason{};  // JSONL finish_reason, e.g. "stop", "length"
  int sample = 0;               // which of a model's samples for the task (JSONL "sample")
};

/// The largest sample number accepted (JSONL "sample", <task>/<N>.md).
constexpr int kMaxSample = 9999;

/// Why an answer (or a line) was not graded. `kind` is one of unknown-task,
/// missing-answer, duplicate, malformed, missing-field, bad-id, not-an-answer,
/// symlink, unreadable, too-large. Every string in it is printable: ids are
/// set only when they pass is_safe_id, file names are shown with printable().
/// A too-large answer scores 0 in the leaderboard (it is the model's answer),
/// as the sample it was (`<task>/<N>.md`, JSONL "sample").
struct InputProblem {
  std::string kind;
  std::string location;  // file or file:line
  std::string model;     // when known
  std::string task;      // when known
  std::string message;
  int sample = 0;  // the answer's, for a too-large one
};

struct RunInput {
  std::filesystem::path path;
  std::vector<AnswerRecord> answers;  // sorted by (model, task, sample)
  std::vector<InputProblem> problems;
};

/// What one answer or record may weigh. Past them nothing more is read.
struct InputLimits {
  std::size_t max_answer_bytes = 1 << 20;  // the text; a record's reasoning_content too
  std::size_t max_line_bytes = 4 << 20;    // one JSONL record: longer is malformed
};

/// Loads a run directory or a .jsonl file. `known_tasks` are the task packs
/// that loaded; answers to other tasks become unknown-task problems. Below
/// the run directory no symlink is followed (each is a problem). Error only
/// when the path itself cannot be read.
Result<RunInput> load_run_input(const std::filesystem::path& path,
                                const std::set<std::string>& known_tasks,
                                const InputLimits& limits = {});

/// Answers whose text or reasoning is over the size limit become too-large problems (for input that
/// did not come through load_run_input, e.g. a stored run regraded).
void enforce_answer_limit(RunInput& input, const InputLimits& limits);

/// Model and task ids become file names: letters, digits, '.', '_', '-';
/// never "", "." or "..", at most 128 characters.
bool is_safe_id(const std::string& id);

}  // namespace gradebox::pipeline
