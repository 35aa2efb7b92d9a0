// Known answers: each task's hand-judged sample answers, kept in
// graders/<task>/known/<name>.md with their expectation in <name>.json beside
// them (and the record's separate reasoning in <name>.reasoning.txt, when it
// has one). This reader lists a task's known answers and parses their
// expectations; `gradebox selftest` and the test suite both read through it.
// The format is documented in graders/README.md ("Known answers"). Known
// answers test the grader and never decide a verdict, so this folder is not
// part of the grader stamp.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gradebox/status.h"
#include "gradebox/task.h"

namespace gradebox {

/// One known answer and what grading it must give.
struct KnownAnswer {
  std::string name;                 // file stem, e.g. "falsy_dropped"
  std::filesystem::path answer;     // <name>.md
  std::filesystem::path reasoning;  // <name>.reasoning.txt; empty when there is none
  std::string verdict = "graded";
  // Category -> "pass", "fail" or "n/a", in file order; asserted exactly unless flaky.
  std::vector<std::pair<std::string, std::string>> categories;
  std::vector<std::string> must_fail;  // categories that must not be all-pass
  std::string twin;                    // a hostile answer's honest twin (a known answer's name)
  std::string judged;                  // how it was judged by hand
  bool flaky = false;                  // its categories vary between runs: not asserted exactly
  std::string finish_reason;           // the record's finish reason, passed to the grader
  bool from_reasoning = false;
  bool truncated = false;
  std::optional<std::vector<int>> joined;  // blocks the join retry must join
};

/// The folder of a task's known answers.
std::filesystem::path known_dir(const Task& task);

/// Parses one expectation file against `task` (its categories). An unknown
/// key, a wrong type or an unknown category is an Error naming file and key.
Result<KnownAnswer> read_expectation(const std::filesystem::path& json_file, const Task& task);

/// Every known answer of `task`, sorted by name; none when the folder is
/// missing. An answer without its expectation (or the reverse), a twin that
/// is not a known answer, or a bad expectation is an Error.
Result<std::vector<KnownAnswer>> load_known_answers(const Task& task);

}  // namespace gradebox
