#include "pipeline/leaderboard.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "pipeline/sample_stats.h"

namespace gradebox::pipeline {
namespace {

double round2(double v) { return std::round(v * 100.0) / 100.0; }

// Answers that were too large to grade: (model, task, sample) of each such problem.
std::set<AnswerKey> too_large_answers(const RunView& run) {
  std::set<AnswerKey> keys;
  for (const auto& p : run.problems)
    if (p.kind == "too-large" && !p.model.empty() && !p.task.empty())
      keys.insert({p.model, p.task, p.sample});
  return keys;
}

constexpr int kPassAtK[] = {1, 5, 10};

// One sample of a model × task: its report, or none when it was too large to grade.
struct Sample {
  int number;
  const Report* report;
};

// Every sample of one model × task, graded or too large, in sample order.
std::vector<Sample> samples_of(const RunView& run, const std::set<AnswerKey>& too_large,
                               const std::string& model, const std::string& task) {
  std::map<int, const Report*> found;
  for (auto it = run.results.lower_bound({model, task, 0});
       it != run.results.end() && it->first.model == model && it->first.task == task; ++it)
    found[it->first.sample] = &it->second.report;
  for (auto it = too_large.lower_bound({model, task, 0});
       it != too_large.end() && it->model == model && it->task == task; ++it)
    found.emplace(it->sample, nullptr);  // a graded result of the same sample wins
  std::vector<Sample> samples;
  for (const auto& [number, report] : found) samples.push_back({number, report});
  return samples;
}

// A sample passes when every core test passes (n/a left out).
bool sample_passed(const Report& r) {
  return r.verdict == Verdict::kGraded && r.correctness.total > 0 &&
         r.correctness.passed == r.correctness.total;
}

// Means, pass@k and interval over the samples; a grader-error sample counts
// as 0 (and marks the cell) until it is regraded, a too-large one as 0 for good.
void score_samples(TaskCell& cell, const std::vector<Sample>& samples) {
  double c = 0, e = 0;
  bool any_error = false;
  std::set<std::string> verdicts;
  for (const auto& s : samples) {
    if (!s.report) cell.too_large.push_back(s.number);
    verdicts.insert(s.report ? to_string(s.report->verdict) : "too-large");
    bool graded = s.report && s.report->verdict != Verdict::kGraderError;
    any_error |= s.report && !graded;
    double sc = graded ? s.report->correctness.score : 0,
           se = graded ? s.report->edge_cases.score : 0;
    c += sc, e += se;
    cell.sample_automated.push_back(kCorrectnessWeight * sc + kEdgeWeight * se);
    cell.passed += s.report && sample_passed(*s.report);
  }
  cell.n = static_cast<int>(samples.size());
  cell.verdict = verdicts.size() == 1 ? *verdicts.begin() : "mixed";
  cell.state = any_error                 ? TaskCell::State::kGraderError
               : !cell.too_large.empty() ? TaskCell::State::kTooLarge
                                         : TaskCell::State::kScored;
  cell.correctness = round2(c / cell.n), cell.edge = round2(e / cell.n);
}

void add_sample_statistics(TaskCell& cell) {
  for (int k : kPassAtK)
    if (k <= cell.n) cell.pass_at[k] = pass_at_k(cell.n, cell.passed, k);
  if (cell.n > 1) cell.ci95 = bootstrap_mean(cell.sample_automated, kSampleBootstrapSeed);
}

TaskCell cell_for(const RunView& run, const std::string& model, const std::string& task,
                  const std::set<AnswerKey>& answered, const std::set<AnswerKey>& too_large,
                  const std::optional<HandScores>& hand) {
  TaskCell cell;
  auto samples = samples_of(run, too_large, model, task);
  if (samples.empty()) {
    cell.state =
        answered.count({model, task}) ? TaskCell::State::kPending : TaskCell::State::kMissing;
    return cell;
  }
  score_samples(cell, samples);
  add_sample_statistics(cell);
  cell.automated = round2(kCorrectnessWeight * cell.correctness + kEdgeWeight * cell.edge);
  if (hand) {
    if (auto h = hand->find({model, task}); h != hand->end()) {
      cell.hand = h->second;
      cell.overall = round2(cell.automated + kQualityWeight * h->second.quality +
                            kDocumentationWeight * h->second.documentation);
    }
  }
  return cell;
}

// The row's n, pass@k (for each k every counted task has) and interval.
void summarise_samples(LeaderboardRow& row) {
  std::vector<std::vector<double>> strata;
  std::map<int, std::vector<double>> by_k;
  bool many = false;
  for (const auto& [task, cell] : row.tasks) {
    if (cell.n == 0) continue;
    row.n += cell.n;
    many |= cell.n > 1;
    strata.push_back(cell.sample_automated);
    for (int k : kPassAtK)
      if (cell.pass_at.count(k)) by_k[k].push_back(cell.pass_at.at(k));
  }
  for (const auto& [k, values] : by_k)
    if (values.size() == strata.size()) row.pass_at[k] = mean_of(values);
  if (many) row.ci95 = bootstrap_stratified_mean(strata, kSampleBootstrapSeed);
}

const char* state_note(TaskCell::State state) {
  switch (state) {
    case TaskCell::State::kMissing:
      return "missing answer";
    case TaskCell::State::kPending:
      return "not graded yet";
    default:
      return "";
  }
}

// Means over the tasks that count; each gap becomes a note on the row.
void summarise(LeaderboardRow& row, bool hand_scored) {
  double c = 0, e = 0, q = 0, d = 0, o = 0;
  int with_hand = 0;
  for (const auto& [task, cell] : row.tasks) {
    if (cell.state == TaskCell::State::kGraderError)
      row.notes.push_back(task + ": grader-error, counted as 0 until regraded");
    for (int sample : cell.too_large)
      row.notes.push_back(task + (sample ? "#" + std::to_string(sample) : "") +
                          ": answer too large to grade, counted as 0");
    if (cell.state == TaskCell::State::kPending || cell.state == TaskCell::State::kMissing) {
      row.notes.push_back(task + ": " + state_note(cell.state));
      continue;
    }
    row.scored += cell.state == TaskCell::State::kScored;
    ++row.counted;
    c += cell.correctness, e += cell.edge;
    if (cell.overall) {
      ++with_hand;
      q += cell.hand->quality, d += cell.hand->documentation, o += *cell.overall;
    } else if (hand_scored) {
      row.notes.push_back(task + ": no hand score");
    }
  }
  if (row.counted) {
    row.correctness = round2(c / row.counted), row.edge = round2(e / row.counted);
    row.automated = round2(kCorrectnessWeight * row.correctness + kEdgeWeight * row.edge);
  }
  if (with_hand) {
    row.quality = round2(q / with_hand), row.documentation = round2(d / with_hand);
    row.overall = round2(o / with_hand);
  }
  row.complete = row.scored == static_cast<int>(row.tasks.size()) &&
                 (!hand_scored || with_hand == row.counted);
}

std::set<std::string> models_of(const RunView& run, const std::set<AnswerKey>& too_large) {
  std::set<std::string> models;
  for (const auto& a : run.answers) models.insert(a.record.model);
  for (const auto& p : run.problems) {
    if (!p.model.empty() && p.kind == "missing-answer") models.insert(p.model);
  }
  for (const auto& key : too_large) models.insert(key.model);
  return models;
}

// Cost per model and in total from the records' output tokens; nothing
// when no record carried tokens (then the run says so rather than print 0).
void add_costs(const RunView& run, Leaderboard& board) {
  std::map<std::string, long long> tokens;
  for (const auto& a : run.answers) tokens[a.record.model] += a.record.tokens;
  for (auto& row : board.rows) {
    row.tokens = tokens[row.model];
    for (const auto& [task, cell] : row.tasks) row.solved += cell.passed;
    board.has_tokens |= row.tokens > 0;
    if (row.tokens <= 0 || !row.info) continue;
    row.cost = row.tokens * row.info->price / 1e6;
    board.total_cost = board.total_cost.value_or(0) + *row.cost;
    if (row.solved) row.cost_per_solved = *row.cost / row.solved;
  }
}

// Rows whose automated-score interval overlaps the leader's.
void mark_ties(Leaderboard& board) {
  const LeaderboardRow* leader = nullptr;
  for (const auto& row : board.rows) {
    board.many_samples |= row.ci95.has_value();
    if (row.counted && (!leader || row.automated > leader->automated)) leader = &row;
  }
  if (!leader || !leader->ci95) return;
  for (auto& row : board.rows)
    row.tied_with_leader = &row != leader && row.ci95 && row.ci95->high >= leader->ci95->low &&
                           row.ci95->low <= leader->ci95->high;
}

}  // namespace

std::optional<double> headline(const Leaderboard& board, const LeaderboardRow& row) {
  if (board.hand_scored) return row.overall;
  if (!row.counted) return std::nullopt;
  return row.automated;
}

std::optional<double> headline(const Leaderboard& board, const TaskCell& cell) {
  if (cell.state != TaskCell::State::kScored) return std::nullopt;
  if (board.hand_scored) return cell.overall;
  return cell.automated;
}

Leaderboard build_leaderboard(const RunView& run, const Prices& prices,
                              const std::optional<HandScores>& hand) {
  Leaderboard board;
  board.run_id = run.meta.id;
  board.hand_scored = hand.has_value();
  board.problems = run.problems;
  std::set<std::string> tasks;
  std::set<AnswerKey> answered, too_large = too_large_answers(run);
  for (const auto& a : run.answers) {
    tasks.insert(a.record.task);
    answered.insert({a.record.model, a.record.task});
  }
  for (const auto& key : too_large) tasks.insert(key.task);
  board.tasks.assign(tasks.begin(), tasks.end());
  for (const auto& model : models_of(run, too_large)) {
    LeaderboardRow row;
    row.model = model;
    if (auto p = prices.find(model); p != prices.end())
      row.info = p->second;
    else
      board.unpriced.push_back(model);
    for (const auto& task : board.tasks)
      row.tasks[task] = cell_for(run, model, task, answered, too_large, hand);
    summarise(row, board.hand_scored);
    summarise_samples(row);
    for (const auto& [key, result] : run.results)
      if (key.model == model)
        for (const auto& t : result.report.tests)
          if (t.flaky) row.notes.push_back(answer_name(key) + ": test " + t.id + " is flaky");
    for (const auto& p : run.problems) {
      if (p.model == model && p.kind != "missing-answer" && p.kind != "too-large")
        row.notes.push_back(p.location + ": " + p.kind + " (not graded)");
    }
    auto score = headline(board, row);
    if (score && row.info) row.value = round2(*score / row.info->price);
    board.rows.push_back(std::move(row));
  }
  for (const auto& [key, result] : run.results) {
    if (result.report.verdict == Verdict::kGraderError) board.grader_errors.push_back(&result);
  }
  mark_ties(board);
  add_costs(run, board);
  sort_leaderboard(board, "", false);
  return board;
}

std::vector<std::string> sort_columns(const Leaderboard& board) {
  std::vector<std::string> columns{"model",   "price",         "correctness", "edge",  "automated",
                                   "quality", "documentation", "overall",     "value", "tasks"};
  columns.insert(columns.end(), board.tasks.begin(), board.tasks.end());
  return columns;
}

namespace {

std::optional<double> sort_value(const Leaderboard& board, const LeaderboardRow& row,
                                 const std::string& column) {
  if (column == "price") return row.info ? std::optional(row.info->price) : std::nullopt;
  if (column == "correctness") return row.counted ? std::optional(row.correctness) : std::nullopt;
  if (column == "edge") return row.counted ? std::optional(row.edge) : std::nullopt;
  if (column == "automated") return row.counted ? std::optional(row.automated) : std::nullopt;
  if (column == "quality") return row.quality;
  if (column == "documentation") return row.documentation;
  if (column == "overall") return row.overall;
  if (column == "value") return row.value;
  if (column == "tasks") return row.scored;
  return headline(board, row.tasks.at(column));
}

}  // namespace

Status sort_leaderboard(Leaderboard& board, const std::string& requested, bool ascending) {
  std::string column =
      requested.empty() ? (board.hand_scored ? "overall" : "automated") : requested;
  auto columns = sort_columns(board);
  if (std::find(columns.begin(), columns.end(), column) == columns.end())
    return Error{"sort: unknown column '" + column + "'"};
  board.sorted_by = column;
  board.ascending = ascending;
  auto less = [&](const LeaderboardRow& a, const LeaderboardRow& b) {
    if (column == "model") return ascending ? a.model < b.model : a.model > b.model;
    auto va = sort_value(board, a, column), vb = sort_value(board, b, column);
    if (va.has_value() != vb.has_value()) return va.has_value();  // no value: last
    if (va && *va != *vb) return ascending ? *va < *vb : *va > *vb;
    if (a.complete != b.complete) return a.complete;  // a gap never wins a tie
    return a.model < b.model;
  };
  std::stable_sort(board.rows.begin(), board.rows.end(), less);
  return ok_status();
}

}  // namespace gradebox::pipeline
