#include "grade/harness_run.h"

#include <set>

#include "check/bounded_json.h"
#include "grade/harness_trace.h"
#include "grade/kept_box.h"
#include "trusted/script_server.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

using nlohmann::json;

json inputs_json(const HarnessRequest& req) {
  json tests = strip_expectations(req.tests);
  for (auto& test : tests) {
    auto id = test.at("id").get<std::string>();
    if (auto it = req.time_limits_ms.find(id); it != req.time_limits_ms.end())
      test["time_limit_ms"] = it->second;
  }
  json files = json::array();
  for (std::size_t i = 1; i < req.files.size(); ++i)
    files.push_back("/box/answer/" + req.files[i].path);
  return {{"answer", "/box/answer/" + req.files.at(0).path},
          {"files", files},
          {"tests", tests},
          {"options", req.options},
          {"channel", channel_limits_json()}};
}

SandboxSpec spec_for(const HarnessRequest& req, const Box& box) {
  SandboxSpec spec;
  spec.argv = req.task.harness_argv;
  spec.env = req.profile.env;
  spec.mounts = req.profile.mounts;
  spec.mounts.push_back({box.path().string(), "/box", false});
  spec.seccomp_allow = req.profile.seccomp_allow;
  spec.limits = harness_limits(req);
  spec.guard_program = true;  // the harness observes the answer: closed to it
  return spec;
}

std::set<std::string> ids_of(const json& tests) {
  std::set<std::string> ids;
  for (const auto& t : tests) ids.insert(t.at("id").get<std::string>());
  return ids;
}

// Server tasks: the trusted prober joins the sandbox's network namespace
// while the harness runs, then the sandbox is ended. Its output carries what
// the answer's server sent: over a declared limit it is refused (an empty
// object; `limit_note` says why), which fails the tests it would have judged.
ScriptCall probe_call(const HarnessRequest& req) {
  ScriptCall call;
  call.script = req.task.dir / req.task.probe;
  // The answer's files as extraction wrote them (trusted text, never what the
  // answer's process reports): the prober may read literal data from them.
  json files = json::array();
  for (const auto& file : req.files) files.push_back({{"path", file.path}, {"code", file.code}});
  call.stdin_data = json({{"tests", req.tests}, {"options", req.options}, {"answer_files", files}})
                        .dump(-1, ' ', false, json::error_handler_t::replace);
  call.timeout =
      std::chrono::milliseconds(static_cast<long>(req.task.probe_timeout_seconds * 1000));
  return call;
}

Result<json> probe(RunningSandbox& running, const HarnessRequest& req, std::string& limit_note) {
  ScriptCall call = probe_call(req);
  call.network_namespace = running.network_namespace_path();
  auto out = run_script(call);
  if (!out) return out.error();
  if (out->exit_code != 0)
    return Error{"probe exited " + std::to_string(out->exit_code) + ": " +
                 utf8_clean(out->stderr_data, 400)};
  auto output = parse_bounded(out->stdout_data, kTrustedReplyLimits);
  if (output) return std::move(*output);
  if (!over_a_limit(output.error())) return Error{"probe: bad output: " + output.error().message};
  limit_note = "the prober's output was " + output.error().message;
  return json::object();
}

Result<Box> make_box(const HarnessRequest& req) {
  return req.keep_box ? Box::create_kept(req.task.id) : Box::create();
}

Status keep_if_asked(const HarnessRequest& req, const Box& box, const SandboxSpec& spec) {
  if (!req.keep_box) return ok_status();
  std::optional<ScriptCall> prober;
  if (!req.task.probe.empty()) prober = probe_call(req);
  return keep_for_rerun(box, {spec, prober});
}

}  // namespace

SandboxLimits harness_limits(const HarnessRequest& req) {
  const TaskLimits& t = req.task.limits;
  double test_seconds = 0;
  for (const auto& [id, ms] : req.time_limits_ms) test_seconds += ms / 1000.0;
  const double startup = req.task.startup_cpu_seconds;
  SandboxLimits limits;
  limits.cpu_seconds = startup + 1.5 * test_seconds;
  limits.wall_seconds = std::min(t.run_wall_seconds, 2 * limits.cpu_seconds + 5);
  limits.memory_bytes = (t.memory_mb + req.profile.memory_headroom_mb) << 20;
  limits.max_processes = std::max(t.max_processes, req.profile.max_processes);
  limits.output_bytes = t.output_kb << 10;
  limits.tmpfs_bytes = t.tmpfs_mb << 20;
  return limits;
}

Result<HarnessResult> run_harness(Sandbox& sandbox, const HarnessRequest& req) {
  auto box = make_box(req);
  if (!box) return box.error();
  if (auto s = box->fill(req.task, req.files, inputs_json(req)); !s) return s.error();
  SandboxSpec spec = spec_for(req, *box);
  if (auto s = keep_if_asked(req, *box, spec); !s) return s.error();
  trace_start(spec, box->path().string());
  auto running = sandbox.start(spec);
  if (!running) return running.error();
  HarnessResult result;
  result.limits = spec.limits;
  std::string probe_limit_note;
  if (!req.task.probe.empty()) {
    auto probed = probe(**running, req, probe_limit_note);
    (*running)->kill();
    auto outcome = (*running)->wait();
    if (!probed) return probed.error();
    if (!outcome) return outcome.error();
    result.probe = std::move(*probed);
    result.outcome = std::move(*outcome);
  } else {
    auto outcome = (*running)->wait();
    if (!outcome) return outcome.error();
    result.outcome = std::move(*outcome);
  }
  trace_outcome(result.outcome);
  result.observations = parse_observations(result.outcome.channel_data, ids_of(req.tests));
  if (result.observations.limit_note.empty()) result.observations.limit_note = probe_limit_note;
  return result;
}

}  // namespace gradebox
