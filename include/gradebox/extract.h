// Markdown answer -> code candidates (docs/README.md, "Extraction: which
// code was judged"). Pure functions over text: no processes, no files.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace gradebox {

/// One code block of an answer.
struct Candidate {
  int index = 0;         // position among all blocks, 0-based
  std::string code;      // block text, "\n" line endings, no fences
  std::string language;  // canonical: python, javascript, typescript, go, json, shell, text, ...
  std::string language_from;  // "tag", "content", or "bare" (answer had no markdown)
  std::string info;           // the fence's whole info string
  std::string filename;       // from the info string or a filename line just before the block
  int first_line = 0;         // 1-based line of the code's first line in the answer
  bool indented = false;      // a CommonMark indented code block
  bool quotation = false;     // repeats the prompt's own code
  bool has_entry = false;     // matches the task's entry-point rule
  bool reasoning = false;     // in the model's reasoning, not the answer proper
};

/// The task's entry-point rule, as data from task.json.
struct EntryPointRule {
  std::vector<std::string> all_of;  // ECMAScript regexes that must all match
  std::vector<std::string> any_of;  // at least one must match (if non-empty)
  bool choose_last = false;         // "last complete block" (review_go) instead of first
  // Used only when no block matches all_of + any_of: e.g. flatten_py's "the
  // only one-argument function" when no function is named like flatten.
  std::vector<std::string> fallback_any_of{};
};

/// What extraction decided for one answer.
struct Extraction {
  std::vector<Candidate> candidates;
  std::optional<int> primary;   // index into candidates
  std::string reason;           // why the primary was chosen, or why there is none
  bool from_reasoning = false;  // the primary is a reasoning block (the answer proper had none)
  bool truncated = false;       // the answer ends inside an unclosed fence or reasoning span
};

/// Canonical language for a fence tag or alias ("py", "python3", "js",
/// "mjs", "node", "ts", "tsx", "golang", ...); empty when unknown.
std::string canonical_language(const std::string& tag);

/// Guesses a block's language from its content; "text" when unsure.
std::string detect_language(const std::string& code);

/// All code blocks of an answer (fenced ``` and ~~~, indented blocks, or the
/// whole text when it is bare code), CRLF normalised.
std::vector<Candidate> extract_blocks(const std::string& answer);

/// True when the answer was cut off: it ends inside an unclosed fence, or
/// inside a reasoning span that never closed.
bool answer_cut_off(const std::string& answer);

/// True when `block` nearly repeats one of `prompt_blocks` (the "before"
/// quoted ahead of the "after").
bool is_quotation(const std::string& block, const std::vector<std::string>& prompt_blocks);

/// True when `code` satisfies the rule.
bool matches_entry(const std::string& code, const EntryPointRule& rule);

/// The whole pipeline: blocks, quotation marks, entry flags, the primary
/// candidate (first, or last, remaining block in `language` with the entry).
/// Reasoning blocks (docs/extraction.md) are chosen only when the answer
/// proper has no primary; `separate_reasoning` (a record's reasoning_content)
/// is read only then, its blocks appended and marked as reasoning.
Extraction extract(const std::string& answer, const std::string& language,
                   const EntryPointRule& rule, const std::vector<std::string>& prompt_blocks,
                   const std::string& separate_reasoning = {});

/// Entry match strength of `code`: 0 for the rule proper, 1 for its
/// fallback, -1 for none.
int entry_tier(const std::string& code, const EntryPointRule& rule);

/// Names a block defines at top level (functions, classes, variables), for
/// the join retry: a primary that fails on a name another block defines.
std::vector<std::string> defined_names(const Candidate& candidate);

/// Identifiers a block mentions outside strings and comments (approximate:
/// also its own locals), for the join retry's closure over helper blocks.
std::vector<std::string> used_names(const Candidate& candidate);

}  // namespace gradebox
