#include "cli/history_access.h"

#include <iostream>

#include "pipeline/history_rows.h"
#include "util/utf8.h"

namespace gradebox::cli {

void throw_history_error(const Error& error) {
  if (pipeline::History::is_busy(error)) throw HistoryBusy(error.message);
  throw UsageError(error.message);
}

std::unique_ptr<pipeline::History> open_history(const std::string& path) {
  auto history = pipeline::History::open(path.empty() ? pipeline::default_history_path()
                                                      : std::filesystem::path(path));
  if (!history) throw_history_error(history.error());
  return std::move(*history);
}

void warn_bad_rows(const pipeline::RunView& run) {
  for (const auto& p : run.problems) {
    if (p.kind == pipeline::kBadHistoryRow)
      std::cerr << "gradebox: warning: " << printable(p.location) << ": " << printable(p.message)
                << "\n";
  }
}

}  // namespace gradebox::cli
