// The report as JSON (the contract's fields, then ours), and back: the run
// history and `gradebox diff` read reports they wrote earlier.
#include <algorithm>

#include "gradebox/report.h"
#include "util/utf8.h"

namespace gradebox {
namespace {

using nlohmann::json;

json candidate_json(const Candidate& c) {
  return {{"index", c.index},
          {"language", c.language},
          {"language_from", c.language_from},
          {"filename", c.filename},
          {"first_line", c.first_line},
          {"lines", std::count(c.code.begin(), c.code.end(), '\n') + 1},
          {"quotation", c.quotation},
          {"has_entry", c.has_entry}};
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
void read_runs(const json& j, TestResult& t) {
  auto times = j.find("times_ms");
  auto statuses = j.find("run_statuses");
  if (times == j.end() || statuses == j.end() || !times->is_array() || !statuses->is_array() ||
      times->size() != statuses->size())
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

json test_json(const TestResult& t) {
  json j = {{"id", t.id},           {"kind", t.kind},       {"category", t.category},
            {"status", to_string(t.status)}, {"time_ms", t.time_ms}, {"detail", utf8_clean(t.detail)}};
  if (t.retried) j["retried"] = true;
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
  read_runs(j, t);
  return t;
}

json extraction_json(const Report& r) {
  json candidates = json::array();
  for (const auto& c : r.candidates) candidates.push_back(candidate_json(c));
  json j = {{"candidates", static_cast<int>(r.candidates.size())},
            {"graded", r.graded},
            {"language", r.language},
            {"pick", r.pick},
            {"reason", r.extraction_reason},
            {"extraction_sensitive", r.extraction_sensitive},
            {"blocks", candidates}};
  j["kept"] = r.kept ? json(*r.kept) : json(nullptr);
  if (!r.joined.empty()) j["joined"] = r.joined;
  return j;
}

}  // namespace

json to_json(const Report& r) {
  json tests = json::array();
  for (const auto& t : r.tests) tests.push_back(test_json(t));
  json j = {{"task", r.task},
            {"model", r.model},
            {"verdict", to_string(r.verdict)},
            {"verdict_detail", utf8_clean(r.verdict_detail)},
            {"extraction", extraction_json(r)},
            {"correctness", score_json(r.correctness)},
            {"edge_cases", score_json(r.edge_cases)},
            {"tests", tests},
            {"load", r.load.is_null() ? json::object() : r.load},
            {"environment", r.environment.is_null() ? json::object() : r.environment},
            {"extra", r.extra.is_null() ? json::object() : r.extra},
            {"grade_seconds", r.grade_seconds}};
  return j;
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
    for (const auto& c : ex.value("blocks", json::array())) r.candidates.push_back(candidate_from(c));
    r.graded = ex.value("graded", std::vector<int>{});
    if (ex.contains("kept") && ex["kept"].is_number_integer()) r.kept = ex["kept"].get<int>();
    r.joined = ex.value("joined", std::vector<int>{});
    r.pick = ex.value("pick", "");
    r.extraction_reason = ex.value("reason", "");
    r.extraction_sensitive = ex.value("extraction_sensitive", false);
    r.language = ex.value("language", "");
    r.correctness = score_from(j.at("correctness"));
    r.edge_cases = score_from(j.at("edge_cases"));
    for (const auto& t : j.at("tests")) r.tests.push_back(test_from(t));
    r.load = j.value("load", json::object());
    r.environment = j.value("environment", json::object());
    r.extra = j.value("extra", json::object());
    r.grade_seconds = j.value("grade_seconds", 0.0);
    return r;
  } catch (const std::exception& e) {
    return Error{std::string("report: ") + e.what()};
  }
}

}  // namespace gradebox
