#include "pipeline/shard.h"

#include <cstdint>
#include <regex>

#include "util/text_hash.h"

namespace gradebox::pipeline {

std::optional<Shard> parse_shard(const std::string& text) {
  static const std::regex pattern(R"((\d{1,6})/(\d{1,6}))");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  Shard s{std::stoi(m[1]), std::stoi(m[2])};
  if (s.count < 1 || s.index < 1 || s.index > s.count) return std::nullopt;
  return s;
}

bool in_shard(const std::string& model, const std::string& task, const Shard& shard) {
  std::uint64_t h = std::stoull(hash_text(model + '\0' + task), nullptr, 16);
  return static_cast<int>(h % static_cast<std::uint64_t>(shard.count)) == shard.index - 1;
}

std::string to_string(const Shard& shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

}  // namespace gradebox::pipeline
