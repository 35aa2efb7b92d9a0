// TypeScript's marks on otherwise JavaScript-like lines: annotations
// (": number", ": Node[]", "): Promise<void>"), generics, interfaces, type
// aliases, access modifiers. Private to src/extract/.
#pragma once

#include <string_view>

namespace gradebox::extract_detail {

/// Evidence that a trimmed line is TypeScript; 0 for plain JavaScript,
/// Python type hints ("x: int") and Go.
int typescript_line_hints(std::string_view trimmed_line);

}  // namespace gradebox::extract_detail
