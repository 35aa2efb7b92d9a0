// A task's own trusted judge (check.py), run outside the sandbox with the
// expectations, the observations and the run's outcome on stdin.
#include <set>

#include "check/bounded_json.h"
#include "check/checker.h"
#include "trusted/script_server.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

using nlohmann::json;

json outcome_json(const SandboxOutcome& o) {
  return {{"exited", o.exited},
          {"exit_code", o.exit_code},
          {"signal", o.term_signal},
          {"limit", to_string(o.limit)},
          {"violation", o.violation},
          {"cpu_seconds", o.cpu_seconds},
          {"wall_seconds", o.wall_seconds},
          {"stdout", utf8_clean(o.stdout_data, 64 * 1024)},
          {"stderr", utf8_clean(o.stderr_data, 64 * 1024)}};
}

// The status gradebox gives a test the harness never reported, for a script
// that voids what an unclean run reported (dijkstra_ts).
json unreported_json(const SandboxOutcome& o) {
  TestResult r = status_from_outcome("", o);
  return {{"status", to_string(r.status)}, {"detail", r.detail}};
}

Result<CheckResult> parse_results(json reply, const CheckInput& in) {
  CheckResult result;
  if (!reply.contains("results") || !reply["results"].is_array())
    return Error{in.task.checker + ": reply has no results array"};
  if (reply.contains("extra") && !reply["extra"].is_object())
    return Error{in.task.checker + ": reply's extra is not an object"};
  for (const auto& item : reply["results"]) {
    TestResult r;
    r.id = item.at("id").get<std::string>();
    auto status = test_status_from(item.at("status").get<std::string>());
    if (!status) return Error{in.task.checker + ": unknown status for " + r.id};
    r.status = *status;
    r.detail = item.value("detail", "");
    r.time_ms = item.value("time_ms", 0.0);
    result.results[r.id] = std::move(r);
  }
  if (reply.contains("extra")) result.extra = std::move(reply["extra"]);
  return result;
}

// The reply carries the answer's data (details, extra), so a reply over a
// declared limit is the answer's failure: every test fails naming the limit.
CheckResult refused_reply(const CheckInput& in, const std::string& why) {
  CheckResult result;
  const std::string detail = "the checker's reply was " + why;
  for (const auto& test : in.tests) {
    TestResult r;
    r.id = test.at("id").get<std::string>();
    r.status = TestStatus::kFail;
    r.detail = detail;
    result.results[r.id] = std::move(r);
  }
  result.extra["refused_by_limit"] = detail;
  return result;
}

// A declared limit refused some of the answer's data the checker never saw
// (a channel line, the prober's output): a test it failed for want of that
// data names the limit.
void name_refused_data(CheckResult& result, const Observations& obs) {
  if (obs.limit_note.empty()) return;
  for (auto& [id, r] : result.results) {
    const bool judged = r.status == TestStatus::kPass || r.status == TestStatus::kNotApplicable;
    if (judged || obs.tests.count(id)) continue;
    r.detail += (r.detail.empty() ? "" : "; ") + obs.limit_note;
  }
}

// What the script judges: with a harness, only the tests that returned
// normally, and only their events; the generic rules judged the others.
struct ScriptShare {
  json tests = json::array();
  json events = json::array();
  std::map<std::string, TestResult> judged;  // decided before the script ran
};

ScriptShare share_for_script(const CheckInput& in) {
  ScriptShare share;
  std::set<std::string> returned;
  for (const auto& test : in.tests) {
    std::optional<TestResult> early;
    if (in.harness_reported) early = status_before_value(test, in.observations, in.outcome);
    if (early) {
      share.judged[early->id] = std::move(*early);
    } else {
      returned.insert(test.at("id").get<std::string>());
      share.tests.push_back(test);
    }
  }
  for (const auto& e : in.observations.events) {
    const bool other_test = in.harness_reported && text_field(*e, "event") == "test" &&
                            !returned.count(text_field(*e, "id"));
    if (!other_test) share.events.push_back(*e);
  }
  return share;
}

Result<CheckResult> run_checker(const CheckInput& in, const ScriptShare& share) {
  json untrusted = in.harness_reported ? json::array() : json(in.observations.untrusted);
  json request = {{"answer", in.answer},
                  {"tests", share.tests},
                  {"observations", share.events},
                  {"untrusted", untrusted},
                  {"problems", in.observations.problems},
                  {"outcome", outcome_json(in.outcome)},
                  {"unreported", unreported_json(in.outcome)},
                  {"probe", in.probe}};
  ScriptCall call;
  call.script = in.task.dir / in.task.checker;
  call.stdin_data = request.dump(-1, ' ', false, json::error_handler_t::replace);
  auto output = run_script(call);
  if (!output) return output.error();
  if (output->exit_code != 0) {
    std::string err = utf8_clean(output->stderr_data, 400);
    return Error{in.task.checker + " exited " + std::to_string(output->exit_code) + ": " + err};
  }
  auto reply = parse_bounded(output->stdout_data, kTrustedReplyLimits);
  if (!reply && over_a_limit(reply.error())) return refused_reply(in, reply.error().message);
  if (!reply) return Error{in.task.checker + ": bad reply: " + reply.error().message};
  try {
    auto result = parse_results(std::move(*reply), in);
    if (result) name_refused_data(*result, in.observations);
    return result;
  } catch (const std::exception& e) {
    return Error{in.task.checker + ": bad reply: " + e.what()};
  }
}

}  // namespace

Result<CheckResult> check_with_script(const CheckInput& in) {
  ScriptShare share = share_for_script(in);
  auto result = run_checker(in, share);
  if (!result) return result;
  // The generic rules' statuses stand, whatever the script said of those ids.
  for (auto& [id, r] : share.judged) result->results[id] = std::move(r);
  return result;
}

}  // namespace gradebox
