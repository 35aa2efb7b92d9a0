// Opening the history from a subcommand, and turning a history's error into
// the right exit: "history <path> is busy" (another gradebox held it past
// the wait) is its own exit code, kHistoryBusy, never a usage error; every
// other problem with the file is one line and exit 2. Problems found while
// reading a stored run (rows left out) are printed as warnings.
#pragma once

#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "pipeline/history.h"

namespace gradebox::cli {

/// Throws `error` as HistoryBusy when the history was busy, else as UsageError.
[[noreturn]] void throw_history_error(const Error& error);

/// The history at `path` (empty: default_history_path()), or throws as above.
std::unique_ptr<pipeline::History> open_history(const std::string& path);

/// Prints every row of `run` that reading it left out, one line each.
void warn_bad_rows(const pipeline::RunView& run);

}  // namespace gradebox::cli
