// Shared by the sandbox tests: a real namespace sandbox, Python programs run
// in it (/usr/bin/python3 -I -S, from the python profile's installed view of
// /usr), and looks at the host for leftovers.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../support/host_processes.h"
#include "gradebox/sandbox.h"

namespace gradebox::testing {

inline std::unique_ptr<Sandbox> make_sandbox() {
  auto sandbox = make_namespace_sandbox();
  if (!sandbox.ok()) {
    ADD_FAILURE() << "make_namespace_sandbox: " << sandbox.error().message;
    return nullptr;
  }
  return std::move(*sandbox);
}

/// The python profile's view of /usr, as `make deps` installs it (the box
/// has no /usr otherwise).
inline BindMount python_usr() {
  return {std::string(kInstallRoot) + "/runtimes/python/usr", "/usr", false};
}

inline SandboxSpec python_spec(const std::string& code) {
  SandboxSpec spec;
  spec.argv = {"/usr/bin/python3", "-I", "-S", "-c", code};
  spec.mounts = {python_usr()};
  spec.env = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/tmp"};
  spec.limits.wall_seconds = 10;
  spec.limits.cpu_seconds = 5;
  return spec;
}

/// Contents of tests/sandbox/programs/<name>.
inline std::string program_text(const std::string& name) {
  std::ifstream in(std::string(TESTS_DIR) + "/sandbox/programs/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline SandboxSpec python_file_spec(const std::string& name) {
  return python_spec(program_text(name));
}

/// Runs and fails the test on a sandbox Error.
inline SandboxOutcome run_ok(Sandbox& sandbox, const SandboxSpec& spec) {
  auto outcome = sandbox.run(spec);
  if (!outcome.ok()) {
    ADD_FAILURE() << "sandbox error: " << outcome.error().message;
    return {};
  }
  return *outcome;
}

/// The sandbox still works after whatever the previous run did.
inline void expect_next_run_works(Sandbox& sandbox) {
  SandboxOutcome next = run_ok(sandbox, python_spec("print('next run ok')"));
  EXPECT_TRUE(next.exited);
  EXPECT_EQ(next.exit_code, 0);
  EXPECT_EQ(next.stdout_data, "next run ok\n");
  EXPECT_EQ(next.limit, LimitHit::kNone);
}

/// Host pids whose command line contains `marker`.
inline std::vector<int> host_processes_with(const std::string& marker) {
  std::vector<int> pids;
  for (const HostProcess& process : host_processes()) {
    if (process.cmdline.find(marker) != std::string::npos) pids.push_back(process.pid);
  }
  return pids;
}

/// Pids of this process's children (e.g. waiting gradebox-inits).
inline std::vector<int> own_children() {
  std::vector<int> pids;
  std::ifstream in("/proc/self/task/" + std::to_string(getpid()) + "/children");
  for (int pid; in >> pid;) pids.push_back(pid);
  return pids;
}

/// Names under `dir` that start with `prefix`.
inline std::vector<std::string> entries_with_prefix(const std::string& dir,
                                                    const std::string& prefix) {
  std::vector<std::string> names;
  DIR* listing = opendir(dir.c_str());
  if (listing == nullptr) return names;
  while (struct dirent* entry = readdir(listing)) {
    std::string name = entry->d_name;
    if (name.rfind(prefix, 0) == 0) names.push_back(name);
  }
  closedir(listing);
  return names;
}

/// The memory cgroup directory gradebox's runs are created in (v1 here).
inline std::string own_memory_cgroup() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    size_t first = line.find(':'), second = line.find(':', first + 1);
    if (line.substr(first + 1, second - first - 1) == "memory") {
      std::string path = line.substr(second + 1);
      return "/sys/fs/cgroup/memory" + (path == "/" ? "" : path);
    }
  }
  return "";
}

}  // namespace gradebox::testing
