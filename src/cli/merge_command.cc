// gradebox merge OUT IN...: joins the histories of a run's shards (each
// machine graded `--shard K/N`) into one history. Every row of every shard
// is checked first; one bad row rejects the merge and OUT stays as it was.
#include <cstdio>
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/history_access.h"
#include "util/utf8.h"

namespace gradebox::cli {
namespace {

using namespace gradebox::pipeline;

int run_merge(const std::string& out, const std::vector<std::string>& inputs) {
  std::vector<std::filesystem::path> shards;
  for (const auto& input : inputs) {
    if (!std::filesystem::is_regular_file(input))
      throw UsageError("merge: no history file " + printable(input));
    shards.emplace_back(input);
  }
  auto history = open_history(out);
  if (auto s = history->merge_from(shards); !s) throw_history_error(s.error());
  for (const auto& meta : history->runs()) {
    auto run = history->load_run(meta.id);
    if (!run) throw_history_error(run.error());
    warn_bad_rows(*run);
    std::printf("run %s: %zu answers, %zu graded%s\n", meta.id.c_str(), run->answers.size(),
                run->results.size(),
                run->results.size() < run->answers.size() ? " (shards missing: not complete)" : "");
  }
  return kJudged;
}

}  // namespace

Runner add_merge_command(CLI::App& app, const GlobalOptions& global) {
  auto out = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  CLI::App* sub =
      app.add_subcommand("merge", "Join shard histories (gradebox run --shard K/N) into one");
  sub->add_option("out", *out, "the history to merge into (created if missing)")->required();
  sub->add_option("inputs", *inputs, "shard histories (plain file names, never SQLite URIs)")
      ->required();
  sub->footer(
      "Every row of every shard is checked before anything is written (ids, UTF-8, scores\n"
      "0-10 and what the tests give, reports, dates); one bad row rejects the whole merge.\n"
      "Result-cache rows are not merged. Exit codes: 0 merged, 2 a bad shard or usage error,\n"
      "5 the history is busy (another gradebox is writing it).");
  return [out, inputs] { return run_merge(*out, *inputs); };
}

}  // namespace gradebox::cli
