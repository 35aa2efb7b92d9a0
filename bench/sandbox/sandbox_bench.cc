// Median cost of one process: bare fork+exec, inside gradebox's sandbox,
// inside bubblewrap with a comparable set of namespaces. The three are
// interleaved round-robin in one run, so machine noise hits them alike.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "gradebox/sandbox.h"

extern char** environ;

namespace {

double seconds_of(const std::function<bool()>& run) {
  auto start = std::chrono::steady_clock::now();
  if (!run()) std::fprintf(stderr, "a run failed\n");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool spawn_and_wait(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  char* no_env[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), no_env);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  return rc == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

std::vector<std::string> bwrap(const std::vector<std::string>& command) {
  std::vector<std::string> argv = {"/usr/bin/bwrap",
                                   "--unshare-pid",
                                   "--unshare-net",
                                   "--unshare-ipc",
                                   "--unshare-uts",
                                   "--ro-bind",
                                   "/usr",
                                   "/usr",
                                   "--symlink",
                                   "usr/bin",
                                   "/bin",
                                   "--symlink",
                                   "usr/lib",
                                   "/lib",
                                   "--symlink",
                                   "usr/lib64",
                                   "/lib64",
                                   "--symlink",
                                   "usr/sbin",
                                   "/sbin",
                                   "--ro-bind",
                                   "/etc/ld.so.cache",
                                   "/etc/ld.so.cache",
                                   "--proc",
                                   "/proc",
                                   "--dev",
                                   "/dev",
                                   "--tmpfs",
                                   "/tmp",
                                   "--die-with-parent",
                                   "--new-session",
                                   "--"};
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// `usr`: the host folder the box sees as /usr (it has none otherwise).
void compare(gradebox::Sandbox& sandbox, const std::string& label,
             const std::vector<std::string>& command, const std::string& usr, int rounds) {
  gradebox::SandboxSpec spec;
  spec.argv = command;
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.mounts = {{usr, "/usr", false}};
  std::vector<double> bare, boxed, bubble;
  for (int i = 0; i < rounds; ++i) {
    bare.push_back(seconds_of([&] { return spawn_and_wait(command); }));
    boxed.push_back(seconds_of([&] {
      auto outcome = sandbox.run(spec);
      return outcome.ok() && outcome->exited && outcome->exit_code == 0;
    }));
    bubble.push_back(seconds_of([&] { return spawn_and_wait(bwrap(command)); }));
  }
  double b = median(bare) * 1e3, g = median(boxed) * 1e3, w = median(bubble) * 1e3;
  std::printf(
      "%-34s bare %7.2f ms | gradebox %7.2f ms (+%5.2f ms, x%.2f) | "
      "bwrap %7.2f ms (+%5.2f ms, x%.2f)   [median of %d]\n",
      label.c_str(), b, g, g - b, g / b, w, w - b, w / b, rounds);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 60;
  auto sandbox = gradebox::make_namespace_sandbox();
  if (!sandbox.ok()) {
    std::fprintf(stderr, "%s\n", sandbox.error().message.c_str());
    return 1;
  }
  compare(**sandbox, "/bin/true", {"/bin/true"}, "/usr", rounds);
  compare(**sandbox, "/usr/bin/python3 -I -S -c pass",
          {"/usr/bin/python3", "-I", "-S", "-c", "pass"},
          std::string(gradebox::kInstallRoot) + "/runtimes/python/usr", rounds);
  return 0;
}
