"""gbharness: the shared Python harness (stdlib only, Python 3.11).

Theory of operation. One process per graded answer, run inside the sandbox
as `/usr/bin/python3 -I -S /box/harness.py` (a task's small harness.py
that names its entry rule and calls main()):

  1. open the result channel (fd 3), read /box/inputs.json, write `start`;
  2. load the answer once, as module `answer`, statement by statement
     (gb_load), and find the entry point by the task's rule (gb_entry);
     write the `load` event;
  3. fork a child per batch of tests (gb_watch): for each test the child
     builds fresh input, calls the entry and reports over a pipe (gb_child);
     it goes on to the next test only if this one went normally and left
     the answer's state as it found it (gb_state), else the next test gets
     a fresh child. The parent, which runs no answer code after loading,
     enforces CPU time, idleness, a wall backstop and report size per test,
     reads how the child ended, and writes one `test` event per test
     (gb_observe);
  4. write `done` and leave with os._exit, skipping the answer's atexit hooks.

The answer shares the parent's process while it loads, so keeping the
channel fd in a closure is hygiene, not security: gradebox trusts only the
shape of the channel (one event per known id) and decides pass/fail outside.
"""

import gc
import json
import os
import signal
import sys
import time

import gb_entry
import gb_json
import gb_load
import gb_observe
import gb_watch
from gb_entry import EntryRule  # noqa: F401 - re-exported for task harnesses

_exit, _write, _monotonic = os._exit, os.write, time.monotonic
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
        self.grace = number("grace", 1.0)  # the child is killed at grace x limit
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
        self.close_fds = [CHANNEL_FD]
        self.answer_recursion_limit = 1000  # set after loading


def open_channel(fd=CHANNEL_FD):
    """A send(event) function writing JSON lines to `fd`, checked open now."""
    os.fstat(fd)

    def send(event):
        data = (gb_json.encode_event(event) + "\n").encode("ascii")
        while data:
            try:
                data = data[_write(fd, data):]
            except InterruptedError:
                continue

    return send


def _read_inputs(path):
    with open(path, "rb") as handle:
        inputs = json.loads(handle.read())
    if not isinstance(inputs, dict) or not isinstance(inputs.get("tests"), list):
        raise ValueError(f"{path}: needs an object with a tests list")
    return inputs


def _load_event(loaded, entry):
    event = {"event": "load", "ok": entry is not None, "errors": loaded.errors,
             "load_ms": round(loaded.seconds * 1000, 3)}
    if loaded.compile_error is not None:
        event.update({"ok": False, "compile_error": loaded.compile_error})
        return event
    event["functions"] = gb_entry.defined_functions(loaded.module.__dict__)
    if entry is None:
        event["no_entry"] = True
    else:
        event["entry"] = entry.label
    return event


def _find_entry_guarded(loaded, rule, settings):
    """find_entry may run answer code (a constructor): under a timer too."""
    found = []
    code = compile("found.append(find(namespace, rule))", "<harness>", "exec")
    scope = {"found": found, "find": gb_entry.find_entry,
             "namespace": loaded.module.__dict__, "rule": rule}
    exc = gb_load._run_statement(code, scope, settings.load_statement_seconds)
    if exc is not None:
        info = gb_load.describe_exception(exc)
        info["line"] = 0
        loaded.errors.append(info)
    return found[0] if found else None


def _settle_after_load(settings):
    """Undo process-wide changes module-level answer code may have made."""
    signal.setitimer(signal.ITIMER_REAL, 0)
    for signum, handler in ((signal.SIGALRM, signal.SIG_DFL), (signal.SIGCHLD, signal.SIG_DFL),
                            (signal.SIGPIPE, signal.SIG_IGN), (signal.SIGTERM, signal.SIG_DFL)):
        signal.signal(signum, handler)
    sys.settrace(None)
    sys.setprofile(None)
    # Children call the answer under the limit it chose (default 1000): a
    # higher one makes recursion into a cycle fail slower, not differently.
    settings.answer_recursion_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(settings.answer_recursion_limit, 4000))  # parsing deep reports
    gc.collect()
    gc.freeze()  # fewer copy-on-write page copies in every forked child


def _time_limit(test, settings):
    value = test.get("time_limit_ms", settings.default_time_limit_ms)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    return (value if ok else settings.default_time_limit_ms) / 1000


def _test_event(test, watch, settings):
    """One test event. gradebox itself re-runs timed-out tests once."""
    limit = _time_limit(test, settings)
    event = gb_observe.observe(test.get("id"), watch, settings)
    if event.get("status") == "ok" and event.get("time_ms", 0) > limit * 1000:
        # Finished, but past the limit (the kill is polled, not exact).
        event.pop("value", None)
        event.pop("value_digest", None)
        event.update({"status": "timeout", "reason": "cpu",
                      "message": f"CPU time over the {limit * 1000:g} ms limit"})
    return event


def _next_batch(tests, start, settings):
    """tests[start:end] to try in one child: cheap tests in a row, or one."""
    end = start + 1
    cheap = settings.batch_limit_seconds
    if _time_limit(tests[start], settings) <= cheap:
        while end < len(tests) and end - start < settings.batch_size and \
                _time_limit(tests[end], settings) <= cheap:
            end += 1
    return tests[start:end]


class _Run:
    """Runs the tests batch after batch; sends one event per test."""

    def __init__(self, entry, settings, send, deadline):
        self.entry, self.settings, self.send, self.deadline = entry, settings, send, deadline
        self.idle = settings.idle_seconds

    def limits_for(self, test):
        return gb_watch.Limits(_time_limit(test, self.settings), self.settings, self.idle,
                               self.deadline)

    def run_batch(self, batch):
        def report(index, watch):
            self.send(_test_event(batch[index], watch, self.settings))
            if watch.kill_reason == "idle":
                # The answer sleeps or blocks; a correct one never does. Later
                # tests get a shorter idle window so a sleeper cannot stall the run.
                self.idle = min(self.idle, self.settings.idle_after_sleep_seconds)
        return gb_watch.run_batch(self.entry, batch, self.settings, self.limits_for, report)


def _run_tests(entry, tests, settings, send, started):
    deadline = None
    if settings.wall_budget_seconds is not None:
        deadline = started + settings.wall_budget_seconds
    run = _Run(entry, settings, send, deadline)
    index = 0
    while index < len(tests):
        if deadline is not None and _monotonic() > deadline:
            send({"event": "test", "id": tests[index].get("id"), "status": "timeout",
                  "reason": "budget", "not_run": True,
                  "message": "not run: the run's wall-clock budget ran out"})
            index += 1
            continue
        index += run.run_batch(_next_batch(tests, index, settings))


def main(rule, argv=None):
    """Runs the whole protocol for `rule` (a gb_entry.EntryRule)."""
    started = _monotonic()
    argv = sys.argv if argv is None else argv
    try:
        send = open_channel()
        inputs = _read_inputs(argv[1] if len(argv) > 1 else DEFAULT_INPUTS)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"gbharness: cannot start: {exc}\n")
        _exit(2)
    send({"event": "start"})  # before any answer code: its absence is gradebox's fault
    settings = Settings(inputs.get("options") or {})
    # Sibling files of a multi-file answer import as modules.
    sys.path.insert(0, os.path.dirname(str(inputs.get("answer", ""))))
    try:
        loaded = gb_load.load_answer(inputs["answer"], settings.load_statement_seconds,
                                     settings.load_total_seconds)
    except (OSError, KeyError, TypeError) as exc:
        sys.stderr.write(f"gbharness: cannot read the answer: {exc!r}\n")
        _exit(2)
    entry = None
    if loaded.module is not None:
        entry = _find_entry_guarded(loaded, rule, settings)
    _settle_after_load(settings)
    send(_load_event(loaded, entry))
    if entry is not None:
        _run_tests(entry, inputs["tests"], settings, send, started)
    send({"event": "done"})
    _exit(0)
