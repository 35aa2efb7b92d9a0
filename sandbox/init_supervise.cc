#include "init_supervise.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "seccomp_policy.h"

namespace gradebox::sandbox {
namespace {

double read_cpu_seconds(int fd, CpuUsageFormat format) {
  char text[512];
  ssize_t length = pread(fd, text, sizeof(text) - 1, 0);
  if (length <= 0) return 0;
  text[length] = '\0';
  if (format == CpuUsageFormat::kV1Nanoseconds) return std::atof(text) / 1e9;
  const char* usage = strstr(text, "usage_usec ");  // v2 cpu.stat
  return usage ? std::atof(usage + 11) / 1e6 : 0;
}

class Supervisor {
 public:
  Supervisor(const LaunchConfig& c, const Supervised& w)
      : c_(c),
        w_(w),
        listener_fd_(w.listener_fd),
        cpus_(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN))) {}

  InitReport run() {
    while (!program_done_) {
      struct pollfd fds[3] = {
          {w_.signal_fd, POLLIN, 0}, {kStatusFd, 0, 0}, {listener_fd_, POLLIN, 0}};
      int ready = poll(fds, 3, next_timeout_ms());
      if (ready > 0 && (fds[1].revents & (POLLERR | POLLHUP))) {
        kill(-1, SIGKILL);  // gradebox is gone: nobody to report to
        _exit(1);
      }
      if (ready > 0 && (fds[2].revents & POLLIN)) handle_violation();
      // POLLHUP: no process uses the filter any more; stop watching it.
      if (ready > 0 && (fds[2].revents & (POLLHUP | POLLERR))) listener_fd_ = -1;
      if (ready > 0 && (fds[0].revents & POLLIN)) read_signals();
      check_limits();
      reap();
    }
    kill(-1, SIGKILL);  // daemons the program left behind
    report_.wall_seconds = monotonic_seconds() - w_.start_seconds;
    return report_;
  }

 private:
  int next_timeout_ms() const {
    double left = c_.wall_seconds - (monotonic_seconds() - w_.start_seconds);
    if (w_.cpu_usage_fd >= 0) {
      // The tree cannot burn more CPU than this before the next look.
      double cpu_left = c_.cpu_seconds - cpu_seconds();
      left = std::min(left, cpu_left / static_cast<double>(cpus_));
    }
    return std::max(5, static_cast<int>(left * 1000) + 1);
  }

  double cpu_seconds() const { return read_cpu_seconds(w_.cpu_usage_fd, c_.cpu_usage_format); }

  void read_signals() {
    struct signalfd_siginfo info;
    while (read(w_.signal_fd, &info, sizeof(info)) == sizeof(info)) {
      if (info.ssi_signo == SIGTERM) end_tree(LimitHit::kNone);
    }
  }

  // The blocked call never ran; its caller dies without an answer. The
  // first violation is the one reported.
  void handle_violation() {
    int pid = 0, number = 0;
    uint32_t arch = 0;
    if (!receive_violation(listener_fd_, pid, number, arch)) return;
    if (report_.violation.empty()) report_.violation = syscall_name(number, arch);
    if (pid == w_.program) program_violated_ = true;
    kill(pid, SIGKILL);
  }

  void check_limits() {
    if (monotonic_seconds() - w_.start_seconds >= c_.wall_seconds) {
      end_tree(LimitHit::kWall);
    } else if (w_.cpu_usage_fd >= 0 && cpu_seconds() >= c_.cpu_seconds) {
      end_tree(LimitHit::kCpu);
    }
  }

  void end_tree(LimitHit limit) {
    if (report_.limit == LimitHit::kNone) report_.limit = limit;
    kill(-1, SIGKILL);
  }

  // One waitid(P_ALL) loop reaps orphans and the program alike, so the
  // program's status cannot be taken by the orphan reaping.
  void reap() {
    for (;;) {
      siginfo_t info = {};
      if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG) != 0 || info.si_pid == 0) {
        return;
      }
      if (info.si_pid == w_.program) {
        record_program_end(info);
        program_done_ = true;
      }
    }
  }

  void record_program_end(const siginfo_t& info) {
    report_.exited = info.si_code == CLD_EXITED;
    report_.exit_code = report_.exited ? info.si_status : -1;
    report_.term_signal = report_.exited ? 0 : info.si_status;
    // Killed for a violation: reported as seccomp's own kill would be.
    if (program_violated_ && report_.term_signal == SIGKILL) {
      report_.term_signal = SIGSYS;
    }
    if (report_.term_signal == SIGXCPU && report_.limit == LimitHit::kNone) {
      report_.limit = LimitHit::kCpu;
    }
  }

  const LaunchConfig& c_;
  const Supervised& w_;
  InitReport report_;
  int listener_fd_;
  long cpus_;
  bool program_done_ = false;
  bool program_violated_ = false;
};

}  // namespace

double monotonic_seconds() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

InitReport supervise(const LaunchConfig& config, const Supervised& watched) {
  return Supervisor(config, watched).run();
}

}  // namespace gradebox::sandbox
