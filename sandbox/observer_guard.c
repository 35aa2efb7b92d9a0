/* gradebox's observer guard, LD_PRELOAD'ed into a sandboxed program started
 * with SandboxSpec::guard_program. Such a program (a task's harness) is the
 * observer: it alone writes the result channel (fd 3) and it starts the
 * untrusted code as its children, under the same uid. Before its main runs:
 *
 *  - PR_SET_DUMPABLE 0: the kernel's ptrace access check then refuses a
 *    process of the same uid without CAP_SYS_PTRACE (all of the box's) the
 *    observer's /proc/<pid>/mem, /proc/<pid>/fd/ and pidfd_getfd
 *    (Documentation/admin-guide/sysctl/fs.rst, suid_dumpable; proc(5)).
 *    execve resets the flag, which is why it is set here, after the exec.
 *  - FD_CLOEXEC on fd 3: a child that is fork+exec'd never holds the channel.
 *  - LD_PRELOAD is removed, so children do not load this guard themselves.
 *
 * A failure ends the program before it writes `start`: gradebox then calls
 * the run its own fault (grader-error), never the answer's. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

enum { kChannelFd = 3, kGuardFailed = 125 };

__attribute__((constructor)) static void guard_observer(void) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) _exit(kGuardFailed);
  int flags = fcntl(kChannelFd, F_GETFD);
  if (flags >= 0 && fcntl(kChannelFd, F_SETFD, flags | FD_CLOEXEC) != 0) _exit(kGuardFailed);
  unsetenv("LD_PRELOAD");
}
