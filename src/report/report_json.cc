// The report as JSON (the contract's fields, then ours), and back: the run
// history and `gradebox diff` read reports they wrote earlier. What the
// answer produced is shown within caps (report_bounds.h), tightened in steps
// until the report's text fits in kMaxReportBytes whatever the answer sent.
#include <algorithm>

#include "gradebox/report.h"
#include "report/json_text.h"
#include "report/report_bounds.h"

namespace gradebox {
namespace {

using nlohmann::json;

// One step of shrinking: the caps of the values shown and how many items of
// the answer-sized lists (blocks, graded, joined) are listed.
struct Shrink {
  ValueCaps caps;
  std::size_t list_items;
};
constexpr Shrink kShrinkSteps[] = {{kReportCaps, 1000},
                                   {{1024, 16 << 10, 32}, 200},
                                   {{256, 4 << 10, 16}, 50},
                                   {{96, 1 << 10, 8}, 10}};

json candidate_json(const Candidate& c, const ValueCaps& caps) {
  json j = {{"index", c.index},
            {"language", bounded_string(c.language, caps.string_bytes)},
            {"language_from", c.language_from},
            {"filename", bounded_string(c.filename, caps.string_bytes)},
            {"first_line", c.first_line},
            {"lines", std::count(c.code.begin(), c.code.end(), '\n') + 1},
            {"quotation", c.quotation},
            {"has_entry", c.has_entry}};
  if (c.reasoning) j["reasoning"] = true;  // in the model's reasoning (docs/extraction.md)
  return j;
}

Candidate candidate_from(const json& j) {
  Candidate c;
  c.index = j.value("index", 0);
  c.language = j.value("language", "");
  c.language_from = j.value("language_from", "");
  c.filename = j.value("filename", "");
  c.first_line = j.value("first_line", 0);
  c.quotation = j.value("quotation", false);
  c.has_entry = j.value("has_entry", false);
  c.reasoning = j.value("reasoning", false);
  return c;
}

json score_json(const Score& s) {
  return {{"score", s.score}, {"passed", s.passed}, {"total", s.total}};
}

Score score_from(const json& j) {
  return {j.value("score", 0.0), j.value("passed", 0), j.value("total", 0)};
}

// A test run more than once shows every run: its status and CPU time.
void add_runs(json& j, const TestResult& t) {
  if (t.runs.size() < 2) return;
  json times = json::array(), statuses = json::array();
  for (const auto& run : t.runs) {
    times.push_back(run.cpu_ms ? json(*run.cpu_ms) : json(nullptr));
    statuses.push_back(to_string(run.status));
  }
  j["reruns"] = t.runs.size() - 1;
  j["times_ms"] = std::move(times);
  j["run_statuses"] = std::move(statuses);
  j["limit_ms"] = t.limit_ms;
}

// Reports read back are input: ill-typed run fields are left out, not trusted.
// A test runs at most four times (a starved run, then three votes): a longer
// list is not a report gradebox wrote.
constexpr std::size_t kMaxRunsRead = 4;

void read_runs(const json& j, TestResult& t) {
  auto times = j.find("times_ms");
  auto statuses = j.find("run_statuses");
  if (times == j.end() || statuses == j.end() || !times->is_array() || !statuses->is_array() ||
      times->size() != statuses->size() || times->size() > kMaxRunsRead)
    return;
  for (std::size_t i = 0; i < times->size(); ++i) {
    const json& name = (*statuses)[i];
    auto status = name.is_string() ? test_status_from(name.get<std::string>()) : std::nullopt;
    if (!status) continue;
    const json& ms = (*times)[i];
    t.runs.push_back({*status, ms.is_number() ? std::optional(ms.get<double>()) : std::nullopt});
  }
  auto limit = j.find("limit_ms");
  if (limit != j.end() && limit->is_number()) t.limit_ms = limit->get<double>();
}

json test_json(const TestResult& t, const ValueCaps& caps) {
  json j = {{"id", t.id},
            {"kind", t.kind},
            {"category", t.category},
            {"status", to_string(t.status)},
            {"time_ms", t.time_ms},
            {"detail", bounded_string(t.detail, caps.string_bytes)}};
  if (t.retried) j["retried"] = true;
  if (t.flaky) j["flaky"] = true;
  add_runs(j, t);
  return j;
}

TestResult test_from(const json& j) {
  TestResult t;
  t.id = j.at("id").get<std::string>();
  t.kind = j.at("kind").get<std::string>();
  t.category = j.at("category").get<std::string>();
  auto status = test_status_from(j.at("status").get<std::string>());
  if (!status) throw std::runtime_error("unknown status " + j.at("status").dump());
  t.status = *status;
  t.time_ms = j.value("time_ms", 0.0);
  t.detail = j.value("detail", "");
  t.retried = j.value("retried", false);
  t.flaky = j.value("flaky", false);
  read_runs(j, t);
  return t;
}

// The first `max` items of an answer-sized list; how many were left out is
// counted in `omitted` under `name`.
template <typename T, typename ToJson>
json first_items(const std::vector<T>& items, std::size_t max, const char* name, json& omitted,
                 ToJson to_json_item) {
  json list = json::array();
  for (std::size_t i = 0; i < items.size() && i < max; ++i) list.push_back(to_json_item(items[i]));
  if (items.size() > max) omitted[name] = items.size() - max;
  return list;
}

json extraction_json(const Report& r, const Shrink& step) {
  json omitted = json::object();
  auto as_is = [](int index) { return json(index); };
  json j = {
      {"candidates", static_cast<int>(r.candidates.size())},
      {"graded", first_items(r.graded, step.list_items, "graded", omitted, as_is)},
      {"language", r.language},
      {"pick", r.pick},
      {"reason", bounded_string(r.extraction_reason, step.caps.string_bytes)},
      {"extraction_sensitive", r.extraction_sensitive},
      {"blocks", first_items(r.candidates, step.list_items, "blocks", omitted,
                             [&](const Candidate& c) { return candidate_json(c, step.caps); })}};
  j["kept"] = r.kept ? json(*r.kept) : json(nullptr);
  if (!r.joined.empty())
    j["joined"] = first_items(r.joined, step.list_items, "joined", omitted, as_is);
  if (!omitted.empty()) j["omitted"] = omitted;
  return j;
}

// A value the answer shaped (load, extra), each top-level field within the
// caps: the object itself is the grader's structure, kept unless it has so
// many fields that they alone are over 16 times the container cap.
json shown_value(const json& value, const ValueCaps& caps) {
  if (value.is_null()) return json::object();
  if (!value.is_object()) return bounded_value(value, caps);
  json shown = json::object();
  for (const auto& [key, field] : value.items())
    shown[bounded_string(key, caps.string_bytes)] = bounded_value(field, caps);
  if (compact_text(shown).size() > 16 * caps.container_bytes) return truncation_marker(value);
  return shown;
}

// A shown value read back from a stored report, bounded again without a
// recursive copy: a history file is input, and may hold any depth.
json stored_value(const json& report, const char* key) {
  auto it = report.find(key);
  return it == report.end() ? json::object() : shown_value(*it, kReportCaps);
}

json report_json(const Report& r, const Shrink& step) {
  json tests = json::array();
  for (const auto& t : r.tests) tests.push_back(test_json(t, step.caps));
  return {{"task", r.task},
          {"model", r.model},
          {"verdict", to_string(r.verdict)},
          {"verdict_detail", bounded_string(r.verdict_detail, step.caps.string_bytes)},
          {"extraction", extraction_json(r, step)},
          {"from_reasoning", r.from_reasoning},
          {"truncated", r.truncated},
          {"correctness", score_json(r.correctness)},
          {"edge_cases", score_json(r.edge_cases)},
          {"tests", tests},
          {"load", shown_value(*r.load, step.caps)},
          {"environment", shown_value(*r.environment, step.caps)},
          {"extra", shown_value(*r.extra, step.caps)},
          {"grade_seconds", r.grade_seconds}};
}

}  // namespace

json to_json(const Report& r) {
  json j;
  for (const Shrink& step : kShrinkSteps) {
    j = report_json(r, step);
    if (&step != &kShrinkSteps[0])
      j["shrunk"] = {{"max_report_bytes", kMaxReportBytes},
                     {"string_bytes", step.caps.string_bytes},
                     {"container_bytes", step.caps.container_bytes},
                     {"depth", step.caps.depth},
                     {"list_items", step.list_items}};
    if (report_text_bytes(j) <= kMaxReportBytes) break;
  }
  return j;  // the last step fits whatever the answer sent: its lists and values are short
}

Result<Report> report_from_json(const json& j) {
  try {
    Report r;
    r.task = j.at("task").get<std::string>();
    r.model = j.value("model", "");
    auto verdict = verdict_from(j.at("verdict").get<std::string>());
    if (!verdict) return Error{"report: unknown verdict " + j.at("verdict").dump()};
    r.verdict = *verdict;
    r.verdict_detail = j.value("verdict_detail", "");
    const json& ex = j.at("extraction");
    if (auto blocks = ex.find("blocks"); blocks != ex.end() && blocks->is_array())
      for (const auto& c : *blocks) r.candidates.push_back(candidate_from(c));
    r.graded = ex.value("graded", std::vector<int>{});
    if (ex.contains("kept") && ex["kept"].is_number_integer()) r.kept = ex["kept"].get<int>();
    r.joined = ex.value("joined", std::vector<int>{});
    r.pick = ex.value("pick", "");
    r.extraction_reason = ex.value("reason", "");
    r.extraction_sensitive = ex.value("extraction_sensitive", false);
    r.language = ex.value("language", "");
    r.from_reasoning = j.value("from_reasoning", false);
    r.truncated = j.value("truncated", false);
    r.correctness = score_from(j.at("correctness"));
    r.edge_cases = score_from(j.at("edge_cases"));
    for (const auto& t : j.at("tests")) r.tests.push_back(test_from(t));
    r.load = stored_value(j, "load");
    r.environment = stored_value(j, "environment");
    r.extra = stored_value(j, "extra");
    r.grade_seconds = j.value("grade_seconds", 0.0);
    return r;
  } catch (const std::exception& e) {
    return Error{std::string("report: ") + e.what()};
  }
}

}  // namespace gradebox
