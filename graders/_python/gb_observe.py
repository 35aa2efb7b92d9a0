"""Turns what the parent saw of a child (a gb_watch.Watch) into a test event.

The child's report is untrusted data: only known fields of known types are
copied, values are re-parsed strictly (no NaN, no Infinity) and re-encoded
by the parent. Statuses follow graders/README.md.
"""

import json
import os
import signal

import gb_child
import gb_json

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


def strict_json(line):
    """The decoded line, or raises ValueError: one strict ASCII JSON value."""
    try:
        return _decode(line.decode("ascii"))
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


_EMPTY_ITEMS = (b",,", b"[,", b",]", b"--", b"-,", b"-]")


def _checked_raw(line):
    """`line` as RawJSON text, or raises ValueError: one strict ASCII value.

    A big flat list of integers (the large-input results) is only checked
    to hold nothing but digits, signs and commas between its brackets, with
    no empty item: that cannot break out of the event it is spliced into,
    and decoding it here would cost more than the rest of the test. (A line
    forged past this, like "[1-2]", is dropped by gradebox's strict parser:
    that test fails, nothing else.) Anything else is decoded.
    """
    body = line[1:-1]
    if len(line) > 4096 and line[:1] == b"[" and line[-1:] == b"]" and \
            not body.translate(None, b"0123456789,-") and \
            not any(bad in line for bad in _EMPTY_ITEMS):
        return gb_json.RawJSON(line.decode("ascii"))
    strict_json(line)
    return gb_json.RawJSON(line.decode("ascii"))


def _child_report(data):
    """The child's first well-formed result message, or None.

    Members listed in `parts` follow on their own lines; each is checked
    and kept as RawJSON text.
    """
    lines = bytes(data).split(b"\n")
    for index, line in enumerate(lines):
        if not line.startswith(b'{"m":"result"'):
            continue
        try:
            message = strict_json(line)
            parts = message.get("parts") if type(message) is dict else None
            if type(message.get("status")) is not str or type(parts) is not list:
                continue
            for offset, key in enumerate(parts[:2]):
                raw = _checked_raw(lines[index + 1 + offset])
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


def _death(watch, settings):
    """The event fields for a child that died or was killed, or None."""
    reason = watch.kill_reason
    if reason in _TIMEOUT_REASONS:
        return {"status": "timeout", "reason": reason, "message": _TIMEOUT_MESSAGES[reason]}
    if reason == "output":
        return {"status": "output-limit", "message": "the test process reported too much"}
    died = watch.died  # None: the child went on to the next test
    if died is None or died.si_code not in (os.CLD_KILLED, os.CLD_DUMPED):
        return None
    number = died.si_status
    if number == signal.SIGSYS:
        name = _SYSCALL_NAMES.get(watch.syscall, f"nr {watch.syscall}")
        return {"status": "violation", "syscall": name if watch.syscall is not None else "unknown"}
    if number == signal.SIGXCPU:
        return {"status": "timeout", "reason": "cpu", "message": _TIMEOUT_MESSAGES["cpu"]}
    peak = watch.rusage.ru_maxrss * 1024 if watch.rusage else 0
    if number == signal.SIGKILL and peak >= settings.child_memory_bytes // 2:
        return {"status": "memory", "message": "killed at the memory limit"}
    event = {"status": "crash", "signal": _signal_name(number)}
    if number == signal.SIGKILL:
        # Not ours: the sandbox kills a blocked system call's caller (and the
        # OOM killer) this way; gradebox's outcome.violation names the call.
        event["message"] = "killed from outside the harness (blocked system call or memory)"
    return event


def _call_seconds(watch):
    """CPU seconds of the call alone, or None if the child never said."""
    if watch.start_cpu is None:
        return None
    if watch.called_cpu is None:
        # Killed during the call: the last sample says how far it got.
        if watch.kill_reason == "cpu" and watch.last_cpu is not None:
            return max(0.0, watch.last_cpu - watch.start_cpu)
        return None
    called = watch.called_cpu
    if watch.cpu_bound is not None:
        # The parent's own /proc sample once the result was in bounds the
        # child's word (a batched test has no rusage of its own); the
        # sample lags a running child by up to a scheduler tick.
        called = min(called, watch.cpu_bound + 0.02)
    elif watch.rusage is not None:
        # rusage is tick-sampled (coarse) but cannot be forged by the answer:
        # it bounds the child's own precise clock, with a tolerance.
        total = watch.rusage.ru_utime + watch.rusage.ru_stime
        called = min(called, total + 0.05)
    return max(0.0, called - watch.start_cpu)


def observe(test_id, watch, settings):
    """The test event for `test_id` (without the retry decision)."""
    event = {"event": "test", "id": test_id}
    death = _death(watch, settings)
    if death is not None:
        event.update(death)
    else:
        report = _child_report(watch.data)
        if report is not None:
            event.update(_copy_report(report))
        elif watch.died is None:
            event.update({"status": "crash", "message": "malformed report from the test process"})
        elif watch.died.si_status == gb_child.MEMORY_EXIT_CODE:
            event.update({"status": "memory", "message": "MemoryError while reporting"})
        else:
            event.update({"status": "crash", "exit_code": watch.died.si_status,
                          "message": "the test process ended without a result"})
    seconds = _call_seconds(watch)
    if seconds is not None:
        event["time_ms"] = round(seconds * 1000, 3)
    if watch.rusage is not None:
        event["cpu_total_ms"] = round((watch.rusage.ru_utime + watch.rusage.ru_stime) * 1000, 3)
        event["max_rss_kb"] = watch.rusage.ru_maxrss
    elif watch.cpu_bound is not None:
        event["cpu_total_ms"] = round((watch.cpu_bound - watch.base_cpu) * 1000, 3)
    event["wall_ms"] = round(watch.wall * 1000, 3)
    return event
