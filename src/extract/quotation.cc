// is_quotation: does a block repeat the prompt's own code (the "before"
// quoted ahead of the "after")?
//
// Lines are compared after normalisation (comments, whitespace, trailing
// semicolons and "..." elision lines dropped), as multisets. The rule is
// containment: a quotation adds no line the prompt does not have. It may
// drop lines (an excerpt of the prompt is still a quotation: it cannot be
// the fix) and reorder them.
//
// Why not a similarity threshold (e.g. Dice >= 0.85-0.9 over line
// multisets, as first planned)? The tests in extract_quotation_test.cc
// measured it on the task prompts: review_go's handler is ~50 normalised
// lines, and a real fix that only parameterises the query and adds
// `defer rows.Close()` scores 0.97, far above any threshold that still
// tolerates a quoted copy; race_js's snippet is 3 lines, so one changed line
// is already 0.67. Once comments and whitespace are normalised away, a
// verbatim quote differs by nothing, and any changed code line is the
// meaningful change that makes a block a fix. So the threshold is 100%
// containment of the block's normalised lines in the prompt's.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "code_scan.h"
#include "gradebox/extract.h"

namespace gradebox {
namespace {

bool is_elision(std::string_view line) {
  return line == "..." || line == "\u2026" || line == "//..." || line == "/*...*/";
}

// "  console.log(data); // Always logs null" -> "console.log(data)".
std::vector<std::string> normalized_lines(const std::string& code) {
  extract_detail::ScanOptions options;
  options.hash_comments = true;
  std::vector<std::string> lines;
  for (const auto& scanned : extract_detail::scan_code(code, options)) {
    std::string line;
    for (char c : scanned.text) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') line.push_back(c);
    }
    while (!line.empty() && line.back() == ';') line.pop_back();
    if (!line.empty() && !is_elision(line)) lines.push_back(std::move(line));
  }
  return lines;
}

bool contained_in(const std::vector<std::string>& block, const std::vector<std::string>& prompt) {
  std::unordered_map<std::string_view, int> available;
  for (const std::string& line : prompt) ++available[line];
  for (const std::string& line : block) {
    auto found = available.find(line);
    if (found == available.end() || found->second == 0) return false;
    --found->second;
  }
  return true;
}

}  // namespace

bool is_quotation(const std::string& block, const std::vector<std::string>& prompt_blocks) {
  std::vector<std::string> block_lines = normalized_lines(block);
  if (block_lines.empty()) return false;  // only comments: repeats nothing
  for (const std::string& prompt : prompt_blocks) {
    if (contained_in(block_lines, normalized_lines(prompt))) return true;
  }
  return false;
}

}  // namespace gradebox
