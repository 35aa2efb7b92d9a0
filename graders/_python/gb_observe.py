"""Observer side: turns what it saw of a test (a gb_watch.Watch) into an event.

Trusted code, run by the observer only. The child's report is untrusted
bytes: a line is parsed only under the channel's size and depth limits
(`strict_json`), only known fields of known types are copied, values are
re-parsed strictly (no NaN, no Infinity) and kept as checked text. The
time is the observer's own measurement (gb_meter), never the child's.
Statuses follow graders/README.md.
"""

import json
import os
import signal
import sys

import gb_child
import gb_json
from gb_wire import Limits, nesting_depth

_CHILD_STATUSES = {"ok", "error", "memory", "unserializable", "output-limit"}
_TIMEOUT_MESSAGES = {
    "cpu": "CPU time over the limit",
    "idle": "no CPU progress: sleeping or blocked",
    "wall": "wall-clock backstop",
    "budget": "the run's wall-clock budget ran out",
}
_TIMEOUT_REASONS = set(_TIMEOUT_MESSAGES)


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text):
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")
    return value


_decode = json.JSONDecoder(parse_constant=_reject_constant,
                           parse_float=_finite_float).decode

# x86_64 numbers of the syscalls a sandbox typically refuses.
_SYSCALL_NAMES = {
    41: "socket", 42: "connect", 43: "accept", 49: "bind", 50: "listen",
    56: "clone", 57: "fork", 58: "vfork", 59: "execve", 62: "kill",
    101: "ptrace", 155: "pivot_root", 161: "chroot", 165: "mount",
    166: "umount2", 169: "reboot", 175: "init_module", 246: "kexec_load",
    248: "add_key", 250: "keyctl", 272: "unshare", 298: "perf_event_open",
    304: "open_by_handle_at", 308: "setns", 310: "process_vm_readv",
    311: "process_vm_writev", 313: "finit_module", 321: "bpf",
    322: "execveat", 323: "userfaultfd", 425: "io_uring_setup",
    435: "clone3",
}


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


LIMITS = Limits()


def _stack_depth():
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


def strict_json(line, limits=None):
    """The decoded line, or raises ValueError: one strict ASCII JSON value,
    at most max_line_bytes long and max_depth deep."""
    limits = limits or LIMITS
    if len(line) > limits.max_line_bytes:
        raise ValueError("line over the channel cap")
    deep = line.count(b"[") + line.count(b"{") > limits.max_depth
    if deep and nesting_depth(line.decode("ascii", "replace"), limits.max_depth) > limits.max_depth:
        raise ValueError(f"nested deeper than the {limits.max_depth}-level limit")
    saved = sys.getrecursionlimit()
    try:
        if deep:
            # The C decoder counts its nesting against the recursion limit.
            sys.setrecursionlimit(_stack_depth() + limits.max_depth + 5)
        return _decode(line.decode("ascii"))
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)[:200]) from None
    finally:
        if deep:
            sys.setrecursionlimit(saved)


_EMPTY_ITEMS = (b",,", b"[,", b",]", b"--", b"-,", b"-]")


def _checked_raw(line, limits):
    """`line` as RawJSON text, or raises ValueError: one strict ASCII value.

    A big flat list of integers (the large-input results) is only checked
    to hold nothing but digits, signs and commas between its brackets, with
    no empty item: that cannot break out of the event it is spliced into,
    and decoding it here would cost more than the rest of the test. (A line
    forged past this, like "[1-2]", is dropped by gradebox's strict parser:
    that test fails, nothing else.) Anything else is decoded.
    """
    if len(line) > limits.max_line_bytes:
        raise ValueError("line over the channel cap")
    body = line[1:-1]
    if len(line) > 4096 and line[:1] == b"[" and line[-1:] == b"]" and \
            not body.translate(None, b"0123456789,-") and \
            not any(bad in line for bad in _EMPTY_ITEMS):
        return gb_json.RawJSON(line.decode("ascii"))
    strict_json(line, limits)
    return gb_json.RawJSON(line.decode("ascii"))


def _child_report(data, limits):
    """The child's first well-formed result message, or None.

    Members listed in `parts` follow on their own lines; each is checked
    and kept as RawJSON text.
    """
    lines = bytes(data).split(b"\n")
    for index, line in enumerate(lines):
        if not line.startswith(b'{"m":"result"'):
            continue
        try:
            message = strict_json(line, limits)
            parts = message.get("parts") if type(message) is dict else None
            if type(message.get("status")) is not str or type(parts) is not list:
                continue
            for offset, key in enumerate(parts[:2]):
                raw = _checked_raw(lines[index + 1 + offset], limits)
                if key in ("value", "input_after"):
                    message[key] = raw
        except (ValueError, IndexError, AttributeError):
            continue
        return message
    return None


def _text(message, key, limit=2000):
    value = message.get(key)
    return value[:limit] if type(value) is str else None


def _value_digest(digest):
    """A well-formed gb_json.digest_plain result, or None."""
    if type(digest) is not dict or type(digest.get("sha256")) is not str or len(digest["sha256"]) != 64:
        return None
    checked = {"sha256": digest["sha256"]}
    if type(digest.get("length")) is int and type(digest.get("head")) is list:
        checked["length"] = digest["length"]
        checked["head"] = digest["head"][:gb_json.DIGEST_HEAD]
    return checked


def _copy_report(message):
    """Known fields of the child's result, type-checked."""
    status = message["status"]
    digest = _value_digest(message.get("value_digest"))
    if status not in _CHILD_STATUSES or (status == "ok" and "value" not in message and digest is None):
        return {"status": "crash", "message": "malformed report from the test process"}
    event = {"status": status}
    if status == "ok" and "value" in message:
        event["value"] = message["value"]
    elif status == "ok":
        event["value_digest"] = digest
    for key in ("error_type", "message", "missing_name", "type", "input_after_problem"):
        if _text(message, key) is not None:
            event[key] = _text(message, key)
    if "input_after" in message:
        event["input_after"] = message["input_after"]
    if message.get("harness_error") is True:
        event["harness_error"] = True
    return event


class Death:
    """How a test child ended, as the answer's process reported it (a
    claim: it can only turn a test into a failure) or as the observer saw
    it when that process was gone (`lost`)."""

    def __init__(self, code=None, status=None, syscall=None, maxrss_kb=0, lost=False):
        self.code, self.status, self.syscall = code, status, syscall
        self.maxrss_kb, self.lost = maxrss_kb, lost

    @classmethod
    def from_message(cls, message):
        def small(key, top):
            value = message.get(key)
            return value if type(value) is int and 0 <= value <= top else None
        return cls(small("code", 16), small("status", 255), small("syscall", 4096),
                   small("maxrss_kb", 1 << 40) or 0)


def _death(watch, settings):
    """The event fields for a child that died or was killed, or None."""
    reason = watch.kill_reason
    if reason in _TIMEOUT_REASONS:
        return {"status": "timeout", "reason": reason, "message": _TIMEOUT_MESSAGES[reason]}
    if reason == "output":
        return {"status": "output-limit", "message": "the test process reported too much"}
    died = watch.died  # None: the child went on to the next test
    if died is None or died.code not in (os.CLD_KILLED, os.CLD_DUMPED):
        return None
    number = died.status
    if number == signal.SIGSYS:
        name = _SYSCALL_NAMES.get(died.syscall, f"nr {died.syscall}")
        return {"status": "violation", "syscall": name if died.syscall is not None else "unknown"}
    if number == signal.SIGXCPU:
        return {"status": "timeout", "reason": "cpu", "message": _TIMEOUT_MESSAGES["cpu"]}
    if number == signal.SIGKILL and died.maxrss_kb * 1024 >= settings.child_memory_bytes // 2:
        return {"status": "memory", "message": "killed at the memory limit"}
    event = {"status": "crash", "signal": _signal_name(number)}
    if number == signal.SIGKILL:
        # Not ours: the sandbox kills a blocked system call's caller (and the
        # OOM killer) this way; gradebox's outcome.violation names the call.
        event["message"] = "killed from outside the harness (blocked system call or memory)"
    return event


def _ended_without_result(died):
    if died is None:
        return {"status": "crash", "message": "malformed report from the test process"}
    if died.lost:
        return {"status": "crash", "message": "the answer's process ended during the test"}
    if died.status == gb_child.MEMORY_EXIT_CODE:
        return {"status": "memory", "message": "MemoryError while reporting"}
    return {"status": "crash", "exit_code": died.status,
            "message": "the test process ended without a result"}


def observe(test_id, watch, settings, limits=None):
    """The test event for `test_id` (without the retry decision)."""
    event = {"event": "test", "id": test_id}
    death = _death(watch, settings)
    if death is not None:
        event.update(death)
    else:
        report = _child_report(watch.data, limits or LIMITS)
        event.update(_copy_report(report) if report is not None
                     else _ended_without_result(watch.died))
    # The observer's own measurement: everything the answer ran during
    # this test's segment (gb_meter), however many processes it used.
    event["time_ms"] = round(max(0.0, watch.seconds) * 1000, 3)
    if watch.died is not None and watch.died.maxrss_kb:
        event["max_rss_kb"] = watch.died.maxrss_kb
    event["wall_ms"] = round(watch.wall * 1000, 3)
    return event
