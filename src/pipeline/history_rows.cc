#include "pipeline/history_rows.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <regex>

#include "check/bounded_json.h"
#include "gradebox/grade.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

// A report embeds what the answer sent back (bounded by the channel's depth
// limit) a few levels down; reports are bounded to about 1 MB when written,
// the byte cap leaves room for histories written before that bound.
constexpr JsonLimits kStoredReportLimits{16u << 20, kChannelLimits.max_depth + 16};

// Shards come from other machines: their clocks may run a little ahead.
constexpr auto kClockSkew = std::chrono::hours(1);

bool valid_utf8(const std::string& text) { return utf8_clean(text) == text; }

// 1e308 as "1e+308", not as 309 digits in a one-line message.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// "2024-05-01", "2024-05-01T10:00:00", "2024-05-01T10:00:00.123Z": seconds
// since the epoch (as time_t: year 9999 overflows a nanosecond time_point),
// or nullopt when the text is no such date.
std::optional<std::time_t> parse_utc(const std::string& text) {
  static const std::regex pattern(
      R"((\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z?)?)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900, tm.tm_mon = std::stoi(m[2]) - 1,
  tm.tm_mday = std::stoi(m[3]);
  if (m[4].matched)
    tm.tm_hour = std::stoi(m[4]), tm.tm_min = std::stoi(m[5]), tm.tm_sec = std::stoi(m[6]);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  return ::timegm(&tm);
}

Status check_score(const char* name, double score) {
  if (std::isfinite(score) && score >= 0 && score <= 10) return ok_status();
  return Error{std::string(name) + " " + number(score) + " is outside 0-10"};
}

Status check_same_answer(const std::string& model, const std::string& task, const Report& report) {
  if (report.model == model && report.task == task) return ok_status();
  return Error{"its report is for another answer (" + printable(report.model) + "/" +
               printable(report.task) + ")"};
}

Status check_agreement(const ResultRow& row, const Report& report) {
  if (auto s = check_same_answer(row.model, row.task, report); !s) return s;
  if (row.verdict != to_string(report.verdict))
    return Error{"verdict column '" + printable(row.verdict) + "' but report says " +
                 to_string(report.verdict)};
  if (row.correctness != report.correctness.score || row.edge != report.edge_cases.score)
    return Error{"score columns disagree with the report"};
  return ok_status();
}

}  // namespace

Status check_ids(const std::string& model, const std::string& task) {
  if (!is_safe_id(model)) return Error{"model id '" + printable(model) + "' is not a safe name"};
  if (!is_safe_id(task)) return Error{"task id '" + printable(task) + "' is not a safe name"};
  return ok_status();
}

Status check_answer_fields(const AnswerRecord& answer) {
  if (auto s = check_ids(answer.model, answer.task); !s) return s;
  if (answer.finish_reason.empty()) return ok_status();
  std::string problem = finish_reason_problem(answer.finish_reason);
  if (problem.empty()) return ok_status();
  return Error{"finish_reason '" + printable(answer.finish_reason) + "': " + problem};
}

Status check_text(const std::string& field, const std::string& value, std::size_t max_bytes) {
  if (!valid_utf8(value)) return Error{field + " is not valid UTF-8"};
  if (value.size() > max_bytes)
    return Error{field + " is " + std::to_string(value.size()) + " bytes, over " +
                 std::to_string(max_bytes)};
  return ok_status();
}

Status check_run(const RunMeta& meta, std::chrono::system_clock::time_point now) {
  if (!is_safe_id(meta.id)) return Error{"run id '" + printable(meta.id) + "' is not a safe name"};
  auto created = parse_utc(meta.created);
  if (!created) return Error{"created '" + printable(meta.created) + "' is not an ISO 8601 date"};
  auto latest = std::chrono::system_clock::to_time_t(now + kClockSkew);
  if (*created > latest) return Error{"created " + meta.created + " lies in the future"};
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"input", meta.input},
        {"fingerprint", meta.fingerprint},
        {"shard", meta.shard},
        {"gradebox_version", meta.gradebox_version}}) {
    if (auto s = check_text(field, value); !s) return s;
  }
  return ok_status();
}

Result<Report> parse_stored_report(const std::string& json) {
  auto parsed = parse_bounded(json, kStoredReportLimits);
  if (!parsed) return Error{"stored report: " + printable(parsed.error().message)};
  auto report = report_from_json(*parsed);
  if (!report) return Error{"stored " + printable(report.error().message)};
  return report;
}

Result<Report> stored_report(const ResultRow& row) {
  if (auto s = check_score("correctness", row.correctness); !s) return s.error();
  if (auto s = check_score("edge", row.edge); !s) return s.error();
  auto report = parse_stored_report(row.report);
  if (!report) return report.error();
  if (auto s = check_agreement(row, *report); !s) return s.error();
  return report;
}

Result<Report> stored_repeat_report(const RepeatRow& row) {
  auto report = parse_stored_report(row.report);
  if (!report) return report.error();
  if (auto s = check_same_answer(row.model, row.task, *report); !s) return s.error();
  if (auto s = check_scores_match_tests(*report); !s) return s.error();
  return report;
}

Status check_scores_match_tests(const Report& report) {
  Report recomputed = report;
  compute_scores(recomputed);
  auto same = [](const Score& a, const Score& b) {
    return a.score == b.score && a.passed == b.passed && a.total == b.total;
  };
  if (same(recomputed.correctness, report.correctness) &&
      same(recomputed.edge_cases, report.edge_cases))
    return ok_status();
  return Error{"scores " + number(report.correctness.score) + "/" +
               number(report.edge_cases.score) + " are not what its tests give (" +
               number(recomputed.correctness.score) + "/" + number(recomputed.edge_cases.score) +
               ")"};
}

}  // namespace gradebox::pipeline
