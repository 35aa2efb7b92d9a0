// The seccomp policy: allow by default, deny a list (nsjail/Docker style).
// Calls that only a container escape, a kernel attack or another tenant's
// harm needs are violations; calls that ordinary runtimes probe (io_uring,
// clone3, netlink sockets) fail with an errno so that libc and libuv fall
// back.
//
// Violations go to the init as user notifications (SCMP_ACT_NOTIFY): the
// call never runs, and the init learns its number, kills the caller and
// reports the name. nsjail's way, reading /proc/<pid>/syscall after a
// SECCOMP_RET_KILL death, does not work here: on kernel 6.x the dead
// task's file reads "-1 0x0 0x0" (measured), so the name would be lost.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>

#include <string>
#include <vector>

#include "gradebox/status.h"

namespace gradebox::sandbox {

/// The policy compiled to BPF once (by the waiting init), so that each
/// program only installs it. `allow` removes names from the deny list
/// (SandboxSpec::seccomp_allow).
Result<std::vector<sock_filter>> compile_seccomp_policy(const std::vector<std::string>& allow);

/// Installs `program` in the calling process (the program, after it dropped
/// privileges and set no_new_privs) and returns the notification listener.
Result<int> install_seccomp_policy(const std::vector<sock_filter>& program);

/// Stacks a second filter on the calling process (the program, a task's
/// observer, before it execs): signals toward it fail with EPERM from every
/// process of the box. Its children (the answer) share its uid, so the
/// kernel's own check would let them kill or stop it. Refused: kill,
/// rt_sigqueueinfo, tgkill, rt_tgsigqueueinfo and pidfd_open naming `self`,
/// kill toward its process group (-self) or everyone (-1), tkill (obsolete;
/// it names a thread alone), and pidfd_open of a single thread. The program
/// cannot signal itself either (an abort() then ends it by SIGSEGV).
Status install_signal_shield(pid_t self);

/// Reads one notification from `listener`: the pid (in the listener's PID
/// namespace), syscall number and audit arch of a violation, or false.
bool receive_violation(int listener, int& pid, int& number, uint32_t& arch);

/// The name of syscall `number` of `arch`: "ptrace" for the native ABI,
/// "x32 getpid (0x40000027)" or "i386 getpid (20)" for another.
std::string syscall_name(int number, uint32_t arch);

}  // namespace gradebox::sandbox
