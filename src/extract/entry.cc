// matches_entry: the task's entry-point regexes over a block's code.
//
// libstdc++'s default std::regex executor backtracks recursively, one stack
// frame per repetition step: `\s*` over 100 KB of spaces or `[\s\S]*` over a
// 100 KB block overflows an 8 MB stack (measured). The answer is hostile
// input, so regexes are compiled with libstdc++'s `__polynomial` option,
// which selects the breadth-first executor: linear in the input, bounded
// stack (1 MB in ~50 ms). It rejects back-references; such a regex falls
// back to the backtracking executor on inputs small enough to be safe.
#include <memory>
#include <regex>
#include <string>
#include <unordered_map>

#include "gradebox/extract.h"

namespace gradebox {
namespace {

// The backtracking executor survives ~20 KB of one repetition on an 8 MB
// stack; stay well under for threads with smaller stacks.
constexpr size_t kMaxBacktrackingInput = 4 * 1024;
constexpr size_t kMaxCachedRegexes = 256;

struct CompiledRegex {
  std::unique_ptr<std::regex> regex;  // null: the pattern does not compile
  bool polynomial = false;
};

std::unique_ptr<std::regex> compile(const std::string& pattern, std::regex::flag_type flags) {
  try {
    return std::make_unique<std::regex>(pattern, flags);
  } catch (const std::regex_error&) {
    return nullptr;
  }
}

CompiledRegex compile_guarded(const std::string& pattern) {
  CompiledRegex compiled;
#if defined(__GLIBCXX__)
  compiled.regex = compile(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
  compiled.polynomial = compiled.regex != nullptr;
#endif
  if (!compiled.regex) compiled.regex = compile(pattern, std::regex::ECMAScript);
  return compiled;
}

// Each thread keeps its own cache: a task's handful of patterns is compiled
// once per thread, not once per block.
const CompiledRegex& cached(const std::string& pattern) {
  thread_local std::unordered_map<std::string, CompiledRegex> cache;
  auto found = cache.find(pattern);
  if (found != cache.end()) return found->second;
  if (cache.size() >= kMaxCachedRegexes) cache.clear();
  return cache.emplace(pattern, compile_guarded(pattern)).first->second;
}

bool search(const std::string& code, const std::string& pattern) {
  const CompiledRegex& compiled = cached(pattern);
  if (!compiled.regex) return false;
  if (!compiled.polynomial && code.size() > kMaxBacktrackingInput) return false;
  try {
    return std::regex_search(code, *compiled.regex);
  } catch (const std::regex_error&) {  // error_complexity / error_stack
    return false;
  }
}

}  // namespace

bool matches_entry(const std::string& code, const EntryPointRule& rule) {
  for (const std::string& pattern : rule.all_of) {
    if (!search(code, pattern)) return false;
  }
  if (rule.any_of.empty()) return true;
  for (const std::string& pattern : rule.any_of) {
    if (search(code, pattern)) return true;
  }
  return false;
}

int entry_tier(const std::string& code, const EntryPointRule& rule) {
  if (matches_entry(code, rule)) return 0;
  if (rule.fallback_any_of.empty()) return -1;
  EntryPointRule fallback{rule.all_of, rule.fallback_any_of, rule.choose_last, {}};
  return matches_entry(code, fallback) ? 1 : -1;
}

}  // namespace gradebox
