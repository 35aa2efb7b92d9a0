#include "type_annotations.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "text_util.h"

namespace gradebox::extract_detail {
namespace {

// Types only TypeScript spells this way (Python says int/str/bool/None).
bool is_primitive_type(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kTypes = {
      "number", "string", "boolean", "void", "any", "unknown", "never", "bigint"};
  return std::find(kTypes.begin(), kTypes.end(), name) != kTypes.end();
}

// Generic types that need "<" after them to count (Python has Set[...]).
bool is_generic_type(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kTypes = {"Record",  "Map",      "Set",
                                                             "Array",   "Promise",  "ReadonlyArray",
                                                             "Partial", "Readonly", "ReadonlyMap"};
  return std::find(kTypes.begin(), kTypes.end(), name) != kTypes.end();
}

// ": number", ": Node[]", ": Map<string, number>" after a name or ")".
int annotation_count(std::string_view line) {
  int count = 0;
  for (size_t pos = line.find(':'); pos != std::string_view::npos; pos = line.find(':', pos + 1)) {
    if (pos + 1 < line.size() && (line[pos + 1] == ':' || line[pos + 1] == '=')) continue;
    if (pos > 0 && line[pos - 1] == ':') continue;
    std::string_view rest = trim(line.substr(pos + 1));
    std::string_view name = leading_identifier(rest);
    if (name.empty()) continue;
    std::string_view after = rest.substr(name.size());
    bool typed = (is_primitive_type(name) && (after.empty() || !is_identifier_char(after[0]))) ||
                 (is_generic_type(name) && !after.empty() && after[0] == '<') ||
                 after.substr(0, 2) == "[]";
    if (typed) ++count;
  }
  return count;
}

// "new Map<string, number>()", "function f<T>(", "Array<[string, number]>".
bool has_generic_arguments(std::string_view line) {
  for (size_t pos = line.find('<'); pos != std::string_view::npos; pos = line.find('<', pos + 1)) {
    if (pos == 0 || !is_identifier_char(line[pos - 1]) || pos + 1 >= line.size()) continue;
    if (!std::isalpha(static_cast<unsigned char>(line[pos + 1])) && line[pos + 1] != '[' &&
        line[pos + 1] != '{') {
      continue;
    }
    size_t close = line.find('>', pos);
    if (close == std::string_view::npos) continue;
    std::string_view inner = line.substr(pos + 1, close - pos - 1);
    bool type_chars = std::all_of(inner.begin(), inner.end(), [](char c) {
      return is_identifier_char(c) ||
             std::string_view(" ,[]|{}:;<?").find(c) != std::string_view::npos;
    });
    if (type_chars) return true;
  }
  return false;
}

int declaration_hints(std::string_view t) {
  for (std::string_view keyword : {"export interface", "interface", "export type", "type"}) {
    if (!starts_with_word(t, keyword)) continue;
    std::string_view rest = trim(t.substr(keyword.size()));
    std::string_view name = leading_identifier(rest);
    if (name.empty()) return 0;
    std::string_view after = trim(rest.substr(name.size()));
    bool is_interface = keyword.find("interface") != std::string_view::npos;
    if (is_interface && (after.empty() || after[0] == '{' || starts_with_word(after, "extends")))
      return 3;
    if (!is_interface && !after.empty() && (after[0] == '=' || after[0] == '<')) return 3;
    return 0;
  }
  if (starts_with_word(t, "enum") || starts_with_word(t, "export enum")) return 2;
  for (std::string_view modifier : {"private", "public", "protected", "readonly"}) {
    if (starts_with_word(t, modifier) &&
        !leading_identifier(trim(t.substr(modifier.size()))).empty()) {
      return 2;
    }
  }
  return 0;
}

}  // namespace

int typescript_line_hints(std::string_view t) {
  int hints = declaration_hints(t);
  hints += 2 * std::min(annotation_count(t), 2);
  if (has_generic_arguments(t)) hints += 2;
  if (t.find(" as const") != std::string_view::npos ||
      t.find(" implements ") != std::string_view::npos) {
    hints += 1;
  }
  return hints;
}

}  // namespace gradebox::extract_detail
