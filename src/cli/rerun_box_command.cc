// gradebox rerun-box FOLDER: runs the harness again in a box that
// `grade --keep-box` kept, in the same sandbox with the same limits (and the
// task's prober beside it, for server tasks). The observation lines go to
// stdout, one per line, as the harness wrote them; how the run ended, what
// the harness printed and the prober's reply go to stderr. No verdict: this
// is the grader author's loop of edit the box's harness, run, read.
#include <filesystem>
#include <iostream>
#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "gradebox/frontend.h"
#include "grade/harness_trace.h"
#include "grade/kept_box.h"
#include "util/dev_trace.h"
#include "util/utf8.h"

namespace gradebox::cli {
namespace {

// Server tasks: the prober talks to the harness's server, then the run ends.
Result<SandboxOutcome> run_with_prober(RunningSandbox& running, ScriptCall probe) {
  probe.network_namespace = running.network_namespace_path();
  auto reply = run_script(probe);
  running.kill();
  auto outcome = running.wait();
  if (!reply) return reply.error();
  std::cerr << "gradebox: prober's reply: " << utf8_clean(reply->stdout_data, 4000) << "\n";
  if (!reply->stderr_data.empty())
    std::cerr << "gradebox: prober's stderr: " << utf8_clean(reply->stderr_data, 4000) << "\n";
  return outcome;
}

Result<SandboxOutcome> rerun(Sandbox& sandbox, const KeptRun& kept) {
  auto running = sandbox.start(kept.spec);
  if (!running) return running.error();
  if (kept.probe) return run_with_prober(**running, *kept.probe);
  return (*running)->wait();
}

void show(const SandboxOutcome& outcome) {
  for (const auto& line : printable_channel_lines(outcome)) std::cout << line << "\n";
  std::cout.flush();
  if (!outcome.stdout_data.empty())
    std::cerr << "gradebox: harness stdout: " << utf8_clean(outcome.stdout_data, 4000) << "\n";
  if (!outcome.stderr_data.empty())
    std::cerr << "gradebox: harness stderr: " << utf8_clean(outcome.stderr_data, 4000) << "\n";
  std::cerr << "gradebox: harness: " << outcome_summary(outcome) << "\n";
}

int run_rerun_box(const std::string& folder) {
  auto kept = read_kept_run(folder);
  if (!kept) throw UsageError(kept.error().message);
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::path(folder) / "box", ec))
    throw UsageError(folder + " has no box folder (removed?)");
  enable_dev_trace();  // the prober's call, as grade --verbose shows it
  auto sandbox = open_sandbox();
  if (!sandbox) {
    std::cerr << "gradebox: " << sandbox.error().message << "\n";
    return kGraderError;
  }
  auto outcome = rerun(**sandbox, *kept);
  if (!outcome) {
    std::cerr << "gradebox: " << outcome.error().message << "\n";
    return kGraderError;
  }
  show(*outcome);
  return kJudged;
}

}  // namespace

Runner add_rerun_box_command(CLI::App& app) {
  auto folder = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "rerun-box", "Run the harness again in a box kept by `grade --keep-box` (a dev loop)");
  sub->add_option("folder", *folder, "the kept folder grade printed (holds box/ and rerun.json)")
      ->required();
  sub->footer(
      "Prints the harness's observation lines on stdout, how the run ended on stderr.\n"
      "Exit codes: 0 the harness ran, 2 usage error, 3 the sandbox failed.");
  return [folder] { return run_rerun_box(*folder); };
}

}  // namespace gradebox::cli
