#include "init_program.h"

#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "seccomp_policy.h"
#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

// The init blocks the signals it reads from a signalfd; the program must
// start with none blocked.
Status reset_signal_mask() {
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, nullptr) != 0) {
    return sys_error("sigprocmask", "SIG_SETMASK, {}");
  }
  return ok_status();
}

Status set_limit(int resource, const char* name, rlim_t soft, rlim_t hard) {
  struct rlimit limit = {soft, hard};
  if (setrlimit(resource, &limit) != 0) {
    return sys_error("setrlimit", std::string(name) + ", " + std::to_string(soft));
  }
  return ok_status();
}

// No RLIMIT_AS: Node and Go reserve far more address space than they use;
// memory is the cgroup's job. RLIMIT_CPU is per process; the init polls
// the cgroup for the whole tree. Set after the uid drop, so only lowering
// a hard limit works (raising one needs CAP_SYS_RESOURCE, which containers
// usually withhold from root anyway).
Status set_limits(const LaunchConfig& c) {
  rlim_t cpu = static_cast<rlim_t>(std::ceil(c.cpu_seconds));
  GB_RETURN_IF_ERROR(set_limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0));
  GB_RETURN_IF_ERROR(set_limit(RLIMIT_CPU, "RLIMIT_CPU", cpu, cpu + 1));
  GB_RETURN_IF_ERROR(set_limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", c.file_size_bytes, c.file_size_bytes));
  GB_RETURN_IF_ERROR(set_limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", c.open_files, c.open_files));
  return ok_status();
}

// setgroups, setgid, then setuid (which clears the
// effective and permitted capabilities): afterwards nothing is left to drop.
// In a user namespace the uid is already the only mapped one and setgroups
// is denied by the map.
Status drop_privileges(const LaunchConfig& c) {
  if (!c.user_namespace && setgroups(0, nullptr) != 0) {
    return sys_error("setgroups", "0, NULL");
  }
  if (setresgid(kSandboxGid, kSandboxGid, kSandboxGid) != 0) {
    return sys_error("setresgid", std::to_string(kSandboxGid));
  }
  if (setresuid(kSandboxUid, kSandboxUid, kSandboxUid) != 0) {
    return sys_error("setresuid", std::to_string(kSandboxUid));
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return sys_error("prctl", "PR_SET_NO_NEW_PRIVS");
  }
  return ok_status();
}

Status send_fd(int socket, int fd) {
  char data = 'L';
  struct iovec payload = {&data, 1};
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  struct msghdr message = {};
  message.msg_iov = &payload;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  struct cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &fd, sizeof(int));
  if (sendmsg(socket, &message, 0) != 1) return sys_error("sendmsg", "SCM_RIGHTS");
  return ok_status();
}

// The filter is loaded last, so the setup calls above are not violations;
// its listener must leave this process before the exec.
Status load_filter(const std::vector<sock_filter>& policy, int control) {
  Result<int> listener = install_seccomp_policy(policy);
  if (!listener.ok()) return listener.error();
  Status sent = send_fd(control, *listener);
  close(*listener);
  return sent;
}

// Everything that does not depend on the spec.
Status prepare_standby(const LaunchConfig& pre, int control,
                       const std::vector<sock_filter>& policy) {
  GB_RETURN_IF_ERROR(reset_signal_mask());
  if (setsid() < 0) return sys_error("setsid", "");
  GB_RETURN_IF_ERROR(drop_privileges(pre));
  return load_filter(policy, control);
}

std::vector<char*> pointers(const std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (const std::string& s : strings) result.push_back(const_cast<char*>(s.c_str()));
  result.push_back(nullptr);
  return result;
}

[[noreturn]] void fail(int error_fd, const std::string& message) {
  [[maybe_unused]] ssize_t ignored = write(error_fd, message.data(), message.size());
  _exit(127);
}

}  // namespace

void run_standby_program(const LaunchConfig& pre, int control, int error_fd,
                         const std::vector<sock_filter>& policy) {
  Status prepared = prepare_standby(pre, control, policy);
  if (!prepared.ok()) fail(error_fd, prepared.error().message);
  std::string spec;
  if (!read_framed(control, spec)) _exit(0);
  Result<LaunchConfig> config = launch_config_from_json(spec);
  if (!config.ok()) fail(error_fd, config.error().message);
  const LaunchConfig& c = *config;
  Status limited = set_limits(c);
  if (!limited.ok()) fail(error_fd, limited.error().message);
  if (c.shield_program) {  // an observer: nothing in the box may signal it
    Status shielded = install_signal_shield(getpid());
    if (!shielded.ok()) fail(error_fd, shielded.error().message);
  }
  std::vector<char*> argv = pointers(c.argv);
  std::vector<char*> env = pointers(c.env);
  char go = 0;
  if (read(control, &go, 1) != 1) _exit(0);
  if (chdir(c.cwd.c_str()) != 0) fail(error_fd, sys_error("chdir", c.cwd).message);
  // Only stdio and the channel cross into the program.
  close_range(kChannelFd + 1, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(argv[0], argv.data(), env.data());
  fail(error_fd, sys_error("execve", c.argv[0]).message);
}

bool read_framed(int fd, std::string& message) {
  std::string length_text;
  char byte = 0;
  while (read(fd, &byte, 1) == 1 && byte != '\n' && length_text.size() < 20) {
    length_text += byte;
  }
  if (byte != '\n') return false;
  message.assign(std::strtoul(length_text.c_str(), nullptr, 10), '\0');
  for (size_t got = 0; got < message.size();) {
    ssize_t length = read(fd, message.data() + got, message.size() - got);
    if (length <= 0) return false;
    got += static_cast<size_t>(length);
  }
  return true;
}

Status drop_bounding_set() {
  for (int cap = 0; cap <= 63; ++cap) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
      return sys_error("prctl", "PR_CAPBSET_DROP, " + std::to_string(cap));
    }
  }
  return ok_status();
}

void reset_signal_dispositions() {
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    ::signal(signal_number, SIG_DFL);  // fails harmlessly on SIGKILL/SIGSTOP
  }
}

}  // namespace gradebox::sandbox
