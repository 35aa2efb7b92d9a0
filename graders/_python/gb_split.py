"""Observer side of the process split: start the answer's process, talk to it.

Trusted code, run by the observer. The answer's process (gb_answer) is
forked before any answer code exists; from then on it is untrusted. The
observer keeps the read end of one report pipe and the write end of one
command pipe, and reads only bytes: the load facts are parsed with the
channel's limits and copied field by field into plain, bounded values.
A forged load event gains nothing: `no_entry` and `compile_error` score 0
(verdicts no-code and compile-error), `ok` only lets the tests run, whose
values and times the observer checks itself, and error lists only feed
gradebox's join retry, which regrades the answer's own blocks.
"""

import gc
import json
import os
import select
import time

import gb_answer
import gb_meter
import gb_observe

_monotonic = time.monotonic


class AnswerProcess:
    """The forked answer process: pid, pipes, and what was read from it."""

    def __init__(self, inputs, settings, rule, limits):
        self.limits = limits
        self.pending = bytearray()
        self.n = 0
        self.gone = None  # a gb_observe.Death once the process has ended
        command_read, self.command_fd = os.pipe()
        self.report_fd, report_write = os.pipe()
        gc.freeze()  # the fork's collections then leave the shared pages alone
        self.pid = os.fork()
        if self.pid == 0:
            gb_answer.serve(command_read, report_write, inputs, settings, rule)
        os.close(command_read)
        os.close(report_write)

    def read_chunk(self, timeout):
        """Bytes from the report pipe ("" at end), or None if none came."""
        if self.report_fd is None:
            return b""
        ready, _, _ = select.select([self.report_fd], [], [], timeout)
        if not ready:
            return None
        try:
            return os.read(self.report_fd, 1 << 20)
        except OSError:
            return b""

    def send_run(self, start, end, backstop):
        """Asks for tests[start:end] in one child; returns the command's number."""
        self.n += 1
        line = json.dumps({"n": self.n, "run": [start, end], "backstop": backstop}) + "\n"
        try:
            os.write(self.command_fd, line.encode("ascii"))
        except (OSError, TypeError):
            pass  # it has gone: the batch sees no start and ends
        return self.n

    def send_go(self):
        """Lets the batch's child start its next test (see gb_child.run_batch)."""
        try:
            os.write(self.command_fd, b"g")
        except (OSError, TypeError):
            pass

    def ended(self, block=False):
        """A Death if the process itself has ended (it is reaped then)."""
        if self.gone is None:
            try:
                info = os.waitid(os.P_PID, self.pid, os.WEXITED | (0 if block else os.WNOHANG))
            except ChildProcessError:
                info = None
                self.gone = gb_observe.Death(lost=True)
            if info is not None:
                self.gone = gb_observe.Death(info.si_code, info.si_status, lost=True)
        return self.gone

    def stop(self):
        """Kills the answer's process and everything it started."""
        gb_meter.kill_all_but(set())
        self.ended(block=True)
        for fd in (self.command_fd, self.report_fd):
            try:
                os.close(fd)
            except (OSError, TypeError):
                pass
        self.command_fd = self.report_fd = None


def _text(value, limit):
    return value[:limit] if type(value) is str else None


def _error(item):
    if type(item) is not dict or _text(item.get("type"), 200) is None:
        return None
    error = {"type": item["type"][:200], "message": _text(item.get("message"), 2000) or ""}
    if type(item.get("line")) is int:
        error["line"] = item["line"]
    if _text(item.get("missing_name"), 200):
        error["missing_name"] = item["missing_name"][:200]
    return error


def load_event(facts):
    """The `load` event from the answer process's claimed facts (a dict)."""
    errors = facts.get("errors") if type(facts.get("errors")) is list else []
    event = {"event": "load", "ok": False,
             "errors": [e for e in map(_error, errors[:50]) if e is not None]}
    load_ms = facts.get("load_ms")
    if type(load_ms) in (int, float) and 0 <= load_ms < 1e9:
        event["load_ms"] = load_ms
    if _text(facts.get("compile_error"), 2000):
        event["compile_error"] = facts["compile_error"][:2000]
        return event
    functions = facts.get("functions") if type(facts.get("functions")) is list else []
    event["functions"] = [f[:200] for f in functions[:50] if type(f) is str]
    entry = _text(facts.get("entry"), 200)
    if facts.get("ok") is True and entry:
        event.update({"ok": True, "entry": entry})
    else:
        event["no_entry"] = True
    return event


def _lost_load(why):
    return {"event": "load", "ok": False, "errors": [
        {"type": "ProcessEnded", "message": why, "line": 0}]}


def wait_for_load(answer, seconds):
    """The load event: the first well-formed load line within `seconds`."""
    deadline = _monotonic() + seconds
    while _monotonic() < deadline:
        chunk = answer.read_chunk(min(0.05, max(0.0, deadline - _monotonic())))
        if chunk == b"":
            break
        if chunk:
            answer.pending += chunk
        while b"\n" in answer.pending:
            line, _, rest = bytes(answer.pending).partition(b"\n")
            answer.pending = bytearray(rest)
            if not line.startswith(b'{"m":"load"'):
                continue  # the answer's own writes while it loads
            try:
                facts = gb_observe.strict_json(line, answer.limits)
            except ValueError:
                continue
            if type(facts) is dict:
                return load_event(facts)
        if len(answer.pending) > answer.limits.max_line_bytes:
            answer.pending = bytearray()  # an over-cap line: dropped
    answer.stop()
    if answer.ended() is not None and answer.ended().code == os.CLD_EXITED:
        return _lost_load(f"the answer's process exited while loading "
                                  f"(exit code {answer.ended().status})")
    return _lost_load("the answer's process did not finish loading")
