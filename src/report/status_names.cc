// The contract's words for statuses and verdicts, in one place.
#include <array>
#include <utility>

#include "gradebox/report.h"

namespace gradebox {
namespace {

constexpr std::array<std::pair<TestStatus, const char*>, 9> kStatusNames{{
    {TestStatus::kPass, "pass"},
    {TestStatus::kFail, "fail"},
    {TestStatus::kError, "error"},
    {TestStatus::kTimeout, "timeout"},
    {TestStatus::kMemory, "memory"},
    {TestStatus::kCrash, "crash"},
    {TestStatus::kViolation, "violation"},
    {TestStatus::kOutputLimit, "output-limit"},
    {TestStatus::kNotApplicable, "n/a"},
}};

constexpr std::array<std::pair<Verdict, const char*>, 5> kVerdictNames{{
    {Verdict::kGraded, "graded"},
    {Verdict::kNoCode, "no-code"},
    {Verdict::kCompileError, "compile-error"},
    {Verdict::kUnsupported, "unsupported"},
    {Verdict::kGraderError, "grader-error"},
}};

template <typename Enum, std::size_t N>
const char* name_of(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [e, name] : names) {
    if (e == value) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, const char*>, N>& names,
                             const std::string& text) {
  for (const auto& [e, name] : names) {
    if (text == name) return e;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(TestStatus status) { return name_of(kStatusNames, status); }
std::optional<TestStatus> test_status_from(const std::string& text) {
  return value_of(kStatusNames, text);
}
const char* to_string(Verdict verdict) { return name_of(kVerdictNames, verdict); }
std::optional<Verdict> verdict_from(const std::string& text) {
  return value_of(kVerdictNames, text);
}

}  // namespace gradebox
