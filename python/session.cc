#include "session.h"

#include <pthread.h>

#include <map>
#include <mutex>

#include "gradebox/frontend.h"

namespace gradebox::python {
namespace {

// Two locks, so that a fork() (os.fork, multiprocessing) from any thread
// leaves a child that can use the module:
// - the state lock guards only lookups and stores, never a fork or a long
//   wait; it is taken around fork (pthread_atfork), so the child's copy of
//   the state is whole and its lock free;
// - the first-use lock serialises the slow first loads (hashing every task
//   pack, starting the sandbox). A fork from another thread waits for it:
//   a load runs through function-local statics whose initialisation guards
//   a child could never take (their owner does not come along). Recursive,
//   because a load may itself fork (a runtime's version string). The child
//   gets a new one, free. Order: first-use, then state, as a load takes them.
std::mutex& state_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::recursive_mutex* first_use_mutex = new std::recursive_mutex;  // replaced in a forked child

std::shared_ptr<const Grader>& grader_slot() {
  static std::shared_ptr<const Grader> grader;
  return grader;
}

// A forked child inherits the parent's Grader but not its sandbox threads:
// destroying it there would join threads that do not exist. The child
// leaks the copy and makes its own Grader on first use.
void forget_grader_in_child() {
  auto& grader = grader_slot();
  if (!grader) return;
  new std::shared_ptr<const Grader>(std::move(grader));
  grader.reset();
}

void lock_before_fork() {
  first_use_mutex->lock();
  state_mutex().lock();
}
void unlock_in_parent() {
  state_mutex().unlock();
  first_use_mutex->unlock();
}
void reset_in_child() {
  state_mutex().unlock();
  first_use_mutex = new std::recursive_mutex;  // the old one counts the parent's holds
  forget_grader_in_child();
}

template <typename T>
std::shared_ptr<T> stored(std::shared_ptr<T>& slot) {
  std::lock_guard lock(state_mutex());
  return slot;
}

template <typename T>
void store(std::shared_ptr<T>& slot, std::shared_ptr<T> value) {
  std::lock_guard lock(state_mutex());
  slot = std::move(value);
}

// Leaked on purpose: Task references handed to grading threads must outlive
// interpreter shutdown, and nothing here owns a kernel resource. Made when
// the module loads, not in a function-local static: a fork landing while
// another thread held that static's initialisation guard left the child
// waiting on the guard for ever.
auto* const registries = new std::map<std::string, std::shared_ptr<const TaskRegistry>>;

}  // namespace

void install_fork_handlers() { pthread_atfork(lock_before_fork, unlock_in_parent, reset_in_child); }

std::shared_ptr<const TaskRegistry> registry_for(const std::filesystem::path& graders) {
  std::filesystem::path root = graders.empty() ? default_graders_dir() : graders;
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(root, ec).string();
  if (ec) key = root.lexically_normal().string();
  auto slot = [&]() -> std::shared_ptr<const TaskRegistry>& {
    std::lock_guard lock(state_mutex());
    return (*registries)[key];  // a map's references stay valid
  };
  if (auto registry = stored(slot())) return registry;
  std::lock_guard first_use(*first_use_mutex);
  if (auto registry = stored(slot())) return registry;  // loaded while we waited
  auto registry = std::make_shared<const TaskRegistry>(load_tasks(root));
  store(slot(), registry);
  return registry;
}

Result<std::shared_ptr<const Grader>> shared_grader() {
  if (auto grader = stored(grader_slot())) return grader;
  std::lock_guard first_use(*first_use_mutex);
  if (auto grader = stored(grader_slot())) return grader;  // made while we waited
  auto grader = open_grader();
  if (!grader) return grader.error();
  store(grader_slot(), *grader);
  return grader;
}

}  // namespace gradebox::python
