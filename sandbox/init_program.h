// The last steps before the program runs, in the child the init forked:
// an empty signal mask, rlimits, an unprivileged uid with no capabilities,
// no_new_privs, the seccomp filter, execve.
#pragma once

#include <linux/filter.h>

#include <vector>

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
                               int listener_socket,
                               const std::vector<sock_filter>& policy);

/// Empties the capability bounding set, so no exec below can regain a
/// capability (the init keeps its effective ones for its own mounts).
Status drop_bounding_set();

/// Every signal back to SIG_DFL: gradebox may ignore some (SIGPIPE), and
/// an exec keeps ignored signals ignored.
void reset_signal_dispositions();

}  // namespace gradebox::sandbox
