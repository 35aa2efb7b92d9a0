"""Parent side of one test: fork, watch the child's limits, reap, observe.

The parent never runs answer code after loading, so it can enforce limits
on the child: CPU time of the call (polled from /proc, RLIMIT_CPU as the
backstop), idleness (a child that sleeps or blocks makes no CPU progress),
a wall-clock backstop, and the size of what the child reports. Deaths are
read before reaping (waitid WNOWAIT) so a seccomp kill can name its syscall.
"""

import os
import select
import signal
import time

import gb_child

_monotonic = time.monotonic
_CLK_TCK = os.sysconf("SC_CLK_TCK")


class Watch:
    """What the parent saw of one child."""

    def __init__(self):
        self.data = bytearray()
        self.kill_reason = None  # "cpu", "idle", "wall", "output", "budget"
        self.start_cpu = None    # child's CPU seconds when the call began
        self.called_cpu = None   # ... and when it ended
        self.died = None         # waitid result
        self.syscall = None      # number, when killed by SIGSYS
        self.rusage = None
        self.wall = 0.0
        self.last_cpu = None     # the latest /proc sample of the child's CPU


def child_cpu_seconds(pid):
    """CPU time of `pid` from /proc (schedstat ns, else stat ticks), or None."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as handle:
            return int(handle.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLK_TCK
    except (OSError, ValueError, IndexError):
        return None


def _read_syscall_number(pid):
    try:
        with open(f"/proc/{pid}/syscall", "rb") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _note_markers(watch):
    """Records the first start/called markers among the lines seen so far."""
    if watch.called_cpu is not None:
        return
    # Markers are the first lines; the answer writes nothing before "start".
    for line in bytes(watch.data[:512]).split(b"\n")[:3]:
        if line.startswith(b'{"m":"start","cpu":') and watch.start_cpu is None:
            watch.start_cpu = _marker_value(line)
        elif line.startswith(b'{"m":"called","cpu":') and watch.start_cpu is not None:
            watch.called_cpu = _marker_value(line)
            return


def _marker_value(line):
    try:
        return float(line.split(b":")[-1].rstrip(b"}"))
    except ValueError:
        return None


class Limits:
    """The limits one test runs under (seconds)."""

    def __init__(self, call_cpu, settings, idle, deadline):
        self.call_cpu = call_cpu * settings.grace
        self.setup_cpu = settings.setup_cpu_seconds
        self.report_cpu = settings.report_cpu_seconds
        self.idle = idle
        self.wall = 3 * call_cpu + 1.0 + settings.setup_cpu_seconds
        self.deadline = deadline  # monotonic time the whole run must end by
        self.max_bytes = settings.max_report_bytes
        # RLIMIT_CPU in the child: only if polling /proc is impossible.
        self.child_cpu_backstop = self.setup_cpu + self.call_cpu + self.report_cpu


def _over_limit(watch, limits, cpu, started, idle_since):
    """The reason to kill the child now, or None."""
    now = _monotonic()
    if limits.deadline is not None and now > limits.deadline:
        return "budget"
    if now - started > limits.wall:
        return "wall"
    if now - idle_since > limits.idle:
        return "idle"
    if cpu is None:
        return None
    if watch.start_cpu is None:
        return "cpu" if cpu > limits.setup_cpu else None
    if watch.called_cpu is None:
        return "cpu" if cpu - watch.start_cpu > limits.call_cpu else None
    return "cpu" if cpu - watch.called_cpu > limits.report_cpu else None


def _kill_group(pid):
    for target in (lambda: os.killpg(pid, signal.SIGKILL),
                   lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except OSError:
            pass


def _read_available(fd, watch, limits):
    """Reads what the pipe holds; False at end of file."""
    try:
        chunk = os.read(fd, 1 << 20)
    except BlockingIOError:
        return True
    if not chunk:
        return False
    watch.data += chunk
    if len(watch.data) > limits.max_bytes and watch.kill_reason is None:
        watch.kill_reason = "output"
    return True


def _exited(pid):
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return None


def _watch_loop(pid, read_fd, pid_fd, watch, limits):
    started = idle_since = _monotonic()
    last_cpu, open_pipe = -1.0, True
    while True:
        fds = ([read_fd] if open_pipe else []) + ([pid_fd] if pid_fd is not None else [])
        ready, _, _ = select.select(fds, [], [], 0.02 if pid_fd is not None else 0.005)
        if read_fd in ready:
            open_pipe = _read_available(read_fd, watch, limits)
            _note_markers(watch)
        watch.died = _exited(pid)
        if watch.died is not None:
            break
        cpu = child_cpu_seconds(pid)
        watch.last_cpu = cpu if cpu is not None else watch.last_cpu
        if cpu is not None and cpu > last_cpu + 0.0005:
            last_cpu, idle_since = cpu, _monotonic()
        if watch.kill_reason is None:
            watch.kill_reason = _over_limit(watch, limits, cpu, started, idle_since)
        if watch.kill_reason is not None:
            _kill_group(pid)
    watch.wall = _monotonic() - started


def _drain(read_fd, watch, limits):
    os.set_blocking(read_fd, False)
    while watch.kill_reason != "output" and _read_available(read_fd, watch, limits):
        if not select.select([read_fd], [], [], 0)[0]:
            break
    _note_markers(watch)


def run_in_child(entry, test, settings, limits):
    """Forks a child for `test`, enforces `limits`, returns the Watch."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        gb_child.run_child(write_fd, entry, test, settings, limits.child_cpu_backstop)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    try:
        pid_fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pid_fd = None
    watch = Watch()
    try:
        _watch_loop(pid, read_fd, pid_fd, watch, limits)
        _drain(read_fd, watch, limits)
        if watch.died.si_code in (os.CLD_KILLED, os.CLD_DUMPED) and \
                watch.died.si_status == signal.SIGSYS:
            watch.syscall = _read_syscall_number(pid)
        _kill_group(pid)  # strays the child left, before its pid is freed
        _, _, watch.rusage = os.wait4(pid, 0)
    finally:
        os.close(read_fd)
        if pid_fd is not None:
            os.close(pid_fd)
    return watch
