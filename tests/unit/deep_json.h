// JSON nested deeper than any recursive walk survives, for the tests of
// bounded parsing and reports.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace gradebox::testing {

/// `depth` arrays, each the only item of the one around it. Parsed, not
/// built: nlohmann's parser does not recurse.
inline nlohmann::json nested(int depth) {
  return nlohmann::json::parse(std::string(depth, '[') + std::string(depth, ']'));
}

}  // namespace gradebox::testing
