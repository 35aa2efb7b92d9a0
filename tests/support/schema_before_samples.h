// The history schema as gradebox wrote it before issue 19 keyed answers and
// results by sample (after issue 17's reasoning columns): tests make a file
// of it and check that today's gradebox opens it, rebuilds the two keyed
// tables and keeps every row as sample 0.
#pragma once

namespace gradebox::testing {

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

}  // namespace gradebox::testing
