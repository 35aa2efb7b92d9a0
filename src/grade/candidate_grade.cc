#include "grade/candidate_grade.h"

#include <algorithm>

#include "check/behaviour_rule.h"
#include "check/checker.h"
#include "grade/harness_run.h"
#include "grade/join_blocks.h"
#include "grade/rerun_policy.h"
#include "util/utf8.h"
#include "tasks/task_json.h"

namespace gradebox {
namespace {

using nlohmann::json;

CandidateGrade fault(std::string message) {
  CandidateGrade g;
  g.verdict = Verdict::kGraderError;
  g.verdict_detail = std::move(message);
  return g;
}

// The load event decides whether there is anything to test at all. It is
// untrusted data: only well-typed, non-empty fields count.
std::optional<std::pair<Verdict, std::string>> load_verdict(const json& load) {
  if (auto why = text_field(load, "compile_error"); !why.empty())
    return std::pair{Verdict::kCompileError, why};
  if (auto why = text_field(load, "unsupported"); !why.empty())
    return std::pair{Verdict::kUnsupported, why};
  if (flag_field(load, "no_entry"))
    return std::pair{Verdict::kNoCode, std::string("the code defines no entry point")};
  return std::nullopt;
}

void collect_missing_names(const Observations& obs, std::set<std::string>& names) {
  auto take = [&](const json& e) {
    if (e.contains("missing_name") && e["missing_name"].is_string())
      names.insert(e["missing_name"].get<std::string>());
  };
  for (const auto& event : obs.events) {
    const json& e = *event;
    take(e);
    auto errors = e.find("errors");
    if (errors == e.end() || !errors->is_array()) continue;
    for (const auto& err : *errors) {
      if (err.is_object()) take(err);
    }
  }
}

// Harnesses that do not parse errors themselves still pass their messages
// on (a probe's log, a test's detail): the join retry reads names there too.
void add_names_from_messages(CandidateGrade& grade) {
  auto take = [&](std::string_view text) {
    for (auto& name : undefined_names_in(text)) grade.missing_names.insert(name);
  };
  take(grade.load.dump(-1, ' ', false, json::error_handler_t::replace));
  for (const auto& t : grade.tests) take(t.detail);
}

json run_summary(const HarnessResult& r) {
  return {{"cpu_seconds", r.outcome.cpu_seconds},
          {"wall_seconds", r.outcome.wall_seconds},
          {"peak_memory_bytes", r.outcome.peak_memory_bytes},
          {"exit_code", r.outcome.exit_code},
          {"signal", r.outcome.term_signal},
          {"limit", to_string(r.outcome.limit)},
          {"violation", r.outcome.violation},
          {"stdout_truncated", r.outcome.stdout_truncated},
          // Excerpts, so a reader can see what the program printed.
          {"stdout", utf8_clean(r.outcome.stdout_data, 2000)},
          {"stderr", utf8_clean(r.outcome.stderr_data, 2000)},
          {"problems", r.observations.problems},
          {"limits",
           {{"cpu_seconds", r.limits.cpu_seconds},
            {"wall_seconds", r.limits.wall_seconds},
            {"memory_bytes", r.limits.memory_bytes},
            {"max_processes", r.limits.max_processes}}}};
}

json tests_with_ids(const json& tests, const std::set<std::string>& ids) {
  json subset = json::array();
  for (const auto& t : tests) {
    if (ids.count(t.at("id").get<std::string>())) subset.push_back(t);
  }
  return subset;
}

Result<CheckResult> run_and_check(const GradeContext& ctx, const std::vector<AnswerFile>& files,
                                  const json& tests, HarnessResult& run_out) {
  HarnessRequest request{ctx.task, ctx.profile,        files,
                         tests,    ctx.time_limits_ms, harness_options(ctx.task)};
  request.keep_box = ctx.keep_box;
  auto run = run_harness(ctx.sandbox, request);
  if (!run) return run.error();
  run_out = std::move(*run);
  CheckInput input{ctx.task,        tests,      run_out.observations,
                   run_out.outcome, ctx.answer, run_out.probe};
  input.harness_reported = run_out.probe.is_null();  // a prober's tasks judge its results
  return check(input);
}

// Noisy verdicts are settled by running those tests again, together and
// without the others (rerun_policy.h says which and how), on what the
// harness's observer measured: its CPU time for the test, and whether it
// stopped the test at its CPU limit ("reason": "cpu") or the test timed out
// on the wall clock short of it (starved).
std::optional<double> observed_cpu_ms(const Observations& obs, const std::string& id) {
  auto it = obs.tests.find(id);
  if (it == obs.tests.end() || obs.untrusted.count(id)) return std::nullopt;
  // Harnesses whose time_ms is wall time (dijkstra_ts) give cpu_ms beside it.
  for (const char* key : {"cpu_ms", "time_ms"}) {
    auto field = it->second->find(key);
    if (field != it->second->end() && field->is_number()) return field->get<double>();
  }
  return std::nullopt;
}

bool used_its_cpu(const Observations& obs, const std::string& id) {
  auto it = obs.tests.find(id);
  return it != obs.tests.end() && text_field(*it->second, "reason") == "cpu";
}

Measurement measured(const TestResult& result, const Observations& obs, const std::string& id) {
  return {result, observed_cpu_ms(obs, id),
          result.status == TestStatus::kTimeout && !used_its_cpu(obs, id)};
}

using RunsById = std::map<std::string, std::vector<Measurement>>;

// When every test timed out (starved, or stopped at its limit) the cause is
// the run as a whole (its own limit, a dead harness) or an answer that hangs
// everywhere, not noise: running it all again would only double the cost of
// the slowest answers.
bool every_test_timed_out(const RunsById& runs) {
  return std::all_of(runs.begin(), runs.end(), [](const auto& r) {
    return r.second.front().result.status == TestStatus::kTimeout;
  });
}

double limit_of(const GradeContext& ctx, const std::string& id) {
  auto it = ctx.time_limits_ms.find(id);
  return it == ctx.time_limits_ms.end() ? 0 : it->second;
}

// At most four runs of a test: a near-limit one needs up to two more votes,
// and a starved run (which does not vote) takes a round of its own.
constexpr int kMaxRerunRounds = 3;

void rerun_noisy_tests(const GradeContext& ctx, const std::vector<AnswerFile>& files,
                       const Observations& first_run, CheckResult& checked) {
  RunsById runs;
  for (const auto& [id, r] : checked.results) runs[id].push_back(measured(r, first_run, id));
  if (every_test_timed_out(runs)) return;
  for (int round = 0; round < kMaxRerunRounds; ++round) {
    std::set<std::string> again;
    for (const auto& [id, list] : runs) {
      if (needs_another_run(list, limit_of(ctx, id))) again.insert(id);
    }
    if (again.empty()) break;
    HarnessResult rerun;
    auto rechecked =
        run_and_check(ctx, files, tests_with_ids(hidden_tests(ctx.task), again), rerun);
    if (!rechecked) break;  // the runs so far decide
    for (const auto& [id, r] : rechecked->results) {
      if (again.count(id)) runs[id].push_back(measured(r, rerun.observations, id));
    }
  }
  for (const auto& [id, list] : runs) {
    if (list.size() > 1) checked.results[id] = settle(list, limit_of(ctx, id));
  }
}

std::vector<TestResult> ordered_results(const Task& task, CheckResult& checked) {
  std::vector<TestResult> tests;
  for (const auto& t : hidden_tests(task)) {
    std::string id = t.at("id").get<std::string>();
    TestResult r;
    if (auto it = checked.results.find(id); it != checked.results.end()) {
      r = it->second;
    } else {
      r.status = TestStatus::kFail;
      r.detail = "the checker gave no result for this test";
    }
    r.id = id;
    r.category = t.at("category").get<std::string>();
    r.kind = task.category(r.category)->kind;
    tests.push_back(std::move(r));
  }
  // After every rerun has settled: the rule reads the final statuses.
  apply_behaviour_rule(task, tests);
  return tests;
}

}  // namespace

CandidateGrade grade_prose_only(const GradeContext& ctx) {
  Observations none;
  SandboxOutcome not_run;
  json no_probe;
  CheckInput input{ctx.task, hidden_tests(ctx.task), none, not_run, ctx.answer, no_probe};
  auto checked = check(input);
  if (!checked) return fault(checked.error().message);
  CandidateGrade grade;
  grade.verdict = Verdict::kGraded;
  grade.extra = checked->extra;
  grade.run = {{"ran", false}, {"why", "the answer has no code to run; only its prose was judged"}};
  grade.tests = ordered_results(ctx.task, *checked);
  return grade;
}

double CandidateGrade::weighted() const {
  if (verdict != Verdict::kGraded) return -1;
  double core = 0, core_n = 0, edge = 0, edge_n = 0;
  for (const auto& t : tests) {
    if (t.status == TestStatus::kNotApplicable) continue;
    bool pass = t.status == TestStatus::kPass;
    (t.kind == "core" ? core : edge) += pass;
    (t.kind == "core" ? core_n : edge_n) += 1;
  }
  return 0.4 * (core_n ? core / core_n : 0) + 0.2 * (edge_n ? edge / edge_n : 0);
}

CandidateGrade grade_files(const GradeContext& ctx, const std::vector<AnswerFile>& files) {
  HarnessResult run;
  auto checked = run_and_check(ctx, files, hidden_tests(ctx.task), run);
  if (!checked) return fault(checked.error().message);
  CandidateGrade grade;
  grade.run = run_summary(run);
  const Observations& obs = run.observations;
  // The harness says "start" before the answer runs, so its absence is
  // gradebox's fault (toolchain missing, harness broken), never the answer's.
  if (!obs.started)
    return fault("the harness did not start (exit code " + std::to_string(run.outcome.exit_code) +
                 ", signal " + std::to_string(run.outcome.term_signal) + ", limit " +
                 to_string(run.outcome.limit) + "): " + utf8_clean(run.outcome.stderr_data, 300) +
                 utf8_clean(run.outcome.stdout_data, 300));
  if (obs.load) grade.load = *obs.load;
  collect_missing_names(obs, grade.missing_names);
  grade.extra = checked->extra;
  // A load event can be forged by the answer (it shares the harness's
  // process); a checker that sees through it says so.
  const bool override_graded = text_field(grade.extra, "verdict_override") == "graded";
  auto special = obs.load && !override_graded ? load_verdict(*obs.load) : std::nullopt;
  if (special) {
    grade.verdict = special->first;
    grade.verdict_detail = special->second;
  } else {
    grade.verdict = Verdict::kGraded;
    if (ctx.retry_timeouts) rerun_noisy_tests(ctx, files, obs, *checked);
  }
  grade.tests = ordered_results(ctx.task, *checked);
  add_names_from_messages(grade);
  return grade;
}

}  // namespace gradebox
