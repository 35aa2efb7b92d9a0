// Every row of every table of a history file as text, so a test can say
// "the history is exactly as it was" (a rejected merge must change nothing).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>

namespace gradebox::testing {

inline std::string history_snapshot(const std::filesystem::path& db_path) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  std::string out;
  for (const char* table : {"runs", "answers", "results", "problems", "repeats", "cache"}) {
    SQLite::Statement q(db, std::string("SELECT * FROM ") + table + " ORDER BY 1, 2, 3");
    while (q.executeStep()) {
      out += table;
      for (int i = 0; i < q.getColumnCount(); ++i) out += "|" + q.getColumn(i).getString();
      out += "\n";
    }
  }
  return out;
}

}  // namespace gradebox::testing
