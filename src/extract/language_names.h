// Language facts that are data: tag aliases and file extensions. Private to
// src/extract/.
#pragma once

#include <string>
#include <string_view>

namespace gradebox::extract_detail {

/// Canonical language of a file name's extension ("routes/users.js" ->
/// "javascript"); empty when the extension is unknown.
std::string language_from_filename(std::string_view filename);

/// True for extensions worth calling a file name in prose ("app.js",
/// "go.mod", "package.json"), so "e.g." or "v1.2" are not file names.
bool is_known_extension(std::string_view extension);

/// True when a file of language `a` may hold a block of language `b`:
/// equal, or JavaScript and TypeScript (answers mix them up).
bool compatible_languages(std::string_view a, std::string_view b);

}  // namespace gradebox::extract_detail
