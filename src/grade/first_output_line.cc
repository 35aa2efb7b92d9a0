#include "grade/first_output_line.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace gradebox {
namespace {

// Reads up to the first newline (or the end); the child may write more.
std::string read_first_line(int fd) {
  std::string line;
  char c = 0;
  for (;;) {
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') return line;
    line += c;
  }
}

void wait_for(pid_t pid) {
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// Starts argv with stdin from /dev/null and stdout and stderr into out_fd.
bool spawn(const std::vector<std::string>& argv, int out_fd, pid_t& pid) {
  std::vector<char*> raw;
  for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
  raw.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_fd, STDERR_FILENO);
  int rc = ::posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  return rc == 0;
}

}  // namespace

std::optional<std::string> first_output_line(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
  pid_t pid = 0;
  bool started = spawn(argv, fds[1], pid);
  ::close(fds[1]);  // the child's copy alone keeps the pipe open: EOF when it exits
  std::string line = started ? read_first_line(fds[0]) : "";
  ::close(fds[0]);  // a child still writing gets SIGPIPE rather than blocking
  if (started) wait_for(pid);
  if (line.empty()) return std::nullopt;
  return line;
}

}  // namespace gradebox
