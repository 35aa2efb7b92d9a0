// Parsing JSON that came from an answer's side of the sandbox: under two
// declared limits, a text's size and its nesting depth, checked before the
// parser runs. Going over a limit is the answer's failure for that test,
// named in the detail, never a crash of gradebox (a 2 MB line nested 10^6
// deep otherwise overflows the stack in any recursive copy or dump).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gradebox/status.h"

namespace gradebox {

/// The limits every harness library uses too (they read them from
/// inputs.json's "channel"): one line cap and one depth limit everywhere.
struct JsonLimits {
  std::size_t max_bytes = 1 << 20;
  int max_depth = 2000;       // flatten's deep-nesting test returns 300 levels
  const char* unit = "line";  // what the size cap is of, in the error
};
inline constexpr JsonLimits kChannelLimits{};
/// A trusted script's reply (check.py's results, the prober's output) embeds
/// the answer's data a few levels down, and may gather all of a run's: the
/// same depth limit with a margin, and the channel's whole size.
inline constexpr JsonLimits kTrustedReplyLimits{64 << 20, kChannelLimits.max_depth + 64, "reply"};

/// parse_bounded's error for text that is not JSON at all.
inline constexpr char kNotJson[] = "not JSON";
/// True when `error` (from parse_bounded) names a declared limit: the
/// answer's data was refused, which is the answer's failure, not gradebox's.
bool over_a_limit(const Error& error);

/// The deepest nesting of `text`, counting stops once past `stop_after`.
int nesting_depth(std::string_view text, int stop_after);

/// The parsed value, or an Error naming the limit or the syntax problem.
Result<nlohmann::json> parse_bounded(std::string_view text,
                                     const JsonLimits& limits = kChannelLimits);

/// inputs.json's "channel" object: the limits, for the harness libraries.
nlohmann::json channel_limits_json(const JsonLimits& limits = kChannelLimits);

}  // namespace gradebox
