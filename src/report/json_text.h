// JSON values that came from an answer are walked without recursion: a value
// nested 10^6 deep (a 2 MB line) overflows the stack in nlohmann's recursive
// dump or copy, so gradebox serializes, measures and digests such values
// with an explicit stack, and can stop early once it has what it needs.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gradebox {

/// Receives the compact text piece by piece; returns false to stop the walk.
using JsonSink = std::function<bool(std::string_view piece)>;

/// Writes `value` as nlohmann's compact dump would (invalid UTF-8 replaced),
/// without recursion.
void write_compact(const nlohmann::json& value, const JsonSink& sink);

/// The compact text, cut after `max_bytes` (possibly inside a character).
std::string compact_text(const nlohmann::json& value, std::size_t max_bytes = std::string::npos);

/// The compact text of one scalar, or of a key as a JSON string.
std::string scalar_text(const nlohmann::json& scalar);

}  // namespace gradebox
