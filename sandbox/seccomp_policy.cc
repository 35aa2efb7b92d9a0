#include "seccomp_policy.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sys_error.h"

namespace gradebox::sandbox {
namespace {

// Violations (SCMP_ACT_NOTIFY): the init kills the caller and names the call.
constexpr const char* kViolations[] = {
    "ptrace", "process_vm_readv", "process_vm_writev",
    // mounts, old and new API
    "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr",
    // kernel modules, kexec, eBPF, perf, keyrings
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "bpf",
    "perf_event_open", "add_key", "request_key", "keyctl",
    // namespaces (clone's namespace flags are checked below)
    "unshare", "setns", "userfaultfd",
    // the host's clock, power, swap, accounting, logs, ports, ttys
    "reboot", "swapon", "swapoff", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "name_to_handle_at", "open_by_handle_at", "acct", "quotactl", "quotactl_fd", "syslog", "iopl",
    "ioperm", "vhangup", "uselib", "lookup_dcookie"};

// ENOSYS: libuv probes io_uring, glibc tries clone3 first (whose flags live
// in memory a filter cannot read) and falls back to clone.
constexpr const char* kNotImplemented[] = {"clone3", "io_uring_setup", "io_uring_enter",
                                           "io_uring_register"};

constexpr unsigned long kNamespaceFlags[] = {CLONE_NEWNS,    CLONE_NEWUTS, CLONE_NEWIPC,
                                             CLONE_NEWUSER,  CLONE_NEWPID, CLONE_NEWNET,
                                             CLONE_NEWCGROUP};

bool allowed(const std::vector<std::string>& allow, const char* name) {
  return std::find(allow.begin(), allow.end(), name) != allow.end();
}

int add(scmp_filter_ctx ctx, uint32_t action, const char* name, unsigned count = 0,
        const scmp_arg_cmp* args = nullptr) {
  int number = seccomp_syscall_resolve_name(name);
  if (number == __NR_SCMP_ERROR) return 0;  // not on this kernel/arch
  return seccomp_rule_add_array(ctx, action, number, count, args);
}

// socket()/socketpair(): AF_UNIX, AF_INET and AF_INET6 only. glibc opens
// AF_NETLINK in getaddrinfo, so the others fail softly with EAFNOSUPPORT.
int add_socket_families(scmp_filter_ctx ctx, const char* name) {
  uint32_t refuse = SCMP_ACT_ERRNO(EAFNOSUPPORT);
  scmp_arg_cmp above = SCMP_A0(SCMP_CMP_GE, AF_INET6 + 1);
  int rc = add(ctx, refuse, name, 1, &above);
  for (int family = 0; family < AF_INET6 && rc == 0; ++family) {
    if (family == AF_UNIX || family == AF_INET) continue;
    scmp_arg_cmp equal = SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family));
    rc = add(ctx, refuse, name, 1, &equal);
  }
  return rc;
}

int add_rules(scmp_filter_ctx ctx, const std::vector<std::string>& allow) {
  int rc = 0;
  for (const char* name : kViolations) {
    if (!allowed(allow, name)) rc = rc ? rc : add(ctx, SCMP_ACT_NOTIFY, name);
  }
  for (const char* name : kNotImplemented) {
    if (!allowed(allow, name)) rc = rc ? rc : add(ctx, SCMP_ACT_ERRNO(ENOSYS), name);
  }
  for (unsigned long flag : kNamespaceFlags) {
    scmp_arg_cmp has_flag = SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag);
    rc = rc ? rc : add(ctx, SCMP_ACT_NOTIFY, "clone", 1, &has_flag);
  }
  rc = rc ? rc : add_socket_families(ctx, "socket");
  rc = rc ? rc : add_socket_families(ctx, "socketpair");
  return rc;
}

}  // namespace

Result<std::vector<sock_filter>> compile_seccomp_policy(const std::vector<std::string>& allow) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return Error{"seccomp_init(SCMP_ACT_ALLOW): failed"};
  // Another ABI (i386 int 0x80, x32's nr | 0x40000000) would bypass the
  // native rules: every such call is a violation, named by the init.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY);
  rc = rc ? rc : add_rules(ctx, allow);
  int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
  rc = rc ? rc : (fd < 0 ? -errno : seccomp_export_bpf(ctx, fd));
  seccomp_release(ctx);
  std::vector<sock_filter> program;
  if (rc == 0) {
    off_t size = lseek(fd, 0, SEEK_CUR);
    program.resize(static_cast<size_t>(size) / sizeof(sock_filter));
    if (pread(fd, program.data(), size, 0) != size) rc = -EIO;
  }
  if (fd >= 0) close(fd);
  if (rc != 0 || program.empty()) {
    return Error{"seccomp_export_bpf(deny-list policy): " + errno_name(-rc)};
  }
  return program;
}

namespace {

// arg0 equal to `value` as the kernel reads it: a pid_t, the low 32 bits
// (a raw syscall may set the upper ones to anything).
scmp_arg_cmp pid_arg(pid_t value) {
  return SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, static_cast<uint32_t>(value));
}

int add_shield_rules(scmp_filter_ctx ctx, pid_t self) {
  const uint32_t refuse = SCMP_ACT_ERRNO(EPERM);
  int rc = add(ctx, refuse, "tkill");
  constexpr uint64_t kPidfdThread = O_EXCL;  // PIDFD_THREAD (Linux 6.9)
  scmp_arg_cmp thread = SCMP_A1(SCMP_CMP_MASKED_EQ, kPidfdThread, kPidfdThread);
  rc = rc ? rc : add(ctx, refuse, "pidfd_open", 1, &thread);
  for (const char* name :
       {"kill", "rt_sigqueueinfo", "tgkill", "rt_tgsigqueueinfo", "pidfd_open"}) {
    scmp_arg_cmp target = pid_arg(self);
    rc = rc ? rc : add(ctx, refuse, name, 1, &target);
  }
  for (pid_t group : {-self, -1}) {
    scmp_arg_cmp target = pid_arg(group);
    rc = rc ? rc : add(ctx, refuse, "kill", 1, &target);
  }
  return rc;
}

}  // namespace

Status install_signal_shield(pid_t self) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) return Error{"seccomp_init(SCMP_ACT_ALLOW): failed"};
  // Another ABI's calls are the deny-list's to refuse and name: this
  // filter's default (kill the thread) would win over its notification.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
  rc = rc ? rc : add_shield_rules(ctx, self);
  rc = rc ? rc : seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc != 0) {
    return Error{"seccomp_load(signal shield, pid " + std::to_string(self) +
                 "): " + errno_name(-rc)};
  }
  return ok_status();
}

Result<int> install_seccomp_policy(const std::vector<sock_filter>& program) {
  struct sock_fprog filter = {static_cast<unsigned short>(program.size()),
                              const_cast<sock_filter*>(program.data())};
  int listener = static_cast<int>(
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &filter));
  if (listener < 0) {
    return sys_error("seccomp", "SECCOMP_SET_MODE_FILTER, NEW_LISTENER");
  }
  return listener;
}

bool receive_violation(int listener, int& pid, int& number, uint32_t& arch) {
  struct seccomp_notif* request = nullptr;
  struct seccomp_notif_resp* response = nullptr;
  if (seccomp_notify_alloc(&request, &response) != 0) return false;
  std::memset(request, 0, sizeof(*request));  // the kernel wants it zeroed
  bool received = seccomp_notify_receive(listener, request) == 0;
  if (received) {
    pid = static_cast<int>(request->pid);
    number = request->data.nr;
    arch = request->data.arch;
  }
  seccomp_notify_free(request, response);
  return received;
}

namespace {

std::string resolve(uint32_t arch, int number) {
  char* name = seccomp_syscall_resolve_num_arch(arch, number);
  if (name == nullptr) return "syscall " + std::to_string(number);
  std::string result = name;
  std::free(name);
  return result;
}

std::string hex(int number) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%x", static_cast<unsigned>(number));
  return text;
}

}  // namespace

std::string syscall_name(int number, uint32_t arch) {
  constexpr int kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT
  if (arch == SCMP_ARCH_X86_64 && (number & kX32Bit) != 0) {
    return "x32 " + resolve(SCMP_ARCH_X32, number) + " (" + hex(number) + ")";
  }
  if (arch == SCMP_ARCH_X86) {
    return "i386 " + resolve(SCMP_ARCH_X86, number) + " (" + std::to_string(number) + ")";
  }
  if (arch == seccomp_arch_native()) return resolve(arch, number);
  return "arch " + hex(static_cast<int>(arch)) + " syscall " + std::to_string(number);
}

}  // namespace gradebox::sandbox
