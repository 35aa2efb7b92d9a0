// History::merge_from: a shard is a history from another machine, so it is
// input, never trusted. It is opened read-only as a plain file (never an
// SQLite URI), its tables are read by column name, and every row is checked
// (history_rows.h) and matched against the rest of the shard and the output
// before it is written; the whole merge is one transaction, so one bad row
// in any shard leaves the output as it was. Result-cache rows are never
// imported: a forged one would make a wrong answer score 10/10 "(cached)"
// in every later run. Grading rebuilds the cache.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "pipeline/history.h"
#include "pipeline/history_rows.h"
#include "pipeline/history_sql.h"
#include "util/utf8.h"

namespace gradebox::pipeline {
namespace {

namespace fs = std::filesystem;
using WallClock = std::chrono::system_clock;
using RunTask = std::pair<std::string, std::string>;  // (run, task)

// What the merge of one shard has learned so far.
struct ShardState {
  std::map<std::string, bool> runs;  // run id -> was in the output before
  // (run, model, task, sample) -> hash
  std::map<std::tuple<std::string, std::string, std::string, int>, std::string> answers;
  std::map<std::string, int> answer_counts;  // per run
};

// Checks of one row run in order; the first failure rejects the shard.
class ShardMerge {
 public:
  ShardMerge(SQLite::Database& out, const fs::path& path, WallClock::time_point now)
      : out_(out), path_(path), now_(now) {}

  Status run() {
    in_ = std::make_unique<SQLite::Database>(sqlite_file_name(path_), SQLite::OPEN_READONLY);
    // A foreign file's views and triggers run none of our SQL functions.
    in_->exec("PRAGMA trusted_schema=OFF");
    for (auto step :
         {&ShardMerge::check_tables, &ShardMerge::merge_runs, &ShardMerge::merge_answers,
          &ShardMerge::check_answer_sets, &ShardMerge::merge_results, &ShardMerge::merge_problems,
          &ShardMerge::merge_repeats}) {
      if (auto s = (this->*step)(); !s) return s;
    }
    return ok_status();
  }

 private:
  Error bad(const char* table, int row, const std::string& why) const {
    return Error{"merge: shard " + printable(path_.string()) + ", table " + table +
                 (row ? ", row " + std::to_string(row) : "") + ": " + why + "; nothing merged"};
  }

  // A table the shard has must have every column (or one added since);
  // only `repeats` may be missing (a history never run with --repeat).
  Status check_table(const sql::TableColumns& t, bool required) {
    std::set<std::string>& have = columns_[t.table];
    SQLite::Statement q(*in_, "SELECT name FROM pragma_table_info(?)");
    q.bind(1, t.table);
    while (q.executeStep()) have.insert(q.getColumn(0).getString());
    if (have.empty()) return required ? bad(t.table, 0, "missing") : ok_status();
    std::istringstream columns(t.columns);
    for (std::string name; std::getline(columns >> std::ws, name, ',');)
      if (!have.count(name) && !sql::is_added_column(t.table, name))
        return bad(t.table, 0, "no column " + name);
    return ok_status();
  }

  Status check_tables() {
    for (const auto& t : sql::kTables)
      if (auto s = check_table(t, true); !s) return s;
    return check_table(sql::kRepeatsTable, false);
  }

  // A column added since the shard was made is read as NULL (empty).
  SQLite::Statement select(const char* table, const char* columns) {
    std::string list;
    std::istringstream names(columns);
    for (std::string name; std::getline(names >> std::ws, name, ',');) {
      if (!list.empty()) list += ", ";
      list += columns_[table].count(name) ? name : "NULL AS " + name;
    }
    return SQLite::Statement(*in_, "SELECT " + list + " FROM " + table);
  }

  Status merge_runs() {
    auto q = select("runs", sql::kRunColumns);
    for (int row = 1; q.executeStep(); ++row) {
      auto meta = sql::run_row(q);
      Status ok = meta ? check_run(*meta, now_) : Status(meta.error());
      if (!ok) return bad("runs", row, ok.error().message);
      SQLite::Statement find(out_, "SELECT fingerprint FROM runs WHERE id = ?");
      find.bind(1, meta->id);
      bool existed = find.executeStep();
      if (existed && find.getColumn(0).getString() != meta->fingerprint)
        return bad("runs", row, "run " + meta->id + " has other answers or graders here");
      if (existed) {
        // A run met again from another shard is the whole run once merged.
        SQLite::Statement update(out_,
                                 "UPDATE runs SET shard = 'merged', created = MIN(created, ?) "
                                 "WHERE id = ?");
        update.bind(1, meta->created), update.bind(2, meta->id);
        update.exec();
      } else {
        sql::insert_run(out_, *meta);
      }
      state_.runs[meta->id] = existed;
    }
    return ok_status();
  }

  Status check_answer(const StoredAnswer& a, const std::string& run_id) {
    const AnswerRecord& r = a.record;
    if (!state_.runs.count(run_id)) return Error{"run_id is not a run of the shard"};
    if (auto s = check_answer_fields(r); !s) return s;
    if (a.hash != answer_hash(r.text)) return Error{"answer_hash does not match the text"};
    if (!std::isfinite(r.latency_s) || r.latency_s < 0 || r.tokens < 0)
      return Error{"latency or tokens out of range"};
    if (auto s = check_text("source", r.source); !s) return s;
    if (!state_.runs[run_id]) return ok_status();
    // The run is already here: a shard cannot add or change its answers.
    SQLite::Statement q(out_,
                        "SELECT answer_hash, reasoning, finish_reason FROM answers WHERE "
                        "run_id = ? AND model = ? AND task = ? AND sample = ?");
    q.bind(1, run_id), q.bind(2, r.model), q.bind(3, r.task), q.bind(4, r.sample);
    if (!q.executeStep() || q.getColumn(0).getString() != a.hash ||
        q.getColumn(1).getString() != r.reasoning || q.getColumn(2).getString() != r.finish_reason)
      return Error{r.model + "/" + r.task + " is not an answer of run " + run_id + " here"};
    return ok_status();
  }

  Status merge_answers() {
    auto q = select("answers", sql::kAnswerColumns);
    for (int row = 1; q.executeStep(); ++row) {
      std::string run_id;
      auto answer = sql::answer_row(q, run_id);
      Status ok = answer ? check_answer(*answer, run_id) : Status(answer.error());
      if (!ok) return bad("answers", row, ok.error().message);
      const AnswerRecord& r = answer->record;
      state_.answers[{run_id, r.model, r.task, r.sample}] = answer->hash;
      ++state_.answer_counts[run_id];
      sql::insert_answers(out_, run_id, {r});
    }
    return ok_status();
  }

  // A run already here must have all its answers in the shard too.
  Status check_answer_sets() {
    for (const auto& [run_id, existed] : state_.runs) {
      if (!existed) continue;
      SQLite::Statement q(out_, "SELECT COUNT(*) FROM answers WHERE run_id = ?");
      q.bind(1, run_id);
      q.executeStep();
      if (q.getColumn(0).getInt() != state_.answer_counts[run_id])
        return bad("answers", 0, "run " + run_id + " has other answers here");
    }
    return ok_status();
  }

  // Every result of a run of one task was graded under one grader stamp.
  Status check_stamp(const ResultRow& r) {
    RunTask key{r.run_id, r.task};
    auto [it, added] = stamps_.emplace(key, r.grader_stamp);
    if (added) {
      SQLite::Statement q(out_,
                          "SELECT grader_stamp FROM results WHERE run_id = ? AND task = ? "
                          "LIMIT 1");
      q.bind(1, r.run_id), q.bind(2, r.task);
      if (q.executeStep()) it->second = q.getColumn(0).getString();
    }
    if (it->second == r.grader_stamp) return ok_status();
    return Error{"grader_stamp differs from the run's other results of " + r.task};
  }

  Status check_result(const ResultRow& r) {
    if (!state_.runs.count(r.run_id)) return Error{"run_id is not a run of the shard"};
    if (auto s = check_ids(r.model, r.task); !s) return s;
    auto answer = state_.answers.find({r.run_id, r.model, r.task, r.sample});
    if (answer == state_.answers.end())
      return Error{r.model + "/" + r.task + " has a result but no answer in run " + r.run_id};
    if (answer->second != r.answer_hash) return Error{"answer_hash is not the answer's"};
    if (auto s = check_text("grader_stamp", r.grader_stamp, 256); !s) return s;
    auto report = stored_report(r);
    if (!report) return report.error();
    if (auto s = check_scores_match_tests(*report); !s) return s;
    return check_stamp(r);
  }

  Status merge_results() {
    auto q = select("results", sql::kResultColumns);
    for (int row = 1; q.executeStep(); ++row) {
      auto result = sql::result_row(q);
      Status ok = result ? check_result(*result) : Status(result.error());
      if (!ok) return bad("results", row, ok.error().message);
      sql::insert_result(out_, "INSERT OR IGNORE", *result);
    }
    return ok_status();
  }

  Status check_problem(const InputProblem& p, const std::string& run_id) {
    if (!state_.runs.count(run_id)) return Error{"run_id is not a run of the shard"};
    if (auto s = check_text("kind", p.kind, 64); !s) return s;
    if (auto s = check_text("location", p.location); !s) return s;
    if (auto s = check_text("message", p.message, 1 << 16); !s) return s;
    for (const std::string* id : {&p.model, &p.task})
      if (!id->empty() && !is_safe_id(*id))
        return Error{"id '" + printable(*id) + "' is not a safe name"};
    return ok_status();
  }

  Status merge_problems() {
    auto q = select("problems", sql::kProblemColumns);
    for (int row = 1; q.executeStep(); ++row) {
      std::string run_id;
      auto problem = sql::problem_row(q, run_id);
      Status ok = problem ? check_problem(*problem, run_id) : Status(problem.error());
      if (!ok) return bad("problems", row, ok.error().message);
      sql::insert_problems(out_, run_id, {*problem});
    }
    return ok_status();
  }

  // One of an answer's R gradings: for an answer the shard holds, its
  // report checked as a result's is (there are no score columns to agree with).
  Status check_repeat(const RepeatRow& r) {
    if (!state_.runs.count(r.run_id)) return Error{"run_id is not a run of the shard"};
    if (auto s = check_ids(r.model, r.task); !s) return s;
    if (!state_.answers.count({r.run_id, r.model, r.task, r.sample}))
      return Error{answer_name({r.model, r.task, r.sample}) +
                   " has a repeat but no answer in run " + r.run_id};
    auto report = stored_repeat_report(r);
    return report ? ok_status() : Status(report.error());
  }

  Status merge_repeats() {
    if (columns_["repeats"].empty()) return ok_status();  // made without --repeat
    auto q = select("repeats", sql::kRepeatColumns);
    for (int row = 1; q.executeStep(); ++row) {
      auto repeat = sql::repeat_row(q);
      Status ok = repeat ? check_repeat(*repeat) : Status(repeat.error());
      if (!ok) return bad("repeats", row, ok.error().message);
      sql::insert_repeat(out_, "INSERT OR IGNORE", *repeat);
    }
    return ok_status();
  }

  SQLite::Database& out_;
  fs::path path_;
  WallClock::time_point now_;
  std::unique_ptr<SQLite::Database> in_;
  ShardState state_;
  std::map<RunTask, std::string> stamps_;
  std::map<std::string, std::set<std::string>> columns_;  // the shard's, per table
};

}  // namespace

Status History::merge_from(const std::vector<fs::path>& shards) {
  std::lock_guard lock(mutex_);
  auto now = WallClock::now();
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& shard : shards) {
      try {
        // Returning before commit rolls the whole merge back.
        if (auto s = ShardMerge(*db_, shard, now).run(); !s) return s;
      } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) == SQLITE_BUSY) throw;
        return Error{"merge: shard " + printable(shard.string()) + ": " + printable(e.what()) +
                     "; nothing merged"};
      }
    }
    tx.commit();
    return ok_status();
  } catch (const std::exception& e) {
    return sql_error("merge", e);
  }
}

}  // namespace gradebox::pipeline
