// The run history: one embedded SQLite file holding every run's answers,
// every graded report (JSON) and the content-hash result cache. Each result
// is committed the moment it exists (WAL), so a killed gradebox loses
// nothing it graded and an interrupted run resumes where it stopped.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gradebox/report.h"
#include "gradebox/status.h"
#include "pipeline/run_input.h"

namespace SQLite {
class Database;
}

namespace gradebox::pipeline {

/// A run as the history knows it. A shard's run holds the whole input's
/// answers but grades only its slice; merged shards hold them all.
struct RunMeta {
  std::string id;
  std::string created;      // UTC, ISO 8601
  std::string input;        // the run directory or JSONL it came from
  std::string fingerprint;  // answers + grader stamps + options
  std::string shard;        // "K/N" for a shard, empty for a whole run
  std::string gradebox_version;
};

struct StoredAnswer {
  AnswerRecord record;
  std::string hash;
};

struct StoredResult {
  std::string answer_hash;
  std::string grader_stamp;
  bool from_cache = false;
  Report report;
};

using AnswerKey = std::pair<std::string, std::string>;  // (model, task)

/// Everything one run holds, for leaderboards and diffs.
struct RunView {
  RunMeta meta;
  std::vector<StoredAnswer> answers;
  std::map<AnswerKey, StoredResult> results;
  std::vector<InputProblem> problems;
};

/// The content hash that keys the result cache (two FNV-64 streams; a hit is
/// also checked against the stored text, so a collision cannot borrow
/// another answer's result).
std::string answer_hash(const std::string& text);

/// Default database: $GRADEBOX_HISTORY, else $XDG_DATA_HOME/gradebox/history.sqlite,
/// else ~/.local/share/gradebox/history.sqlite.
std::filesystem::path default_history_path();

/// Thread-safe: one connection behind a mutex (each write is one short
/// statement; grading takes far longer).
class History {
 public:
  static Result<std::unique_ptr<History>> open(const std::filesystem::path& path);
  ~History();

  /// Creates the run (or finds it again, to resume) and stores its answers
  /// and problems. Error when the id exists with another fingerprint.
  Status begin_run(const RunMeta& meta, const std::vector<AnswerRecord>& answers,
                   const std::vector<InputProblem>& problems);
  /// (model, task) pairs of the run that already have a result (grader-errors
  /// excepted: those are graded again).
  std::set<AnswerKey> graded(const std::string& run_id);
  /// A cached report for this exact text under this grader stamp and options.
  std::optional<Report> cached(const std::string& text, const std::string& stamp,
                               const std::string& options);
  /// Stores one result (and caches it unless it is a grader-error).
  Status record(const std::string& run_id, const AnswerRecord& answer, const std::string& stamp,
                const std::string& options, const Report& report, bool from_cache);
  Result<RunView> load_run(const std::string& id);
  /// Every run, oldest first.
  std::vector<RunMeta> runs();
  /// The newest run created before `id` (nightly compares against it).
  std::optional<std::string> previous_run(const std::string& id);
  /// Copies every run, answer, result, problem and cache entry of `other`
  /// into this history (shards -> one history). Runs with the same id must
  /// have the same fingerprint.
  Status merge_from(const std::filesystem::path& other);

 private:
  explicit History(std::unique_ptr<SQLite::Database> db);
  std::unique_ptr<SQLite::Database> db_;
  std::mutex mutex_;
};

}  // namespace gradebox::pipeline
