#include "util/utf8.h"

namespace gradebox {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence starting at `at`, or 0 if invalid.
std::size_t sequence_length(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(at);
  std::size_t length;
  unsigned int low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF)
    length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;  // no UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (at + length > s.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string utf8_clean(std::string_view bytes, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(bytes.size(), max_bytes));
  for (std::size_t at = 0; at < bytes.size();) {
    std::size_t length = sequence_length(bytes, at);
    std::string_view piece = length ? bytes.substr(at, length) : std::string_view(kReplacement, 3);
    if (out.size() + piece.size() > max_bytes) break;
    out.append(piece);
    at += length ? length : 1;
  }
  return out;
}

}  // namespace gradebox

namespace gradebox {

std::string printable(std::string_view text) {
  std::string clean = utf8_clean(text);
  std::string out;
  out.reserve(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) {
    auto c = static_cast<unsigned char>(clean[i]);
    auto next = i + 1 < clean.size() ? static_cast<unsigned char>(clean[i + 1]) : 0;
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {  // U+0080..U+009F
      out += '?';
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace gradebox

namespace gradebox {

std::string xml_text(std::string_view text) {
  std::string clean = utf8_clean(text);  // no invalid sequence, no surrogate is left
  std::string out;
  out.reserve(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) {
    auto c = static_cast<unsigned char>(clean[i]);
    bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    std::string_view three = std::string_view(clean).substr(i, 3);
    bool non_character = three == "\xEF\xBF\xBE" || three == "\xEF\xBF\xBF";  // U+FFFE, U+FFFF
    if (control || non_character) {
      out += kReplacement;
      i += non_character ? 2 : 0;
    } else {
      out += clean[i];
    }
  }
  return out;
}

}  // namespace gradebox
