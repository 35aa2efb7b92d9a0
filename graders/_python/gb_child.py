"""The forked child of a batch of tests: for each, build fresh input, call
the entry, report; go on to the next only while nothing was left behind.

Untrusted: it runs answer code. A child of the answer's process
(gb_answer), it holds no descriptor of the observer's but the report pipe,
and sends the observer one JSON line each:
  {"m": "start"}   the test's call is about to begin
  {"m": "result", "status": ..., "parts": [...]}   what happened (protocol
      statuses), followed by one line per name in `parts` ("value",
      "input_after") holding that JSON value
No times: the observer reads this child's CPU from the kernel (gb_meter).
The answer can write to the pipe too; the observer keeps only the first
result of each test, parses it with limits and checks every field.
"""

import builtins
import os
import resource
import signal
import sys
import time
import types

import gb_json
import gb_state
from gb_load import describe_exception

# Snapshot before the answer loads: test inputs are built with clean builtins.
_BUILTINS = dict(builtins.__dict__)
_BUILTINS_DICT = builtins.__dict__  # the live one the answer sees
# The batch's own CPU budget (not a test's time: the observer measures that).
_cpu_time, _write, _exit = time.thread_time, os.write, os._exit
_list, _tuple, _type, _isinstance = list, tuple, type, isinstance
_GeneratorType = types.GeneratorType
_setrecursionlimit, _getrecursionlimit = sys.setrecursionlimit, sys.getrecursionlimit

# Exit code of a child that ran out of memory while reporting.
MEMORY_EXIT_CODE = 86
# After these the child may run the next test (if the state is unchanged):
# a returned value, or an exception (the cyclic inputs' RecursionError).
# Not after memory exhaustion, or a result too odd or big to report.
_GO_ON = ("ok", "error")


class Call:
    """Fresh arguments for one call, built from a test's `input`."""

    def __init__(self, args, report_input_after, report_digest=False):
        self.args = args
        self.report_input_after = report_input_after
        self.report_digest = report_digest  # the value as gb_json.digest_plain


def build_call(test_input):
    """Trusted grader code: {"python": code} or {"json": value} -> Call.

    `python` is an expression giving the single argument, or statements that
    bind `arg` (one argument) or `args` (a list of them). It can build what
    JSON cannot: shared sublists, cycles, deep nesting, big inputs.
    """
    report_after = bool(test_input.get("report_input_after", False))
    if "python" in test_input:
        return Call(_run_input_code(test_input["python"]), report_after,
                    bool(test_input.get("report_digest", False)))
    if "json" in test_input:
        return Call([test_input["json"]], report_after)
    if "args_json" in test_input:
        return Call(_list(test_input["args_json"]), report_after)
    raise ValueError("test input needs one of: python, json, args_json")


def _run_input_code(code):
    namespace = {"__builtins__": _BUILTINS}
    try:
        expression = compile(code, "<test input>", "eval", dont_inherit=True)
    except SyntaxError:
        exec(compile(code, "<test input>", "exec", dont_inherit=True), namespace)  # noqa: S102
        return _list(namespace["args"]) if "args" in namespace else [namespace["arg"]]
    return [eval(expression, namespace)]  # noqa: S307 - grader-written input


def _is_iterator(value):
    kind = _type(value)
    return hasattr(kind, "__next__") and hasattr(kind, "__iter__")


def materialize(result):
    """Tuples, generators and other iterators become lists (the contract)."""
    if _type(result) is _list or _isinstance(result, _list):
        return result  # a list subclass stays as it is: reported unserializable
    if _type(result) is _tuple or _isinstance(result, _GeneratorType) or _is_iterator(result):
        return _list(result)
    return result


def _send(fd, message):
    _send_text(fd, gb_json.dumps_plain(message) + "\n")


def _send_result(fd, report):
    """The result header, then each big member on its own line (`parts`)."""
    parts = [key for key in ("value", "input_after") if key in report]
    values = [report.pop(key) for key in parts]
    report["parts"] = parts
    lines = [gb_json.dumps_plain(report)] + [gb_json.dumps_plain(v) for v in values]
    _send_text(fd, "\n".join(lines) + "\n")


def _send_text(fd, text):
    data = text.encode("ascii")
    while data:
        try:
            written = _write(fd, data)
        except InterruptedError:
            continue
        except OSError:
            return
        data = data[written:]


def _confine(settings, cpu_backstop_seconds):
    """Limits for this child only; the observer enforces CPU time precisely."""
    try:
        os.setpgid(0, 0)  # killed as a group: strays die too
    except OSError:
        pass
    memory = settings.child_memory_bytes
    cpu = int(cpu_backstop_seconds) + 1
    for limit, value in ((resource.RLIMIT_AS, (memory, memory)),
                         (resource.RLIMIT_CPU, (cpu, cpu + 1))):
        try:
            resource.setrlimit(limit, value)
        except (ValueError, OSError):
            pass
    for signum in (signal.SIGALRM, signal.SIGXCPU, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, 0)
    _setrecursionlimit(settings.answer_recursion_limit)


def _invoke(entry, call):
    """(status, value-or-exception) of calling the entry and materializing."""
    try:
        return "ok", materialize(entry.call(call.args))
    except MemoryError:
        return "memory", None
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends too
        return "error", exc


def _plain_or_problem(value, settings):
    """(plain copy, None) or (None, report fields saying why not)."""
    try:
        return gb_json.to_plain(value, settings.max_nodes, settings.max_depth), None
    except gb_json.Unserializable as exc:
        return None, {"status": "unserializable", "type": exc.type_name,
                      "message": exc.reason}
    except gb_json.TooLarge as exc:
        return None, {"status": "output-limit", "message": str(exc)}
    except MemoryError:
        return None, {"status": "memory", "message": "MemoryError while copying the result"}


def _report(status, outcome, call, settings):
    if status == "memory":
        report = {"status": "memory", "message": "MemoryError"}
    elif status == "error":
        info = describe_exception(outcome)
        report = {"status": "error", "error_type": info["type"], "message": info["message"]}
        if "missing_name" in info:
            report["missing_name"] = info["missing_name"]
    else:
        plain, problem = _plain_or_problem(outcome, settings)
        if problem:
            report = problem
        elif call.report_digest:
            report = {"status": "ok", "value_digest": gb_json.digest_plain(plain)}
        else:
            report = {"status": "ok", "value": plain}
    if call.report_input_after:
        argument = call.args[0] if len(call.args) == 1 else call.args
        plain, problem = _plain_or_problem(argument, settings)
        if problem is None:
            report["input_after"] = plain
        else:
            report["input_after_problem"] = problem["status"]
    return report


def _send_harness_error(write_fd, exc):
    info = describe_exception(exc)
    _send(write_fd, {"m": "result", "status": "error", "harness_error": True,
                     "error_type": info["type"], "message": info["message"]})


def _run_test(write_fd, entry, test, settings):
    """Runs one test and reports it; returns the reported status."""
    _setrecursionlimit(settings.answer_recursion_limit)
    try:
        call = build_call(test.get("input") or {})
    except BaseException as exc:  # noqa: BLE001 - a grader bug, said as such
        _send_harness_error(write_fd, exc)
        return "error"
    _send(write_fd, {"m": "start"})
    status, outcome = _invoke(entry, call)
    try:
        _setrecursionlimit(max(_getrecursionlimit(), 2 * settings.max_depth + 200))
        report = {"m": "result"}  # first key: the observer looks for this prefix
        report.update(_report(status, outcome, call, settings))
        status = report["status"]
        _send_result(write_fd, report)
    except MemoryError:
        _exit(MEMORY_EXIT_CODE)
    return status


def _state_roots(entry):
    return [sys.modules.get("answer"), entry.target_objects()]


def _wait_go(go_fd):
    """Blocks until the observer lets the next test start; False at its end."""
    while True:
        try:
            return os.read(go_fd, 1) == b"g"
        except InterruptedError:
            continue
        except OSError:
            return False


def run_batch(write_fd, entry, tests, settings, cpu_backstop_seconds, go_fd):
    """Runs `tests` in this (forked) process, in order, and never returns.

    Each test but the first waits for the observer's go (one byte on
    `go_fd`), sent once it has read the previous result and the CPU time
    so far: the child never runs ahead of the observer's measurement.
    After each test the child goes on only if the test returned or raised
    and the answer's state is exactly as before the first one (gb_state),
    so every test sees what a fresh fork would show it; otherwise it exits
    and the observer asks for a fresh child for the rest.
    """
    try:
        _confine(settings, cpu_backstop_seconds)
    except BaseException as exc:  # noqa: BLE001 - a grader bug, said as such
        _send_harness_error(write_fd, exc)
        _exit(0)
    before = None
    if len(tests) > 1:
        before = gb_state.capture(_state_roots(entry), _BUILTINS_DICT)
    for index, test in enumerate(tests):
        if index > 0 and not _wait_go(go_fd):
            break
        status = _run_test(write_fd, entry, test, settings)
        if before is None or status not in _GO_ON or index + 1 == len(tests) or \
                _cpu_time() > settings.batch_cpu_seconds:
            break
        if not gb_state.unchanged(before, gb_state.capture(_state_roots(entry), _BUILTINS_DICT)):
            break
    # Ends on the observer's word, so the last sample still finds it alive.
    _wait_go(go_fd)
    _exit(0)
