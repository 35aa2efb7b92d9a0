#include "filename.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "language_names.h"
#include "text_util.h"

namespace gradebox::extract_detail {
namespace {

// Lines longer than this are sentences, not file-name labels; the cap also
// keeps the per-block cost constant on huge answers.
constexpr size_t kMaxLabelLength = 120;

bool is_filename_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '/' || c == '@';
}

// Framework names that look like file names but never are one.
bool is_product_name(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "node.js", "express.js", "next.js", "nuxt.js", "vue.js",   "react.js",
      "d3.js",   "three.js",   "nest.js", "deno.js", "chart.js", "socket.io"};
  std::string lower = to_lower(token);
  return std::find(kNames.begin(), kNames.end(), lower) != kNames.end();
}

// Strips markdown decoration around a label: heading marks, emphasis,
// backticks, quotes, list bullets, trailing colons.
std::string_view strip_decoration(std::string_view text) {
  std::string_view previous;
  while (previous != text) {
    previous = text;
    text = trim(text);
    while (!text.empty() && (text.front() == '#' || text.front() == '>')) text.remove_prefix(1);
    text = trim(text);
    if (text.size() >= 2 && (text.substr(0, 2) == "- " || text.substr(0, 2) == "+ ")) {
      text.remove_prefix(2);
    }
    size_t digits = 0;  // "1. app.js", "2) app.js"
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits > 0 && digits + 1 < text.size() && (text[digits] == '.' || text[digits] == ')') &&
        text[digits + 1] == ' ') {
      text.remove_prefix(digits + 2);
    }
    static constexpr std::string_view kWrap = "*_`\"'";
    while (!text.empty() && kWrap.find(text.front()) != std::string_view::npos)
      text.remove_prefix(1);
    while (!text.empty() &&
           (kWrap.find(text.back()) != std::string_view::npos || text.back() == ':')) {
      text.remove_suffix(1);
    }
  }
  return text;
}

// "File: x", "Filename - x", "file name: x", "path: x" -> "x".
std::string_view strip_label(std::string_view text) {
  static constexpr std::array<std::string_view, 5> kLabels = {"file name", "filename", "file",
                                                              "path", "name"};
  std::string lower = to_lower(text.substr(0, 12));
  for (std::string_view label : kLabels) {
    if (lower.rfind(label, 0) != 0) continue;
    std::string_view rest = trim(text.substr(label.size()));
    if (rest.empty() || (rest.front() != ':' && rest.front() != '-' && rest.front() != '*'))
      continue;
    while (!rest.empty() && (rest.front() == ':' || rest.front() == '-' || rest.front() == '*')) {
      rest.remove_prefix(1);
    }
    return rest;
  }
  return text;
}

// A sentence ending in ':' with exactly one backticked file name:
// "Create `app.js`:", "In `routes/users.js`, add:".
std::string filename_from_sentence(std::string_view line) {
  if (line.empty() || line.back() != ':') return {};
  std::string found;
  size_t pos = 0;
  while ((pos = line.find('`', pos)) != std::string_view::npos) {
    size_t close = line.find('`', pos + 1);
    if (close == std::string_view::npos) break;
    std::string_view inner = line.substr(pos + 1, close - pos - 1);
    if (is_filename_token(inner)) {
      if (!found.empty()) return {};  // two names: ambiguous
      found = std::string(inner);
    }
    pos = close + 1;
  }
  return found;
}

std::string without_dot_slash(std::string_view token) {
  return std::string(strip_prefix(token, "./"));
}

}  // namespace

bool is_filename_token(std::string_view token) {
  if (token.empty() || token.size() > 200 || is_product_name(token)) return false;
  if (!std::all_of(token.begin(), token.end(), is_filename_char)) return false;
  std::string_view base =
      token.substr(token.rfind('/') == std::string_view::npos ? 0 : token.rfind('/') + 1);
  std::string lower_base = to_lower(base);
  if (lower_base == "dockerfile" || lower_base == "makefile") return true;
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= base.size()) return false;
  return std::isalpha(static_cast<unsigned char>(base[dot + 1])) &&
         is_known_extension(base.substr(dot + 1));
}

InfoString parse_info_string(std::string_view info) {
  InfoString parsed;
  info = trim(info);
  size_t space = info.find_first_of(" \t");
  std::string_view first = info.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? "" : info.substr(space + 1);
  // "javascript:routes/users.js" and "ts{1,3}".
  size_t brace = first.find('{');
  if (brace != std::string_view::npos && brace > 0) first = first.substr(0, brace);
  size_t colon = first.find(':');
  if (colon != std::string_view::npos && is_filename_token(first.substr(colon + 1))) {
    parsed.filename = without_dot_slash(first.substr(colon + 1));
    first = first.substr(0, colon);
  }
  if (is_filename_token(first) && language_from_filename(first) != "" &&
      first.find('.') != std::string_view::npos) {
    parsed.filename = without_dot_slash(first);  // ```app.js
  } else {
    parsed.language_word = std::string(first);
  }
  // Attributes: title="x.py", filename=x.py, file='x', or a bare name.
  size_t pos = 0;
  while (parsed.filename.empty() && pos < rest.size()) {
    size_t end = rest.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view word = rest.substr(pos, end - pos);
    size_t equals = word.find('=');
    if (equals != std::string_view::npos) word = word.substr(equals + 1);
    word = strip_decoration(word);
    if (is_filename_token(word)) parsed.filename = without_dot_slash(word);
    pos = end + 1;
  }
  return parsed;
}

std::string filename_from_line(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.size() > kMaxLabelLength) return {};
  std::string_view label = strip_decoration(strip_label(strip_decoration(line)));
  label = strip_decoration(label);
  if (is_filename_token(label)) return without_dot_slash(label);
  return filename_from_sentence(line);
}

std::string filename_from_first_comment(std::string_view code) {
  size_t start = 0;
  while (start < code.size()) {
    size_t end = code.find('\n', start);
    if (end == std::string_view::npos) end = code.size();
    std::string_view line = trim(code.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    if (line.size() > kMaxLabelLength) return {};
    static constexpr std::array<std::string_view, 5> kOpeners = {"//", "#", "/*", "--", "<!--"};
    for (std::string_view opener : kOpeners) {
      if (line.substr(0, opener.size()) != opener || line.substr(0, 2) == "#!") continue;
      std::string_view body = line.substr(opener.size());
      for (std::string_view closer : {std::string_view("*/"), std::string_view("-->")}) {
        if (body.size() >= closer.size() && body.substr(body.size() - closer.size()) == closer) {
          body.remove_suffix(closer.size());
        }
      }
      std::string_view label = strip_decoration(strip_label(strip_decoration(body)));
      if (is_filename_token(label)) return without_dot_slash(label);
      return {};
    }
    return {};
  }
  return {};
}

}  // namespace gradebox::extract_detail
