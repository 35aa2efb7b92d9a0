#include "pipeline/history.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "pipeline/history_rows.h"
#include "pipeline/history_sql.h"
#include "util/text_hash.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kSecondSeed = 0x9e3779b97f4a7c15ull;

constexpr const char* kBusyWords = " is busy: another gradebox is writing it";

bool is_busy_code(const SQLite::Exception& e) { return (e.getErrorCode() & 0xff) == SQLITE_BUSY; }

// Switching a file to WAL needs every other lock gone, and SQLite does not
// wait there (busy timeout or not: "database is locked" at once), so the
// switch is retried until the same deadline.
void switch_to_wal(SQLite::Database& db, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      db.exec("PRAGMA journal_mode=WAL");
      return;
    } catch (const SQLite::Exception& e) {
      if (!is_busy_code(e) || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Names a row that reading a run left out.
InputProblem bad_row(const std::string& run_id, const char* table, int row, const std::string& why,
                     const std::string& model = "", const std::string& task = "") {
  return {kBadHistoryRow,
          "history run " + run_id + ", table " + table + ", row " + std::to_string(row),
          is_safe_id(model) ? model : "", is_safe_id(task) ? task : "", why + " (left out)"};
}

// The run's rows of `table`, in the order given, as a statement to step through.
SQLite::Statement select_rows(SQLite::Database& db, const char* table, const char* columns,
                              const std::string& run_id, const char* order) {
  SQLite::Statement q(db, std::string("SELECT ") + columns + " FROM " + table +
                              " WHERE run_id = ? ORDER BY " + order);
  q.bind(1, run_id);
  return q;
}

void load_answers(SQLite::Database& db, RunView& view) {
  auto q = select_rows(db, "answers", sql::kAnswerColumns, view.meta.id, "model, task, sample");
  for (int row = 1; q.executeStep(); ++row) {
    std::string run_id;
    auto answer = sql::answer_row(q, run_id);
    Status checked = answer ? check_answer_fields(answer->record) : Status(answer.error());
    if (!checked) {
      view.problems.push_back(bad_row(view.meta.id, "answers", row, checked.error().message));
      continue;
    }
    answer->record.source = utf8_clean(answer->record.source);
    view.answers.push_back(std::move(*answer));
  }
}

// A result row as a StoredResult, if every check of history_rows.h passes.
Result<StoredResult> checked_result(const Result<ResultRow>& row) {
  if (!row) return row.error();
  if (auto s = check_ids(row->model, row->task); !s) return s.error();
  if (auto s = check_text("answer_hash", row->answer_hash, 256); !s) return s.error();
  if (auto s = check_text("grader_stamp", row->grader_stamp, 256); !s) return s.error();
  auto report = stored_report(row.value());
  if (!report) return report.error();
  return StoredResult{row->answer_hash, row->grader_stamp, row->from_cache, std::move(*report)};
}

void load_results(SQLite::Database& db, RunView& view) {
  auto q = select_rows(db, "results", sql::kResultColumns, view.meta.id, "model, task, sample");
  for (int row = 1; q.executeStep(); ++row) {
    auto read = sql::result_row(q);
    auto result = checked_result(read);
    if (!result) {
      view.problems.push_back(bad_row(view.meta.id, "results", row, result.error().message,
                                      read ? read->model : "", read ? read->task : ""));
      continue;
    }
    view.results[{read->model, read->task, read->sample}] = std::move(*result);
  }
}

void load_problems(SQLite::Database& db, RunView& view) {
  auto q = select_rows(db, "problems", sql::kProblemColumns, view.meta.id, "location, kind");
  for (int row = 1; q.executeStep(); ++row) {
    std::string run_id;
    auto p = sql::problem_row(q, run_id);
    if (!p) {
      view.problems.push_back(bad_row(view.meta.id, "problems", row, p.error().message));
      continue;
    }
    // Shown as they are read: text made valid, ids that are not safe dropped.
    for (std::string* text : {&p->kind, &p->location, &p->message}) *text = utf8_clean(*text);
    if (!is_safe_id(p->model)) p->model.clear();
    if (!is_safe_id(p->task)) p->task.clear();
    view.problems.push_back(std::move(*p));
  }
}

// A run row as shown: its text made valid UTF-8 (its id is checked apart).
RunMeta shown_meta(RunMeta meta) {
  for (std::string* text :
       {&meta.created, &meta.input, &meta.fingerprint, &meta.shard, &meta.gradebox_version})
    *text = utf8_clean(*text);
  return meta;
}

}  // namespace

std::string answer_hash(const std::string& text) {
  return hash_text(text) + hash_text(text, kSecondSeed);
}

fs::path default_history_path() {
  if (const char* p = std::getenv("GRADEBOX_HISTORY"); p && *p) return p;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
    return fs::path(x) / "gradebox" / "history.sqlite";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/tmp") / ".local/share/gradebox/history.sqlite";
}

std::string sqlite_file_name(const fs::path& path) {
  // An absolute path starts with '/', which SQLite never reads as a URI.
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).string();
}

History::History(std::unique_ptr<SQLite::Database> db, fs::path path,
                 std::chrono::milliseconds busy_timeout)
    : db_(std::move(db)), path_(std::move(path)), busy_timeout_(busy_timeout) {}
History::~History() = default;

bool History::is_busy(const Error& error) {
  return error.message.rfind("history ", 0) == 0 &&
         error.message.find(kBusyWords) != std::string::npos;
}

Error History::sql_error(const std::string& call, const std::exception& e) const {
  auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
  if (sqlite && is_busy_code(*sqlite))
    return Error{"history " + path_.string() + kBusyWords + " (waited " +
                 std::to_string(busy_timeout_.count()) + " ms; try again when it is done)"};
  return Error{"sqlite " + call + ": " + e.what()};
}

Result<std::unique_ptr<History>> History::open(const fs::path& path,
                                               std::chrono::milliseconds busy_timeout) {
  std::unique_ptr<History> history;
  try {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    history.reset(
        new History(std::make_unique<SQLite::Database>(sqlite_file_name(path),
                                                       SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                       static_cast<int>(busy_timeout.count())),
                    path, busy_timeout));
    SQLite::Database& db = *history->db_;
    // WAL + NORMAL: every committed result survives the process being killed.
    switch_to_wal(db, busy_timeout);
    db.exec("PRAGMA synchronous=NORMAL");
    // IMMEDIATE: a second gradebox starting at the same moment waits for the
    // lock here (a deferred transaction would fail at once, "locked").
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(sql::kSchema);
    sql::migrate_schema(db);
    tx.commit();
    return history;
  } catch (const std::exception& e) {
    if (history) return history->sql_error("open(" + path.string() + ")", e);
    return Error{"sqlite open(" + path.string() + "): " + e.what()};
  }
}

Status History::begin_run(const RunMeta& meta, const std::vector<AnswerRecord>& answers,
                          const std::vector<InputProblem>& problems) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement find(*db_, "SELECT fingerprint FROM runs WHERE id = ?");
    find.bind(1, meta.id);
    if (find.executeStep()) {
      if (find.getColumn(0).getString() != meta.fingerprint)
        return Error{"history: run " + meta.id + " exists with other answers or graders"};
    } else {
      sql::insert_run(*db_, meta);
    }
    sql::insert_answers(*db_, meta.id, answers);
    sql::insert_problems(*db_, meta.id, problems);
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("begin_run(" + meta.id + ")", e);
  }
}

std::set<AnswerKey> History::graded(const std::string& run_id) {
  std::lock_guard lock(mutex_);
  std::set<AnswerKey> keys;
  auto q = select_rows(*db_, "results", sql::kResultColumns, run_id, "model, task, sample");
  while (q.executeStep()) {
    auto row = sql::result_row(q);
    // A grader-error is gradebox's fault, maybe transient: a resume retries
    // it; a row that does not read back is graded again too.
    auto result = checked_result(row);
    if (result && result->report.verdict != Verdict::kGraderError)
      keys.insert({row->model, row->task, row->sample});
  }
  return keys;
}

std::optional<Report> History::cached(const AnswerRecord& answer, const std::string& stamp,
                                      const std::string& options) {
  std::lock_guard lock(mutex_);
  SQLite::Statement q(*db_,
                      "SELECT text, reasoning, finish_reason, report FROM cache WHERE "
                      "answer_hash = ? AND grader_stamp = ? AND options = ?");
  q.bind(1, answer_hash(answer.text)), q.bind(2, stamp), q.bind(3, options);
  if (!q.executeStep()) return std::nullopt;
  // The key holds only hashes: the entry must be for this very answer.
  if (q.getColumn(0).getString() != answer.text || q.getColumn(1).getString() != answer.reasoning ||
      q.getColumn(2).getString() != answer.finish_reason)
    return std::nullopt;
  // An entry that does not read back as a consistent report is regraded, not trusted.
  auto report = parse_stored_report(q.getColumn(3).getString());
  if (!report || !check_scores_match_tests(*report)) return std::nullopt;
  return std::move(*report);
}

Status History::record(const std::string& run_id, const AnswerRecord& answer,
                       const std::string& stamp, const std::string& options, const Report& report,
                       bool from_cache) {
  std::lock_guard lock(mutex_);
  try {
    // replace: a string that is not UTF-8 must never throw here (on a worker thread).
    std::string json =
        to_json(report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string hash = answer_hash(answer.text);
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    sql::insert_result(
        *db_, "INSERT OR REPLACE",
        {run_id, answer.model, answer.task, hash, stamp, to_string(report.verdict),
         report.correctness.score, report.edge_cases.score, from_cache, json, answer.sample});
    // A grader-error is gradebox's fault and may be transient: never cached.
    if (report.verdict != Verdict::kGraderError && !from_cache) {
      SQLite::Statement c(*db_,
                          "INSERT OR REPLACE INTO cache(answer_hash, grader_stamp, options, text, "
                          "reasoning, finish_reason, report) VALUES(?,?,?,?,?,?,?)");
      c.bind(1, hash), c.bind(2, stamp), c.bind(3, options), c.bind(4, answer.text);
      c.bind(5, answer.reasoning), c.bind(6, answer.finish_reason), c.bind(7, json);
      c.exec();
    }
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("record(" + run_id + ", " + answer.model + "/" + answer.task + "#" +
                         std::to_string(answer.sample) + ")",
                     e);
  }
}

Status History::record_repeats(const std::string& run_id, const AnswerRecord& answer,
                               const std::vector<Report>& repeats) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (std::size_t i = 0; i < repeats.size(); ++i) {
      std::string json =
          to_json(repeats[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      sql::insert_repeat(
          *db_, "INSERT OR REPLACE",
          {run_id, answer.model, answer.task, answer.sample, static_cast<int>(i), std::move(json)});
    }
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("record_repeats(" + run_id + ", " + answer_name(key_of(answer)) + ")", e);
  }
}

Result<RunView> History::load_run(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (!is_safe_id(id)) return Error{"history: run id '" + printable(id) + "' is not a safe name"};
  try {
    RunView view;
    SQLite::Statement q(*db_,
                        std::string("SELECT ") + sql::kRunColumns + " FROM runs WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return Error{"history: no run '" + id + "'"};
    auto meta = sql::run_row(q);
    if (!meta) return Error{"history: run " + id + ": " + meta.error().message};
    view.meta = shown_meta(std::move(*meta));
    load_answers(*db_, view);
    load_results(*db_, view);
    load_problems(*db_, view);
    return view;
  } catch (const std::exception& e) {
    return sql_error("load_run(" + id + ")", e);
  }
}

std::vector<RunMeta> History::runs() {
  std::lock_guard lock(mutex_);
  std::vector<RunMeta> all;
  SQLite::Statement q(
      *db_, std::string("SELECT ") + sql::kRunColumns + " FROM runs ORDER BY created, rowid");
  auto now = std::chrono::system_clock::now();
  while (q.executeStep()) {
    // A run dated in the future (from a history merged before merge checked
    // dates) would stay "latest" for good: it is not listed.
    auto meta = sql::run_row(q);
    if (meta && check_run(*meta, now)) all.push_back(shown_meta(std::move(*meta)));
  }
  return all;
}

std::optional<std::string> History::previous_run(const std::string& id) {
  auto all = runs();
  std::optional<std::string> previous;
  for (const auto& run : all) {
    if (run.id == id) return previous;
    previous = run.id;
  }
  return previous;
}

}  // namespace gradebox::pipeline
