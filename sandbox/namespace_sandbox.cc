// The real Sandbox: checks once that this machine can isolate, then starts
// one gradebox-init per run.
#include <linux/limits.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "cgroup.h"
#include "gradebox/sandbox.h"
#include "run_reaper.h"
#include "running_sandbox.h"
#include "warm_pool.h"

#ifndef GRADEBOX_INIT_PATH
#define GRADEBOX_INIT_PATH ""
#endif

namespace gradebox {
namespace {

// Zero means "the default" (SandboxLimits).
SandboxLimits resolve(SandboxLimits limits) {
  const SandboxLimits defaults;
  auto pick = [](auto value, auto fallback) { return value > 0 ? value : fallback; };
  limits.cpu_seconds = pick(limits.cpu_seconds, defaults.cpu_seconds);
  limits.wall_seconds = pick(limits.wall_seconds, defaults.wall_seconds);
  limits.memory_bytes = pick(limits.memory_bytes, defaults.memory_bytes);
  limits.max_processes = pick(limits.max_processes, defaults.max_processes);
  limits.file_size_bytes = pick(limits.file_size_bytes, defaults.file_size_bytes);
  limits.open_files = pick(limits.open_files, defaults.open_files);
  limits.output_bytes = pick(limits.output_bytes, defaults.output_bytes);
  limits.channel_bytes = pick(limits.channel_bytes, defaults.channel_bytes);
  limits.tmpfs_bytes = pick(limits.tmpfs_bytes, defaults.tmpfs_bytes);
  return limits;
}

// $env_var, else `name` next to the running binary (an installed gradebox),
// else the build tree's `built`.
std::string find_beside_binary(const char* env_var, const std::string& name, const char* built,
                               int access_mode) {
  if (const char* path = std::getenv(env_var); path && *path) return path;
  char self[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length > 0) {
    std::string dir(self, length);
    std::string beside = dir.substr(0, dir.rfind('/')) + "/" + name;
    if (access(beside.c_str(), access_mode) == 0) return beside;
  }
  return built;
}

std::string find_init() {
  return find_beside_binary("GRADEBOX_INIT", "gradebox-init", GRADEBOX_INIT_PATH, X_OK);
}

std::string find_guard() {
  return find_beside_binary("GRADEBOX_OBSERVER_GUARD", "gradebox-observer-guard.so",
                            GRADEBOX_GUARD_PATH, R_OK);
}

constexpr const char* kGuardInBox = "/opt/gradebox/lib/observer_guard.so";

bool user_namespaces_allowed() {
  std::ifstream debian("/proc/sys/kernel/unprivileged_userns_clone");
  int allowed = 1;
  if (debian) debian >> allowed;
  std::ifstream limit("/proc/sys/user/max_user_namespaces");
  int max = 0;
  limit >> max;
  return allowed != 0 && max > 0;
}

// Four waiting inits: a cgroup v1 migration under load takes longer than a
// short run, so back-to-back and parallel runs need a few in flight.
constexpr size_t kWarmInits = 4;

class NamespaceSandbox : public Sandbox {
 public:
  explicit NamespaceSandbox(sandbox::InitSettings settings)
      : pool_(std::move(settings), kWarmInits), reaper_(std::make_shared<sandbox::RunReaper>()) {}

  Result<std::unique_ptr<RunningSandbox>> start(const SandboxSpec& spec) override {
    if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/') {
      return Error{"sandbox spec: argv[0] must be an absolute path"};
    }
    sandbox::LaunchSettings settings;
    settings.limits = resolve(spec.limits);
    auto init = pool_.take(settings.limits);
    if (!init.ok()) return init.error();
    settings.config = config_for(spec, settings.limits, *(*init)->cgroup);
    auto running = sandbox::NamespaceRunningSandbox::launch(std::move(settings), std::move(*init),
                                                            spec.stdin_data, reaper_);
    pool_.refill();
    return running;
  }

 private:
  sandbox::LaunchConfig config_for(const SandboxSpec& spec, const SandboxLimits& limits,
                                   const sandbox::RunCgroup& cgroup) const {
    sandbox::LaunchConfig c;
    c.argv = spec.argv;
    c.env = spec.env;
    c.mounts = spec.mounts;
    if (spec.guard_program) {
      c.shield_program = true;
      // Copied, not bound: it lives in the build tree or beside gradebox.
      c.mounts.push_back({find_guard(), kGuardInBox, false, /*copy=*/true});
      c.env.push_back(std::string("LD_PRELOAD=") + kGuardInBox);
    }
    c.cwd = spec.cwd.empty() ? "/tmp" : spec.cwd;
    c.loopback = spec.loopback;
    c.seccomp_allow = spec.seccomp_allow;
    c.cpu_seconds = limits.cpu_seconds;
    c.wall_seconds = limits.wall_seconds;
    c.file_size_bytes = limits.file_size_bytes;
    c.open_files = limits.open_files;
    c.tmpfs_bytes = limits.tmpfs_bytes;
    c.cgroup_procs = cgroup.procs_files();
    c.cpu_usage_path = cgroup.cpu_usage_path();
    c.cpu_usage_format = cgroup.cpu_usage_format();
    c.user_namespace = geteuid() != 0;
    c.outside_uid = geteuid();
    c.outside_gid = getegid();
    return c;
  }

  sandbox::WarmPool pool_;
  // Shared with the runs, which may outlive this Sandbox.
  std::shared_ptr<sandbox::RunReaper> reaper_;
};

}  // namespace

Result<SandboxOutcome> Sandbox::run(const SandboxSpec& spec) {
  auto running = start(spec);
  if (!running.ok()) return running.error();
  return (*running)->wait();
}

Result<std::unique_ptr<Sandbox>> make_namespace_sandbox() {
  std::string init_path = find_init();
  if (init_path.empty() || access(init_path.c_str(), X_OK) != 0) {
    return Error{
        "gradebox-init not found (set GRADEBOX_INIT or install it "
        "next to the gradebox binary): '" +
        init_path + "'"};
  }
  if (access(find_guard().c_str(), R_OK) != 0) {
    return Error{
        "observer guard not found (set GRADEBOX_OBSERVER_GUARD or "
        "install it next to the gradebox binary): '" +
        find_guard() + "'"};
  }
  if (prctl(PR_GET_SECCOMP) < 0) {
    return Error{"prctl(PR_GET_SECCOMP): this kernel has no seccomp"};
  }
  if (geteuid() != 0 && !user_namespaces_allowed()) {
    return Error{"not root and user namespaces are disabled: cannot isolate"};
  }
  auto layout = sandbox::detect_cgroups();
  if (!layout.ok()) return layout.error();
  if (access(layout->memory.c_str(), W_OK) != 0) {
    return Error{"cgroup " + layout->memory +
                 " is not writable: memory "
                 "limits need root or a delegated cgroup"};
  }
  sandbox::InitSettings settings{std::move(init_path), std::move(*layout), geteuid() != 0};
  return std::unique_ptr<Sandbox>(new NamespaceSandbox(std::move(settings)));
}

void clean_stale_sandboxes() {
  auto layout = sandbox::detect_cgroups();
  if (layout.ok()) sandbox::remove_stale_cgroups(*layout);
}

}  // namespace gradebox
