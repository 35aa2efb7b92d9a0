"""The answer's process: forked by the observer, untrusted once it loads.

It keeps only its two pipes (commands in, reports out) and closes every
other descriptor of the observer's, fd 3 first; puts itself in its own
process group; loads the answer (gb_load) and finds the entry (gb_entry);
reports the load facts as one line; then, for each command line
`{"n": N, "run": [i, j]}`, forks a child that runs tests[i:j]
(gb_child.run_batch: it writes on the same report pipe and reads the
observer's per-test go bytes from the command pipe), reaps it, and reports
how it ended as `{"m": "ended", "n": N, ...}`.

Everything it sends is a claim: the observer parses it with limits, keeps
only plain, bounded fields, measures time itself (gb_meter) and decides.
A lie here can make the answer's own tests fail, never pass.
"""

import gc
import json
import os
import signal
import sys

import gb_child
import gb_entry
import gb_guard
import gb_load

_exit = os._exit
MAX_FD = 1 << 20


def _close_observer_fds(keep):
    """Closes fd 3 and up except `keep` (0-2 are the sandbox's stdio)."""
    low = 3
    for fd in sorted(keep):
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, MAX_FD)


def _send(fd, message):
    gb_child._send(fd, message)


def _load_facts(loaded, entry):
    facts = {"m": "load", "ok": entry is not None, "errors": loaded.errors[:50],
             "load_ms": round(loaded.seconds * 1000, 3)}
    if loaded.compile_error is not None:
        facts.update({"ok": False, "compile_error": loaded.compile_error[:2000]})
        return facts
    facts["functions"] = gb_entry.defined_functions(loaded.module.__dict__)
    if entry is None:
        facts["no_entry"] = True
    else:
        facts["entry"] = entry.label[:200]
    return facts


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
    sys.setrecursionlimit(max(settings.answer_recursion_limit, 4000))
    # No gc.collect(): walking every object would copy most pages this fork
    # shares with the observer. Freezing keeps children's collections off them.
    gc.freeze()


def _read_syscall_number(pid):
    try:
        with open(f"/proc/{pid}/syscall", "rb") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _run_batch(report_fd, command_fd, entry, tests, settings, backstop):
    """Forks the child for `tests`, reaps it; returns the `ended` fields."""
    pid = os.fork()
    if pid == 0:
        gb_child.run_batch(report_fd, entry, tests, settings, backstop, command_fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    died = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    syscall = None
    if died.si_code in (os.CLD_KILLED, os.CLD_DUMPED) and died.si_status == signal.SIGSYS:
        syscall = _read_syscall_number(pid)
    try:
        os.killpg(pid, signal.SIGKILL)  # strays, before the pid is freed
    except OSError:
        pass
    _, _, usage = os.wait4(pid, 0)
    return {"code": died.si_code, "status": died.si_status, "syscall": syscall,
            "maxrss_kb": usage.ru_maxrss}


def _commands(command_fd):
    """Yields the observer's command lines (trusted: the observer wrote them)."""
    pending = b""
    while True:
        chunk = os.read(command_fd, 1 << 16)
        if not chunk:
            return
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            # Go bytes (b"g") a test child left unread precede a command.
            yield json.loads(line.lstrip(b"g"))


def serve(command_fd, report_fd, inputs, settings, rule):
    """The answer process's whole life; never returns."""
    try:
        _close_observer_fds({command_fd, report_fd})
        os.setpgid(0, 0)
        gb_guard.release_answer_process()
        sys.path.insert(0, os.path.dirname(str(inputs.get("answer", ""))))
        loaded = gb_load.load_answer(inputs["answer"], settings.load_statement_seconds,
                                     settings.load_total_seconds)
    except BaseException as exc:  # noqa: BLE001 - reported, then the observer decides
        _send(report_fd, {"m": "load", "ok": False, "harness_error": gb_load.describe_exception(exc)})
        _exit(2)
    entry = _find_entry_guarded(loaded, rule, settings) if loaded.module is not None else None
    _settle_after_load(settings)
    _send(report_fd, _load_facts(loaded, entry))
    if entry is None:
        _exit(0)
    try:
        _serve_batches(command_fd, report_fd, entry, inputs["tests"], settings)
    except BaseException:  # noqa: BLE001 - the answer broke its own process
        pass
    _exit(0)


def _serve_batches(command_fd, report_fd, entry, tests, settings):
    for command in _commands(command_fd):
        start, end = command["run"]
        ended = {"m": "ended", "n": command["n"]}  # "m" first: the observer matches the prefix
        ended.update(_run_batch(report_fd, command_fd, entry, tests[start:end], settings,
                                command["backstop"]))
        _send(report_fd, ended)

