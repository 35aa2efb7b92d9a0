#include "grade/join_blocks.h"

#include <algorithm>
#include <array>
#include <map>

namespace gradebox {
namespace {

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// An answer's error text is hostile and may be long: the message parts are
// found with plain searches, each name bounded.
constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxNames = 64;

void add_name(std::set<std::string>& names, std::string_view name) {
  if (!name.empty() && name.size() <= kMaxNameLength && names.size() < kMaxNames &&
      !std::isdigit(static_cast<unsigned char>(name[0])) &&
      std::all_of(name.begin(), name.end(), identifier_char))
    names.emplace(name);
}

// The identifier ending just before `end` ("MinHeap is not defined").
std::string_view identifier_before(std::string_view text, std::size_t end) {
  std::size_t begin = end;
  while (begin > 0 && identifier_char(text[begin - 1])) --begin;
  return text.substr(begin, end - begin);
}

// The identifier starting at `begin`, up to `stop` or a non-identifier.
std::string_view identifier_at(std::string_view text, std::size_t begin) {
  std::size_t end = begin;
  while (end < text.size() && identifier_char(text[end])) ++end;
  return text.substr(begin, end - begin);
}

void each_match(std::string_view text, std::string_view needle, auto&& take) {
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1))
    take(at);
}

bool same_side(const Candidate& c, const Candidate& primary) {
  return c.index != primary.index && !c.quotation && !c.has_entry &&
         c.language == primary.language && c.reasoning == primary.reasoning;
}

}  // namespace

std::set<std::string> undefined_names_in(std::string_view text) {
  std::set<std::string> names;
  each_match(text, " is not defined", [&](std::size_t at) {
    std::string_view before = text.substr(0, at);
    if (before.ends_with('\'')) {  // Python: name 'x' is not defined
      std::size_t open = before.rfind('\'', before.size() - 2);
      if (open != std::string_view::npos)
        add_name(names, before.substr(open + 1, before.size() - open - 2));
    } else {
      add_name(names, identifier_before(text, at));
    }
  });
  each_match(text,
             "undefined: ", [&](std::size_t at) { add_name(names, identifier_at(text, at + 11)); });
  each_match(text, "Cannot find name '",
             [&](std::size_t at) { add_name(names, identifier_at(text, at + 18)); });
  return names;
}

std::vector<int> blocks_to_join(const Extraction& extraction, int primary,
                                const std::set<std::string>& missing) {
  const Candidate& p = extraction.candidates.at(primary);
  std::map<std::string, int> definer;  // name -> first eligible block defining it
  for (const Candidate& c : extraction.candidates) {
    if (!same_side(c, p)) continue;
    for (const auto& name : defined_names(c)) definer.emplace(name, c.index);
  }
  std::set<int> joined{primary};
  std::set<std::string> defined;
  for (const auto& name : defined_names(p)) defined.insert(name);
  std::vector<std::string> wanted(missing.begin(), missing.end());
  bool seeded = false;
  // Breadth-first over names: each joined block may need others in turn.
  while (!wanted.empty()) {
    std::string name = std::move(wanted.back());
    wanted.pop_back();
    auto found = definer.find(name);
    if (found == definer.end() || defined.count(name) || !joined.insert(found->second).second)
      continue;
    seeded = true;
    const Candidate& block = extraction.candidates.at(found->second);
    for (const auto& n : defined_names(block)) defined.insert(n);
    for (const auto& n : used_names(block)) {
      if (!defined.count(n) && definer.count(n)) wanted.push_back(n);
    }
    // The primary's other needs count once a first join is needed at all.
    if (joined.size() == 2) {
      for (const auto& n : used_names(p)) {
        if (!defined.count(n) && definer.count(n)) wanted.push_back(n);
      }
    }
  }
  if (!seeded) return {primary};
  return {joined.begin(), joined.end()};
}

}  // namespace gradebox
