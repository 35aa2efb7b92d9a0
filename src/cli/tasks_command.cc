// gradebox tasks: the task packs found under graders/.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <CLI/CLI.hpp>

#include "cli/common.h"

namespace gradebox::cli {
namespace {

int run_tasks(bool as_json, const GlobalOptions& global) {
  TaskRegistry registry = load_registry(global);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, task] : registry.tasks) {
    int core = 0, edge = 0;
    for (const auto& c : task.categories) (c.kind == "core" ? core : edge)++;
    if (as_json) {
      list.push_back({{"id", id},
                      {"language", task.language},
                      {"runtime", task.runtime},
                      {"stamp", task.stamp},
                      {"core_categories", core},
                      {"edge_categories", edge},
                      {"tests", task.test_count()},
                      {"prompt", task.prompt}});
      continue;
    }
    std::printf("%-14s %-11s %2d core + %2d edge categories, %3zu tests  %s\n", id.c_str(),
                task.language.c_str(), core, edge, task.test_count(), task.stamp.c_str());
  }
  if (as_json) std::cout << list.dump(2) << "\n";
  if (registry.tasks.empty())
    std::cerr << "gradebox: no tasks found in " << graders_dir(global) << "\n";
  return registry.problems.empty() ? kJudged : kGraderError;
}

}  // namespace

Runner add_tasks_command(CLI::App& app, const GlobalOptions& global) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("tasks", "List the task packs gradebox found");
  sub->add_flag("--json", *as_json, "print JSON");
  return [as_json, &global] { return run_tasks(*as_json, global); };
}

}  // namespace gradebox::cli
