#include "report/leaderboard_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

using nlohmann::json;

constexpr const char* kTieNote =
    "~ = tied with the leader: the 95% intervals of the automated score overlap.";
constexpr const char* kSamplesNote =
    "×n = samples per task; pass@k: the chance that one of k samples passes every core test.";

std::string num(std::optional<double> v, int decimals = 2) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : "n/a";
}

std::string cell_text(const Leaderboard& board, const TaskCell& cell) {
  switch (cell.state) {
    case TaskCell::State::kGraderError:
      return "ERR";
    case TaskCell::State::kTooLarge:
      return "too-large";
    case TaskCell::State::kMissing:
      return "missing";
    case TaskCell::State::kPending:
      return "pending";
    default:
      return num(headline(board, cell), 1) + (cell.n > 1 ? fmt::format(" ×{}", cell.n) : "");
  }
}

// "\n" after a note, nothing for no note.
std::string line_of(const std::string& note) { return note.empty() ? note : note + "\n"; }

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Table make_table(const Leaderboard& board) {
  Table t;
  t.header = {"#", "model", "price", "correct", "edge", "auto/6"};
  // Many samples: n, the interval and pass@k (with one sample each the
  // table is what it always was).
  std::set<int> ks = board.many_samples ? pass_at_ks(board) : std::set<int>{};
  if (board.many_samples) t.header.insert(t.header.end(), {"95% CI", "n"});
  for (int k : ks) t.header.push_back(fmt::format("pass@{}", k));
  if (board.hand_scored) t.header.insert(t.header.end(), {"quality", "docs", "overall"});
  t.header.insert(t.header.end(), {board.hand_scored ? "value" : "auto value", "tasks"});
  t.header.insert(t.header.end(), board.tasks.begin(), board.tasks.end());
  int rank = 0;
  for (const auto& row : board.rows) {
    std::vector<std::string> r{
        std::to_string(++rank),
        row.model + (row.tied_with_leader ? " ~" : "") + (row.complete ? "" : " *"),
        row.info ? fmt::format("{:.2f}", row.info->price) : "n/a",
        row.counted ? num(row.correctness) : "n/a",
        row.counted ? num(row.edge) : "n/a",
        row.counted ? num(row.automated) : "n/a"};
    if (board.many_samples) r.insert(r.end(), {interval_text(row.ci95), std::to_string(row.n)});
    for (int k : ks)
      r.push_back(row.pass_at.count(k) ? fmt::format("{:.3f}", row.pass_at.at(k)) : "-");
    if (board.hand_scored)
      r.insert(r.end(), {num(row.quality), num(row.documentation), num(row.overall)});
    r.push_back(num(row.value, 1));
    r.push_back(fmt::format("{}/{}", row.scored, row.tasks.size()));
    for (const auto& task : board.tasks) r.push_back(cell_text(board, row.tasks.at(task)));
    t.rows.push_back(std::move(r));
  }
  return t;
}

// One line on what the run cost, or why that is unknown.
std::string cost_note(const Leaderboard& board) {
  if (!board.has_tokens) return "cost unknown: the records carry no token counts";
  if (!board.total_cost) return "cost unknown: no model with token counts has a price";
  std::string text = fmt::format("cost: ${:.2f} in total", *board.total_cost);
  for (const auto& row : board.rows) {
    if (!row.cost) continue;
    text += fmt::format("; {} ${:.2f}", row.model, *row.cost);
    if (row.cost_per_solved)
      text += fmt::format(" (${:.3f} per solved task)", *row.cost_per_solved);
  }
  return text;
}

// One line per note; ids and messages in them come from benchmark input.
std::vector<std::string> note_lines(const Leaderboard& board) {
  std::vector<std::string> lines;
  for (const auto& row : board.rows) {
    for (const auto& note : row.notes) lines.push_back(row.model + " — " + note);
  }
  for (const auto* e : board.grader_errors) {
    lines.push_back("grader-error " + e->report.model + "/" + e->report.task + ": " +
                    e->report.verdict_detail.substr(0, 200));
  }
  for (const auto& p : board.problems) {
    if (p.model.empty()) lines.push_back(p.location + ": " + p.message);
  }
  for (const auto& m : board.unpriced) lines.push_back(m + " has no price: no value");
  return lines;
}

}  // namespace

std::set<int> pass_at_ks(const Leaderboard& board) {
  std::set<int> ks;
  for (const auto& row : board.rows)
    for (const auto& [k, p] : row.pass_at) ks.insert(k);
  return ks;
}

std::string samples_note(const Leaderboard& board) {
  if (!board.many_samples) return "";
  bool tied = std::any_of(board.rows.begin(), board.rows.end(),
                          [](const LeaderboardRow& row) { return row.tied_with_leader; });
  return (tied ? kTieNote + std::string(" ") : std::string()) + kSamplesNote;
}

std::string interval_text(const std::optional<Interval>& ci95) {
  return ci95 ? fmt::format("{:.2f}–{:.2f}", ci95->low, ci95->high) : "-";
}

std::string scoring_note(const Leaderboard& board) {
  if (board.hand_scored)
    return "overall = 0.4·correctness + 0.2·edge cases (measured by gradebox) + 0.25·code quality "
           "+ 0.15·documentation (hand scores); value = overall / price (USD per million output "
           "tokens).";
  return "Automated part only: 0.4·correctness + 0.2·edge cases, out of 6. Code quality (25%) and "
         "documentation (15%) are NOT scored: 40% of the rubric is missing, so these numbers are "
         "not the hand-scored rubric (pass --hand-scores FILE to merge them). auto value = "
         "automated part / price.";
}

std::vector<std::string> value_frontier(const Leaderboard& board) {
  std::vector<std::string> frontier;
  for (const auto& a : board.rows) {
    auto sa = headline(board, a);
    if (!sa || !a.info) continue;
    bool dominated = false;
    for (const auto& b : board.rows) {
      auto sb = headline(board, b);
      if (&a == &b || !sb || !b.info) continue;
      if (b.info->price <= a.info->price && *sb >= *sa &&
          (b.info->price < a.info->price || *sb > *sa))
        dominated = true;
    }
    if (!dominated) frontier.push_back(a.model);
  }
  return frontier;
}

// Ids and notes come from benchmark input: no control character reaches a
// terminal (a newline would fake a row, ESC start an escape sequence).
Table printable_table(const Leaderboard& board) {
  Table t = make_table(board);
  for (auto& cell : t.header) cell = printable(cell);
  for (auto& row : t.rows)
    for (auto& cell : row) cell = printable(cell);
  return t;
}

std::string printable_notes(const Leaderboard& board, const std::string& bullet) {
  std::string out;
  for (const auto& line : note_lines(board)) out += bullet + printable(line) + "\n";
  return out;
}

std::string leaderboard_text(const Leaderboard& board) {
  Table t = printable_table(board);
  std::vector<std::size_t> width(t.header.size());
  for (std::size_t i = 0; i < t.header.size(); ++i) width[i] = t.header[i].size();
  for (const auto& r : t.rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i)
      out += (i == 1 ? fmt::format("{:<{}}", cells[i], width[i])
                     : fmt::format("{:>{}}", cells[i], width[i])) +
             "  ";
    return out.substr(0, out.find_last_not_of(' ') + 1) + "\n";
  };
  std::string out = "Leaderboard of run " + board.run_id + " (sorted by " + board.sorted_by + ")\n";
  out += line(t.header);
  for (const auto& r : t.rows) out += line(r);
  out += "\n" + scoring_note(board) + "\n* = incomplete: see the notes.\n";
  out += printable(cost_note(board)) + "\n";
  out += line_of(samples_note(board));
  std::string notes = printable_notes(board, "  - ");
  if (!notes.empty()) out += "\nNotes:\n" + notes;
  return out;
}

std::string leaderboard_markdown(const Leaderboard& board) {
  Table t = printable_table(board);
  auto row = [](const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& c : cells) out += " " + c + " |";
    return out + "\n";
  };
  std::string out = "## Leaderboard: run `" + board.run_id + "`\n\n" + row(t.header) + "|";
  for (std::size_t i = 0; i < t.header.size(); ++i) out += i == 1 ? "---|" : "---:|";
  out += "\n";
  for (const auto& r : t.rows) out += row(r);
  out += "\n" + scoring_note(board) + " `*` = incomplete (see notes).\n";
  out += line_of(samples_note(board));
  std::string notes = printable_notes(board, "- ");
  if (!notes.empty()) out += "\n### Notes\n\n" + notes;
  return out;
}

namespace {

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line
// break. Ids come from benchmark input: a field a spreadsheet would read as a
// formula (= + - @, tab, CR first) is made inert with a leading quote (OWASP,
// "CSV Injection").
std::string csv_field(const std::string& text) {
  std::string field = text;
  if (!field.empty() && std::string("=+-@\t\r").find(field[0]) != std::string::npos)
    field = "'" + field;
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Many samples (issue 19): n, pass@k for each k some row has and the 95 %
// interval of the automated score; with one sample each the CSV has none of them.
std::string csv_sample_header(const std::set<int>& ks) {
  std::string out = ",n";
  for (int k : ks) out += "," + csv_field(fmt::format("pass@{}", k));
  return out + ",ci95_low,ci95_high";
}

std::string csv_sample_fields(const LeaderboardRow& row, const std::set<int>& ks) {
  std::string out = fmt::format(",{}", row.n);
  for (int k : ks)
    out += "," + (row.pass_at.count(k) ? fmt::format("{:.3f}", row.pass_at.at(k)) : "");
  if (!row.ci95) return out + ",,";
  return out + fmt::format(",{:.2f},{:.2f}", row.ci95->low, row.ci95->high);
}

}  // namespace

std::string leaderboard_csv(const Leaderboard& board) {
  std::set<int> ks = pass_at_ks(board);
  std::string out =
      "model,price,correctness,edge,automated,quality,documentation,overall,value,"
      "scored_tasks,total_tasks,complete";
  if (board.many_samples) out += csv_sample_header(ks);
  for (const auto& task : board.tasks) out += "," + csv_field(task);
  out += "\n";
  auto opt = [](std::optional<double> v) { return v ? fmt::format("{:.2f}", *v) : std::string(); };
  for (const auto& row : board.rows) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}", csv_field(row.model),
                       row.info ? fmt::format("{:.2f}", row.info->price) : "",
                       row.counted ? opt(row.correctness) : "", row.counted ? opt(row.edge) : "",
                       row.counted ? opt(row.automated) : "", opt(row.quality),
                       opt(row.documentation), opt(row.overall), opt(row.value), row.scored,
                       row.tasks.size(), row.complete ? "yes" : "no");
    if (board.many_samples) out += csv_sample_fields(row, ks);
    for (const auto& task : board.tasks) {
      const TaskCell& c = row.tasks.at(task);
      out += "," + csv_field(c.state == TaskCell::State::kScored ? opt(headline(board, c))
                                                                 : cell_text(board, c));
    }
    out += "\n";
  }
  return out;
}

namespace {

// Issue 19's sample fields, present for every n: pass_at keyed by k as a
// string, ci95 null for a single sample.
json samples_json(int n, const std::map<int, double>& pass_at,
                  const std::optional<Interval>& ci95) {
  json by_k = json::object();
  for (const auto& [k, p] : pass_at) by_k[std::to_string(k)] = std::round(p * 1000.0) / 1000.0;
  auto round2 = [](double v) { return std::round(v * 100.0) / 100.0; };
  json interval = ci95 ? json::array({round2(ci95->low), round2(ci95->high)}) : json(nullptr);
  return {{"n", n}, {"pass_at", by_k}, {"ci95", interval}};
}

}  // namespace

json leaderboard_json(const Leaderboard& board) {
  auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
  json rows = json::array();
  for (const auto& row : board.rows) {
    json tasks = json::object();
    for (const auto& [task, c] : row.tasks) {
      json cell = {{"state", cell_text(board, c)}, {"verdict", c.verdict}};
      if (c.state == TaskCell::State::kScored) {
        cell.update({{"correctness", c.correctness},
                     {"edge_cases", c.edge},
                     {"automated", c.automated},
                     {"overall", opt(c.overall)}});
        if (c.hand)
          cell.update({{"quality", c.hand->quality}, {"documentation", c.hand->documentation}});
      }
      cell.update(samples_json(c.n, c.pass_at, c.ci95));
      tasks[task] = cell;
    }
    rows.push_back({{"model", row.model},
                    {"name", row.info ? row.info->name : row.model},
                    {"price", row.info ? json(row.info->price) : json(nullptr)},
                    {"correctness", row.counted ? json(row.correctness) : json(nullptr)},
                    {"edge_cases", row.counted ? json(row.edge) : json(nullptr)},
                    {"automated", row.counted ? json(row.automated) : json(nullptr)},
                    {"quality", opt(row.quality)},
                    {"documentation", opt(row.documentation)},
                    {"overall", opt(row.overall)},
                    {"value", opt(row.value)},
                    {"scored_tasks", row.scored},
                    {"complete", row.complete},
                    {"notes", row.notes},
                    {"tasks", tasks}});
    rows.back().update(samples_json(row.n, row.pass_at, row.ci95));
    rows.back()["tied_with_leader"] = row.tied_with_leader;
    rows.back().update({{"tokens", row.tokens},
                        {"solved", row.solved},
                        {"cost_usd", opt(row.cost)},
                        {"cost_per_solved_usd", opt(row.cost_per_solved)}});
  }
  json errors = json::array();
  for (const auto* e : board.grader_errors)
    errors.push_back({{"model", e->report.model},
                      {"task", e->report.task},
                      {"detail", e->report.verdict_detail}});
  json problems = json::array();
  for (const auto& p : board.problems)
    problems.push_back({{"kind", p.kind},
                        {"location", p.location},
                        {"model", p.model},
                        {"task", p.task},
                        {"sample", p.sample},
                        {"message", p.message}});
  return {{"run", board.run_id},
          {"hand_scored", board.hand_scored},
          {"scoring", scoring_note(board)},
          {"sorted_by", board.sorted_by},
          {"ascending", board.ascending},
          {"tasks", board.tasks},
          {"rows", rows},
          {"value_frontier", value_frontier(board)},
          {"grader_errors", errors},
          {"problems", problems},
          {"total_cost_usd", board.total_cost ? json(*board.total_cost) : json(nullptr)},
          {"cost_note", cost_note(board)}};
}

}  // namespace gradebox::pipeline
