#include "pipeline/history_sql.h"

#include "pipeline/repeats.h"

namespace gradebox::pipeline::sql {
namespace {

Result<std::string> text_at(SQLite::Statement& q, int i) {
  SQLite::Column c = q.getColumn(i);
  if (c.isNull()) return std::string();
  if (!c.isText()) return Error{std::string("column ") + c.getName() + " holds no text"};
  return c.getString();
}

Result<double> number_at(SQLite::Statement& q, int i) {
  SQLite::Column c = q.getColumn(i);
  if (!c.isInteger() && !c.isFloat())
    return Error{std::string("column ") + c.getName() + " holds no number"};
  return c.getDouble();
}

// A sample number: NULL (a shard made before samples) is sample 0.
Result<int> sample_at(SQLite::Statement& q, int i) {
  SQLite::Column c = q.getColumn(i);
  if (c.isNull()) return 0;
  if (!c.isInteger() || c.getInt64() < 0 || c.getInt64() > kMaxSample)
    return Error{std::string("column ") + c.getName() + " holds no sample number"};
  return c.getInt();
}

// Reads the text columns [first, first + n) into `out`, stopping at the first bad one.
Status texts_at(SQLite::Statement& q, int first, std::initializer_list<std::string*> out) {
  int i = first;
  for (std::string* field : out) {
    auto text = text_at(q, i++);
    if (!text) return text.error();
    *field = std::move(*text);
  }
  return ok_status();
}

}  // namespace

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id TEXT PRIMARY KEY, created TEXT NOT NULL, input TEXT, fingerprint TEXT,
  shard TEXT, gradebox_version TEXT);
CREATE TABLE IF NOT EXISTS answers(
  run_id TEXT, model TEXT, task TEXT, sample INTEGER NOT NULL DEFAULT 0, answer_hash TEXT,
  text TEXT, latency_s REAL, tokens INTEGER, source TEXT, reasoning TEXT, finish_reason TEXT,
  PRIMARY KEY(run_id, model, task, sample));
CREATE TABLE IF NOT EXISTS results(
  run_id TEXT, model TEXT, task TEXT, sample INTEGER NOT NULL DEFAULT 0, answer_hash TEXT,
  grader_stamp TEXT, verdict TEXT, correctness REAL, edge REAL, from_cache INTEGER, report TEXT,
  PRIMARY KEY(run_id, model, task, sample));
CREATE TABLE IF NOT EXISTS problems(
  run_id TEXT, kind TEXT, location TEXT, model TEXT, task TEXT, message TEXT, sample INTEGER,
  PRIMARY KEY(run_id, kind, location, model, task));
CREATE TABLE IF NOT EXISTS repeats(
  run_id TEXT, model TEXT, task TEXT, sample INTEGER, repeat INTEGER, report TEXT,
  PRIMARY KEY(run_id, model, task, sample, repeat));
CREATE TABLE IF NOT EXISTS cache(
  answer_hash TEXT, grader_stamp TEXT, options TEXT, text TEXT, report TEXT,
  reasoning TEXT, finish_reason TEXT, PRIMARY KEY(answer_hash, grader_stamp, options));
)sql";

const char* const kRunColumns = "id, created, input, fingerprint, shard, gradebox_version";
const char* const kAnswerColumns =
    "run_id, model, task, text, latency_s, tokens, source, answer_hash, reasoning, finish_reason, "
    "sample";
const char* const kResultColumns =
    "run_id, model, task, answer_hash, grader_stamp, verdict, correctness, edge, from_cache, "
    "report, sample";
const char* const kProblemColumns = "run_id, kind, location, model, task, message, sample";
const char* const kRepeatColumns = "run_id, model, task, sample, repeat, report";

const TableColumns kTables[4] = {{"runs", kRunColumns},
                                 {"answers", kAnswerColumns},
                                 {"results", kResultColumns},
                                 {"problems", kProblemColumns}};
const TableColumns kRepeatsTable = {"repeats", kRepeatColumns};

const AddedColumn kAddedColumns[4] = {{"answers", "reasoning"},
                                      {"answers", "finish_reason"},
                                      {"cache", "reasoning"},
                                      {"cache", "finish_reason"}};

bool is_added_column(const std::string& table, const std::string& column) {
  if (column == "sample" && (table == "answers" || table == "results" || table == "problems"))
    return true;
  for (const auto& added : kAddedColumns)
    if (table == added.table && column == added.column) return true;
  return false;
}

namespace {

bool has_column(SQLite::Database& db, const char* table, const char* column) {
  SQLite::Statement q(db, "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?");
  q.bind(1, table), q.bind(2, column);
  q.executeStep();
  return q.getColumn(0).getInt() != 0;
}

// A key column cannot be added in place (SQLite keeps the primary key it
// was made with): the table is rebuilt under the new schema, its rows
// copied as sample 0, then the old one dropped.
void add_sample_key(SQLite::Database& db, const char* table, const char* columns) {
  std::string old_name = std::string(table) + "_before_samples";
  db.exec(std::string("ALTER TABLE ") + table + " RENAME TO " + old_name);
  db.exec(kSchema);  // recreates `table` with the sample in its key
  db.exec(std::string("INSERT INTO ") + table + "(" + columns + ") SELECT " + columns + " FROM " +
          old_name);
  db.exec("DROP TABLE " + old_name);
}

}  // namespace

void migrate_schema(SQLite::Database& db) {
  for (const auto& added : kAddedColumns)
    if (!has_column(db, added.table, added.column))
      db.exec(std::string("ALTER TABLE ") + added.table + " ADD COLUMN " + added.column + " TEXT");
  // Issue 19: a too-large answer's problem names its sample (not a key:
  // the location tells two apart already); NULL in older rows reads as 0.
  if (!has_column(db, "problems", "sample"))
    db.exec("ALTER TABLE problems ADD COLUMN sample INTEGER");
  // Issue 19: answers and results are keyed by (run, model, task, sample).
  if (!has_column(db, "answers", "sample"))
    add_sample_key(db, "answers",
                   "run_id, model, task, answer_hash, text, latency_s, tokens, source, reasoning, "
                   "finish_reason");
  if (!has_column(db, "results", "sample"))
    add_sample_key(db, "results",
                   "run_id, model, task, answer_hash, grader_stamp, verdict, correctness, edge, "
                   "from_cache, report");
}

Result<RunMeta> run_row(SQLite::Statement& q) {
  RunMeta m;
  if (auto s = texts_at(
          q, 0, {&m.id, &m.created, &m.input, &m.fingerprint, &m.shard, &m.gradebox_version});
      !s)
    return s.error();
  return m;
}

Result<StoredAnswer> answer_row(SQLite::Statement& q, std::string& run_id) {
  StoredAnswer a;
  AnswerRecord& r = a.record;
  if (auto s = texts_at(q, 0, {&run_id, &r.model, &r.task, &r.text}); !s) return s.error();
  auto latency = number_at(q, 4), tokens = number_at(q, 5);
  if (!latency) return latency.error();
  if (!tokens) return tokens.error();
  r.latency_s = *latency;
  r.tokens = q.getColumn(5).getInt64();
  if (auto s = texts_at(q, 6, {&r.source, &a.hash, &r.reasoning, &r.finish_reason}); !s)
    return s.error();
  auto sample = sample_at(q, 10);
  if (!sample) return sample.error();
  r.sample = *sample;
  return a;
}

Result<ResultRow> result_row(SQLite::Statement& q) {
  ResultRow r;
  if (auto s = texts_at(
          q, 0, {&r.run_id, &r.model, &r.task, &r.answer_hash, &r.grader_stamp, &r.verdict});
      !s)
    return s.error();
  auto correctness = number_at(q, 6), edge = number_at(q, 7), from_cache = number_at(q, 8);
  for (const auto* n : {&correctness, &edge, &from_cache})
    if (!*n) return n->error();
  r.correctness = *correctness, r.edge = *edge, r.from_cache = *from_cache != 0;
  if (auto s = texts_at(q, 9, {&r.report}); !s) return s.error();
  auto sample = sample_at(q, 10);
  if (!sample) return sample.error();
  r.sample = *sample;
  return r;
}

Result<InputProblem> problem_row(SQLite::Statement& q, std::string& run_id) {
  InputProblem p;
  if (auto s = texts_at(q, 0, {&run_id, &p.kind, &p.location, &p.model, &p.task, &p.message}); !s)
    return s.error();
  auto sample = sample_at(q, 6);
  if (!sample) return sample.error();
  p.sample = *sample;
  return p;
}

Result<RepeatRow> repeat_row(SQLite::Statement& q) {
  RepeatRow r;
  if (auto s = texts_at(q, 0, {&r.run_id, &r.model, &r.task}); !s) return s.error();
  auto sample = sample_at(q, 3);
  if (!sample) return sample.error();
  r.sample = *sample;
  SQLite::Column repeat = q.getColumn(4);
  if (!repeat.isInteger() || repeat.getInt64() < 0 || repeat.getInt64() >= kMaxRepeat)
    return Error{"column repeat holds no repeat number (0 to " + std::to_string(kMaxRepeat - 1) +
                 ")"};
  r.repeat = repeat.getInt();
  if (auto s = texts_at(q, 5, {&r.report}); !s) return s.error();
  return r;
}

void insert_run(SQLite::Database& db, const RunMeta& meta) {
  SQLite::Statement q(db, std::string("INSERT INTO runs(") + kRunColumns + ") VALUES(?,?,?,?,?,?)");
  q.bind(1, meta.id), q.bind(2, meta.created), q.bind(3, meta.input);
  q.bind(4, meta.fingerprint), q.bind(5, meta.shard), q.bind(6, meta.gradebox_version);
  q.exec();
}

void insert_answers(SQLite::Database& db, const std::string& run_id,
                    const std::vector<AnswerRecord>& answers) {
  SQLite::Statement q(db, std::string("INSERT OR IGNORE INTO answers(") + kAnswerColumns +
                              ") VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  for (const auto& a : answers) {
    q.reset();
    q.bind(1, run_id), q.bind(2, a.model), q.bind(3, a.task), q.bind(4, a.text);
    q.bind(5, a.latency_s), q.bind(6, static_cast<int64_t>(a.tokens)), q.bind(7, a.source);
    q.bind(8, answer_hash(a.text)), q.bind(9, a.reasoning), q.bind(10, a.finish_reason);
    q.bind(11, a.sample);
    q.exec();
  }
}

void insert_problems(SQLite::Database& db, const std::string& run_id,
                     const std::vector<InputProblem>& problems) {
  SQLite::Statement q(db, std::string("INSERT OR IGNORE INTO problems(") + kProblemColumns +
                              ") VALUES(?,?,?,?,?,?,?)");
  for (const auto& p : problems) {
    q.reset();
    q.bind(1, run_id), q.bind(2, p.kind), q.bind(3, p.location), q.bind(4, p.model);
    q.bind(5, p.task), q.bind(6, p.message), q.bind(7, p.sample);
    q.exec();
  }
}

void insert_result(SQLite::Database& db, const char* verb, const ResultRow& row) {
  SQLite::Statement q(db, std::string(verb) + " INTO results(" + kResultColumns +
                              ") VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  q.bind(1, row.run_id), q.bind(2, row.model), q.bind(3, row.task), q.bind(4, row.answer_hash);
  q.bind(5, row.grader_stamp), q.bind(6, row.verdict), q.bind(7, row.correctness);
  q.bind(8, row.edge), q.bind(9, row.from_cache ? 1 : 0), q.bind(10, row.report);
  q.bind(11, row.sample);
  q.exec();
}

void insert_repeat(SQLite::Database& db, const char* verb, const RepeatRow& row) {
  SQLite::Statement q(
      db, std::string(verb) + " INTO repeats(" + kRepeatColumns + ") VALUES(?,?,?,?,?,?)");
  q.bind(1, row.run_id), q.bind(2, row.model), q.bind(3, row.task), q.bind(4, row.sample);
  q.bind(5, row.repeat), q.bind(6, row.report);
  q.exec();
}

}  // namespace gradebox::pipeline::sql
