// Prices per model (fixtures/prices.json) and optional hand scores for the
// rubric's human parts: code quality (25%) and documentation (15%).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "gradebox/status.h"

namespace gradebox::pipeline {

struct ModelInfo {
  std::string id;
  std::string name;
  std::string provider;
  std::string category;
  double price = 0;  // USD per million output tokens
  std::string note;
};
using Prices = std::map<std::string, ModelInfo>;

/// {"models": [{"id", "name", "price_per_mtok_output", ...}]}; the Error
/// names the file and the entry.
Result<Prices> load_prices(const std::filesystem::path& path);

/// One answer's hand scores, 0-10 each.
struct HandScore {
  double quality = 0;
  double documentation = 0;
};
using HandScores = std::map<std::pair<std::string, std::string>, HandScore>;  // (model, task)

/// CSV (model,task,code_quality,documentation with a header line) or JSON
/// (an array of objects with those keys, or {"scores": [...]}). Errors name
/// the line or the entry.
Result<HandScores> load_hand_scores(const std::filesystem::path& path);

}  // namespace gradebox::pipeline
