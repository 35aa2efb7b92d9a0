#include "check/checker.h"

#include "report/json_text.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

using nlohmann::json;

TestResult make(const std::string& id, TestStatus status, std::string detail, double ms = 0) {
  TestResult r;
  r.id = id;
  r.status = status;
  r.detail = std::move(detail);
  r.time_ms = ms;
  return r;
}

}  // namespace

// No observation for the test: what happened to the run explains it.
TestResult status_from_outcome(const std::string& id, const SandboxOutcome& out) {
  switch (out.limit) {
    case LimitHit::kCpu:
    case LimitHit::kWall:
      return make(id, TestStatus::kTimeout,
                  std::string("run ended by the ") + to_string(out.limit) +
                      " limit before this test reported");
    case LimitHit::kMemory:
      return make(id, TestStatus::kMemory, "run ended by the memory limit");
    case LimitHit::kOutput:
      return make(id, TestStatus::kOutputLimit, "run ended: output over the limit");
    default:
      break;
  }
  if (!out.violation.empty())
    return make(id, TestStatus::kViolation, "blocked system call: " + out.violation);
  if (!out.exited)
    return make(id, TestStatus::kCrash, "run killed by signal " + std::to_string(out.term_signal));
  return make(
      id, TestStatus::kFail,
      "no result reported (the run ended with exit code " + std::to_string(out.exit_code) + ")");
}

std::string brief(const json& value, std::size_t max) {
  // Only the head is written: the value can be a 1 MiB line nested 2,000 deep.
  std::string text = compact_text(value, max + 1);
  if (text.size() > max) text = utf8_clean(text, max - 3) + "...";
  return text;
}

std::optional<TestResult> status_without_value(const std::string& id, const Observations& obs,
                                               const SandboxOutcome& outcome) {
  if (obs.untrusted.count(id)) return make(id, TestStatus::kFail, "result reported more than once");
  auto it = obs.tests.find(id);
  if (it == obs.tests.end() && !obs.limit_note.empty() && outcome.limit == LimitHit::kNone &&
      outcome.violation.empty())
    return make(id, TestStatus::kFail, "no result reported: " + obs.limit_note);
  if (it == obs.tests.end()) return status_from_outcome(id, outcome);
  const json& e = *it->second;
  double ms = number_field(e, "time_ms");
  const std::string status = text_field(e, "status");
  if (status == "ok") return std::nullopt;
  if (status == "error") {
    std::string type = text_field(e, "error_type");
    return make(id, TestStatus::kError,
                (type.empty() ? "" : type + ": ") + text_field(e, "message"), ms);
  }
  if (status == "unserializable")
    return make(id, TestStatus::kFail,
                "returned a non-plain value of type " + text_field(e, "type"), ms);
  if (auto parsed = test_status_from(status); parsed && *parsed != TestStatus::kPass) {
    // The sandbox kills a blocked call's process with SIGKILL and names the
    // call in the outcome; the harness only saw the SIGKILL.
    if (*parsed == TestStatus::kCrash && number_field(e, "signal") == 9 &&
        !outcome.violation.empty())
      return make(id, TestStatus::kViolation, "blocked system call: " + outcome.violation, ms);
    std::string detail = text_field(e, "message");
    if (*parsed == TestStatus::kViolation)
      detail = "blocked system call: " + text_field(e, "syscall");
    if (*parsed == TestStatus::kCrash && e.contains("signal"))
      detail = "signal " + brief(e["signal"]);
    return make(id, *parsed, detail, ms);
  }
  return make(id, TestStatus::kFail, "unknown observation status '" + status + "'", ms);
}

std::optional<TestResult> status_before_value(const json& test, const Observations& obs,
                                              const SandboxOutcome& outcome) {
  auto early = status_without_value(test.at("id").get<std::string>(), obs, outcome);
  if (!early || early->status != TestStatus::kError) return early;
  const auto expect = test.find("expect");
  if (expect == test.end() || !expect->is_object()) return early;
  const json raises = expect->value("raises", json());
  // Raising is the expected behaviour here; a timeout or memory blow-up is not.
  if (raises == true || raises == "allowed") early->status = TestStatus::kPass;
  return early;
}

Result<CheckResult> check(const CheckInput& input) {
  if (input.task.checker == "values") return check_values(input);
  return check_with_script(input);
}

}  // namespace gradebox
