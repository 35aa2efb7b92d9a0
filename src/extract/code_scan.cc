#include "code_scan.h"

#include <cctype>

namespace gradebox::extract_detail {
namespace {

// The scanner's state carries across lines: block comments and backtick
// strings (JS templates, Go raw strings) may span lines; ' and " may not,
// so an apostrophe in odd code cannot swallow the rest of the file.
class Scanner {
 public:
  explicit Scanner(ScanOptions options) : options_(options) {}

  ScannedLine line(std::string_view text) {
    ScannedLine out;
    out.depth = depth_;
    for (size_t i = 0; i < text.size(); ++i) {
      if (!step(text, i, out.text)) break;
    }
    if (quote_ == '\'' || quote_ == '"') quote_ = 0;
    return out;
  }

 private:
  // Consumes text[i] (and maybe text[i+1]); false ends the line (a comment).
  bool step(std::string_view text, size_t& i, std::string& out) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (in_block_comment_) {
      if (c == '*' && next == '/') in_block_comment_ = false, ++i;
      return true;
    }
    if (quote_ != 0) return string_char(c, next, i, out);
    if (c == '/' && next == '/') return false;
    if (c == '/' && next == '*') return in_block_comment_ = true, ++i, true;
    if (c == '#' && options_.hash_comments &&
        (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])))) {
      return false;
    }
    if (c == '"' || c == '\'' || c == '`') quote_ = c;
    if (c == '{') ++depth_;
    if (c == '}' && depth_ > 0) --depth_;
    out.push_back(c);
    return true;
  }

  bool string_char(char c, char next, size_t& i, std::string& out) {
    if (c == quote_) {
      quote_ = 0;
      out.push_back(c);
    } else if (c == '\\' && next != '\0') {
      out.append(options_.blank_strings ? "  " : std::string{c, next});
      ++i;
    } else {
      out.push_back(options_.blank_strings ? ' ' : c);
    }
    return true;
  }

  ScanOptions options_;
  bool in_block_comment_ = false;
  char quote_ = 0;
  int depth_ = 0;
};

}  // namespace

std::vector<ScannedLine> scan_code(std::string_view code, ScanOptions options) {
  Scanner scanner(options);
  std::vector<ScannedLine> lines;
  size_t start = 0;
  while (start < code.size()) {
    size_t end = code.find('\n', start);
    if (end == std::string_view::npos) end = code.size();
    lines.push_back(scanner.line(code.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

}  // namespace gradebox::extract_detail
