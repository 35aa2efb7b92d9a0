"""Observer side of a batch of tests: ask, watch each test's limits, observe.

Trusted code, run by the observer. For a batch it writes one command to the
answer's process (gb_split), which forks a child that runs the tests and
writes on the report pipe; then it reads bytes and measures. Each test's
segment runs from the end of the previous one (or the command) to the end
of its result; its time is the CPU the answer's processes used meanwhile,
read from the kernel by the observer (gb_meter), and the limits are
checked on that: CPU, idleness (no CPU progress: sleeping or blocked), a
wall backstop, the size of what arrives. Over a limit, the observer kills
every answer process but the answer's main one, which then reports the
child's end (`ended`). Nothing the answer writes can shorten a segment.

A test the child did not start (it left the batch, or something wrote out
of turn between tests) is not observed: the caller runs it in a new batch.
"""

import time

import gb_meter
from gb_observe import Death, strict_json

_monotonic = time.monotonic
_START, _RESULT, _ENDED = b'{"m":"start"', b'{"m":"result"', b'{"m":"ended"'
_POLL_SECONDS = 0.02
_ENDED_WAIT_SECONDS = 2.0  # after a kill, for the answer process to report


class Watch:
    """What the observer saw of one test."""

    def __init__(self, base_cpu):
        self.data = bytearray()
        self.kill_reason = None   # "cpu", "idle", "wall", "output", "budget"
        self.died = None          # a gb_observe.Death, when the child ended in this test
        self.base_cpu = base_cpu  # answer CPU when the segment began
        self.seconds = 0.0        # answer CPU during the segment
        self.wall = 0.0
        self.parts_left = None    # result lines still to come (None: no header yet)


class Limits:
    """The limits one test runs under (seconds)."""

    def __init__(self, call_cpu, settings, idle, deadline):
        self.call_cpu = call_cpu * settings.grace
        self.idle = idle
        self.wall = 3 * call_cpu + 1.0 + settings.setup_cpu_seconds
        self.deadline = deadline  # monotonic time the whole run must end by
        self.max_bytes = settings.max_report_bytes
        # RLIMIT_CPU in the child, a backstop should the observer stall.
        self.child_cpu_backstop = settings.setup_cpu_seconds + self.call_cpu + \
            settings.report_cpu_seconds


def _result_parts(line, limits):
    """How many part lines follow this result header, or None if it is not one."""
    if not line.startswith(_RESULT):
        return None
    try:
        parts = strict_json(line, limits).get("parts")
    except (ValueError, AttributeError):
        return None
    return min(len(parts), 2) if type(parts) is list else None


class _Batch:
    """One child's stream of segments; calls `report(index, watch)` per test."""

    def __init__(self, answer, number, tests, limits_for, report, base_cpu):
        self.answer, self.number, self.tests = answer, number, tests
        self.limits_for, self.report = limits_for, report
        self.index = 0
        self.out_of_turn = False
        self.ended = None  # a Death once the answer process said the child ended
        self.cpu = self.progress_cpu = base_cpu
        self._begin(base_cpu)

    def _begin(self, base_cpu):
        self.watch = Watch(base_cpu)
        self.limits = self.limits_for(self.tests[self.index])
        self.started = self.idle_since = _monotonic()

    def take(self, chunk):
        """Feeds bytes from the pipe; returns False once nothing more is wanted."""
        pending = self.answer.pending
        pending += chunk
        while self.ended is None:
            end = pending.find(b"\n")
            if end < 0:
                break
            line = bytes(pending[:end])
            del pending[:end + 1]
            self._line(line)
        if self.watch.kill_reason is None and self.index < len(self.tests) and \
                (len(pending) > self.answer.limits.max_line_bytes or
                 len(pending) + len(self.watch.data) > self.limits.max_bytes):
            self.watch.kill_reason = "output"
        return self.wants_more()

    def wants_more(self):
        return not self.out_of_turn and self.index < len(self.tests) and \
            self.watch.kill_reason is None

    def _line(self, line):
        if line.startswith(_ENDED):
            self._ended_line(line)
            return
        if self.out_of_turn or self.index >= len(self.tests):
            return  # the answer's own writes after the batch: dropped
        watch = self.watch
        if len(line) > self.answer.limits.max_line_bytes:
            watch.kill_reason = watch.kill_reason or "output"
            return
        if not watch.data and self.index > 0 and not line.startswith((_START, _RESULT)):
            self.out_of_turn = True  # only answer code writes between tests
            return
        watch.data += line + b"\n"
        if watch.parts_left is None:
            watch.parts_left = _result_parts(line, self.answer.limits)
        elif watch.parts_left > 0:
            watch.parts_left -= 1
        if watch.parts_left == 0:
            self._finish_segment()

    def _ended_line(self, line):
        try:
            message = strict_json(line, self.answer.limits)
        except ValueError:
            return
        if type(message) is dict and message.get("n") == self.number:
            self.ended = Death.from_message(message)

    def _finish_segment(self):
        self.sample()
        watch, index = self.watch, self.index
        watch.seconds = self.cpu - watch.base_cpu
        watch.wall = _monotonic() - self.started
        self.index += 1
        if self.index < len(self.tests):
            self._begin(self.cpu)
            self.answer.send_go()  # after the sample; before the event, so both overlap
        self.report(index, watch)

    def sample(self):
        """Reads the answer's CPU now (never lower than before)."""
        self.cpu = max(self.cpu, gb_meter.answer_cpu())
        if self.cpu > self.progress_cpu + 0.0005:
            self.progress_cpu, self.idle_since = self.cpu, _monotonic()
        return self.cpu

    def over_limit(self):
        """The reason to stop the current test now, or None."""
        now, limits = _monotonic(), self.limits
        if limits.deadline is not None and now > limits.deadline:
            return "budget"
        if now - self.started > limits.wall:
            return "wall"
        if now - self.idle_since > limits.idle:
            return "idle"
        if self.cpu - self.watch.base_cpu > limits.call_cpu:
            return "cpu"
        return None


def _stop_children(answer):
    gb_meter.kill_all_but({answer.pid})


def _watch(answer, batch):
    """Reads and polls until the batch's child ended (or the answer process did)."""
    killed_at = None
    while batch.ended is None:
        chunk = answer.read_chunk(_POLL_SECONDS)
        if chunk == b"" or answer.ended() is not None:
            gb_meter.kill_all_but(set())  # the answer process is gone: its strays too
            chunk = answer.read_chunk(0) or b""
            batch.take(chunk)
            batch.ended = batch.ended or answer.ended() or Death(lost=True)
            return
        if chunk and not batch.take(chunk) and killed_at is None:
            _stop_children(answer)  # all tests seen, out of turn, or too much output
            killed_at = _monotonic()
        if batch.wants_more():
            batch.sample()
            reason = batch.over_limit()
            if reason is not None:
                batch.watch.kill_reason = reason
        if batch.watch.kill_reason is not None and killed_at is None:
            _stop_children(answer)
            killed_at = _monotonic()
        if killed_at is not None and _monotonic() - killed_at > _ENDED_WAIT_SECONDS:
            answer.stop()  # it does not report: it gets no more tests
            batch.ended = answer.ended() or Death(lost=True)


def _observe_end(batch):
    """Reports the test the child ended in, unless it never started it."""
    watch = batch.watch
    if batch.out_of_turn or batch.index >= len(batch.tests):
        return
    if not watch.data and watch.kill_reason is None and batch.index > 0:
        return  # ended between tests: the caller asks afresh for this one
    batch.sample()
    watch.died = batch.ended
    watch.seconds = batch.cpu - watch.base_cpu
    watch.wall = _monotonic() - batch.started
    batch.report(batch.index, watch)
    batch.index += 1


def run_batch(answer, start, end, tests, limits_for, report, batch_cpu_seconds):
    """Runs tests[start:end] in one child; returns how many were observed (>= 1).

    `limits_for(test)` gives a test's Limits; `report(index, watch)` is
    called once per observed test, in order.
    """
    batch_tests = tests[start:end]
    backstop = max(limits_for(test).child_cpu_backstop for test in batch_tests)
    base_cpu = gb_meter.answer_cpu()
    number = answer.send_run(start, end, backstop + batch_cpu_seconds)
    batch = _Batch(answer, number, batch_tests, limits_for, report, base_cpu)
    _watch(answer, batch)
    _stop_children(answer)  # strays the child left
    _observe_end(batch)
    return batch.index
