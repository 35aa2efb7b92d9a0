// Small string helpers shared by the extraction files. Private to
// src/extract/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gradebox::extract_detail {

/// "\r\n" and lone "\r" become "\n" (CommonMark treats all three as line
/// endings; the code we hand to interpreters must not carry "\r").
std::string normalize_newlines(std::string_view text);

/// Lines without their "\n"; a trailing "\n" does not add an empty line.
std::vector<std::string_view> split_lines(std::string_view text);

std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);

bool is_identifier_char(char c);
bool is_blank(std::string_view text);

/// True when `line` starts with `word` followed by a non-identifier
/// character or the end: starts_with_word("def f", "def") but not "define".
bool starts_with_word(std::string_view line, std::string_view word);

/// The identifier at the start of `text` ("" when none).
std::string_view leading_identifier(std::string_view text);

/// `text` without `prefix` when it starts with it, else unchanged.
std::string_view strip_prefix(std::string_view text, std::string_view prefix);

}  // namespace gradebox::extract_detail
