// defined_names: the top-level names a block binds, for the join retry (a
// primary that fails on a name another block of the answer defines).
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "code_scan.h"
#include "gradebox/extract.h"
#include "text_util.h"

namespace gradebox {
namespace {

using extract_detail::is_identifier_char;
using extract_detail::leading_identifier;
using extract_detail::starts_with_word;
using extract_detail::strip_prefix;
using extract_detail::trim;

void add(std::vector<std::string>& names, std::string_view name) {
  if (name.empty() || std::find(names.begin(), names.end(), name) != names.end()) return;
  names.emplace_back(name);
}

// Identifiers of a comma list, each possibly followed by " as x", ": x"
// (a rename) or "= default": "a, b as c, d: e" -> a, c, e.
void add_list(std::vector<std::string>& names, std::string_view list, bool rename_after_colon) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = std::min(list.find(',', start), list.size());
    std::string_view item = trim(list.substr(start, end - start));
    item = item.substr(0, item.find('='));
    item = trim(strip_prefix(item, "..."));
    size_t as = item.find(" as ");
    size_t colon = rename_after_colon ? item.find(':') : std::string_view::npos;
    if (as != std::string_view::npos) item = trim(item.substr(as + 4));
    if (colon != std::string_view::npos) item = trim(item.substr(colon + 1));
    add(names, leading_identifier(item));
    start = end + 1;
  }
}

void python_imports(std::vector<std::string>& names, std::string_view line) {
  if (starts_with_word(line, "from")) {
    size_t import = line.find(" import ");
    if (import == std::string_view::npos) return;
    std::string_view list = line.substr(import + 8);
    if (trim(list) == "*") return;
    list = trim(list);
    if (!list.empty() && list.front() == '(') list.remove_prefix(1);
    add_list(names, list.substr(0, list.find(')')), false);
    return;
  }
  // "import a.b" binds "a"; "import a.b as c" binds "c".
  std::string_view list = line.substr(6);
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = std::min(list.find(',', start), list.size());
    std::string_view item = trim(list.substr(start, end - start));
    size_t as = item.find(" as ");
    add(names, leading_identifier(as == std::string_view::npos ? item : trim(item.substr(as + 4))));
    start = end + 1;
  }
}

// "x = 1", "x: int = 1", "a, b = f()" at column 0; not "x == 1" or "x += 1".
void python_assignment(std::vector<std::string>& names, std::string_view line) {
  size_t equals = line.find('=');
  if (equals == std::string_view::npos || equals == 0) return;
  if (equals + 1 < line.size() && line[equals + 1] == '=') return;
  if (std::string_view("+-*/%&|^<>!:@").find(line[equals - 1]) != std::string_view::npos) return;
  std::string_view target = line.substr(0, equals);
  target = target.substr(0, target.find(':'));  // annotation
  if (target.find_first_of("([.") != std::string_view::npos) return;
  add_list(names, target, false);
}

std::vector<std::string> python_names(const std::string& code) {
  std::vector<std::string> names;
  bool in_docstring = false;
  for (std::string_view line : extract_detail::split_lines(code)) {
    size_t quotes = 0;
    for (size_t p = line.find("\"\"\""); p != std::string_view::npos;
         p = line.find("\"\"\"", p + 3))
      ++quotes;
    bool was_in_docstring = in_docstring;
    if (quotes % 2 == 1) in_docstring = !in_docstring;
    if (was_in_docstring || line.empty() || !is_identifier_char(line[0])) continue;
    std::string_view t = strip_prefix(line, "async ");
    if (starts_with_word(t, "def") || starts_with_word(t, "class")) {
      add(names, leading_identifier(trim(t.substr(t.find(' ') + 1))));
    } else if (starts_with_word(t, "import") || starts_with_word(t, "from")) {
      python_imports(names, t);
    } else {
      python_assignment(names, t);
    }
  }
  return names;
}

// Removes "export", "export default", "declare", "async", "abstract".
std::string_view strip_js_modifiers(std::string_view t) {
  std::string_view previous;
  while (previous != t) {
    previous = t;
    for (std::string_view word : {"export", "default", "declare", "async", "abstract"}) {
      if (starts_with_word(t, word)) t = trim(t.substr(word.size()));
    }
  }
  return t;
}

void js_declaration(std::vector<std::string>& names, std::string_view t) {
  t = strip_js_modifiers(t);
  for (std::string_view keyword : {"function", "class", "interface", "type", "enum", "namespace"}) {
    if (!starts_with_word(t, keyword)) continue;
    std::string_view rest = trim(t.substr(keyword.size()));
    add(names, leading_identifier(trim(strip_prefix(rest, "*"))));
    return;
  }
  for (std::string_view keyword : {"const", "let", "var"}) {
    if (!starts_with_word(t, keyword)) continue;
    std::string_view rest = trim(t.substr(keyword.size()));
    if (!rest.empty() && (rest.front() == '{' || rest.front() == '[')) {  // destructuring
      size_t close = rest.find(rest.front() == '{' ? '}' : ']');
      if (close != std::string_view::npos) add_list(names, rest.substr(1, close - 1), true);
      return;
    }
    add(names, leading_identifier(rest));
    return;
  }
}

std::vector<std::string> js_names(const std::string& code) {
  std::vector<std::string> names;
  extract_detail::ScanOptions options;
  options.blank_strings = true;
  for (const auto& line : extract_detail::scan_code(code, options)) {
    if (line.depth == 0) js_declaration(names, trim(line.text));
  }
  return names;
}

// Go: func, type, var, const at top level, and the names of grouped
// "var ( ... )" declarations. Methods ("func (r T) M") bind no package name.
void go_declaration(std::vector<std::string>& names, std::string_view t, bool& in_group) {
  if (in_group) {
    if (!t.empty() && t.front() == ')') {
      in_group = false;
    } else {
      add_list(names, t.substr(0, t.find('=')),
               false);  // "a, b int = 1, 2" -> a, b
    }
    return;
  }
  if (starts_with_word(t, "func")) {
    std::string_view rest = trim(t.substr(4));
    if (!rest.empty() && rest.front() != '(') add(names, leading_identifier(rest));
    return;
  }
  for (std::string_view keyword : {"type", "var", "const"}) {
    if (!starts_with_word(t, keyword)) continue;
    std::string_view rest = trim(t.substr(keyword.size()));
    if (!rest.empty() && rest.front() == '(') {
      in_group = true;
    } else {
      add_list(names, rest.substr(0, rest.find('=')), false);
    }
    return;
  }
}

std::vector<std::string> go_names(const std::string& code) {
  std::vector<std::string> names;
  extract_detail::ScanOptions options;
  options.blank_strings = true;
  bool in_group = false;
  for (const auto& line : extract_detail::scan_code(code, options)) {
    if (line.depth == 0) go_declaration(names, trim(line.text), in_group);
  }
  return names;
}

}  // namespace

std::vector<std::string> used_names(const Candidate& candidate) {
  extract_detail::ScanOptions options;
  options.blank_strings = true;
  options.hash_comments = candidate.language == "python";
  std::set<std::string, std::less<>> names;  // a set: blocks may be large
  for (const auto& line : extract_detail::scan_code(candidate.code, options)) {
    std::string_view text = line.text;
    size_t i = 0;
    while (i < text.size()) {
      if (!is_identifier_char(text[i])) {
        ++i;
        continue;
      }
      size_t end = i;
      while (end < text.size() && is_identifier_char(text[end])) ++end;
      bool property = i > 0 && text[i - 1] == '.';  // obj.name is not a free name
      if (!property && !std::isdigit(static_cast<unsigned char>(text[i])))
        names.emplace(text.substr(i, end - i));
      i = end;
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> defined_names(const Candidate& candidate) {
  if (candidate.language == "python") return python_names(candidate.code);
  if (candidate.language == "javascript" || candidate.language == "typescript") {
    return js_names(candidate.code);
  }
  if (candidate.language == "go") return go_names(candidate.code);
  return {};
}

}  // namespace gradebox
