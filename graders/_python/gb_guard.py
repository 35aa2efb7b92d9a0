"""prctl for the observer (trusted) and for the answer's process it forks.

The lead's LD_PRELOAD observer guard already makes the harness process
non-dumpable before main; calling prctl here again is a belt that also
holds when the harness runs without it (unit tests). Non-dumpable
means no process of the same uid can open /proc/<observer>/mem or
/proc/<observer>/fd/*. The observer is also a child subreaper, so an
answer process whose parent dies is reparented to the observer, where
gb_meter still counts its CPU and the observer can kill it.

A fork inherits non-dumpable; the answer's process sets itself dumpable
again (it holds nothing of the observer's) so that it can read its test
children's /proc/<pid>/syscall, as before the split.
"""

_PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 4, 36
_prctl_address = None


def _prctl(option, value):
    """prctl(option, value) through _ctypes alone: `import ctypes` costs
    10-30 ms here (its Python layer), `_ctypes` ~1.5 ms."""
    global _prctl_address
    try:
        import _ctypes  # noqa: PLC0415 - only the processes that call prctl
        if _prctl_address is None:
            _prctl_address = _ctypes.dlsym(_ctypes.dlopen(None), "prctl")
        return _ctypes.call_function(_prctl_address, (option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError, ImportError, TypeError):
        return False


def protect_observer():
    """Non-dumpable and child subreaper; returns whether both took."""
    return _prctl(_PR_SET_DUMPABLE, 0) & _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def release_answer_process():
    """In the forked answer process: dumpable again (see the docstring)."""
    _prctl(_PR_SET_DUMPABLE, 1)
