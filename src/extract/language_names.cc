// Tag aliases -> canonical language names (the names Candidate::language
// uses and task.json's "language" compares against).
#include "language_names.h"

#include <string>
#include <unordered_map>

#include "gradebox/extract.h"
#include "text_util.h"

namespace gradebox {
namespace {

const std::unordered_map<std::string, std::string>& alias_table() {
  static const std::unordered_map<std::string, std::string> table = {
      {"py", "python"},
      {"python", "python"},
      {"python3", "python"},
      {"py3", "python"},
      {"python2", "python"},
      {"ipython", "python"},
      {"pycon", "python"},
      {"js", "javascript"},
      {"javascript", "javascript"},
      {"mjs", "javascript"},
      {"cjs", "javascript"},
      {"node", "javascript"},
      {"nodejs", "javascript"},
      {"node.js", "javascript"},
      {"jsx", "javascript"},
      {"es6", "javascript"},
      {"ecmascript", "javascript"},
      {"ts", "typescript"},
      {"typescript", "typescript"},
      {"tsx", "typescript"},
      {"mts", "typescript"},
      {"cts", "typescript"},
      {"go", "go"},
      {"golang", "go"},
      {"sh", "shell"},
      {"bash", "shell"},
      {"shell", "shell"},
      {"zsh", "shell"},
      {"console", "shell"},
      {"shell-session", "shell"},
      {"shellsession", "shell"},
      {"terminal", "shell"},
      {"json", "json"},
      {"jsonc", "json"},
      {"json5", "json"},
      {"sql", "sql"},
      {"sqlite", "sql"},
      {"sqlite3", "sql"},
      {"mysql", "sql"},
      {"postgresql", "sql"},
      {"postgres", "sql"},
      {"psql", "sql"},
      {"text", "text"},
      {"txt", "text"},
      {"plaintext", "text"},
      {"plain", "text"},
      {"output", "text"},
      {"none", "text"},
      {"html", "html"},
      {"css", "css"},
      {"yaml", "yaml"},
      {"yml", "yaml"},
      {"toml", "toml"},
      {"xml", "xml"},
      {"diff", "diff"},
      {"patch", "diff"},
      {"md", "markdown"},
      {"markdown", "markdown"},
      {"dockerfile", "dockerfile"},
      {"docker", "dockerfile"},
      {"makefile", "makefile"},
      {"make", "makefile"},
      {"http", "http"},
      {"ini", "ini"},
      {"c", "c"},
      {"h", "c"},
      {"cpp", "cpp"},
      {"c++", "cpp"},
      {"cc", "cpp"},
      {"java", "java"},
      {"rust", "rust"},
      {"rs", "rust"},
      {"ruby", "ruby"},
      {"rb", "ruby"},
      {"php", "php"},
      {"csharp", "csharp"},
      {"cs", "csharp"},
      {"c#", "csharp"},
      {"kotlin", "kotlin"},
      {"swift", "swift"},
      {"powershell", "powershell"},
      {"ps1", "powershell"},
  };
  return table;
}

}  // namespace

std::string canonical_language(const std::string& tag) {
  std::string key = extract_detail::to_lower(extract_detail::trim(tag));
  // Pandoc/R Markdown spell tags as "{python}" or "{.python}".
  if (!key.empty() && key.front() == '{') key.erase(0, 1);
  if (!key.empty() && key.back() == '}') key.pop_back();
  if (!key.empty() && key.front() == '.') key.erase(0, 1);
  key = std::string(extract_detail::strip_prefix(key, "language-"));
  auto found = alias_table().find(key);
  return found == alias_table().end() ? std::string() : found->second;
}

namespace extract_detail {

std::string language_from_filename(std::string_view filename) {
  std::string lower = to_lower(filename);
  size_t slash = lower.rfind('/');
  std::string base = slash == std::string::npos ? lower : lower.substr(slash + 1);
  if (base == "dockerfile" || base == "makefile") return base;
  size_t dot = base.rfind('.');
  if (dot == std::string::npos || dot + 1 >= base.size()) return {};
  return canonical_language(base.substr(dot + 1));
}

bool is_known_extension(std::string_view extension) {
  std::string lower = to_lower(extension);
  static const char* const kExtra[] = {"env", "mod", "sum",  "lock", "cfg",
                                       "csv", "db",  "conf", "log",  "properties"};
  for (const char* extra : kExtra) {
    if (lower == extra) return true;
  }
  return !canonical_language(lower).empty();
}

bool compatible_languages(std::string_view a, std::string_view b) {
  auto is_js_family = [](std::string_view x) { return x == "javascript" || x == "typescript"; };
  return a == b || (is_js_family(a) && is_js_family(b));
}

}  // namespace extract_detail
}  // namespace gradebox
