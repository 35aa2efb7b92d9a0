// gradebox: grades LLM-written code by running it in a sandbox.
// Exceptions become one line here, at the top, and nowhere else.
#include <csignal>
#include <iostream>
#include <vector>
#include <CLI/CLI.hpp>

#include "cli/command.h"

namespace {

using gradebox::cli::Runner;

int run(int argc, char** argv) {
  CLI::App app{"gradebox: grade model-written code by running it in a sandbox", "gradebox"};
  app.require_subcommand(1);
  gradebox::cli::GlobalOptions global;
  app.add_option(
      "--graders", global.graders_dir,
      "folder of task packs (default: $GRADEBOX_GRADERS, else the one next to the binary)");
  app.set_version_flag("--version", GRADEBOX_VERSION);
  std::vector<std::pair<std::string, Runner>> runners{
      {"grade", gradebox::cli::add_grade_command(app, global)},
      {"tasks", gradebox::cli::add_tasks_command(app, global)},
      {"selftest", gradebox::cli::add_selftest_command(app, global)},
      {"run", gradebox::cli::add_run_command(app, global)},
      {"diff", gradebox::cli::add_diff_command(app, global)},
      {"nightly", gradebox::cli::add_nightly_command(app, global)},
      {"merge", gradebox::cli::add_merge_command(app, global)},
      {"rerun-box", gradebox::cli::add_rerun_box_command(app)}};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "gradebox: " << e.what() << " (see gradebox --help)\n";
    return gradebox::cli::kUsage;
  }
  for (const auto& [name, runner] : runners) {
    if (app.get_subcommand(name)->parsed()) return runner();
  }
  return gradebox::cli::kUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // A trusted helper that died must be an error value at the write that
  // finds it gone (EPIPE), never a silent end of gradebox by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run(argc, argv);
  } catch (const gradebox::cli::HistoryBusy& e) {
    std::cerr << "gradebox: " << e.what() << "\n";
    return gradebox::cli::kHistoryBusy;
  } catch (const gradebox::cli::UsageError& e) {
    std::cerr << "gradebox: " << e.what() << "\n";
    return gradebox::cli::kUsage;
  } catch (const std::exception& e) {
    std::cerr << "gradebox: internal error: " << e.what() << "\n";
    return gradebox::cli::kGraderError;
  }
}
