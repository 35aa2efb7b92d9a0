// The leaderboard: per model, the rubric's automated components, the hand
// scored ones when given, overall, price, value and per-task scores.
// Rubric (shared/benchmark.md): overall = 0.4 correctness + 0.2 edge cases
// + 0.25 code quality + 0.15 documentation. Without hand scores only the
// automated part (0.4c + 0.2e, out of 6) exists and is labelled so.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/history.h"
#include "pipeline/prices.h"

namespace gradebox::pipeline {

constexpr double kCorrectnessWeight = 0.4;
constexpr double kEdgeWeight = 0.2;
constexpr double kQualityWeight = 0.25;
constexpr double kDocumentationWeight = 0.15;

/// One model's result on one task.
struct TaskCell {
  // kTooLarge: the answer was over the input size limit and not graded; like
  // a grader-error it counts as 0, so an input problem is no way out of a zero.
  enum class State { kScored, kGraderError, kTooLarge, kMissing, kPending } state = State::kMissing;
  std::string verdict;
  double correctness = 0;
  double edge = 0;
  double automated = 0;  // 0.4c + 0.2e, out of 6
  std::optional<HandScore> hand;
  std::optional<double> overall;  // out of 10, when hand scored
};

struct LeaderboardRow {
  std::string model;
  std::optional<ModelInfo> info;  // from the prices file
  std::map<std::string, TaskCell> tasks;
  int scored = 0;  // tasks graded
  // Tasks in the means: graded ones, grader-errors as 0 until regraded and
  // too-large answers as 0, so neither can ever improve a rank.
  int counted = 0;
  double correctness = 0, edge = 0, automated = 0;  // means over counted tasks
  std::optional<double> quality, documentation, overall;
  std::optional<double> value;     // headline score / price
  std::vector<std::string> notes;  // missing answers, grader errors, skipped input
  bool complete = false;           // every task scored (and hand scored, if hand scores are used)
};

struct Leaderboard {
  std::string run_id;
  std::vector<std::string> tasks;
  std::vector<LeaderboardRow> rows;
  bool hand_scored = false;
  std::string sorted_by;
  bool ascending = false;
  std::vector<InputProblem> problems;
  std::vector<const StoredResult*> grader_errors;  // listed apart; 0 in the means
  std::vector<std::string> unpriced;               // models without a price
};

/// `run` must outlive the leaderboard (grader_errors point into it).
Leaderboard build_leaderboard(const RunView& run, const Prices& prices,
                              const std::optional<HandScores>& hand);

/// The columns one can sort by: model, price, correctness, edge, automated,
/// quality, documentation, overall, value, tasks, or a task id.
std::vector<std::string> sort_columns(const Leaderboard& board);

/// Sorts by `column` (empty: overall, or automated without hand scores);
/// rows without a value go last; ties go to complete rows, then by model id.
/// Error on an unknown column.
Status sort_leaderboard(Leaderboard& board, const std::string& column, bool ascending);

/// The headline score: overall when hand scored, else the automated part.
std::optional<double> headline(const Leaderboard& board, const LeaderboardRow& row);
std::optional<double> headline(const Leaderboard& board, const TaskCell& cell);

}  // namespace gradebox::pipeline
