// Answers with no fenced block: is the text itself code? Private to
// src/extract/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gradebox::extract_detail {

/// True for an English sentence ("This function flattens the list
/// recursively."), false for code, comments and short labels.
bool looks_like_prose(std::string_view line);

/// The code of a bare-code answer: the lines between leading and trailing
/// prose ("Here is the function:"), when what remains reads as code.
struct BareCode {
  std::string code;    // "\n"-terminated lines
  int first_line = 0;  // 1-based line of code's first line in the answer
};

std::optional<BareCode> find_bare_code(const std::vector<std::string_view>& lines);

}  // namespace gradebox::extract_detail
