#include "pipeline/history.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>

#include "tasks/stamp.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kSecondSeed = 0x9e3779b97f4a7c15ull;

// The schema; `IF NOT EXISTS` so opening an existing history is a no-op.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id TEXT PRIMARY KEY, created TEXT NOT NULL, input TEXT, fingerprint TEXT,
  shard TEXT, gradebox_version TEXT);
CREATE TABLE IF NOT EXISTS answers(
  run_id TEXT, model TEXT, task TEXT, answer_hash TEXT, text TEXT,
  latency_s REAL, tokens INTEGER, source TEXT, PRIMARY KEY(run_id, model, task));
CREATE TABLE IF NOT EXISTS results(
  run_id TEXT, model TEXT, task TEXT, answer_hash TEXT, grader_stamp TEXT,
  verdict TEXT, correctness REAL, edge REAL, from_cache INTEGER, report TEXT,
  PRIMARY KEY(run_id, model, task));
CREATE TABLE IF NOT EXISTS problems(
  run_id TEXT, kind TEXT, location TEXT, model TEXT, task TEXT, message TEXT,
  PRIMARY KEY(run_id, kind, location, model, task));
CREATE TABLE IF NOT EXISTS cache(
  answer_hash TEXT, grader_stamp TEXT, options TEXT, text TEXT, report TEXT,
  PRIMARY KEY(answer_hash, grader_stamp, options));
)sql";

Error sql_error(const std::string& call, const std::exception& e) {
  return Error{"sqlite " + call + ": " + e.what()};
}

Status insert_answers(SQLite::Database& db, const std::string& run_id,
                      const std::vector<AnswerRecord>& answers) {
  SQLite::Statement q(db, "INSERT OR IGNORE INTO answers VALUES(?,?,?,?,?,?,?,?)");
  for (const auto& a : answers) {
    q.reset();
    q.bind(1, run_id), q.bind(2, a.model), q.bind(3, a.task), q.bind(4, answer_hash(a.text));
    q.bind(5, a.text), q.bind(6, a.latency_s), q.bind(7, static_cast<int64_t>(a.tokens));
    q.bind(8, a.source);
    q.exec();
  }
  return ok_status();
}

Status insert_problems(SQLite::Database& db, const std::string& run_id,
                       const std::vector<InputProblem>& problems) {
  SQLite::Statement q(db, "INSERT OR IGNORE INTO problems VALUES(?,?,?,?,?,?)");
  for (const auto& p : problems) {
    q.reset();
    q.bind(1, run_id), q.bind(2, p.kind), q.bind(3, p.location), q.bind(4, p.model);
    q.bind(5, p.task), q.bind(6, p.message);
    q.exec();
  }
  return ok_status();
}

RunMeta meta_from(SQLite::Statement& q) {
  return {q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()};
}

constexpr const char* kRunColumns = "id, created, input, fingerprint, shard, gradebox_version";

void load_answers(SQLite::Database& db, RunView& view) {
  SQLite::Statement q(
      db,
      "SELECT model, task, text, latency_s, tokens, source, answer_hash FROM answers "
      "WHERE run_id = ? ORDER BY model, task");
  q.bind(1, view.meta.id);
  while (q.executeStep()) {
    AnswerRecord r{q.getColumn(0).getString(), q.getColumn(1).getString(),
                   q.getColumn(2).getString(), q.getColumn(3).getDouble(),
                   q.getColumn(4).getInt64(),  q.getColumn(5).getString()};
    view.answers.push_back({std::move(r), q.getColumn(6).getString()});
  }
}

Status load_results(SQLite::Database& db, RunView& view) {
  SQLite::Statement q(db,
                      "SELECT model, task, answer_hash, grader_stamp, from_cache, report "
                      "FROM results WHERE run_id = ?");
  q.bind(1, view.meta.id);
  while (q.executeStep()) {
    auto json = nlohmann::json::parse(q.getColumn(5).getString(), nullptr, false);
    auto report = report_from_json(json);
    if (!report)
      return Error{"history: stored report of " + view.meta.id + " " + q.getColumn(0).getString() +
                   "/" + q.getColumn(1).getString() + ": " + report.error().message};
    view.results[{q.getColumn(0).getString(), q.getColumn(1).getString()}] = {
        q.getColumn(2).getString(), q.getColumn(3).getString(), q.getColumn(4).getInt() != 0,
        std::move(*report)};
  }
  return ok_status();
}

void load_problems(SQLite::Database& db, RunView& view) {
  SQLite::Statement q(db,
                      "SELECT kind, location, model, task, message FROM problems WHERE run_id = ? "
                      "ORDER BY location, kind");
  q.bind(1, view.meta.id);
  while (q.executeStep()) {
    view.problems.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                             q.getColumn(2).getString(), q.getColumn(3).getString(),
                             q.getColumn(4).getString()});
  }
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

History::History(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
History::~History() = default;

Result<std::unique_ptr<History>> History::open(const fs::path& path) {
  try {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    auto db = std::make_unique<SQLite::Database>(
        path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 10000);
    // WAL + NORMAL: every committed result survives the process being killed.
    db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    db->exec(kSchema);
    return std::unique_ptr<History>(new History(std::move(db)));
  } catch (const std::exception& e) {
    return sql_error("open(" + path.string() + ")", e);
  }
}

Status History::begin_run(const RunMeta& meta, const std::vector<AnswerRecord>& answers,
                          const std::vector<InputProblem>& problems) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Transaction tx(*db_);
    SQLite::Statement find(*db_, "SELECT fingerprint FROM runs WHERE id = ?");
    find.bind(1, meta.id);
    if (find.executeStep()) {
      if (find.getColumn(0).getString() != meta.fingerprint)
        return Error{"history: run " + meta.id + " exists with other answers or graders"};
    } else {
      SQLite::Statement q(*db_, "INSERT INTO runs VALUES(?,?,?,?,?,?)");
      q.bind(1, meta.id), q.bind(2, meta.created), q.bind(3, meta.input);
      q.bind(4, meta.fingerprint), q.bind(5, meta.shard), q.bind(6, meta.gradebox_version);
      q.exec();
    }
    insert_answers(*db_, meta.id, answers);
    insert_problems(*db_, meta.id, problems);
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("begin_run(" + meta.id + ")", e);
  }
}

std::set<AnswerKey> History::graded(const std::string& run_id) {
  std::lock_guard lock(mutex_);
  std::set<AnswerKey> keys;
  // A grader-error is gradebox's fault, maybe transient: a resume retries it.
  SQLite::Statement q(
      *db_, "SELECT model, task FROM results WHERE run_id = ? AND verdict != 'grader-error'");
  q.bind(1, run_id);
  while (q.executeStep()) keys.insert({q.getColumn(0).getString(), q.getColumn(1).getString()});
  return keys;
}

std::optional<Report> History::cached(const std::string& text, const std::string& stamp,
                                      const std::string& options) {
  std::lock_guard lock(mutex_);
  SQLite::Statement q(*db_,
                      "SELECT text, report FROM cache WHERE answer_hash = ? AND grader_stamp = ? "
                      "AND options = ?");
  q.bind(1, answer_hash(text)), q.bind(2, stamp), q.bind(3, options);
  if (!q.executeStep() || q.getColumn(0).getString() != text) return std::nullopt;
  auto report = report_from_json(nlohmann::json::parse(q.getColumn(1).getString(), nullptr, false));
  if (!report) return std::nullopt;  // an unreadable entry is regraded, not trusted
  return std::move(*report);
}

Status History::record(const std::string& run_id, const AnswerRecord& answer,
                       const std::string& stamp, const std::string& options, const Report& report,
                       bool from_cache) {
  std::lock_guard lock(mutex_);
  try {
    std::string json = to_json(report).dump();
    std::string hash = answer_hash(answer.text);
    SQLite::Transaction tx(*db_);
    SQLite::Statement q(*db_, "INSERT OR REPLACE INTO results VALUES(?,?,?,?,?,?,?,?,?,?)");
    q.bind(1, run_id), q.bind(2, answer.model), q.bind(3, answer.task), q.bind(4, hash);
    q.bind(5, stamp), q.bind(6, to_string(report.verdict)), q.bind(7, report.correctness.score);
    q.bind(8, report.edge_cases.score), q.bind(9, from_cache ? 1 : 0), q.bind(10, json);
    q.exec();
    // A grader-error is gradebox's fault and may be transient: never cached.
    if (report.verdict != Verdict::kGraderError && !from_cache) {
      SQLite::Statement c(*db_, "INSERT OR REPLACE INTO cache VALUES(?,?,?,?,?)");
      c.bind(1, hash), c.bind(2, stamp), c.bind(3, options), c.bind(4, answer.text),
          c.bind(5, json);
      c.exec();
    }
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("record(" + run_id + ", " + answer.model + "/" + answer.task + ")", e);
  }
}

Result<RunView> History::load_run(const std::string& id) {
  std::lock_guard lock(mutex_);
  try {
    RunView view;
    SQLite::Statement q(*db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return Error{"history: no run '" + id + "'"};
    view.meta = meta_from(q);
    load_answers(*db_, view);
    if (auto s = load_results(*db_, view); !s) return s.error();
    load_problems(*db_, view);
    return view;
  } catch (const std::exception& e) {
    return sql_error("load_run(" + id + ")", e);
  }
}

std::vector<RunMeta> History::runs() {
  std::lock_guard lock(mutex_);
  std::vector<RunMeta> all;
  SQLite::Statement q(*db_,
                      std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY created, rowid");
  while (q.executeStep()) all.push_back(meta_from(q));
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

Status History::merge_from(const fs::path& other) {
  std::lock_guard lock(mutex_);
  try {
    SQLite::Statement attach(*db_, "ATTACH DATABASE ? AS other");
    attach.bind(1, other.string());
    attach.exec();
    struct Detach {
      SQLite::Database& db;
      ~Detach() { db.exec("DETACH DATABASE other"); }
    } detach{*db_};
    SQLite::Statement clash(*db_,
                            "SELECT o.id FROM other.runs o JOIN runs r ON r.id = o.id "
                            "WHERE r.fingerprint != o.fingerprint");
    if (clash.executeStep())
      return Error{"merge(" + other.string() + "): run " + clash.getColumn(0).getString() +
                   " has other answers or graders here"};
    SQLite::Transaction tx(*db_);
    // A run met again from another shard is the whole run once merged.
    db_->exec(
        "UPDATE runs SET shard = 'merged', created = MIN(created, (SELECT created FROM other.runs "
        "o "
        "WHERE o.id = runs.id)) WHERE id IN (SELECT id FROM other.runs)");
    db_->exec("INSERT OR IGNORE INTO runs SELECT * FROM other.runs");
    for (const char* table : {"answers", "results", "problems", "cache"})
      db_->exec(std::string("INSERT OR IGNORE INTO ") + table + " SELECT * FROM other." + table);
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("merge_from(" + other.string() + ")", e);
  }
}

}  // namespace gradebox::pipeline
