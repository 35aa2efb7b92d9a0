"""The observer's end of the runner (trusted; runs in the harness process).

Starts race_runner.js as a separate node process in a new session (its own
process group) with two pipes and /dev/null as its only descriptors: every
descriptor of the observer's is close-on-exec (Python's own are; inherited
ones, the channel on fd 3 first, are made so by seal_descriptors), so
nothing else crosses the exec (posix_spawn, not subprocess: importing
subprocess costs the observer ~25 ms of CPU per answer). Reads what the
runner writes as bounded lines (gb_wire), writes commands to its stdin,
and reads its CPU time from the kernel (/proc/<pid>/schedstat), never from
the runner.
"""

import os
import select

from gb_wire import Limits, LineReader, dumps, parse_bounded

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "race_runner.js")
NODE = "/usr/bin/node"
# The runner's second line of defence (see race_runner.js); the observer
# believes nothing it says beyond "the answer made this call".
NODE_FLAGS = ["--experimental-vm-modules", "--disallow-code-generation-from-strings", "--no-warnings"]
RUNNER_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
SIGKILL = 9
MESSAGE_DEPTH = 64  # the runner's serializer nests at most ~30 levels
READ_BYTES = 1 << 16
MAX_SCENARIO_BYTES = 16 << 20  # an honest scenario sends a few KiB


def seal_descriptors():
    """Marks every inherited descriptor from 3 up close-on-exec (the channel
    included: the observer keeps writing it, no child ever holds it). The
    observer guard already does so for fd 3; a non-dumpable process may not
    list /proc/self/fd, hence the fallback range."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(3, 1024)
    for fd in fds:
        if fd >= 3:
            try:
                os.set_inheritable(fd, False)
            except OSError:
                pass


class RunnerProcess:
    def __init__(self, answer_file, limits, runner_file=RUNNER):
        self.max_line_bytes = limits.max_line_bytes
        self.limits = Limits({"max_line_bytes": limits.max_line_bytes,
                              "max_depth": min(limits.max_depth, MESSAGE_DEPTH)})
        self.reader = LineReader(self.limits)
        child_in, self.in_fd = os.pipe()  # both close-on-exec until dup2'ed
        self.out_fd, child_out = os.pipe()
        devnull = os.open("/dev/null", os.O_RDWR | os.O_CLOEXEC)
        try:
            self.pid = os.posix_spawn(
                NODE, [NODE, *NODE_FLAGS, runner_file, answer_file], RUNNER_ENV, setsid=True,
                file_actions=[(os.POSIX_SPAWN_DUP2, child_in, 0), (os.POSIX_SPAWN_DUP2, child_out, 1),
                              (os.POSIX_SPAWN_DUP2, devnull, 2)])
        finally:
            for fd in (child_in, child_out, devnull):
                os.close(fd)
        os.set_blocking(self.in_fd, False)  # a runner that stops reading cannot block the observer
        self.gone = False
        self.exit = None
        self.received = 0  # bytes since the current scenario began (see new_scenario)

    def poll(self, timeout):
        """What the runner said within `timeout` s: a list of ("message", value),
        ("violation", reason, status) and ("gone", exit) items."""
        if self.gone:
            return [("gone", self.exit)]
        ready, _, _ = select.select([self.out_fd], [], [], timeout)
        if not ready:
            return []
        chunk = os.read(self.out_fd, READ_BYTES)
        if not chunk:
            return [("gone", self.reap())]
        self.received += len(chunk)
        if self.received > MAX_SCENARIO_BYTES:
            return [("violation", f"more than {MAX_SCENARIO_BYTES} bytes in one scenario", "output-limit")]
        items = []
        for line in self.reader.push(chunk):
            if line is None:
                items.append(("violation", f"a message over the {self.max_line_bytes}-byte line cap", "output-limit"))
                continue
            ok, value = parse_bounded(line, self.limits)
            items.append(("message", value) if ok else ("violation", value, "ok"))
        return items

    def new_scenario(self):
        self.received = 0

    def send(self, command):
        """False when the runner does not take the command (its pipe is full)."""
        if self.gone:
            return True
        data = (dumps(command) + "\n").encode()
        try:
            while data:
                data = data[os.write(self.in_fd, data):]
        except BlockingIOError:
            return False
        except OSError:
            pass  # the runner is gone: poll() reports it
        return True

    def cpu_ms(self):
        """The runner's main thread's CPU time so far in ms, in ns as the
        kernel counts it (the answer's JS runs there): the test's time."""
        try:
            with open(f"/proc/{self.pid}/schedstat") as f:
                return int(f.read().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            return self.all_threads_cpu_ms()

    def all_threads_cpu_ms(self):
        """utime + stime of all the runner's threads (10 ms ticks): the budget,
        so CPU burnt off the main thread counts too."""
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(") ", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def reap(self):
        """The runner closed its output: its exit, once it has ended."""
        for _ in range(50):
            if self._waited(os.WNOHANG):
                break
            select.select([], [], [], 0.01)
        self.kill()
        return self.exit

    def _waited(self, flags):
        pid, status = os.waitpid(self.pid, flags)
        if pid == 0:
            return False
        signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        self.exit = {"code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None, "signal": signal}
        return True

    def kill(self):
        """Ends the runner and anything it started in its group."""
        try:
            os.killpg(self.pid, SIGKILL)
        except OSError:
            pass
        if self.exit is None:
            self._waited(0)
        if not self.gone:
            for fd in (self.in_fd, self.out_fd):
                os.close(fd)
        self.gone = True
