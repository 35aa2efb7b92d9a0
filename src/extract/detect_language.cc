// Content-based language guess for untagged blocks and bare answers. Each
// language scores the lines that only it would write; the best score wins
// when it is clear enough, else "text". Only the first kMaxLines lines are
// read: the language of a block is evident early, and a 1 MB answer must not
// cost more than a 5 KB one.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "gradebox/extract.h"
#include "json_shape.h"
#include "text_util.h"
#include "type_annotations.h"

namespace gradebox {
namespace {

using extract_detail::starts_with_word;
using extract_detail::trim;

constexpr size_t kMaxLines = 400;
constexpr int kMinScore = 2;  // one weak hint (a lone `const`) is not enough

struct Scores {
  int python = 0;
  int javascript = 0;
  int typescript_hints = 0;  // evidence on top of JavaScript-like code
  int go = 0;
  int shell = 0;
  int sql = 0;
};

bool contains(std::string_view line, std::string_view part) {
  return line.find(part) != std::string_view::npos;
}

bool ends_with(std::string_view line, char c) { return !line.empty() && line.back() == c; }

int python_score(std::string_view t) {
  if ((starts_with_word(t, "def") || starts_with_word(t, "async")) && contains(t, "def ") &&
      contains(t, "(") && (ends_with(t, ':') || contains(t, "->"))) {
    return 3;
  }
  if (starts_with_word(t, "class") && ends_with(t, ':')) return 3;
  if (starts_with_word(t, "from") && contains(t, " import ")) return 3;
  if (starts_with_word(t, "import") && !contains(t, "'") && !contains(t, "\"") &&
      !contains(t, "{") && !contains(t, "(") && !contains(t, ";") && !contains(t, " from ")) {
    return 1;
  }
  if (starts_with_word(t, "elif") || starts_with_word(t, "except") || t == "else:" || t == "try:" ||
      t == "finally:" || t.substr(0, 4) == ">>> ") {
    return 2;
  }
  int score = 0;
  if (contains(t, "__name__") || contains(t, "isinstance(")) score += 2;
  if (contains(t, "self.") || contains(t, " None") || starts_with_word(t, "print")) score += 1;
  if ((starts_with_word(t, "if") || starts_with_word(t, "for") || starts_with_word(t, "while")) &&
      ends_with(t, ':')) {
    score += 1;
  }
  return score;
}

int javascript_score(std::string_view t) {
  int score = 0;
  if (starts_with_word(t, "const") || starts_with_word(t, "let") || starts_with_word(t, "var")) {
    score += 1;
  }
  if (starts_with_word(t, "function") ||
      (starts_with_word(t, "async") && contains(t, "function"))) {
    score += 2;
  }
  if (contains(t, "require(") || contains(t, "console.") || contains(t, "module.exports"))
    score += 2;
  if (starts_with_word(t, "export") && !contains(t, "=\"") && !ends_with(t, '"')) score += 2;
  if (starts_with_word(t, "import") &&
      (contains(t, " from '") || contains(t, " from \"") || contains(t, "{"))) {
    score += 2;
  }
  if (contains(t, "=>") || contains(t, "===") || contains(t, "!==") || contains(t, ".then(") ||
      contains(t, "await ")) {
    score += 1;
  }
  return score;
}

int go_score(std::string_view t) {
  if (starts_with_word(t, "package") && !ends_with(t, ';')) return 5;
  if (starts_with_word(t, "func")) return 3;
  if (contains(t, "err != nil") || t == "import (" || t.substr(0, 8) == "import \"") return 3;
  if (starts_with_word(t, "type") && (contains(t, " struct") || contains(t, " interface {")))
    return 3;
  int score = 0;
  if (contains(t, ":=")) score += 2;
  if (contains(t, "fmt.") || starts_with_word(t, "defer") || contains(t, "go func")) score += 2;
  return score;
}

// A command line as typed in a terminal: "$ npm install", "go run main.go".
int shell_score(std::string_view t) {
  if (t.substr(0, 2) == "$ " || (t.substr(0, 2) == "#!" && contains(t, "sh"))) return 3;
  static constexpr std::array<std::string_view, 30> kCommands = {
      "npm",  "npx",    "yarn",    "pnpm",  "node",  "python", "python3", "pip",
      "pip3", "curl",   "wget",    "cd",    "ls",    "mkdir",  "echo",    "export",
      "sudo", "apt",    "apt-get", "git",   "chmod", "tsc",    "ts-node", "deno",
      "bun",  "docker", "source",  "touch", "brew",  "sqlite3"};
  std::string_view word = t.substr(0, t.find(' '));
  if (word.size() == t.size()) return 0;  // a lone word is not a command line
  std::string_view after = trim(t.substr(word.size()));
  if (after.empty() || after.front() == '=' || after.front() == '(' || ends_with(t, ';')) return 0;
  if (word == "go") {
    static constexpr std::array<std::string_view, 6> kGo = {"run", "build", "mod",
                                                            "get", "test",  "install"};
    return std::any_of(kGo.begin(), kGo.end(),
                       [&](auto sub) { return starts_with_word(after, sub); })
               ? 2
               : 0;
  }
  return std::find(kCommands.begin(), kCommands.end(), word) != kCommands.end() ? 2 : 0;
}

int sql_score(std::string_view t) {
  static constexpr std::array<std::string_view, 12> kStatements = {
      "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER",
      "DROP",   "WITH",   "FROM",   "WHERE",  "JOIN",   "PRAGMA"};
  for (std::string_view word : kStatements) {
    if (starts_with_word(t, word)) return 2;
  }
  if (starts_with_word(t, "select") && contains(t, " from ")) return 2;
  return 0;
}

// Comments say anything ("@returns {Promise<void>}" in JSDoc): they must
// not vote. A shebang is not a comment here: it names the interpreter.
std::string_view without_comment(std::string_view t) {
  if (t.substr(0, 2) == "//" || t.substr(0, 2) == "/*" || t.substr(0, 2) == "*/" || t == "*" ||
      t.substr(0, 2) == "* " || (t.substr(0, 1) == "#" && t.substr(0, 2) != "#!")) {
    return {};
  }
  size_t trailing = t.find(" //");
  return trailing == std::string_view::npos ? t : trim(t.substr(0, trailing));
}

Scores score_lines(std::string_view code) {
  Scores scores;
  size_t start = 0;
  for (size_t line_count = 0; start < code.size() && line_count < kMaxLines; ++line_count) {
    size_t end = code.find('\n', start);
    if (end == std::string_view::npos) end = code.size();
    std::string_view t = without_comment(trim(code.substr(start, end - start)));
    start = end + 1;
    if (t.empty() || t.size() > 1000) continue;
    scores.python += python_score(t);
    scores.javascript += javascript_score(t);
    scores.typescript_hints += extract_detail::typescript_line_hints(t);
    scores.go += go_score(t);
    scores.shell += shell_score(t);
    scores.sql += sql_score(t);
  }
  return scores;
}

}  // namespace

std::string detect_language(const std::string& code) {
  if (extract_detail::is_json_document(code)) return "json";
  Scores s = score_lines(code);
  // TypeScript is JavaScript plus annotations: it needs both kinds of hint,
  // or annotations strong enough on their own (interfaces, typed params).
  bool typescript = s.typescript_hints >= 2 && (s.javascript >= 1 || s.typescript_hints >= 4);
  int js_family = s.javascript + (typescript ? s.typescript_hints : 0);
  std::array<std::pair<int, const char*>, 5> ranked = {{
      {s.go, "go"},
      {s.python, "python"},
      {js_family, typescript ? "typescript" : "javascript"},
      {s.sql, "sql"},
      {s.shell, "shell"},
  }};
  // stable: on a tie the earlier (more distinctive) language wins
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const auto& top = ranked.front();
  return top.first >= kMinScore ? top.second : "text";
}

}  // namespace gradebox
