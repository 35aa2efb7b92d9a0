#include "warm_pool.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/process/extend.hpp>

#include "launch_config.h"
#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

namespace bp = boost::process;

// Both ends close-on-exec, so no other thread's child inherits them; the
// child's end is moved to fd >= 10 so that dup2 onto 0-4 in the forked child
// never overwrites another source.
Status make_pipe(int& read_end, int& write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe2", "O_CLOEXEC");
  read_end = fds[0];
  write_end = fds[1];
  return ok_status();
}

int move_high(int fd) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return high;
}

// What the init needs before its spec: the cgroup and the namespaces.
std::string prelaunch_json(const InitSettings& settings,
                           const RunCgroup& cgroup) {
  LaunchConfig pre;
  pre.cgroup_procs = cgroup.procs_files();
  pre.cpu_usage_path = cgroup.cpu_usage_path();
  pre.cpu_usage_format = cgroup.cpu_usage_format();
  pre.user_namespace = settings.user_namespace;
  pre.outside_uid = geteuid();
  pre.outside_gid = getegid();
  return to_json(pre);
}

Status start_child(const InitSettings& settings, WarmInit& init) {
  int child_fds[5] = {-1, -1, -1, -1, -1};
  Status piped = make_pipe(child_fds[0], init.fds[0]);
  for (int i = 1; i < 5 && piped.ok(); ++i) {
    piped = make_pipe(init.fds[i], child_fds[i]);
  }
  for (int i = 0; i < 5; ++i) {
    if (child_fds[i] >= 0) child_fds[i] = move_high(child_fds[i]);
  }
  std::error_code error;
  if (piped.ok()) {
    int* sources = child_fds;
    // Only async-signal-safe calls between fork and exec: gradebox is
    // multi-threaded.
    init.child = bp::child(
        settings.init_path, bp::args({prelaunch_json(settings, *init.cgroup)}),
        bp::environment(),
        bp::extend::on_exec_setup =
            [sources](auto&) {
              for (int i = 0; i < 5; ++i) dup2(sources[i], i);
            },
        error);
  }
  for (int fd : child_fds) {
    if (fd >= 0) close(fd);
  }
  if (!piped.ok()) return piped;
  if (error)
    return Error{"launch(" + settings.init_path + "): " + error.message()};
  init.pid = init.child.id();
  return ok_status();
}

}  // namespace

WarmInit::~WarmInit() {
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
  std::error_code error;
  if (child.valid()) child.wait(error);
}

Result<std::unique_ptr<WarmInit>> spawn_warm_init(
    const InitSettings& settings) {
  auto init = std::make_unique<WarmInit>();
  auto cgroup = RunCgroup::create(settings.layout);
  if (!cgroup.ok()) return cgroup.error();
  init->cgroup.emplace(std::move(*cgroup));
  Status started = start_child(settings, *init);
  if (!started.ok()) return started.error();
  return init;
}

WarmPool::WarmPool(InitSettings settings, size_t size)
    : settings_(std::move(settings)), size_(size) {
  refiller_ = std::thread([this] { refill_until_stopped(); });
}

WarmPool::~WarmPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_all();
  refiller_.join();
  waiting_.clear();  // each closes its stdin: the init reads EOF and ends
}

Result<std::unique_ptr<WarmInit>> WarmPool::take() {
  std::unique_ptr<WarmInit> init;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!waiting_.empty()) {
      init = std::move(waiting_.front());
      waiting_.pop_front();
    }
  }
  wanted_.notify_all();
  if (init) return init;
  return spawn_warm_init(settings_);
}

void WarmPool::refill_until_stopped() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [this] { return stopping_ || waiting_.size() < size_; });
    if (stopping_) return;
    lock.unlock();
    auto init = spawn_warm_init(settings_);
    lock.lock();
    if (!init.ok()) {  // the next take() starts one itself and reports why
      wanted_.wait(lock);
      continue;
    }
    waiting_.push_back(std::move(*init));
  }
}

}  // namespace gradebox::sandbox
