"""Observer side (trusted): starts a runner with nothing but `os`, so the
observer can start the first one before it imports anything else.

The child gets a new session (its own process group: one killpg ends it and
all it starts), its config pipe as stdin and its report pipe as fd 3, which
replaces the result channel there; every other descriptor of the observer's
is close-on-exec (Python's default, and the guard's for fd 3), so the runner
holds none. stdout and stderr stay the sandbox's (captured for the report).
"""

import os

PACK = os.path.dirname(os.path.abspath(__file__))
NODE = "/usr/bin/node" if os.path.exists("/usr/bin/node") else "node"


def spawn_runner(warm):
    """(pid, config write fd, report read fd) of a new runner.js."""
    config_r, config_w = os.pipe()
    report_r, report_w = os.pipe()
    argv = [NODE, os.path.join(PACK, "runner.js")] + (["warm"] if warm else [])
    pid = os.fork()
    if pid == 0:  # the child: only async-signal-safe work until exec
        try:
            os.setsid()
            os.dup2(config_r, 0)
            os.dup2(report_w, 3)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(config_r)
    os.close(report_w)
    return pid, config_w, report_r
