// The last steps before the program runs, in the child the init forked:
// an empty signal mask, an unprivileged uid with no capabilities,
// no_new_privs, the seccomp filter, then (once the spec has come) rlimits,
// the cwd, execve.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "launch_config.h"

namespace gradebox::sandbox {

/// The uid/gid the program runs as (nobody), written into /etc/passwd.
inline constexpr unsigned kSandboxUid = 65534;
inline constexpr unsigned kSandboxGid = 65534;

/// Never returns. The program-to-be, forked while the init still waits for
/// its spec, so that none of this is on a run's critical path: empties its
/// signal mask, leaves the init's session, drops to nobody (as `pre` says),
/// loads `policy` and sends its listener to the init over `control`
/// (SCM_RIGHTS). Then it reads the spec from `control` (framed as on the
/// init's stdin) and sets its rlimits, and on one more byte, sent once the
/// mounts are done, changes to the spec's cwd and execs. A failure is written
/// to `error_fd` (close-on-exec, so a successful exec leaves it empty) and
/// exits 127; EOF on `control` (the init dropped it) exits 0.
[[noreturn]] void run_standby_program(const LaunchConfig& pre, int control, int error_fd,
                                      const std::vector<sock_filter>& policy);

/// Reads "<length>\n<bytes>" from `fd`, the length a byte at a time so
/// nothing after the message is consumed (on the init's stdin the program's
/// input follows). False on EOF.
bool read_framed(int fd, std::string& message);

/// Empties the capability bounding set, so no exec below can regain a
/// capability (the init keeps its effective ones for its own mounts).
Status drop_bounding_set();

/// Every signal back to SIG_DFL: gradebox may ignore some (SIGPIPE), and
/// an exec keeps ignored signals ignored.
void reset_signal_dispositions();

}  // namespace gradebox::sandbox
