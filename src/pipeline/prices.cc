#include "pipeline/prices.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Error{"open(" + path.string() + "): cannot read"};
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) return Error{"parse(" + path.string() + "): malformed JSON"};
  return j;
}

std::optional<double> score_value(const std::string& text) {
  try {
    std::size_t used = 0;
    double v = std::stod(text, &used);
    if (used != text.size() || v < 0 || v > 10) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::vector<std::string> split_csv_line(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

Result<HandScores> hand_scores_csv(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Error{"open(" + path.string() + "): cannot read"};
  HandScores scores;
  std::string line;
  std::getline(in, line);
  if (split_csv_line(line) !=
      std::vector<std::string>{"model", "task", "code_quality", "documentation"})
    return Error{path.string() + ":1: header must be model,task,code_quality,documentation"};
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \r") == std::string::npos) continue;
    auto cells = split_csv_line(line);
    std::string where = path.string() + ":" + std::to_string(number);
    if (cells.size() != 4) return Error{where + ": expected 4 cells"};
    auto q = score_value(cells[2]), d = score_value(cells[3]);
    if (!q || !d) return Error{where + ": scores must be numbers from 0 to 10"};
    if (!scores.emplace(std::make_pair(cells[0], cells[1]), HandScore{*q, *d}).second)
      return Error{where + ": duplicate " + cells[0] + "/" + cells[1]};
  }
  return scores;
}

Result<HandScores> hand_scores_json(const fs::path& path) {
  auto j = read_json(path);
  if (!j) return j.error();
  const json& list = j->is_object() ? (*j)["scores"] : *j;
  if (!list.is_array()) return Error{path.string() + ": expected an array of scores"};
  HandScores scores;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& e = list[i];
    std::string where = path.string() + ": entry " + std::to_string(i);
    if (!e.is_object() || !e.contains("model") || !e.contains("task") ||
        !e["code_quality"].is_number() || !e["documentation"].is_number())
      return Error{where + ": needs model, task, code_quality, documentation"};
    HandScore s{e["code_quality"], e["documentation"]};
    if (s.quality < 0 || s.quality > 10 || s.documentation < 0 || s.documentation > 10)
      return Error{where + ": scores must be from 0 to 10"};
    scores[{e["model"].get<std::string>(), e["task"].get<std::string>()}] = s;
  }
  return scores;
}

}  // namespace

Result<Prices> load_prices(const fs::path& path) {
  auto j = read_json(path);
  if (!j) return j.error();
  if (!j->is_object() || !(*j)["models"].is_array())
    return Error{path.string() + ": expected {\"models\": [...]}"};
  Prices prices;
  for (const auto& m : (*j)["models"]) {
    if (!m.is_object() || !m["id"].is_string() || !m["price_per_mtok_output"].is_number())
      return Error{path.string() + ": every model needs id and price_per_mtok_output: " + m.dump()};
    ModelInfo info{m["id"],
                   m.value("name", m["id"].get<std::string>()),
                   m.value("provider", ""),
                   m.value("category", ""),
                   m["price_per_mtok_output"],
                   m.value("note", "")};
    if (info.price <= 0) return Error{path.string() + ": price of " + info.id + " must be > 0"};
    prices[info.id] = info;
  }
  return prices;
}

Result<HandScores> load_hand_scores(const fs::path& path) {
  if (path.extension() == ".json") return hand_scores_json(path);
  return hand_scores_csv(path);
}

}  // namespace gradebox::pipeline
