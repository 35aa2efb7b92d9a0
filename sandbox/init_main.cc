// gradebox-init: the small program between gradebox and an untrusted one.
//
// Theory of operation (compare isolate's keeper/proxy/inside):
//   gradebox ──fork+exec──> gradebox-init "outer" (host PID namespace)
//     reads its prelaunch config from stdin (argv is only its name),
//     joins the run's cgroups, unshares mount/PID/net/IPC/UTS (and user,
//     when not root) ahead of time (warm_pool.h), forks:
//       init, PID 1 of the new namespace: builds the base filesystem,
//       brings lo up, forks the program-to-be, then reads the spec from
//       stdin, sets the program's rlimits, adds /tmp and the spec's mounts,
//       lets the program exec, then reaps and supervises (init_supervise)
//         program: uid 65534, no_new_privs, seccomp while the init waits;
//         with the spec: its cwd, execve
//   fd 0-2: the program's stdio; fd 3: its result channel; fd 4: the status
//   pipe on which the init (or the outer, if setup fails early) writes
//   JSON lines: {"error": ...} (a sandbox fault) or {"ready": true} once the
//   program has exec'd, then the program's report.
// The outer stays to forward gradebox's SIGTERM (RunningSandbox::kill) and
// to be the process gradebox reaps; when it dies, PDEATHSIG kills the init
// and with it the whole PID namespace. When gradebox dies, the status pipe
// loses its reader and the init ends the namespace (init_supervise).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "init_mounts.h"
#include "init_net.h"
#include "init_program.h"
#include "init_supervise.h"
#include "launch_config.h"
#include "seccomp_policy.h"
#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

volatile pid_t init_pid = -1;

void write_status(const std::string& line) {
  [[maybe_unused]] ssize_t ignored = write(kStatusFd, line.data(), line.size());
}

[[noreturn]] void fail(const Error& error) {
  write_status(error_line(error.message));
  _exit(1);
}

Status write_text(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return sys_error("open", path);
  bool complete = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!complete) return sys_error("write", path + ", " + text);
  return ok_status();
}

// Not root: the caller's uid becomes 65534 in a new user namespace, which
// then owns the other namespaces (so mounts and lo work without root).
Status map_user_namespace(const LaunchConfig& c) {
  GB_RETURN_IF_ERROR(write_text("/proc/self/setgroups", "deny"));
  GB_RETURN_IF_ERROR(
      write_text("/proc/self/uid_map", "65534 " + std::to_string(c.outside_uid) + " 1"));
  return write_text("/proc/self/gid_map", "65534 " + std::to_string(c.outside_gid) + " 1");
}

Status enter_namespaces(const LaunchConfig& c) {
  for (const std::string& procs : c.cgroup_procs) {
    GB_RETURN_IF_ERROR(write_text(procs, "0"));  // "0": the writer itself
  }
  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
  if (c.user_namespace) flags |= CLONE_NEWUSER;
  if (unshare(flags) != 0) return sys_error("unshare", "NS|PID|NET|IPC|UTS");
  if (c.user_namespace) return map_user_namespace(c);
  return ok_status();
}

Result<int> block_signals_into_fd() {
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  if (sigprocmask(SIG_BLOCK, &handled, nullptr) != 0) {
    return sys_error("sigprocmask", "SIG_BLOCK, {SIGCHLD, SIGTERM}");
  }
  int fd = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return sys_error("signalfd", "SIGCHLD, SIGTERM");
  return fd;
}

Result<int> receive_fd(int socket) {
  char data;
  struct iovec payload = {&data, 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr message = {};
  message.msg_iov = &payload;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  if (recvmsg(socket, &message, MSG_CMSG_CLOEXEC | MSG_DONTWAIT) != 1) {
    return sys_error("recvmsg", "seccomp listener");
  }
  struct cmsghdr* header = CMSG_FIRSTHDR(&message);
  if (header == nullptr || header->cmsg_type != SCM_RIGHTS) {
    return Error{"recvmsg(seccomp listener): no fd"};
  }
  int fd;
  std::memcpy(&fd, CMSG_DATA(header), sizeof(int));
  return fd;
}

// The program-to-be, forked before the spec arrives (run_standby_program):
// its pid, the init's end of the socket it gets the spec and its listener
// over, and the read end of the pipe that reports a failed exec.
struct Standby {
  pid_t pid = -1;
  int control = -1;
  int exec_errors = -1;
};

Result<Standby> fork_standby(const LaunchConfig& pre, const std::vector<sock_filter>& policy) {
  int exec_pipe[2], sockets[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) return sys_error("pipe2", "O_CLOEXEC");
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    return sys_error("socketpair", "AF_UNIX, SOCK_STREAM");
  }
  pid_t pid = fork();
  if (pid < 0) return sys_error("fork", "program");
  if (pid == 0) {
    close(exec_pipe[0]);
    close(sockets[0]);
    run_standby_program(pre, sockets[1], exec_pipe[1], policy);
  }
  close(exec_pipe[1]);
  close(sockets[1]);
  return Standby{pid, sockets[0], exec_pipe[0]};
}

void discard(Standby& standby) {
  kill(standby.pid, SIGKILL);
  waitpid(standby.pid, nullptr, 0);
  close(standby.control);
  close(standby.exec_errors);
}

// MSG_NOSIGNAL: a standby that already failed must not SIGPIPE the init.
Status send_all(int socket, const std::string& bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    ssize_t length = send(socket, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (length < 0 && errno == EINTR) continue;
    if (length <= 0) return sys_error("send", "spec to the program");
    sent += static_cast<size_t>(length);
  }
  return ok_status();
}

// Lets the standby exec and waits for it: an exec that failed is a sandbox
// fault, reported as an error, not as the program's outcome. The standby
// sent its seccomp listener long before.
Result<Supervised> start_program(Standby& standby, Supervised watched) {
  watched.start_seconds = monotonic_seconds();
  watched.program = standby.pid;
  // Closed first: once the standby is woken the init should only block.
  for (int fd = 0; fd <= kChannelFd; ++fd) close(fd);  // EOF is the tree's
  Status released = send_all(standby.control, "g");
  char message[512];
  ssize_t length = read(standby.exec_errors, message, sizeof(message));
  close(standby.exec_errors);
  Result<int> listener = receive_fd(standby.control);
  close(standby.control);
  if (length > 0) return Error{std::string(message, length)};
  if (!released.ok()) return released.error();
  if (!listener.ok()) return listener.error();
  watched.listener_fd = *listener;
  return watched;
}

// The spec arrives on stdin as "<length>\n<json>" once gradebox has a run
// for this init; the bytes after it are the program's stdin. EOF first:
// gradebox dropped this waiting init, which just ends.
std::string read_spec() {
  std::string json;
  if (!read_framed(0, json)) _exit(0);
  return json;
}

Result<LaunchConfig> parse_spec(const LaunchConfig& pre, const std::string& json) {
  auto config = launch_config_from_json(json);
  if (!config.ok()) return config.error();
  config->cgroup_procs = pre.cgroup_procs;  // already joined
  config->cpu_usage_format = pre.cpu_usage_format;
  config->user_namespace = pre.user_namespace;
  return config;
}

void or_fail(const Status& status) {
  if (!status.ok()) fail(status.error());
}

// The standby gets the spec before the init parses it, to read it while
// the init parses and mounts. A send that fails is not checked here: a
// standby that died has written why, and start_program reports that.
void hand_spec(const Standby& standby, const std::string& spec) {
  (void)send_all(standby.control, std::to_string(spec.size()) + "\n" + spec);
}

// A spec with its own seccomp allow-list needs a standby with that policy.
Standby standby_for(const LaunchConfig& pre, const LaunchConfig& c, Standby standby,
                    const std::string& spec) {
  if (c.seccomp_allow.empty()) return standby;
  discard(standby);
  auto policy = compile_seccomp_policy(c.seccomp_allow);
  if (!policy.ok()) fail(policy.error());
  Result<Standby> fresh = fork_standby(pre, *policy);
  if (!fresh.ok()) fail(fresh.error());
  hand_spec(*fresh, spec);
  return *fresh;
}

// PID 1 of the new namespace. Everything that does not depend on the spec
// happens before it arrives, while gradebox is busy elsewhere. The order
// matters: mounts before the program exists, lo before it can listen,
// signals blocked before the first child can die.
[[noreturn]] void run_init(const LaunchConfig& pre, int cpu_usage_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  or_fail(prepare_base_filesystem());
  or_fail(set_loopback(true));
  or_fail(set_sandbox_hostname());
  or_fail(drop_bounding_set());
  auto policy = compile_seccomp_policy({});
  if (!policy.ok()) fail(policy.error());
  Result<int> signal_fd = block_signals_into_fd();
  if (!signal_fd.ok()) fail(signal_fd.error());
  Result<Standby> standby = fork_standby(pre, *policy);
  if (!standby.ok()) fail(standby.error());
  std::string spec = read_spec();  // waits for its run
  hand_spec(*standby, spec);
  Result<LaunchConfig> config = parse_spec(pre, spec);
  if (!config.ok()) fail(config.error());
  const LaunchConfig& c = *config;
  standby = standby_for(pre, c, *standby, spec);
  or_fail(finish_filesystem(c));
  if (!c.loopback) or_fail(set_loopback(false));
  Supervised watched;
  watched.cpu_usage_fd = cpu_usage_fd;
  watched.signal_fd = *signal_fd;
  Result<Supervised> started = start_program(*standby, watched);
  if (!started.ok()) {
    kill(-1, SIGKILL);
    fail(started.error());
  }
  write_status(ready_line());
  write_status(report_line(supervise(c, *started)));
  _exit(0);
}

void forward_to_init(int signal_number) {
  if (init_pid > 0) kill(init_pid, signal_number);
}

// The outer waits for the init and forwards RunningSandbox::kill's SIGTERM.
// It holds the status pipe until the init is reaped, and the init is reaped
// only when every process of its PID namespace is: so the pipe's EOF tells
// gradebox that the whole tree is gone, and gradebox can read the cgroup's
// numbers without waiting for the outer's own exit (which tears down the
// mount and network namespaces, ~0.3 ms).
[[noreturn]] void wait_for_init(pid_t pid) {
  init_pid = pid;
  struct sigaction forward = {};
  forward.sa_handler = forward_to_init;
  sigaction(SIGTERM, &forward, nullptr);
  for (int fd = 0; fd < kStatusFd; ++fd) close(fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(kStatusFd);
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int open_cpu_usage(const LaunchConfig& c) {
  if (c.cpu_usage_format == CpuUsageFormat::kNone) return -1;
  return open(c.cpu_usage_path.c_str(), O_RDONLY | O_CLOEXEC);
}

}  // namespace
}  // namespace gradebox::sandbox

int main(int argc, char**) {
  using namespace gradebox::sandbox;
  close_range(kStatusFd + 1, ~0U, 0);  // nothing else of gradebox leaks in
  reset_signal_dispositions();
  // The prelaunch config arrives on stdin, not in argv: PID 1's command
  // line is readable by every process of the box.
  std::string prelaunch;
  if (argc != 1 || !read_framed(0, prelaunch)) {
    fail(gradebox::Error{"usage: gradebox-init, the prelaunch config on stdin"});
  }
  auto pre = launch_config_from_json(prelaunch, /*prelaunch=*/true);
  if (!pre.ok()) fail(pre.error());
  gradebox::Status entered = enter_namespaces(*pre);  // the slow part
  if (!entered.ok()) fail(entered.error());
  int cpu_usage_fd = open_cpu_usage(*pre);
  pid_t pid = fork();
  if (pid < 0) fail(sys_error("fork", "init"));
  if (pid == 0) run_init(*pre, cpu_usage_fd);
  wait_for_init(pid);
}
