// A strict, allocation-free JSON validator, so detect_language can call an
// output block JSON only when it parses. Private to src/extract/.
#pragma once

#include <string_view>

namespace gradebox::extract_detail {

/// True when `text` is one JSON object or array (RFC 8259), nested at most
/// 256 deep (deeper is "not JSON" rather than a deep recursion).
bool is_json_document(std::string_view text);

}  // namespace gradebox::extract_detail
