// The last steps before the program runs, in the child the init forked:
// default signals, rlimits, an unprivileged uid with no capabilities,
// no_new_privs, the seccomp filter, execve.
#pragma once

#include "launch_config.h"

namespace gradebox::sandbox {

/// The uid/gid the program runs as (nobody), written into /etc/passwd.
inline constexpr unsigned kSandboxUid = 65534;
inline constexpr unsigned kSandboxGid = 65534;

/// Never returns: execs the program, or writes why it could not to
/// `error_fd` (close-on-exec, so a successful exec leaves it empty) and
/// exits 127. The seccomp listener goes to the init over `listener_socket`
/// (SCM_RIGHTS) and is closed before the exec.
[[noreturn]] void exec_program(const LaunchConfig& config, int error_fd,
                               int listener_socket);

}  // namespace gradebox::sandbox
