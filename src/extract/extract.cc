// extract(): blocks -> quotation marks -> entry flags -> the primary
// candidate and a one-sentence reason (docs/README.md, "Extraction").
#include "gradebox/extract.h"

#include <optional>
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

Tally tally(const std::vector<Candidate>& candidates, const std::string& language) {
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
    return "no " + language + " block among " + plural(result.candidates.size(), "block");
  }
  if (t.quotations.size() == t.in_language.size()) {
    return "every " + language + " block quotes the prompt (block " + join_indices(t.quotations) +
           ")";
  }
  return plural(t.in_language.size(), language + " block") + ", none defines the entry point" +
         (t.quotations.empty() ? ""
                               : " (block " + join_indices(t.quotations) + " quotes the prompt)");
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

// The entry tier of every candidate in `language` (-1: none, quotation or
// another language).
std::vector<int> entry_tiers(const std::vector<Candidate>& candidates, const std::string& language,
                             const EntryPointRule& rule) {
  std::vector<int> tiers;
  for (const Candidate& c : candidates)
    tiers.push_back(!c.quotation && c.language == language ? entry_tier(c.code, rule) : -1);
  return tiers;
}

// has_entry: the strongest tier found on the candidate's side (reasoning or
// answer proper), so a helper matching only the fallback never beats a
// block that matches the rule proper.
void mark_entries(std::vector<Candidate>& candidates, const std::vector<int>& tiers) {
  int best[2] = {-1, -1};
  for (size_t i = 0; i < candidates.size(); ++i) {
    int& side = best[candidates[i].reasoning];
    if (tiers[i] >= 0 && (side < 0 || tiers[i] < side)) side = tiers[i];
  }
  for (size_t i = 0; i < candidates.size(); ++i)
    candidates[i].has_entry = tiers[i] >= 0 && tiers[i] == best[candidates[i].reasoning];
}

void mark_blocks(std::vector<Candidate>& candidates, const std::string& language,
                 const EntryPointRule& rule, const std::vector<std::string>& prompt_blocks) {
  for (Candidate& c : candidates)
    c.quotation = !prompt_blocks.empty() && is_quotation(c.code, prompt_blocks);
  // Strict: a javascript block is not a typescript candidate here; the
  // grader may call extract() again with another language.
  mark_entries(candidates, entry_tiers(candidates, language, rule));
}

// The primary among the blocks on one side (reasoning or answer proper).
std::optional<int> choose_primary(const std::vector<Candidate>& candidates, bool reasoning,
                                  bool choose_last) {
  std::optional<int> chosen;
  for (const Candidate& c : candidates) {
    if (c.reasoning != reasoning || !c.has_entry) continue;
    if (!chosen || choose_last) chosen = c.index;
  }
  return chosen;
}

// A record's separate reasoning text, read only when the answer proper has
// no primary: its blocks follow the answer's, marked as reasoning.
void append_separate_reasoning(std::vector<Candidate>& candidates, const std::string& reasoning) {
  for (Candidate& c : extract_blocks(reasoning)) {
    c.reasoning = true;
    c.index = static_cast<int>(candidates.size());
    candidates.push_back(std::move(c));
  }
}

std::vector<int> reasoning_indices(const std::vector<Candidate>& candidates) {
  std::vector<int> indices;
  for (const Candidate& c : candidates) {
    if (c.reasoning) indices.push_back(c.index);
  }
  return indices;
}

}  // namespace

Extraction extract(const std::string& answer, const std::string& language,
                   const EntryPointRule& rule, const std::vector<std::string>& prompt_blocks,
                   const std::string& separate_reasoning) {
  Extraction result;
  result.candidates = extract_blocks(answer);
  result.truncated = answer_cut_off(answer);
  mark_blocks(result.candidates, language, rule, prompt_blocks);
  result.primary = choose_primary(result.candidates, false, rule.choose_last);
  if (!result.primary) {
    if (!separate_reasoning.empty()) {
      append_separate_reasoning(result.candidates, separate_reasoning);
      mark_blocks(result.candidates, language, rule, prompt_blocks);
    }
    result.primary = choose_primary(result.candidates, true, rule.choose_last);
    result.from_reasoning = result.primary.has_value();
  }
  Tally t = tally(result.candidates, language);
  if (!result.primary) {
    result.reason = no_primary_reason(result, t, language);
    return result;
  }
  result.reason = primary_reason(t, *result.primary, rule.choose_last, language);
  std::vector<int> in_reasoning = reasoning_indices(result.candidates);
  if (result.from_reasoning) {
    result.reason +=
        "; taken from the reasoning: the answer proper has no block defining the entry point";
  } else if (!in_reasoning.empty()) {
    result.reason += "; block " + join_indices(in_reasoning) + " in the reasoning, not the answer";
  }
  return result;
}

}  // namespace gradebox
