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

namespace gradebox {

/// `text` (cleaned as above) with every control character (C0, DEL, C1)
/// replaced by '?': untrusted ids and messages printed to a terminal can
/// then neither break a line nor start an escape sequence.
std::string printable(std::string_view text);

}  // namespace gradebox

namespace gradebox {

/// `text` as XML 1.0 allows it (JUnit, and the HTML report, which stays
/// well-formed too): invalid UTF-8, lone surrogates, C0 controls other than
/// tab, LF and CR, and the non-characters U+FFFE and U+FFFF each become
/// U+FFFD. XML forbids those even escaped, and a strict parser rejects the
/// whole file for one of them.
std::string xml_text(std::string_view text);

}  // namespace gradebox
