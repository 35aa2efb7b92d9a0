#include "warm_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch_config.h"
#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

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
std::string prelaunch_json(const InitSettings& settings, const RunCgroup& cgroup) {
  LaunchConfig pre;
  pre.cgroup_procs = cgroup.procs_files();
  pre.cpu_usage_path = cgroup.cpu_usage_path();
  pre.cpu_usage_format = cgroup.cpu_usage_format();
  pre.user_namespace = settings.user_namespace;
  pre.outside_uid = geteuid();
  pre.outside_gid = getegid();
  return to_json(pre);
}

// The prelaunch config goes first on the init's stdin, framed as the spec
// that follows it ("<length>\n<json>"), not on its command line, which
// every process of the box can read. A few hundred bytes: the empty pipe
// takes them without blocking.
Status send_prelaunch(int stdin_fd, const std::string& prelaunch) {
  std::string message = std::to_string(prelaunch.size()) + "\n" + prelaunch;
  for (size_t sent = 0; sent < message.size();) {
    ssize_t length = write(stdin_fd, message.data() + sent, message.size() - sent);
    if (length < 0 && errno == EINTR) continue;
    if (length <= 0) return sys_error("write", "gradebox-init prelaunch config");
    sent += static_cast<size_t>(length);
  }
  return ok_status();
}

// posix_spawn, not fork: glibc's clone(CLONE_VM | CLONE_VFORK) copies no
// page tables, so the spawn neither takes ~2 ms of the pool's thread nor
// holds gradebox's mmap lock while a run's thread allocates.
Status spawn_init(const InitSettings& settings, const int (&child_fds)[5], pid_t& pid) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int i = 0; i < 5; ++i) {
    posix_spawn_file_actions_adddup2(&actions, child_fds[i], i);
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  // Only the name: PID 1's command line is readable in the box.
  char name[] = "gradebox-init";
  char* argv[] = {name, nullptr};
  char* no_environment[] = {nullptr};
  int error =
      posix_spawn(&pid, settings.init_path.c_str(), &actions, &attributes, argv, no_environment);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return Error{"posix_spawn(" + settings.init_path + "): " + errno_name(error)};
  }
  return ok_status();
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
  if (piped.ok()) piped = spawn_init(settings, child_fds, init.pid);
  for (int fd : child_fds) {
    if (fd >= 0) close(fd);
  }
  if (!piped.ok()) return piped;
  return send_prelaunch(init.fds[0], prelaunch_json(settings, *init.cgroup));
}

}  // namespace

WarmInit::~WarmInit() {
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
  if (pid > 0) {
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

// A limit too small for the waiting init itself is left to the run.
constexpr std::uint64_t kSmallestAheadMemory = 64ull << 20;

Result<std::unique_ptr<WarmInit>> spawn_warm_init(const InitSettings& settings,
                                                  const std::optional<SandboxLimits>& expected) {
  auto init = std::make_unique<WarmInit>();
  auto cgroup = RunCgroup::create(settings.layout);
  if (!cgroup.ok()) return cgroup.error();
  if (expected && expected->memory_bytes >= kSmallestAheadMemory) {
    (void)cgroup->apply_limits(*expected);  // failed: the run writes them
  }
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

Result<std::unique_ptr<WarmInit>> WarmPool::take(const SandboxLimits& limits) {
  std::unique_ptr<WarmInit> init;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    expected_ = limits;
    if (!waiting_.empty()) {
      init = std::move(waiting_.front());
      waiting_.pop_front();
    }
  }
  if (init) return init;
  return spawn_warm_init(settings_);
}

void WarmPool::refill() { wanted_.notify_all(); }

void WarmPool::refill_until_stopped() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wanted_.wait(lock, [this] { return stopping_ || waiting_.size() < size_; });
    if (stopping_) return;
    std::optional<SandboxLimits> expected = expected_;
    lock.unlock();
    auto init = spawn_warm_init(settings_, expected);
    lock.lock();
    if (!init.ok()) {  // the next take() starts one itself and reports why
      wanted_.wait(lock);
      continue;
    }
    waiting_.push_back(std::move(*init));
  }
}

}  // namespace gradebox::sandbox
