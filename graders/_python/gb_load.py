"""Loads the answer as module `answer`, one top-level statement at a time.

Runs in the answer's process (gb_answer), never in the observer: once the
first statement runs, everything here is the answer's to change.

Answers carry demo code at module level: prints, `input()` (stdin is empty,
so EOFError), `sys.exit()`, a raise, a sleep or a loop. Executing each
top-level statement separately, under its own wall-clock timer, means such
code costs one recorded error instead of hiding the functions defined
around it. The module is named `answer`, not `__main__`, so
`if __name__ == "__main__":` demos do not run at all.
"""

import __future__
import ast
import linecache
import signal
import sys
import time
import types

_type_name_of = type.__dict__["__name__"].__get__
_setitimer, _signal = signal.setitimer, signal.signal
_monotonic = time.monotonic


class StatementTimeout(BaseException):
    """Raised into an answer statement that ran past its wall-clock budget."""


def _on_alarm(signum, frame):
    raise StatementTimeout("statement ran past its time budget")


class Loaded:
    """Result of loading: the module, or why there is none."""

    def __init__(self):
        self.module = None
        self.compile_error = None  # str when the code does not compile
        self.errors = []           # module-level exceptions, one dict each
        self.seconds = 0.0


def describe_exception(exc):
    """{"type", "message", ["missing_name"]} without trusting the exception."""
    try:
        name = _type_name_of(type(exc), type)
    except Exception:  # noqa: BLE001
        name = "<unknown>"
    try:
        message = str(exc)
    except BaseException:  # noqa: BLE001 - a hostile __str__
        message = "<unprintable>"
    if type(message) is not str:
        message = "<unprintable>"
    info = {"type": name[:200], "message": message[:2000]}
    missing = getattr(exc, "name", None) if isinstance(exc, NameError) else None
    if type(missing) is str:
        info["missing_name"] = missing[:200]
    return info


def _compile_error_text(exc):
    if isinstance(exc, SyntaxError):
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"{type(exc).__name__}: {exc.msg}{where}"
    return f"{type(exc).__name__}: {exc}"


def _future_flags(tree):
    """Compiler flags of the leading `from __future__ import ...` lines."""
    flags = 0
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            break
        for alias in node.names:
            feature = getattr(__future__, alias.name, None)
            flags |= getattr(feature, "compiler_flag", 0)
    return flags


def _parse(source, path, loaded):
    """The module AST, or None with loaded.compile_error set."""
    try:
        tree = ast.parse(source, filename=path)
        # Some errors (return outside a function, misplaced nonlocal) are
        # only found by the compiler, not the parser.
        compile(tree, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        loaded.compile_error = _compile_error_text(exc)
        return None
    return tree


def _new_module(path, source):
    module = types.ModuleType("answer")
    module.__file__ = path
    sys.modules["answer"] = module
    # Tracebacks and inspect.getsource in the answer find its lines.
    text = source.decode("utf-8", "replace")
    linecache.cache[path] = (len(text), None, text.splitlines(True), path)
    return module


def _run_statement(code, namespace, budget_seconds):
    """Executes one statement; returns the exception it raised, or None."""
    try:
        _signal(signal.SIGALRM, _on_alarm)
        # The interval keeps firing in case the answer swallows the first one.
        _setitimer(signal.ITIMER_REAL, budget_seconds, 0.05)
        try:
            exec(code, namespace)  # noqa: S102 - running the answer is the point
        finally:
            _setitimer(signal.ITIMER_REAL, 0)
    except BaseException as exc:  # noqa: BLE001 - SystemExit, timeouts, all of it
        return exc
    return None


def load_answer(path, statement_seconds=2.0, total_seconds=6.0):
    """Loads the answer file at `path`; see Loaded."""
    loaded = Loaded()
    with open(path, "rb") as handle:
        source = handle.read()
    tree = _parse(source, path, loaded)
    if tree is None:
        return loaded
    flags = _future_flags(tree)
    module = _new_module(path, source)
    saved_argv = sys.argv
    sys.argv = [path]
    started = _monotonic()
    for node in tree.body:
        spent = _monotonic() - started
        budget = statement_seconds if spent < total_seconds else 0.1
        code = compile(ast.Module(body=[node], type_ignores=[]), path, "exec",
                       flags=flags, dont_inherit=True)
        exc = _run_statement(code, module.__dict__, budget)
        if exc is not None:
            info = describe_exception(exc)
            if isinstance(exc, StatementTimeout):
                info["type"] = "Timeout"
            info["line"] = node.lineno
            loaded.errors.append(info)
    sys.argv = saved_argv
    loaded.module = module
    loaded.seconds = _monotonic() - started
    return loaded
