// Histories as older gradebox versions wrote them, for migration tests: the
// schema before issue 17 gave answers a reasoning and a finish_reason (and
// keyed the cache by them), the schema before issue 19 keyed answers and
// results by sample, and make_old_history(), which builds a file of either
// holding one run ("before") of one graded answer, so a test can check that
// today's gradebox opens it, migrates it and keeps its rows.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "gradebox/report.h"
#include "pipeline/history.h"

namespace gradebox::testing {

inline constexpr const char* kSchemaBeforeReasoning = R"sql(
CREATE TABLE runs(
  id TEXT PRIMARY KEY, created TEXT NOT NULL, input TEXT, fingerprint TEXT,
  shard TEXT, gradebox_version TEXT);
CREATE TABLE answers(
  run_id TEXT, model TEXT, task TEXT, answer_hash TEXT, text TEXT,
  latency_s REAL, tokens INTEGER, source TEXT, PRIMARY KEY(run_id, model, task));
CREATE TABLE results(
  run_id TEXT, model TEXT, task TEXT, answer_hash TEXT, grader_stamp TEXT,
  verdict TEXT, correctness REAL, edge REAL, from_cache INTEGER, report TEXT,
  PRIMARY KEY(run_id, model, task));
CREATE TABLE problems(
  run_id TEXT, kind TEXT, location TEXT, model TEXT, task TEXT, message TEXT,
  PRIMARY KEY(run_id, kind, location, model, task));
CREATE TABLE cache(
  answer_hash TEXT, grader_stamp TEXT, options TEXT, text TEXT, report TEXT,
  PRIMARY KEY(answer_hash, grader_stamp, options));
)sql";

/// The cache key's options part as gradebox wrote it then (default options).
inline constexpr const char* kOptionsBeforeReasoning = "pick=first;retry=1";

inline constexpr const char* kSchemaBeforeSamples = R"sql(
CREATE TABLE runs(
  id TEXT PRIMARY KEY, created TEXT NOT NULL, input TEXT, fingerprint TEXT,
  shard TEXT, gradebox_version TEXT);
CREATE TABLE answers(
  run_id TEXT, model TEXT, task TEXT, answer_hash TEXT, text TEXT,
  latency_s REAL, tokens INTEGER, source TEXT, reasoning TEXT, finish_reason TEXT,
  PRIMARY KEY(run_id, model, task));
CREATE TABLE results(
  run_id TEXT, model TEXT, task TEXT, answer_hash TEXT, grader_stamp TEXT,
  verdict TEXT, correctness REAL, edge REAL, from_cache INTEGER, report TEXT,
  PRIMARY KEY(run_id, model, task));
CREATE TABLE problems(
  run_id TEXT, kind TEXT, location TEXT, model TEXT, task TEXT, message TEXT,
  PRIMARY KEY(run_id, kind, location, model, task));
CREATE TABLE cache(
  answer_hash TEXT, grader_stamp TEXT, options TEXT, text TEXT, report TEXT,
  reasoning TEXT, finish_reason TEXT, PRIMARY KEY(answer_hash, grader_stamp, options));
)sql";

/// What make_old_history() stores: model "old" answered echo_task with
/// kOldText (reasoning "draft", finish_reason "stop" where the schema has
/// them) and passed its one core test.
inline constexpr const char* kOldText = "old text";

/// The report make_old_history() stores for `model`.
inline Report old_report(const std::string& model = "old") {
  Report report;
  report.model = model, report.task = "echo_task", report.verdict = Verdict::kGraded;
  TestResult& test = report.tests.emplace_back();
  test.id = "basic-1", test.kind = "core", test.category = "basic";
  test.status = TestStatus::kPass;
  compute_scores(report);
  return report;
}

/// A new file at `path` made by `schema`, holding run "before": one answer,
/// its result, and a missing-answer problem. Every insert names its
/// columns, so one helper fills any of the schemas above.
inline void make_old_history(const std::filesystem::path& path, const char* schema) {
  std::filesystem::remove(path);
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(schema);
  db.exec(
      "INSERT INTO runs(id, created, input, fingerprint, shard, gradebox_version) "
      "VALUES('before', '2024-05-01T00:00:00.000Z', 'x.jsonl', 'fp', '', '0.1.0')");
  SQLite::Statement a(db,
                      "INSERT INTO answers(run_id, model, task, answer_hash, text, latency_s, "
                      "tokens, source) VALUES('before', 'old', 'echo_task', ?, ?, 1, 1, "
                      "'x.jsonl:1')");
  a.bind(1, pipeline::answer_hash(kOldText)), a.bind(2, kOldText);
  a.exec();
  if (db.execAndGet("SELECT COUNT(*) FROM pragma_table_info('answers') WHERE name = 'reasoning'")
          .getInt())
    db.exec("UPDATE answers SET reasoning = 'draft', finish_reason = 'stop'");
  Report report = old_report();
  SQLite::Statement r(db,
                      "INSERT INTO results(run_id, model, task, answer_hash, grader_stamp, "
                      "verdict, correctness, edge, from_cache, report) VALUES('before', 'old', "
                      "'echo_task', ?, 'stamp', 'graded', ?, ?, 0, ?)");
  r.bind(1, pipeline::answer_hash(kOldText)), r.bind(2, report.correctness.score);
  r.bind(3, report.edge_cases.score), r.bind(4, to_json(report).dump());
  r.exec();
  db.exec(
      "INSERT INTO problems(run_id, kind, location, model, task, message) VALUES('before', "
      "'missing-answer', 'x.jsonl', 'old', 'other_task', 'no answer')");
}

}  // namespace gradebox::testing
