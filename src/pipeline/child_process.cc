#include "pipeline/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace gradebox::pipeline {
namespace {

using SteadyClock = std::chrono::steady_clock;

Error errno_error(const std::string& call) { return Error{call + ": " + std::strerror(errno)}; }

// Pipes gradebox's ends of which are non-blocking and close-on-exec.
struct Pipes {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  ~Pipes() {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]})
      if (fd >= 0) ::close(fd);
  }
  bool open() {
    return ::pipe2(in, O_CLOEXEC) == 0 && ::pipe2(out, O_CLOEXEC) == 0 &&
           ::pipe2(err, O_CLOEXEC) == 0 && ::fcntl(in[1], F_SETFL, O_NONBLOCK) == 0 &&
           ::fcntl(out[0], F_SETFL, O_NONBLOCK) == 0 && ::fcntl(err[0], F_SETFL, O_NONBLOCK) == 0;
  }
  void close_child_ends() {
    for (int* fd : {&in[0], &out[1], &err[1]}) ::close(std::exchange(*fd, -1));
  }
};

Result<pid_t> spawn(const std::vector<std::string>& argv, Pipes& pipes) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_adddup2(&actions, pipes.in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2);
  // In gradebox's process group, so that Ctrl-C reaches the child as it
  // reached gradebox's own sandboxes; an unblocked signal mask, whatever
  // the spawning thread blocks.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  std::vector<char*> raw;
  for (const auto& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
  raw.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, raw[0], &actions, &attributes, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) return Error{"posix_spawn(" + argv[0] + "): " + std::strerror(rc)};
  return pid;
}

// A write to a child that died is EPIPE on this thread, not a SIGPIPE that
// ends the whole run: blocked here, and a pending one taken before unblocking.
struct NoPipeSignal {
  sigset_t pipe_signal, before;
  NoPipeSignal() {
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &before);
  }
  ~NoPipeSignal() {
    timespec now{0, 0};
    while (sigtimedwait(&pipe_signal, nullptr, &now) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
  }
};

// Feeds stdin and drains stdout/stderr until both reach EOF or the deadline.
bool pump(Pipes& pipes, const std::string& input, ChildEnd& end, SteadyClock::time_point deadline) {
  std::size_t written = 0;
  if (input.empty()) ::close(std::exchange(pipes.in[1], -1));
  while (pipes.out[0] >= 0 || pipes.err[0] >= 0) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd fds[3] = {
        {pipes.in[1], POLLOUT, 0}, {pipes.out[0], POLLIN, 0}, {pipes.err[0], POLLIN, 0}};
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) return false;
    if (pipes.in[1] >= 0 && fds[0].revents) {
      ssize_t n = ::write(pipes.in[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size())
        ::close(std::exchange(pipes.in[1], -1));  // EOF, or the child stopped reading
    }
    for (auto [fd, text] :
         {std::pair{&pipes.out[0], &end.stdout_data}, std::pair{&pipes.err[0], &end.stderr_data}}) {
      if (*fd < 0) continue;
      char buffer[65536];
      ssize_t n = ::read(*fd, buffer, sizeof buffer);
      if (n > 0) text->append(buffer, static_cast<std::size_t>(n));
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) ::close(std::exchange(*fd, -1));
    }
  }
  return true;
}

// Its output closed, the child normally exits at once; one that lingers
// counts against the same deadline.
bool exited_by(pid_t pid, SteadyClock::time_point deadline, int& status) {
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return true;
    if (done < 0 && errno != EINTR) return true;  // not ours to wait for: nothing to kill
    if (SteadyClock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

Result<ChildEnd> run_child(const std::vector<std::string>& argv, const std::string& stdin_data,
                           std::chrono::milliseconds timeout) {
  if (argv.empty()) return Error{"run_child: empty argv"};
  Pipes pipes;
  if (!pipes.open()) return errno_error("pipe2");
  auto pid = spawn(argv, pipes);
  if (!pid) return pid.error();
  pipes.close_child_ends();
  ChildEnd end;
  NoPipeSignal no_pipe_signal;
  const auto deadline = SteadyClock::now() + timeout;
  int status = 0;
  if (!pump(pipes, stdin_data, end, deadline) || !exited_by(*pid, deadline, status)) {
    end.timed_out = true;
    ::kill(*pid, SIGKILL);  // its sandboxes and helpers end when it does
    while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  end.exited = WIFEXITED(status);
  end.exit_code = end.exited ? WEXITSTATUS(status) : -1;
  end.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return end;
}

}  // namespace gradebox::pipeline
