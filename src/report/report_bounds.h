// What a report shows of an answer's data is bounded: a long string keeps its
// head and names the original's size and SHA-256; a container nested too
// deep or too large becomes a marker object {"truncated": true, "bytes",
// "sha256", "excerpt"}. Bounding walks with an explicit stack, so no value
// an answer sends can overflow it, and the report (to_json) shrinks its
// caps step by step until its text fits in kMaxReportBytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gradebox {

struct ValueCaps {
  std::size_t string_bytes = 4096;         // a string's text, marker included
  std::size_t container_bytes = 64 << 10;  // an array's or object's compact text
  int depth = 64;                          // nesting below the value's root
};
inline constexpr ValueCaps kReportCaps{};
inline constexpr std::size_t kMaxReportBytes = 1 << 20;

/// `text` as valid UTF-8; past `max_bytes`, its head and
/// " ... [truncated: N bytes, sha256 <16 hex>]", at most `max_bytes` in all.
std::string bounded_string(std::string_view text, std::size_t max_bytes = kReportCaps.string_bytes);

/// A copy of `value` within `caps` (strings, keys, containers and depth).
nlohmann::json bounded_value(const nlohmann::json& value, const ValueCaps& caps = kReportCaps);

/// The marker that stands for `value`: its compact text's size, the first 16
/// hex digits of that text's SHA-256, and its first 200 bytes.
nlohmann::json truncation_marker(const nlohmann::json& value);

/// True for an object shaped like a marker (at most ~300 bytes): kept as
/// is when bounded again.
bool is_truncation_marker(const nlohmann::json& value);

/// The size of a report's text as report files hold it (indented by 2).
std::size_t report_text_bytes(const nlohmann::json& report);

}  // namespace gradebox
