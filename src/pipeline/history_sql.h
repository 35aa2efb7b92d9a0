// The history's tables as SQL: the schema, readers that take a row apart by
// column name (checking each value's SQL type) and writers. Statements
// always name their columns (never `SELECT *`), so a table whose columns
// were created in another order is still read right; history.cc and the
// merge share these.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "gradebox/status.h"
#include "pipeline/history.h"
#include "pipeline/history_rows.h"
#include "pipeline/run_input.h"

namespace gradebox::pipeline::sql {

/// The schema; `IF NOT EXISTS` so opening an existing history is a no-op.
extern const char* const kSchema;

/// Column lists, in the order the readers below expect them.
extern const char* const kRunColumns;
extern const char* const kAnswerColumns;   // run_id first
extern const char* const kResultColumns;   // run_id first
extern const char* const kProblemColumns;  // run_id first
extern const char* const kRepeatColumns;   // run_id first

/// Each table's columns, for checking a foreign file has them all.
struct TableColumns {
  const char* table;
  const char* columns;
};
extern const TableColumns kTables[4];
/// `run --repeat`'s table: a history made without repeats may lack it.
extern const TableColumns kRepeatsTable;

/// Columns added to a table after histories existed (issue 17: an
/// answer's reasoning and finish_reason, and the cache's copy of them). A
/// history made before lacks them: open adds them (migrate_schema), and a
/// shard read as it is reads each as NULL, i.e. empty.
struct AddedColumn {
  const char* table;
  const char* column;
};
extern const AddedColumn kAddedColumns[4];
bool is_added_column(const std::string& table, const std::string& column);

/// Adds every added column the file's tables lack; their rows keep their
/// values, the new columns read NULL. Run inside open's transaction.
void migrate_schema(SQLite::Database& db);

/// Readers of one row of a `SELECT <columns>`; an error names the column
/// whose value has the wrong SQL type.
Result<RunMeta> run_row(SQLite::Statement& q);
Result<StoredAnswer> answer_row(SQLite::Statement& q, std::string& run_id);
Result<ResultRow> result_row(SQLite::Statement& q);
Result<InputProblem> problem_row(SQLite::Statement& q, std::string& run_id);
Result<RepeatRow> repeat_row(SQLite::Statement& q);

/// Writers, naming their columns too.
void insert_run(SQLite::Database& db, const RunMeta& meta);
void insert_answers(SQLite::Database& db, const std::string& run_id,
                    const std::vector<AnswerRecord>& answers);
void insert_problems(SQLite::Database& db, const std::string& run_id,
                     const std::vector<InputProblem>& problems);
/// `verb`: "INSERT OR REPLACE" (a new grading) or "INSERT OR IGNORE" (a merge).
void insert_result(SQLite::Database& db, const char* verb, const ResultRow& row);
/// `verb` as for insert_result.
void insert_repeat(SQLite::Database& db, const char* verb, const RepeatRow& row);

}  // namespace gradebox::pipeline::sql
