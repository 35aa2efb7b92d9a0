// extract(): blocks -> quotation marks -> entry flags -> the primary
// candidate and a one-sentence reason (docs/README.md, "Extraction").
#include "gradebox/extract.h"

#include <string>
#include <vector>

namespace gradebox {
namespace {

std::string join_indices(const std::vector<int>& indices) {
  std::string out;
  for (size_t i = 0; i < indices.size(); ++i) {
    if (i > 0) out += i + 1 == indices.size() ? " and " : ", ";
    out += std::to_string(indices[i]);
  }
  return out;
}

std::string plural(size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// Blocks of the task's language, split by what disqualified them.
struct Tally {
  std::vector<int> in_language;
  std::vector<int> quotations;  // in language, quoting the prompt
  std::vector<int> with_entry;
};

Tally tally(const std::vector<Candidate>& candidates,
            const std::string& language) {
  Tally t;
  for (const Candidate& c : candidates) {
    if (c.language != language) continue;
    t.in_language.push_back(c.index);
    if (c.quotation) t.quotations.push_back(c.index);
    if (c.has_entry) t.with_entry.push_back(c.index);
  }
  return t;
}

std::string no_primary_reason(const Extraction& result, const Tally& t,
                              const std::string& language) {
  if (result.candidates.empty()) return "no code in the answer";
  if (t.in_language.empty()) {
    return "no " + language + " block among " +
           plural(result.candidates.size(), "block");
  }
  if (t.quotations.size() == t.in_language.size()) {
    return "every " + language + " block quotes the prompt (block " +
           join_indices(t.quotations) + ")";
  }
  return plural(t.in_language.size(), language + " block") +
         ", none defines the entry point" +
         (t.quotations.empty() ? ""
                               : " (block " + join_indices(t.quotations) +
                                     " quotes the prompt)");
}

std::string primary_reason(const Tally& t, int primary, bool choose_last,
                           const std::string& language) {
  std::string reason = "block " + std::to_string(primary) + ": " +
                       (choose_last ? "last " : "first ") + language +
                       " block defining the entry point";
  if (!t.quotations.empty()) {
    reason += "; block " + join_indices(t.quotations) +
              (t.quotations.size() == 1 ? " is a" : " are") + " quotation" +
              (t.quotations.size() == 1 ? "" : "s") + " of the prompt";
  }
  return reason;
}

}  // namespace

Extraction extract(const std::string& answer, const std::string& language,
                   const EntryPointRule& rule,
                   const std::vector<std::string>& prompt_blocks) {
  Extraction result;
  result.candidates = extract_blocks(answer);
  for (Candidate& c : result.candidates) {
    c.quotation = !prompt_blocks.empty() && is_quotation(c.code, prompt_blocks);
    // Strict: a javascript block is not a typescript candidate here; the
    // grader may call extract() again with another language.
    c.has_entry =
        !c.quotation && c.language == language && matches_entry(c.code, rule);
  }
  Tally t = tally(result.candidates, language);
  if (t.with_entry.empty()) {
    result.reason = no_primary_reason(result, t, language);
    return result;
  }
  result.primary =
      rule.choose_last ? t.with_entry.back() : t.with_entry.front();
  result.reason =
      primary_reason(t, *result.primary, rule.choose_last, language);
  return result;
}

}  // namespace gradebox
