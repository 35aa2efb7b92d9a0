# The program (pid 2, a task's observer in real runs) forks a child in its
# own session, as a harness starts the answer; the child tries every way to
# stop or kill it. Each attempt prints its errno (0: the call went through).
import ctypes, os, signal, sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo = 200, 234, 129


def attempt(name, call):
    try:
        result = call()
        err = ctypes.get_errno() if result == -1 else 0
    except OSError as e:
        err = e.errno
    print(name, err, flush=True)


observer = os.getpid()
child = os.fork()
if child == 0:
    os.setsid()
    info = ctypes.create_string_buffer(128)
    attempt("kill", lambda: os.kill(observer, signal.SIGSTOP))
    attempt("kill-group", lambda: os.kill(-observer, signal.SIGSTOP))
    attempt("kill-all", lambda: os.kill(-1, signal.SIGSTOP))
    attempt("kill-high-bits", lambda: libc.syscall(62, ctypes.c_long((1 << 32) | observer), 19))
    attempt("tkill", lambda: libc.syscall(SYS_tkill, observer, 19))
    attempt("tgkill", lambda: libc.syscall(SYS_tgkill, observer, observer, 19))
    attempt("rt_sigqueueinfo", lambda: libc.syscall(SYS_rt_sigqueueinfo, observer, 19, info))
    attempt("pidfd_open", lambda: os.pidfd_open(observer))
    attempt("own-group", lambda: os.kill(0, 0))  # its own session: allowed
    os._exit(0)
os.waitpid(child, 0)
print("observer alive", os.getpid() == observer)
