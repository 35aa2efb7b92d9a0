// gradebox merge OUT IN...: joins the histories of a run's shards (each
// machine graded `--shard K/N`) into one history.
#include <cstdio>

#include "cli/common.h"
#include "pipeline/history.h"

namespace gradebox::cli {
namespace {

using namespace gradebox::pipeline;

int run_merge(const std::string& out, const std::vector<std::string>& inputs) {
  auto history = History::open(out);
  if (!history) throw UsageError(history.error().message);
  for (const auto& input : inputs) {
    if (!std::filesystem::is_regular_file(input))
      throw UsageError("merge: no history file " + input);
    if (auto s = (*history)->merge_from(input); !s) throw UsageError(s.error().message);
  }
  for (const auto& meta : (*history)->runs()) {
    auto run = (*history)->load_run(meta.id);
    if (!run) throw std::runtime_error(run.error().message);
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
  sub->add_option("inputs", *inputs, "shard histories")->required();
  return [out, inputs] { return run_merge(*out, *inputs); };
}

}  // namespace gradebox::cli
