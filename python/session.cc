#include "session.h"

#include <pthread.h>

#include <map>
#include <mutex>

#include "grade/box.h"

namespace gradebox::python {
namespace {

std::mutex& session_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::shared_ptr<const Grader>& grader_slot() {
  static std::shared_ptr<const Grader> grader;
  return grader;
}

// A forked child (multiprocessing) inherits the parent's Grader but not its
// sandbox threads: destroying it there would join threads that do not
// exist. The child leaks the copy and makes its own Grader on first use.
void forget_grader_in_child() {
  auto& grader = grader_slot();
  if (!grader) return;
  new std::shared_ptr<const Grader>(std::move(grader));
  grader.reset();
}

}  // namespace

std::shared_ptr<const TaskRegistry> registry_for(const std::filesystem::path& graders) {
  // Leaked on purpose: Task references handed to grading threads must
  // outlive interpreter shutdown, and nothing here owns a kernel resource.
  static auto* registries = new std::map<std::string, std::shared_ptr<const TaskRegistry>>;
  std::filesystem::path root = graders.empty() ? default_graders_dir() : graders;
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(root, ec).string();
  if (ec) key = root.lexically_normal().string();
  std::lock_guard lock(session_mutex());
  auto& registry = (*registries)[key];
  if (!registry) registry = std::make_shared<const TaskRegistry>(load_tasks(root));
  return registry;
}

Result<std::shared_ptr<const Grader>> shared_grader() {
  static const bool fork_handler_set =
      pthread_atfork(nullptr, nullptr, forget_grader_in_child) == 0;
  (void)fork_handler_set;
  std::lock_guard lock(session_mutex());
  auto& grader = grader_slot();
  if (grader) return grader;
  clean_stale_sandboxes();
  remove_stale_boxes();
  auto sandbox = make_namespace_sandbox();
  if (!sandbox) return sandbox.error();
  grader = std::make_shared<const Grader>(std::shared_ptr<Sandbox>(std::move(*sandbox)));
  return grader;
}

std::string unknown_task_message(const TaskRegistry& registry, const std::string& id) {
  if (registry.tasks.count(id)) return "";
  std::string known;
  for (const auto& [name, task] : registry.tasks) known += (known.empty() ? "" : ", ") + name;
  std::string message =
      "unknown task '" + id + "' (known: " + (known.empty() ? "none" : known) + ")";
  // A pack that failed to load may be the one asked for: say why.
  for (const auto& problem : registry.problems) message += "; " + problem.message;
  return message;
}

Report grader_error_report(const std::string& task, const std::string& model,
                           const std::string& why) {
  Report report;
  report.task = task;
  report.model = model;
  report.verdict = Verdict::kGraderError;
  report.verdict_detail = why;
  compute_scores(report);
  return report;
}

}  // namespace gradebox::python
