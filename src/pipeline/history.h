// The run history: one embedded SQLite file holding every run's answers,
// every graded report (JSON) and the content-hash result cache. Each result
// is committed the moment it exists (WAL), so a killed gradebox loses
// nothing it graded and an interrupted run resumes where it stopped.
#pragma once

#include <chrono>
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

/// One answer of a run: a model's sample for a task.
struct AnswerKey {
  std::string model;
  std::string task;
  int sample = 0;
  auto operator<=>(const AnswerKey&) const = default;
};

inline AnswerKey key_of(const AnswerRecord& answer) {
  return {answer.model, answer.task, answer.sample};
}

/// "model/task", with "#N" for a sample other than 0 (a run of one sample
/// names its answers as it always did).
inline std::string answer_name(const AnswerKey& key) {
  return key.model + "/" + key.task + (key.sample ? "#" + std::to_string(key.sample) : "");
}

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

/// The name SQLite gets for `path`: always a plain file name, never parsed as
/// an SQLite URI (Debian's SQLite treats "file:..." as a URI by default).
std::string sqlite_file_name(const std::filesystem::path& path);

/// Thread-safe: one connection behind a mutex (each write is one short
/// statement; grading takes far longer). Another process using the same file
/// is waited for (every write transaction takes its lock at BEGIN, under a
/// busy timeout); past the timeout the error says the history is busy.
class History {
 public:
  /// How long a write waits for another process (a run's writes are short; a
  /// large merge holds the history longest).
  static constexpr std::chrono::milliseconds kBusyTimeout{30000};

  static Result<std::unique_ptr<History>> open(
      const std::filesystem::path& path, std::chrono::milliseconds busy_timeout = kBusyTimeout);
  /// Whether `error` is "history <path> is busy" (another process held it too long).
  static bool is_busy(const Error& error);
  ~History();

  /// Creates the run (or finds it again, to resume) and stores its answers
  /// and problems. Error when the id exists with another fingerprint.
  Status begin_run(const RunMeta& meta, const std::vector<AnswerRecord>& answers,
                   const std::vector<InputProblem>& problems);
  /// Answers of the run that already have a readable result
  /// (grader-errors excepted: those are graded again; so is a bad row).
  std::set<AnswerKey> graded(const std::string& run_id);
  /// A cached report for this exact text, reasoning and finish_reason under
  /// this grader stamp and options (options_key: it holds the reasoning's
  /// hash and the finish_reason; an entry that does not read back as a
  /// consistent report is a miss).
  std::optional<Report> cached(const AnswerRecord& answer, const std::string& stamp,
                               const std::string& options);
  /// Stores one result (and caches it unless it is a grader-error).
  Status record(const std::string& run_id, const AnswerRecord& answer, const std::string& stamp,
                const std::string& options, const Report& report, bool from_cache);
  /// Keeps every report of an answer graded more than once (run --repeat),
  /// in order, beside the merged result `record` stores.
  Status record_repeats(const std::string& run_id, const AnswerRecord& answer,
                        const std::vector<Report>& repeats);
  /// The run; a row that fails history_rows.h's checks is left out and
  /// named in `problems` (kind bad-history-row), so nothing unchecked from
  /// the file becomes a path or an output, and one bad row never fails it.
  Result<RunView> load_run(const std::string& id);
  /// Every run that passes check_run (a safe id, a date not in the future),
  /// oldest first.
  std::vector<RunMeta> runs();
  /// The newest run created before `id` (nightly compares against it).
  std::optional<std::string> previous_run(const std::string& id);
  /// Copies every run, answer, result and problem of the shards into this
  /// history (history_merge.cc), in one transaction: every row of every
  /// shard is checked first, and one bad row rejects the whole merge with
  /// an error naming the shard, table and row. Result-cache rows are never
  /// imported (grading rebuilds the cache). Runs with the same id must have
  /// the same fingerprint and the same answers.
  Status merge_from(const std::vector<std::filesystem::path>& shards);
  Status merge_from(const std::filesystem::path& shard) {
    return merge_from(std::vector<std::filesystem::path>{shard});
  }

 private:
  History(std::unique_ptr<SQLite::Database> db, std::filesystem::path path,
          std::chrono::milliseconds busy_timeout);
  /// The error for a failed SQLite call; "history <path> is busy" for a lock timeout.
  Error sql_error(const std::string& call, const std::exception& e) const;
  std::unique_ptr<SQLite::Database> db_;
  std::filesystem::path path_;
  std::chrono::milliseconds busy_timeout_;
  std::mutex mutex_;
};

}  // namespace gradebox::pipeline
