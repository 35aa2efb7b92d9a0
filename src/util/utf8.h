// What a program printed is bytes, not text: before it goes into a report
// (JSON must be valid UTF-8) invalid sequences become U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace gradebox {

/// `bytes` with every invalid or truncated UTF-8 sequence replaced by
/// U+FFFD, cut to at most `max_bytes` without splitting a character.
std::string utf8_clean(std::string_view bytes, std::size_t max_bytes = std::string::npos);

}  // namespace gradebox
