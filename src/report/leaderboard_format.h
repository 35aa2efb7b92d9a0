// The leaderboard for people and programs: a terminal table, Markdown, CSV,
// JSON, and a self-contained HTML report with charts (html_report.cc).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "pipeline/leaderboard.h"

namespace gradebox::pipeline {

std::string leaderboard_text(const Leaderboard& board);
std::string leaderboard_markdown(const Leaderboard& board);
std::string leaderboard_csv(const Leaderboard& board);
nlohmann::json leaderboard_json(const Leaderboard& board);
/// One HTML file, no network: score-vs-price chart with the value frontier,
/// a model x task heat map, every answer's report behind a link.
std::string leaderboard_html(const Leaderboard& board, const RunView& run);

/// What the numbers are, said plainly (the rubric's unscored 40% included).
std::string scoring_note(const Leaderboard& board);

/// Many samples (some n > 1): what ×n and pass@k mean, and ~ (tied with
/// the leader) only when some row is tied; empty for one sample each.
std::string samples_note(const Leaderboard& board);

/// The k of the pass@k columns: each k some row has.
std::set<int> pass_at_ks(const Leaderboard& board);

/// "low–high" with 2 decimals, "-" for none.
std::string interval_text(const std::optional<Interval>& ci95);

/// Models on the value frontier: no other model is both cheaper (or as
/// cheap) and better (or as good) with one of them strict.
std::vector<std::string> value_frontier(const Leaderboard& board);

}  // namespace gradebox::pipeline
