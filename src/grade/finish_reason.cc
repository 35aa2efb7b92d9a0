// An API's finish reason: what gradebox accepts, and which ones say the
// answer was cut at the token limit (docs/extraction.md, "Truncated").
#include <algorithm>
#include <cctype>

#include "gradebox/grade.h"

namespace gradebox {

std::string finish_reason_problem(const std::string& reason) {
  constexpr std::size_t kMaxLength = 64;
  bool word = !reason.empty() && reason.size() <= kMaxLength &&
              std::all_of(reason.begin(), reason.end(),
                          [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
  return word ? ""
              : "a finish reason is one word of letters, digits, _ or - (at most 64), e.g. length";
}

bool finish_reason_cut_off(const std::string& reason) {
  // OpenAI-compatible APIs say "length"; Anthropic-style ones "max_tokens".
  return reason == "length" || reason == "max_tokens";
}

}  // namespace gradebox
