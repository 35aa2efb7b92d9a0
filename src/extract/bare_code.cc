#include "bare_code.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "gradebox/extract.h"
#include "text_util.h"

namespace gradebox::extract_detail {
namespace {

// Prose between code lines means markdown (paragraphs around indented
// blocks), not bare code; a long program may hold a few prose-like lines
// (help texts in strings), so allow one in twenty.
constexpr double kMaxProseShare = 0.05;
constexpr size_t kMinProseWords = 5;
constexpr size_t kMinShortSentenceWords = 3;
constexpr size_t kMinProseWordsAroundCode = 8;

bool starts_with_code_keyword(std::string_view t) {
  static constexpr std::array<std::string_view, 28> kKeywords = {
      "def",   "class", "for",  "if",       "elif", "else",   "while",  "return", "import", "from",
      "const", "let",   "var",  "function", "try",  "except", "with",   "yield",  "raise",  "print",
      "async", "await", "func", "package",  "type", "defer",  "export", "assert"};
  return std::any_of(kKeywords.begin(), kKeywords.end(),
                     [&](std::string_view word) { return starts_with_word(t, word); });
}

bool is_comment(std::string_view t) {
  return t.substr(0, 2) == "//" || t.front() == '#' || t.substr(0, 2) == "/*" || t.front() == '*' ||
         t.substr(0, 2) == "--";
}

bool has_code_punctuation(std::string_view t) {
  if (t.back() == '{' || t.back() == ';' || t.back() == '(' || t.back() == '[') return true;
  for (std::string_view mark : {" = ", "==", "=>", "{", "}", "&&", "||", "();"}) {
    if (t.find(mark) != std::string_view::npos) return true;
  }
  // A call: an identifier directly before "(".
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i] == '(' && is_identifier_char(t[i - 1])) return true;
  }
  return false;
}

// A word of a sentence: letters, with an apostrophe or hyphen inside and
// punctuation or `backticks` around.
bool is_plain_word(std::string_view word) {
  while (!word.empty() && std::string_view("(\"'`*").find(word.front()) != std::string_view::npos) {
    word.remove_prefix(1);
  }
  while (!word.empty() &&
         std::string_view(",.:;!?)\"'`*").find(word.back()) != std::string_view::npos) {
    word.remove_suffix(1);
  }
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '\'' || c == '-' ||
           static_cast<unsigned char>(c) >= 0x80;  // non-ASCII letters
  });
}

// Python docstrings read as prose but are code: toggled by """ / '''.
bool toggles_docstring(std::string_view t) {
  size_t count = 0;
  for (std::string_view quote : {"\"\"\"", "'''"}) {
    for (size_t pos = t.find(quote); pos != std::string_view::npos; pos = t.find(quote, pos + 3)) {
      ++count;
    }
  }
  return count % 2 == 1;
}

// "- **SQL injection**: ...", "1. Use `?` placeholders": markdown list items.
// Only meaningful outside comment blocks (" * Returns ..." in JSDoc).
bool is_markdown_bullet(std::string_view t) {
  size_t digits = 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
  std::string_view item;
  if (digits > 0 && t.substr(digits, 2) == ". ") {
    item = t.substr(digits + 2);
  } else if (t.substr(0, 2) == "- " || t.substr(0, 2) == "* ") {
    item = t.substr(2);
  } else {
    return false;
  }
  return !item.empty() && (std::isupper(static_cast<unsigned char>(item[0])) ||
                           item.substr(0, 2) == "**" || item[0] == '`');
}

// Tracks /* ... */ comment blocks and Python docstrings across lines: their
// lines read as prose but are code.
class CommentTracker {
 public:
  bool inside() const { return in_docstring_ || in_block_comment_; }
  void advance(std::string_view t) {
    if (toggles_docstring(t)) in_docstring_ = !in_docstring_;
    size_t open = t.rfind("/*");
    size_t close = t.rfind("*/");
    if (open != std::string_view::npos && (close == std::string_view::npos || close < open)) {
      in_block_comment_ = true;
    } else if (close != std::string_view::npos) {
      in_block_comment_ = false;
    }
  }

 private:
  bool in_docstring_ = false;
  bool in_block_comment_ = false;
};

// (all words, plain words) of a line split on spaces.
std::pair<size_t, size_t> count_words(std::string_view t) {
  size_t words = 0;
  size_t plain = 0;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t end = t.find(' ', pos);
    if (end == std::string_view::npos) end = t.size();
    if (end > pos) {
      ++words;
      if (is_plain_word(t.substr(pos, end - pos))) ++plain;
    }
    pos = end + 1;
  }
  return {words, plain};
}

}  // namespace

bool looks_like_prose(std::string_view line) {
  std::string_view t = trim(line);
  if (is_markdown_bullet(t)) return true;
  for (std::string_view marker : {"- ", "* ", "> ", "+ "}) t = strip_prefix(t, marker);
  if (t.empty() || is_comment(t) || starts_with_code_keyword(t) ||
      t.find("\"\"\"") != std::string_view::npos || t.find("'''") != std::string_view::npos) {
    return false;
  }
  auto [words, plain] = count_words(t);
  // A long sentence stays prose with inline code in it ("model the graph
  // as a `Map<string, number>`"); code lines rarely hold 8 plain words.
  if (plain >= kMinProseWordsAroundCode && plain * 5 >= words * 3) return true;
  if (has_code_punctuation(t)) return false;
  // A short sentence counts when it ends like one: "Here is the code:".
  bool sentence_end = std::string_view(".:!?").find(t.back()) != std::string_view::npos;
  if (words >= kMinShortSentenceWords && sentence_end && plain == words) return true;
  return words >= kMinProseWords && plain * 5 >= words * 4;  // >= 80% plain words
}

std::optional<BareCode> find_bare_code(const std::vector<std::string_view>& lines) {
  auto is_edge = [](std::string_view line) { return is_blank(line) || looks_like_prose(line); };
  size_t first = 0;
  while (first < lines.size() && is_edge(lines[first])) ++first;
  size_t last = lines.size();
  while (last > first && is_edge(lines[last - 1])) --last;
  if (first == last) return std::nullopt;

  size_t code_lines = 0;
  size_t prose_lines = 0;
  CommentTracker comments;
  BareCode bare;
  for (size_t i = first; i < last; ++i) {
    std::string_view t = trim(lines[i]);
    bare.code.append(lines[i]).push_back('\n');
    if (t.empty()) continue;
    ++code_lines;
    bool in_comment = comments.inside();
    comments.advance(t);
    if (!in_comment && !comments.inside() && looks_like_prose(t)) ++prose_lines;
  }
  if (prose_lines > kMaxProseShare * code_lines) return std::nullopt;
  if (detect_language(bare.code) == "text") return std::nullopt;
  bare.first_line = static_cast<int>(first) + 1;
  return bare;
}

}  // namespace gradebox::extract_detail
