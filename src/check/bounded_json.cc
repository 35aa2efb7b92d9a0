#include "check/bounded_json.h"

namespace gradebox {

int nesting_depth(std::string_view text, int stop_after) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character cannot end the string
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > stop_after) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> parse_bounded(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Error{"over the " + std::to_string(limits.max_bytes) + "-byte " + limits.unit +
                 " limit"};
  if (nesting_depth(text, limits.max_depth) > limits.max_depth)
    return Error{"nested deeper than the " + std::to_string(limits.max_depth) + "-level limit"};
  auto value = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Error{kNotJson};
  return value;
}

bool over_a_limit(const Error& error) { return error.message != kNotJson; }

nlohmann::json channel_limits_json(const JsonLimits& limits) {
  return {{"max_line_bytes", limits.max_bytes}, {"max_depth", limits.max_depth}};
}

}  // namespace gradebox
