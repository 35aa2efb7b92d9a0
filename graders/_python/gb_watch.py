"""Parent side of a batch of tests: fork, watch each test's limits, reap.

The parent never runs answer code after loading, so it can enforce limits
on the child: CPU time of the call (polled from /proc, RLIMIT_CPU as the
backstop), idleness (a child that sleeps or blocks makes no CPU progress),
a wall-clock backstop, and the size of what the child reports. Deaths are
read before reaping (waitid WNOWAIT) so a seccomp kill can name its syscall.

One child may run several tests (gb_child.run_batch). Its output is cut
into one segment per test: a start marker, the call, a called marker, the
result header and its parts. Each test has its own limits, counted from
the end of the previous segment. A test the child did not start (it left
the batch, or something wrote out of turn between tests) is not observed:
the caller runs it in a fresh child. A death during a segment is that
test's, as with one child per test.

Answer code can write to the pipe. Stray lines inside a test's segment are
ignored as before (the first result counts); a line out of turn between
tests ends the child. A deliberate forgery in the protocol's own format
can pass for the next test's result: that is no new power, since answer
code already runs in the parent while it loads (see gbharness) and
gradebox trusts only the channel's shape, never that values are honest.
"""

import os
import select
import signal
import time

import gb_child
from gb_observe import strict_json

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
        self.base_cpu = 0.0      # child's CPU when this test's segment began
        self.cpu_bound = None    # ... and a /proc sample once its result was in
        self.parts_left = None   # result lines still to come (None: no header yet)
        self.last_progress = None  # CPU sample when it last advanced (idleness)


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
        return "cpu" if cpu - watch.base_cpu > limits.setup_cpu else None
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


def _exited(pid):
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return None


_START, _RESULT = b'{"m":"start","cpu":', b'{"m":"result"'


def _result_parts(line):
    """How many part lines follow this result header, or None if it is not one."""
    if not line.startswith(_RESULT):
        return None
    try:
        parts = strict_json(line).get("parts")
    except (ValueError, AttributeError):
        return None
    return min(len(parts), 2) if type(parts) is list else None


class _Batch:
    """One child's stream of segments; calls `report(index, watch)` per test."""

    def __init__(self, pid, tests, limits_for, report):
        self.pid, self.tests, self.limits_for, self.report = pid, tests, limits_for, report
        self.pending = bytearray()
        self.index = 0
        self.out_of_turn = False
        self.died = None  # waitid result once the child has ended
        self._begin(0.0)

    def _begin(self, base_cpu):
        self.watch = Watch()
        self.watch.base_cpu = base_cpu
        self.limits = self.limits_for(self.tests[self.index])
        self.started = self.idle_since = _monotonic()

    def take(self, chunk):
        """Feeds bytes from the pipe; returns False if the child must stop."""
        self.pending += chunk
        while not self.out_of_turn and self.index < len(self.tests):
            end = self.pending.find(b"\n")
            if end < 0:
                break
            line = bytes(self.pending[:end])
            del self.pending[:end + 1]
            self._line(line)
        if len(self.pending) + len(self.watch.data) > self.limits.max_bytes and \
                self.watch.kill_reason is None:
            self.watch.kill_reason = "output"
        return not self.out_of_turn and self.index < len(self.tests)

    def _line(self, line):
        watch = self.watch
        if not watch.data and self.index > 0 and not line.startswith((_START, _RESULT)):
            self.out_of_turn = True  # only answer code writes between tests
            return
        watch.data += line + b"\n"
        _note_markers(watch)
        if watch.parts_left is None:
            watch.parts_left = _result_parts(line)
        elif watch.parts_left > 0:
            watch.parts_left -= 1
        if watch.parts_left == 0:
            self._finish_segment()

    def _finish_segment(self):
        cpu = child_cpu_seconds(self.pid)
        self.watch.cpu_bound = cpu
        self.watch.wall = _monotonic() - self.started
        self.report(self.index, self.watch)
        self.index += 1
        if self.index < len(self.tests):
            self._begin(cpu if cpu is not None else self.watch.base_cpu)

    def poll_limits(self):
        """Samples the child's CPU; returns why to kill it now, or None."""
        watch = self.watch
        cpu = child_cpu_seconds(self.pid)
        watch.last_cpu = cpu if cpu is not None else watch.last_cpu
        if cpu is not None and cpu > (watch.last_progress or -1.0) + 0.0005:
            watch.last_progress, self.idle_since = cpu, _monotonic()
        if watch.kill_reason is None:
            watch.kill_reason = _over_limit(watch, self.limits, cpu, self.started, self.idle_since)
        return watch.kill_reason


def _watch_loop(pid, read_fd, pid_fd, batch):
    open_pipe = True
    while True:
        fds = ([read_fd] if open_pipe else []) + ([pid_fd] if pid_fd is not None else [])
        ready, _, _ = select.select(fds, [], [], 0.02 if pid_fd is not None else 0.005)
        if read_fd in ready:
            chunk = _read_chunk(read_fd)
            open_pipe = chunk != b""
            if chunk and not batch.take(chunk):
                _kill_group(pid)  # all tests done, or out of turn: no more from it
        batch.died = _exited(pid)
        if batch.died is not None:
            return
        if batch.index < len(batch.tests) and batch.poll_limits() is not None:
            _kill_group(pid)


def _read_chunk(fd):
    try:
        return os.read(fd, 1 << 20)
    except BlockingIOError:
        return None


def _drain(read_fd, batch):
    os.set_blocking(read_fd, False)
    while batch.index < len(batch.tests) and batch.watch.kill_reason != "output":
        chunk = _read_chunk(read_fd)
        if not chunk or not batch.take(chunk):
            break


def _observe_end(batch, first_test_of_child):
    """Reports the test the child ended in, unless it never started it."""
    watch = batch.watch
    if batch.out_of_turn or batch.index >= len(batch.tests):
        return
    if not watch.data and watch.kill_reason is None and not first_test_of_child:
        return  # ended between tests: the caller forks afresh for this one
    watch.wall = _monotonic() - batch.started
    batch.report(batch.index, watch)
    batch.index += 1


def run_batch(entry, tests, settings, limits_for, report):
    """Runs `tests` in one child; returns how many were observed (>= 1).

    `limits_for(test)` gives a test's Limits; `report(index, watch)` is
    called once per observed test, in order.
    """
    backstop = max(limits_for(test).child_cpu_backstop for test in tests)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        gb_child.run_batch(write_fd, entry, tests, settings,
                           backstop + settings.batch_cpu_seconds)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    try:
        pid_fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pid_fd = None
    batch = _Batch(pid, tests, limits_for, report)
    try:
        _watch_loop(pid, read_fd, pid_fd, batch)
        _drain(read_fd, batch)
        watch = batch.watch  # the test the child ended in, if it started one
        watch.died = batch.died
        if watch.died.si_code in (os.CLD_KILLED, os.CLD_DUMPED) and \
                watch.died.si_status == signal.SIGSYS:
            watch.syscall = _read_syscall_number(pid)
        _kill_group(pid)  # strays the child left, before its pid is freed
        _, _, watch.rusage = os.wait4(pid, 0)
        _observe_end(batch, batch.index == 0)
    finally:
        os.close(read_fd)
        if pid_fd is not None:
            os.close(pid_fd)
    return batch.index
