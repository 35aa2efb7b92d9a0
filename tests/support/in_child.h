// Runs a piece of a test in a forked child first: a stack overflow there (a
// hostile value nested 10^6 deep) fails the calling test with its signal
// instead of ending the whole test binary. For pure computations only: no
// threads, servers or files shared with the parent.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>

namespace gradebox::testing {

/// "exited 0", "exited N" or "killed by signal N": what became of `body`.
inline std::string fate_in_child(const std::function<void()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exited " + std::to_string(WEXITSTATUS(status));
}

}  // namespace gradebox::testing
