// A line scanner for C-like code (JavaScript, TypeScript, Go) and, with
// hash comments on, Python: drops comments, optionally blanks string
// contents, and tracks brace depth. Approximate on purpose (regex literals,
// template nesting), which is enough for names and quotation checks.
// Private to src/extract/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gradebox::extract_detail {

struct ScanOptions {
  bool hash_comments = false;  // "# ..." after whitespace or at line start
  bool blank_strings = false;  // replace string contents with spaces
};

/// One source line: its text without comments, and the depth of `{`
/// nesting at its start (0 = top level).
struct ScannedLine {
  std::string text;
  int depth = 0;
};

std::vector<ScannedLine> scan_code(std::string_view code, ScanOptions options);

}  // namespace gradebox::extract_detail
