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
#include "pipeline/stats.h"

namespace gradebox::pipeline {

constexpr double kCorrectnessWeight = 0.4;
constexpr double kEdgeWeight = 0.2;
constexpr double kQualityWeight = 0.25;
constexpr double kDocumentationWeight = 0.15;

/// One model's result on one task.
struct TaskCell {
  // kTooLarge: an answer (a sample) was over the input size limit and not
  // graded; like a grader-error it counts as 0, so an input problem is no
  // way out of a zero.
  enum class State { kScored, kGraderError, kTooLarge, kMissing, kPending } state = State::kMissing;
  std::string verdict;     // the sample's, or the samples' when all agree, else "mixed"
  double correctness = 0;  // mean over the samples
  double edge = 0;
  double automated = 0;  // 0.4c + 0.2e, out of 6
  std::optional<HandScore> hand;
  std::optional<double> overall;  // out of 10, when hand scored
  // Many samples (issue 19): n graded, how many passed every core test,
  // unbiased pass@k for each k in {1, 5, 10} with k <= n, and a 95 %
  // bootstrap interval of the mean automated score when n > 1.
  int n = 0;
  int passed = 0;
  std::map<int, double> pass_at;
  std::optional<Interval> ci95;
  std::vector<double> sample_automated;  // per sample, in sample order (grader-errors as 0)
  std::vector<int> too_large;            // the samples too large to grade (each counted as 0)
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
  int n = 0;                                        // samples summed over tasks
  std::map<int, double> pass_at;  // mean over tasks, for each k every counted task has
  std::optional<Interval> ci95;   // of automated, resampled within each task; none when all n = 1
  // Its interval overlaps the leader's (highest automated score): the two are
  // not told apart by these samples. Hand scores have no interval.
  bool tied_with_leader = false;
  // Cost (prices are USD per million output tokens): known only when the
  // records carried `tokens` and the model has a price.
  long long tokens = 0;                   // output tokens over its answers
  int solved = 0;                         // samples that passed every core test
  std::optional<double> cost;             // USD over its answers
  std::optional<double> cost_per_solved;  // USD per solved task, when one is solved
  std::optional<double> quality, documentation, overall;
  std::optional<double> value;     // headline score / price
  std::vector<std::string> notes;  // missing answers, grader errors, skipped input
  bool complete = false;           // every task scored (and hand scored, if hand scores are used)
};

struct Leaderboard {
  std::string run_id;
  bool many_samples = false;         // some model × task has n > 1
  std::optional<double> total_cost;  // USD over every priced model with token counts
  bool has_tokens = false;           // some record carried `tokens`
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
