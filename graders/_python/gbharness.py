"""gbharness: the shared Python harness (stdlib only, Python 3.11).

Trust boundary. The process gradebox starts (`/usr/bin/python3 -I -S
/box/harness.py`, a task's small harness.py naming its entry rule) is the
observer, and trusted: it alone holds fd 3, reads /box/inputs.json, and
never imports or runs answer code. It is non-dumpable (gradebox's
LD_PRELOAD observer guard, and gb_guard again) and a child subreaper. It
forks the answer's process (gb_answer), untrusted from the moment it
loads the answer: that process first closes fd 3 and every descriptor of
the observer's but its two pipes, takes its own process group, loads the
answer (gb_load, gb_entry) and, per batch of tests, forks a child that
runs them (gb_child). What crosses back is bytes on one pipe: the load
facts and each test's result lines, which the observer parses under the
channel's line and depth limits and copies field by field (gb_split,
gb_observe). Each test's time is the CPU all answer processes used during
its segment, read from the kernel by the observer (gb_meter), and the
observer alone decides timeouts on it (gb_watch). A killed or stopped
observer leaves tests without events, which gradebox fails.

Flow: start, fork the answer's process, `load`, one `test` event per test
in batches (cheap tests share a child while gb_state sees the answer's
state unchanged), `done`, os._exit.
"""

import json
import os
import sys
import time

import gb_guard
import gb_json
import gb_observe
import gb_split
import gb_watch
import gb_wire
from gb_entry import EntryRule  # noqa: F401 - re-exported for task harnesses

_exit, _monotonic = os._exit, time.monotonic
CHANNEL_FD = 3
DEFAULT_INPUTS = "/box/inputs.json"


class Settings:
    """Harness settings; inputs.json `options` may override each one."""

    def __init__(self, options):
        def number(key, default):
            value = options.get(key, default)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            return value if ok else default

        memory_mb = number("memory_mb", 512)
        child_mb = number("child_memory_mb", max(64, memory_mb - 64))
        self.child_memory_bytes = int(child_mb) << 20
        self.default_time_limit_ms = number("default_time_limit_ms", 1000)
        # The child is killed at grace x limit: past gradebox's near-limit
        # band (within 10 % of the limit, src/grade/rerun_policy.h), so a
        # clear timeout measures as clear and runs once, not twice.
        self.grace = number("grace", 1.15)
        self.setup_cpu_seconds = number("setup_cpu_ms", 5000) / 1000
        self.report_cpu_seconds = number("report_cpu_ms", 5000) / 1000
        self.idle_seconds = number("idle_ms", 500) / 1000
        self.idle_after_sleep_seconds = number("idle_after_sleep_ms", 100) / 1000
        budget = options.get("wall_budget_ms")
        self.wall_budget_seconds = budget / 1000 if isinstance(budget, (int, float)) else None
        self.max_report_bytes = int(number("max_report_bytes", 16 << 20))
        self.max_nodes = int(number("max_nodes", 2_000_000))
        self.max_depth = int(number("max_depth", 800))
        self.load_statement_seconds = number("load_statement_ms", 2000) / 1000
        self.load_total_seconds = number("load_total_ms", 6000) / 1000
        # Cheap tests (limit <= batch_limit_ms) share a child while they
        # leave no state behind (gb_state); see gb_child.run_batch.
        self.batch_limit_seconds = number("batch_limit_ms", 1000) / 1000
        self.batch_size = int(number("batch_size", 64))
        self.batch_cpu_seconds = number("batch_cpu_ms", 2000) / 1000
        self.answer_recursion_limit = 1000  # set by the answer process after loading


def _read_inputs(path):
    with open(path, "rb") as handle:
        inputs = json.loads(handle.read())
    if not isinstance(inputs, dict) or not isinstance(inputs.get("tests"), list):
        raise ValueError(f"{path}: needs an object with a tests list")
    return inputs


def _time_limit(test, settings):
    value = test.get("time_limit_ms", settings.default_time_limit_ms)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    return (value if ok else settings.default_time_limit_ms) / 1000


def _test_event(test, watch, settings):
    """One test event. gradebox itself re-runs timed-out tests once."""
    limit = _time_limit(test, settings)
    event = gb_observe.observe(test.get("id"), watch, settings)
    if event.get("status") == "ok" and watch.seconds > limit:
        # Finished, but past the limit on the observer's own measurement
        # (the kill is polled, not exact).
        event.pop("value", None)
        event.pop("value_digest", None)
        event.update({"status": "timeout", "reason": "cpu",
                      "message": f"CPU time over the {limit * 1000:g} ms limit"})
    return event


def _next_batch(tests, start, settings):
    """The end of tests[start:end] to try in one child: cheap tests in a row, or one."""
    end = start + 1
    cheap = settings.batch_limit_seconds
    if _time_limit(tests[start], settings) <= cheap:
        while end < len(tests) and end - start < settings.batch_size and \
                _time_limit(tests[end], settings) <= cheap:
            end += 1
    return end


class _Run:
    """Runs the tests batch after batch; sends one event per test."""

    def __init__(self, answer, tests, settings, send, deadline):
        self.answer, self.tests, self.settings = answer, tests, settings
        self.send, self.deadline = send, deadline
        self.idle = settings.idle_seconds

    def limits_for(self, test):
        return gb_watch.Limits(_time_limit(test, self.settings), self.settings, self.idle,
                               self.deadline)

    def run_batch(self, start, end):
        def report(index, watch):
            event = _test_event(self.tests[start + index], watch, self.settings)
            self.send(event)
            if watch.kill_reason == "idle":
                # The answer sleeps or blocks; a correct one never does. Later
                # tests get a shorter idle window so a sleeper cannot stall the run.
                self.idle = min(self.idle, self.settings.idle_after_sleep_seconds)
        return gb_watch.run_batch(self.answer, start, end, self.tests, self.limits_for, report,
                                  self.settings.batch_cpu_seconds)


def _run_tests(answer, tests, settings, send, started):
    deadline = None
    if settings.wall_budget_seconds is not None:
        deadline = started + settings.wall_budget_seconds
    run = _Run(answer, tests, settings, send, deadline)
    index = 0
    while index < len(tests):
        if deadline is not None and _monotonic() > deadline:
            send({"event": "test", "id": tests[index].get("id"), "status": "timeout",
                  "reason": "budget", "not_run": True,
                  "message": "not run: the run's wall-clock budget ran out"})
            index += 1
            continue
        index += run.run_batch(index, _next_batch(tests, index, settings))


def _start(argv):
    """(send, inputs, limits), or exits 2: gradebox's fault, not the answer's."""
    try:
        inputs = _read_inputs(argv[1] if len(argv) > 1 else DEFAULT_INPUTS)
        limits = gb_wire.read_limits(inputs)
        send = gb_wire.open_channel(limits, encode=gb_json.encode_event)
        os.stat(inputs["answer"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        sys.stderr.write(f"gbharness: cannot start: {exc!r}\n")
        _exit(2)
    return send, inputs, limits


def main(rule, argv=None):
    """Runs the whole protocol for `rule` (a gb_entry.EntryRule)."""
    started = _monotonic()
    gb_guard.protect_observer()
    send, inputs, limits = _start(sys.argv if argv is None else argv)
    send({"event": "start"})  # before any answer code: its absence is gradebox's fault
    settings = Settings(inputs.get("options") or {})
    gb_observe.LIMITS = limits
    answer = gb_split.AnswerProcess(inputs, settings, rule, limits)
    # The answer process bounds its own loading (gb_load); this is the backstop.
    load = gb_split.wait_for_load(answer, settings.load_total_seconds +
                                  2 * settings.load_statement_seconds + 15.0)
    send(load)
    if load.get("ok"):
        _run_tests(answer, inputs["tests"], settings, send, started)
    answer.stop()
    send({"event": "done"})
    _exit(0)
