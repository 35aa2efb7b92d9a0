// A task's own trusted judge (check.py), run outside the sandbox with the
// expectations, the observations and the run's outcome on stdin.
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

Result<CheckResult> parse_results(const json& reply, const CheckInput& in) {
  CheckResult result;
  if (!reply.contains("results") || !reply["results"].is_array())
    return Error{in.task.checker + ": reply has no results array"};
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
  result.extra = reply.value("extra", json::object());
  return result;
}

}  // namespace

Result<CheckResult> check_with_script(const CheckInput& in) {
  json events = json::array();
  for (const auto& e : in.observations.events) events.push_back(*e);
  json request = {{"answer", in.answer},
                  {"tests", in.tests},
                  {"observations", events},
                  {"untrusted", in.observations.untrusted},
                  {"problems", in.observations.problems},
                  {"outcome", outcome_json(in.outcome)},
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
  try {
    return parse_results(json::parse(output->stdout_data), in);
  } catch (const std::exception& e) {
    return Error{in.task.checker + ": bad reply: " + e.what()};
  }
}

}  // namespace gradebox
