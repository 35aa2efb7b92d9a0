#include "grade/time_limits.h"

#include <unistd.h>

#include <mutex>

#include "gradebox/extract.h"
#include "grade/answer_layout.h"
#include "grade/candidate_grade.h"
#include "grade/host_cache.h"
#include "tasks/task_json.h"

namespace gradebox {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path cache_file(const Task& task) {
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  return host_cache_dir("calibration") / (task.id + "-" + task.stamp + "-" + host + ".json");
}

// Runs the reference answer with provisional limits and reads each test's
// time. An Error when the reference does not grade (selftest says more).
Result<std::map<std::string, double>> measure_reference(const Task& task, Sandbox& sandbox,
                                                        const RuntimeProfile& profile) {
  if (task.reference.empty()) return Error{"no reference solution"};
  std::string text = read_cached(task.dir / task.reference);
  Extraction ex = extract(text, task.language, task.entry, task.prompt_blocks);
  if (!ex.primary) return Error{"reference: " + ex.reason};
  auto limits = provisional_limits(task);
  GradeContext ctx{task, sandbox, profile, limits, text, /*retry_timeouts=*/false};
  CandidateGrade grade = grade_files(ctx, layout_candidate(task, ex, *ex.primary));
  if (grade.verdict != Verdict::kGraded)
    return Error{std::string("reference verdict ") + to_string(grade.verdict) + ": " +
                 grade.verdict_detail};
  std::map<std::string, double> times;
  for (const auto& t : grade.tests) times[t.id] = t.time_ms;
  return times;
}

}  // namespace

std::map<std::string, double> provisional_limits(const Task& task) {
  std::map<std::string, double> limits;
  for (const auto& t : hidden_tests(task)) {
    limits[t.at("id").get<std::string>()] =
        t.value("time_limit_ms", 5 * task.limits.test_cpu_floor_ms);
  }
  return limits;
}

std::map<std::string, double> derive_limits(const Task& task,
                                            const std::map<std::string, double>& reference_ms) {
  std::map<std::string, double> limits;
  for (const auto& t : hidden_tests(task)) {
    std::string id = t.at("id").get<std::string>();
    if (t.contains("time_limit_ms")) {
      limits[id] = t["time_limit_ms"].get<double>();
      continue;
    }
    auto it = reference_ms.find(id);
    double scaled = it == reference_ms.end() ? 0 : task.limits.reference_multiple * it->second;
    limits[id] = std::max(task.limits.test_cpu_floor_ms, scaled);
  }
  return limits;
}

TimeLimits time_limits(const Task& task, Sandbox& sandbox, const RuntimeProfile& profile) {
  static std::mutex mutex;
  static std::map<std::string, json> measured;  // stamp -> reference times
  std::lock_guard lock(mutex);
  json& reference = measured[task.id + task.stamp];
  json info = {{"floor_ms", task.limits.test_cpu_floor_ms},
               {"reference_multiple", task.limits.reference_multiple}};
  if (reference.is_null()) {
    fs::path file = cache_file(task);
    json cached = json::parse(read_cached(file), nullptr, false);
    if (cached.is_object()) {
      reference = cached;
    } else if (auto times = measure_reference(task, sandbox, profile)) {
      reference = json(*times);
      write_cached(file, reference.dump());
    } else {
      info["error"] = times.error().message;
      return {provisional_limits(task), info};
    }
  }
  info["reference_ms"] = reference;
  return {derive_limits(task, reference.get<std::map<std::string, double>>()), info};
}

}  // namespace gradebox
